/**
 * The SYSLOG decoder (spec 7.4), byte by byte, without regular expressions. Private
 * package: the bundle offers one {@link io.kflowd.api.AppDecoder} service
 * ({@code kflowd.app=SYSLOG}) and nothing else.
 *
 * <p>Kept from kflowd: the keys, their order and presence ({@code Facility, Severity,
 * Priority, Version, Timestamp, Hostname, Appname, ProcId, MsgId, Data, Message}, no
 * {@code _Timestamp}), the facility and severity names. Fixed or decided here:
 * <ul>
 * <li>Priority 192 and above: {@code "Facility": "Unknown (n)"} with n = priority / 8
 * (kflowd read past its table, quirk Q21).</li>
 * <li>Formats: RFC 5424 (a version after the PRI; '-' nil values omitted; structured data
 * kept as its text in {@code Data}; a UTF-8 BOM before MSG dropped) and RFC 3164 with or
 * without hostname ({@code <13>Nov 26 23:00:00 tag: msg} as logger(1) sends to /dev/log).
 * A word before the tag is the hostname only if the next word is a tag ({@code tag:} or
 * {@code tag[pid]:}). No PRI: priority 13 (RFC 3164 4.3.3) and {@code _Malformed}.</li>
 * <li>Framing: octet counting ({@code LEN SP <PRI>...}, RFC 6587) wherever it appears;
 * otherwise over TCP LF- or NUL-delimited messages; a UDP or UNIX datagram is one
 * message. One {@link io.kflowd.api.AppMessage} per syslog message. Trailing CR, LF and
 * NUL are stripped.</li>
 * <li>journald's native protocol (a datagram that starts with a field name followed by
 * '=' or LF): {@code PRIORITY}, {@code SYSLOG_FACILITY}, {@code SYSLOG_IDENTIFIER} as
 * Appname, {@code SYSLOG_PID} as ProcId, {@code MESSAGE} as Message, Version 0; other
 * fields ignored. Without PRIORITY severity 6, without SYSLOG_FACILITY facility 1 (User), as
 * journald forwards it. A message without MESSAGE is still returned (Message ""); dropping
 * it is the core's rule for that socket.</li>
 * <li>Text is UTF-8; bytes that are not valid UTF-8 become {@code \xNN}. No length limits
 * of kflowd's (47/254 characters): fields as captured.</li>
 * <li>Bad input never throws: the fields found plus {@code "_Malformed": "reason"}; a cut
 * capture ends its last message with {@code "_Truncated": true}.</li>
 * </ul>
 */
package io.kflowd.decoder.syslog;
