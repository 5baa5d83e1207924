package io.kflowd.format.table;

import static io.kflowd.format.table.Golden.assertFits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kflowd.api.FileEvent;
import io.kflowd.api.MonitorRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The configured width selects the column set; nothing is ever wider than it. */
class WidthTest {

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, 0, 40, 79, 80, 81, 120, 159})
    void belowOneHundredSixtyTheEightyColumnSetIsUsed(int width) {
        assertEquals(80, new TableFormatter(width).width());
    }

    @ParameterizedTest
    @ValueSource(ints = {160, 161, 200, 1000, Integer.MAX_VALUE})
    void fromOneHundredSixtyEveryColumnIsShown(int width) {
        assertEquals(160, new TableFormatter(width).width());
    }

    @ParameterizedTest
    @ValueSource(ints = {80, 160})
    void headerIsTwoLinesEndingInLineFeedsWithinTheWidth(int width) {
        String header = new TableFormatter(width).header();
        assertTrue(header.endsWith("\n"));
        String[] lines = header.split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].startsWith("TIME UTC     EVENTS "));
        assertTrue(lines[1].startsWith("TIME UTC     PROTO "));
        for (String line : lines) {
            assertFits(line, width);
        }
    }

    /** Extreme values in every numeric and text field: rows stay within the width. */
    @ParameterizedTest
    @ValueSource(ints = {80, 160})
    void extremeValuesFit(int width) {
        TableFormatter formatter = new TableFormatter(width);
        for (MonitorRecord record : extremes()) {
            String row = Golden.format(formatter, record);
            assertFits(row, width);
        }
    }

    private static List<MonitorRecord> extremes() {
        List<MonitorRecord> records = new ArrayList<>();
        for (long value : new long[] {0, 1, 999_999, Long.MAX_VALUE, -1}) {
            Records.File file = new Records.File();
            file.sequenceNumber = value;
            file.ppid = value;
            file.pid = value;
            file.inode = value;
            file.size = value;
            file.eventsDurationNanos = value;
            file.events(FileEvent.CREATE, Integer.MAX_VALUE, FileEvent.OPEN, 1, FileEvent.OPEN_EXEC, 1,
                    FileEvent.ACCESS, 1, FileEvent.ATTRIB, 1, FileEvent.MODIFY, 1, FileEvent.CLOSE_WRITE, 1,
                    FileEvent.CLOSE_NOWRITE, 1, FileEvent.MOVED_FROM, 1, FileEvent.MOVED_TO, 1, FileEvent.DELETE, 1);
            file.timestamp = Instant.MAX;
            file.accessTime = value < 0 ? Instant.MIN : Instant.MAX;
            records.add(file.build());

            Records.Socket socket = new Records.Socket().v6(
                    "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255");
            socket.sequenceNumber = value;
            socket.pid = value;
            socket.localPort = 65_535;
            socket.remotePort = 65_535;
            socket.txBytes = value;
            socket.rxBytes = value;
            socket.txPackets = value == 0 ? 1 : value;
            socket.rxPackets = value == 0 ? 1 : value;
            socket.state = "TCP_NEW_SYN_RECV_AND_SOMETHING_LONGER";
            records.add(socket.build());

            Records.Socket unix = new Records.Socket().unix("/" + "deep/".repeat(100) + "sock");
            unix.txBytes = value;
            unix.txPackets = value == 0 ? 1 : value;
            records.add(unix.build());
        }
        return records;
    }

    @Test
    void widthChangesAtRuntime() {
        TableFormatter formatter = new TableFormatter(160);
        MonitorRecord record = new Records.File().build();
        assertTrue(formatter.row(record).length() > 80);
        formatter.modified(config(80));
        assertEquals(80, formatter.width());
        // SIZE, the last column at 80, is right-aligned: the row is exactly 80 wide.
        assertEquals(80, formatter.row(record).length());
        formatter.modified(config(200));
        assertEquals(160, formatter.width());
    }

    private static TableConfig config(int width) {
        return new TableConfig() {
            @Override
            public int table_width() {
                return width;
            }

            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return TableConfig.class;
            }
        };
    }
}
