/**
 * {@code -o table}: records as lines of a table for a terminal. Private package: the bundle
 * offers one {@link io.kflowd.api.RecordFormatter} service ({@code kflowd.format=table})
 * and nothing else. README.md in the module shows the layout with examples.
 *
 * <p>Kept from kflowd (spec 4.9): one line per filesystem record with the columns TIME,
 * EVENTS, COUNT, DURATION, PROCESS, PPID, PID, INODE, FILENAME, SIZE, LAST ACCESS, # in that
 * order; the EVENTS letters ({@code F}, {@code H}, {@code S}) and two-letter codes; the
 * rename as {@code old>new}; DURATION with three decimals and empty for a single event; a
 * header written once. Fixed or decided here (quirk Q10):
 * <ul>
 * <li>TIME is the time of day of {@code InfoTimestamp}, {@code HH:MM:SS.mmm} (milliseconds
 * truncated), LAST ACCESS the atime as {@code yyyy-MM-dd HH:MM:SS}, both UTC as every
 * kflowd time (the titles say {@code TIME UTC}, {@code LAST ACCESS UTC}). The titles have
 * no asterisks ({@code PID*}, {@code INODE*} in kflowd).</li>
 * <li>Header and rows have the same widths. Cells are separated by one space; text is
 * left-aligned, numbers right-aligned; the last cell is not padded, so no line ends in
 * padding.</li>
 * <li>Socket records are rows too, with their own columns: TIME, PROTO ({@code TCP},
 * {@code UDP}, {@code UNIX}), ROLE, STATE (shortened: {@code ESTAB}, {@code SYN-S},
 * {@code CLOSE}, ...; {@code -} for UNIX), LOCAL and REMOTE as {@code address:port} (IPv6
 * in brackets; UNIX: LOCAL {@code -}, REMOTE the socket path), TX and RX as
 * {@code bytes/packets} ({@code 0/0} for a direction without traffic), APP ({@code -} when
 * none), PROCESS, PID, #. Never JSON.</li>
 * <li>{@link io.kflowd.api.RecordFormatter#header()} is two lines, each ending in a line
 * feed: the file titles, then the socket titles. Rows of both kinds interleave in record
 * order below them.</li>
 * <li>Width: {@code table.width} of PID {@code io.kflowd.output} (default 160, less than 80
 * counts as 80). From 160 on every column is shown in 160 columns; from 80 to 159 the
 * 80-column set: files without DURATION, PPID, INODE, LAST ACCESS and #; sockets without
 * STATE, APP, PID and #, the local endpoint only as its port (LPORT), ROLE as {@code CLI}
 * or {@code SRV}, TX and RX as bytes only. No line is wider than the set's width.</li>
 * <li>A value longer than its column is cut and ends with {@code …} (U+2026); a UNIX socket
 * path is cut at its start instead ({@code …/journal/dev-log}), an address keeps its port
 * ({@code [2001:db8:…]:443}). A number too long is written in the first unit that fits:
 * {@code k} (10^3), {@code M}, {@code G}, {@code T}, {@code P}, {@code E}, truncated; a
 * duration first loses decimals.</li>
 * <li>Hostile text cannot break a row: control characters (C0, DEL, C1) are shown as
 * {@code \xNN} like the core's invalid UTF-8, format characters (bidirectional marks and
 * overrides, zero-width characters, BOM, soft hyphen) and line/paragraph separators as a
 * backslash, {@code u} and the hex code point, an unpaired surrogate as U+FFFD.</li>
 * <li>Widths are terminal columns: East Asian wide and fullwidth characters and emoji count
 * 2, combining marks 0, everything else 1. Terminals that draw an emoji or an ambiguous-width
 * character otherwise will shift that row, never by more than the characters' count.</li>
 * </ul>
 */
package io.kflowd.format.table;
