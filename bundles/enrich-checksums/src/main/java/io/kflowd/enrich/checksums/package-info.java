/**
 * {@code -c}: {@code FileMD5} and {@code FileSHA256} (spec 8.4, fixed as issue 6 says) of
 * files with an execute bit, read at the record's real absolute path, cached by (device,
 * inode, size, mtime), with a size cap. Private package: the bundle offers one
 * {@link io.kflowd.api.RecordEnricher} service ({@code kflowd.enrich=checksums}).
 */
package io.kflowd.enrich.checksums;
