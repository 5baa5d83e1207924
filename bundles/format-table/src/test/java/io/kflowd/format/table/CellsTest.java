package io.kflowd.format.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The cell rules: cut marker, number units, seconds, endpoints, column counting. */
class CellsTest {

    @Test
    void textIsCutWithTheMarkerAtItsEnd() {
        assertEquals("notes.txt", Cells.text("notes.txt", 9));
        assertEquals("notes.t\u2026", Cells.text("notes.txt", 8));
        assertEquals("\u2026", Cells.text("notes.txt", 1));
    }

    @Test
    void pathsAreCutAtTheirStart() {
        assertEquals("/run/log", Cells.cutStart("/run/log", 8));
        assertEquals("\u2026dev-log", Cells.cutStart("/run/systemd/journal/dev-log", 8));
    }

    @Test
    void aWideCharacterThatWouldStraddleTheCutIsLeftOut() {
        // 日本語: 6 columns. In 5: 日 (2) and the marker (1) are 3; 本 would make 5 + 1.
        assertEquals("\u65e5\u672c\u2026", Cells.cutEnd("\u65e5\u672c\u8a9e", 5));
        assertEquals("\u65e5\u2026", Cells.cutEnd("\u65e5\u672c\u8a9e", 4));
        assertEquals("\u2026\u8a9e", Cells.cutStart("\u65e5\u672c\u8a9e", 4));
    }

    @Test
    void columnsOfCharacters() {
        assertEquals(1, Cells.columns('a'));
        assertEquals(2, Cells.columns(0x65e5));
        assertEquals(2, Cells.columns(0xff21));
        assertEquals(2, Cells.columns(0x1f600));
        assertEquals(0, Cells.columns(0x0301));
        assertEquals(1, Cells.columns(0x00e9));
        assertEquals(1, Cells.columns(0x0416));
        assertEquals(3, Cells.columns("e\u0301\u65e5"));
    }

    @Test
    void numbersTooLongAreWrittenInUnitsOfAThousand() {
        assertEquals("4096", Cells.number(4096, 4));
        assertEquals("40k", Cells.number(40_960, 4));
        assertEquals("123456M", Cells.number(123_456_789_012L, 8));
        assertEquals("18446744073709551615", Cells.number(-1, 20));
        assertEquals("18E", Cells.number(-1, 3));
        assertEquals("9223P", Cells.number(Long.MAX_VALUE, 5));
    }

    @Test
    void secondsHaveThreeDecimalsAndLoseThemWhenTooLong() {
        assertEquals("", Cells.seconds(0, 8));
        assertEquals("", Cells.seconds(-5, 8));
        assertEquals("0.000", Cells.seconds(1, 8));
        assertEquals("0.001", Cells.seconds(500_000, 8));
        assertEquals("0.044", Cells.seconds(43_571_000, 8));
        assertEquals("12.346", Cells.seconds(12_345_678_901L, 8));
        assertEquals("86400.00", Cells.seconds(86_400_001_000_000L, 8));
        assertEquals("1234567.9", Cells.seconds(1_234_567_890_000_000L, 9));
        assertEquals("12345678", Cells.seconds(12_345_678_000_000_000L, 8));
        assertEquals("123456k", Cells.seconds(123_456_789_000_000_000L, 8));
    }

    @Test
    void endpointsKeepTheirPort() {
        assertEquals("127.0.0.1:53", SocketColumns.endpoint("127.0.0.1", 53, 21));
        assertEquals("[::1]:443", SocketColumns.endpoint("::1", 443, 21));
        assertEquals("[::ffff:10.1.2.3]:8080", SocketColumns.endpoint("::ffff:10.1.2.3", 8080, 25));
        assertEquals("[2001:db8:85a\u2026]:41234", SocketColumns.endpoint("2001:db8:85a3::1", 41234, 21));
        assertEquals("192.168.100.2\u2026:41234", SocketColumns.endpoint("192.168.100.200", 41234, 20));
    }

    @Test
    void timesAreUtcWithMilliseconds() {
        assertEquals("00:00:00.000", Times.timeOfDay(java.time.Instant.EPOCH));
        assertEquals("23:59:59.999", Times.timeOfDay(java.time.Instant.parse("2024-12-31T23:59:59.999999999Z")));
        assertEquals("23:59:59.999", Times.timeOfDay(java.time.Instant.ofEpochSecond(-1, 999_000_000)));
        assertEquals("2024-04-04 15:34:35", Times.dateTime(java.time.Instant.parse("2024-04-04T15:34:35.9Z")));
        assertEquals("10000-01-01 00:00:00", Times.dateTime(java.time.Instant.parse("+10000-01-01T00:00:00Z")));
        assertEquals("0000-03-01 00:00:00", Times.dateTime(java.time.Instant.parse("0000-03-01T00:00:00Z")));
        assertEquals("-0001-12-31 23:59:59", Times.dateTime(java.time.Instant.parse("0000-01-01T00:00:00Z").minusSeconds(1)));
        assertEquals("1970-01-01 00:00:00", Times.dateTime(java.time.Instant.EPOCH));
        assertEquals("2000-02-29 12:00:00", Times.dateTime(java.time.Instant.parse("2000-02-29T12:00:00Z")));
        // Any instant, however far: the year has as many digits as it needs.
        assertEquals("1000000000-12-31 23:59:59", Times.dateTime(java.time.Instant.MAX));
        assertEquals("-1000000000-01-01 00:00:00", Times.dateTime(java.time.Instant.MIN));
    }
}
