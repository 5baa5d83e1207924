/**
 * {@code -o ocsf}: kflowd records as OCSF 1.3.0 events (new, beyond kflowd). Private
 * package: the bundle offers one {@link io.kflowd.api.RecordFormatter} service
 * ({@code kflowd.format=ocsf}) and nothing else. The mapping table is the module's README.
 *
 * <ul>
 * <li>Filesystem records: File System Activity (1001); TCP, UDP and UNIX records: Network
 * Activity (4001), or DNS Activity (4003) / HTTP Activity (4002) when their App is DNS or
 * HTTP.</li>
 * <li>One compact JSON object per record, no framing (the stdout sink makes NDJSON lines).
 * Strings are escaped like the json formatter's; unpaired surrogates become U+FFFD.</li>
 * <li>Times are milliseconds since the epoch; kflowd keys without an OCSF attribute keep
 * their kflowd names and encodings in {@code unmapped}.</li>
 * </ul>
 */
package io.kflowd.format.ocsf;
