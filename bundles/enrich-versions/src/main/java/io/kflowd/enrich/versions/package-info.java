/**
 * {@code -v}: {@code ProcVersion} and {@code FileVersion} (spec 8.3, fixed as issue 6 says):
 * the version of the package that installed the file, found by its full path (not its
 * basename as kflowd did, Q35) in the dpkg database (rpm on RPM systems), refreshed when the
 * database changes. Private package: the bundle offers one {@link io.kflowd.api.RecordEnricher}
 * service ({@code kflowd.enrich=versions}).
 */
package io.kflowd.enrich.versions;
