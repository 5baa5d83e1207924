/**
 * Records to UDP collectors ({@code -u}, spec 11.2, with the fixes of ARCHITECTURE 6 and
 * issue 6): one datagram per record and collector, one reused connected socket per
 * collector in the collector's own address family, failures counted and logged at most once
 * a minute, oversized records cut at a field boundary into valid JSON. Private package: the
 * bundle offers one {@link io.kflowd.api.RecordSink} service while it has collectors.
 */
package io.kflowd.sink.udp;
