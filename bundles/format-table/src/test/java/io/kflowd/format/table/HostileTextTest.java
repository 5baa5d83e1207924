package io.kflowd.format.table;

import static io.kflowd.format.table.Golden.assertFits;
import static io.kflowd.format.table.Golden.format;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kflowd.api.MonitorRecord;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Names that try to break the row: every row stays one line within its width, all visible. */
class HostileTextTest {

    private static final List<String> HOSTILE = List.of(
            "new\nline", "carriage\rreturn", "tab\there", "\u001b[31mred\u001b[0m", "bell\u0007", "nul\u0000byte",
            "del\u007f", "c1\u0085\u009b", "invalid\\xff\\xfe", "\u202egpj.exe", "rtl\u200fmark\u200e",
            "isolate\u2066x\u2069", "zero\u200bwidth\ufeff", "line\u2028para\u2029", "soft\u00adhyphen",
            "lonely\ud800surrogate", "x".repeat(100_000), "\u65e5\u672c\u8a9e\u306e\u30d5\u30a1\u30a4\u30eb\u540d"
                    .repeat(20),
            "emoji\ud83d\ude00\ud83d\udca3".repeat(30), "e\u0301\u0302\u0303combining".repeat(10),
            "\u0301starts with a mark", "wide\u65e5", "\u0000".repeat(500), "tag\udb40\udc01");

    @ParameterizedTest
    @ValueSource(ints = {80, 120, 160, 240})
    void everyHostileNameKeepsEveryRowWithinItsWidth(int width) {
        TableFormatter formatter = new TableFormatter(width);
        int limit = Math.min(width, 160) >= 160 ? 160 : 80;
        for (String hostile : HOSTILE) {
            for (MonitorRecord record : records(hostile)) {
                String row = format(formatter, record);
                assertTrue(Cells.columns(row) <= limit, () -> "too wide: " + row);
                assertFitsUnlessCombining(row, limit);
            }
        }
    }

    private static void assertFitsUnlessCombining(String row, int width) {
        boolean combining = row.codePoints().anyMatch(cp -> Character.getType(cp) == Character.NON_SPACING_MARK);
        if (combining) {
            // Combining marks take no column of their own: more code points than columns.
            assertTrue(Cells.columns(row) <= width);
        } else {
            assertFits(row, width);
        }
        assertTrue(row.indexOf('\n') < 0 && row.indexOf('\r') < 0);
    }

    private static List<MonitorRecord> records(String hostile) {
        Records.File file = new Records.File();
        file.name = hostile;
        file.procName = hostile;
        Records.File rename = new Records.File();
        rename.origin = hostile;
        rename.name = hostile;
        Records.Socket unix = new Records.Socket().unix(hostile);
        unix.procName = hostile;
        Records.Socket tcp = new Records.Socket();
        tcp.procName = hostile;
        tcp.state = hostile;
        tcp.remoteIp = hostile;
        return List.of(file.build(), rename.build(), unix.build(), tcp.build());
    }

    @Test
    void controlCharactersAreShownAsHexLikeTheCoreShowsInvalidUtf8() {
        assertEquals("new\\x0aline", Cells.visible("new\nline"));
        assertEquals("\\x1b[31mred\\x1b[0m", Cells.visible("\u001b[31mred\u001b[0m"));
        assertEquals("del\\x7f c1\\x85\\x9b nul\\x00", Cells.visible("del\u007f c1\u0085\u009b nul\u0000"));
        // What the core already made visible stays as it is.
        assertEquals("invalid\\xff", Cells.visible("invalid\\xff"));
    }

    @Test
    void bidirectionalAndInvisibleFormatCharactersAreShownAsCodePoints() {
        assertEquals("\\u202egpj.exe", Cells.visible("\u202egpj.exe"));
        assertEquals("rtl\\u200fmark\\u200e", Cells.visible("rtl\u200fmark\u200e"));
        assertEquals("zero\\u200bwidth\\ufeff", Cells.visible("zero\u200bwidth\ufeff"));
        assertEquals("line\\u2028para\\u2029", Cells.visible("line\u2028para\u2029"));
        assertEquals("tag\\ue0001", Cells.visible("tag\udb40\udc01"));
        assertEquals("lonely\ufffdsurrogate", Cells.visible("lonely\ud800surrogate"));
    }

    @Test
    void hostileFileRowsExactly() {
        Records.File file = new Records.File();
        file.name = "\u202egpj.exe";
        file.procName = "evil\n\u001b[2J";
        Golden.assertRow(file.build(),
                "15:34:35.643 F,OP,MO,CW           4    0.044 evil\\x0a\\x1b[2J    4711    4712    1234567 "
                        + "\\u202egpj.exe                        4096 2024-04-04 15:34:35 1",
                "15:34:35.643 F,OP,MO,CW        4 evil\\x0a\\\u2026    4712 \\u202egpj.exe           4096");
    }

    @Test
    void wideCharactersCountTwoColumnsAndAreNeverSplit() {
        Records.File file = new Records.File();
        // 12 CJK characters: 24 columns, more than the 19 of the 80-column FILENAME.
        file.name = "\u65e5\u672c\u8a9e\u306e\u30d5\u30a1\u30a4\u30eb\u540d\u65e5\u672c\u8a9e";
        String row = format(new TableFormatter(80), file.build());
        // 9 characters (18 columns), the marker, and the padding counted in columns.
        assertEquals("15:34:35.643 F,OP,MO,CW        4 vi            4712 "
                + "\u65e5\u672c\u8a9e\u306e\u30d5\u30a1\u30a4\u30eb\u540d\u2026     4096", row);
        assertEquals(80, Cells.columns(row));
        assertEquals(80 - 9, row.codePointCount(0, row.length()), "code points");
    }
}
