/**
 * Records to standard output (spec 11.1, fixed as ARCHITECTURE 6 says): {@code -o json} as
 * an RFC 7464 JSON text sequence, {@code -o json-min} as NDJSON, {@code -o table} as lines.
 * Private package: the bundle offers one {@link io.kflowd.api.RecordSink} service.
 */
package io.kflowd.sink.stdout;
