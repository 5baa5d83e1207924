/**
 * {@code -o json} and {@code -o json-min}: kflowd's JSON, key for key (spec 2, 3), written
 * with Jackson's streaming generator. Private package: the bundle offers two
 * {@link io.kflowd.api.RecordFormatter} services and nothing else.
 *
 * <p>Kept from kflowd: key names, order and presence; the {@code "Key": value} and
 * {@code ", "} spacing of json-min; the pretty layout; seconds values with nine decimals and
 * the bare {@code 0}; the timestamp string. Fixed or decided here:
 * <ul>
 * <li>Every string is escaped (quote, backslash, U+0000-U+001F, and also DEL, U+0080-U+009F,
 * U+2028, U+2029); other non-ASCII is UTF-8; unpaired surrogates become U+FFFD.</li>
 * <li>An empty object is {@code {}} in the pretty form too (kflowd: a blank line inside).</li>
 * <li>A negative change ({@code FileModificationTimeChange}) is a negative seconds value,
 * not kflowd's unsigned wrap-around; a negative duration or age is {@code 0}.</li>
 * <li>{@code FilePermissions}' symbolic part is that of ls(1): file type letter
 * ({@code - d l c b p s}) and s/S/t/T for setuid, setgid and sticky; kflowd shows only
 * {@code l} or {@code -} and never s/t.</li>
 * <li>Integers that are unsigned in kflowd (sequence number, ids, inode, sizes) are printed
 * as unsigned 64-bit decimals.</li>
 * <li>Presence: an optional string key is written when its value is non-null, even when
 * empty; {@code FileSizeChange} and {@code FileModificationTimeChange} when non-zero.</li>
 * <li>Socket records: a Tx or Rx block is written when its packet count is above 0 (for
 * UNIX the count of sent messages); a UNIX block is only its {@code Sock?xBytes} key.
 * Traffic blocks and message arrays: client Tx before Rx, server Rx before Tx, except the
 * SYSLOG message arrays of a server, Tx first (kflowd's quirk Q3, kept). A TLS server is
 * ordered like DNS and HTTP. Empty message arrays are omitted; {@code App} is written
 * whenever the record has an app, with or without decoded messages. Seconds values inside
 * messages are written like durations ({@code 0} when not positive).</li>
 * </ul>
 */
package io.kflowd.format.json;
