package io.kflowd.format.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kflowd.api.MonitorRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Assertions shared by the golden tests. */
final class Golden {

    private Golden() {
    }

    /** What {@link TableFormatter#format} writes, as text. */
    static String format(TableFormatter formatter, MonitorRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            formatter.format(record, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The record's row at 160 and at 80 columns, exactly, and no wider than those. */
    static void assertRow(MonitorRecord record, String wide, String narrow) {
        assertEquals(wide, format(new TableFormatter(160), record));
        assertEquals(narrow, format(new TableFormatter(80), record));
        assertFits(wide, 160);
        assertFits(narrow, 80);
    }

    /** Line {@code index} of the header (0 files, 1 sockets) at 160 and at 80 columns. */
    static void assertHeader(int index, String wide, String narrow) {
        assertEquals(wide, new TableFormatter(160).header().split("\n")[index]);
        assertEquals(narrow, new TableFormatter(80).header().split("\n")[index]);
        assertFits(wide, 160);
        assertFits(narrow, 80);
    }

    /** At most {@code width} code points and terminal columns, and no control character. */
    static void assertFits(String line, int width) {
        assertTrue(line.codePointCount(0, line.length()) <= width,
                () -> "line of " + line.codePointCount(0, line.length()) + " code points > " + width + ": " + line);
        assertTrue(Cells.columns(line) <= width, () -> "line of " + Cells.columns(line) + " columns > " + width);
        line.codePoints().forEach(cp -> assertTrue(cp >= 0x20 && (cp < 0x7F || cp > 0x9F)
                && Character.getType(cp) != Character.FORMAT && Character.getType(cp) != Character.LINE_SEPARATOR
                && Character.getType(cp) != Character.PARAGRAPH_SEPARATOR,
                () -> "invisible U+" + Integer.toHexString(cp) + " in " + line));
    }
}
