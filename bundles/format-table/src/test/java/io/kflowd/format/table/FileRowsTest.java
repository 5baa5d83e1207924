package io.kflowd.format.table;

import static io.kflowd.format.table.Golden.assertRow;

import io.kflowd.api.FileEvent;
import io.kflowd.api.MonitorRecord;
import org.junit.jupiter.api.Test;

/**
 * Filesystem rows, exact, at 160 and 80 columns (records built here; the spec 4.9 columns
 * as fixed in the package documentation).
 */
class FileRowsTest {

    @Test
    void header() {
        Golden.assertHeader(0,
                "TIME UTC     EVENTS           COUNT DURATION PROCESS            PPID     PID      INODE FILENAME                             SIZE LAST ACCESS UTC     #",
                "TIME UTC     EVENTS        COUNT PROCESS        PID FILENAME                SIZE");
    }

    /** vi wrote notes.txt: open, two modifies, close-write, 44 ms. */
    @Test
    void regular() {
        MonitorRecord record = new Records.File().build();
        assertRow(record,
                "15:34:35.643 F,OP,MO,CW           4    0.044 vi                 4711    4712    1234567 notes.txt                            4096 2024-04-04 15:34:35 1",
                "15:34:35.643 F,OP,MO,CW        4 vi            4712 notes.txt               4096");
    }

    /** mv draft.txt final.txt: old>new, a single instant so no duration. */
    @Test
    void renamed() {
        MonitorRecord record = rename().build();
        assertRow(record,
                "15:34:35.643 F,MF,MT              2          vi                 4711    4712    1234567 draft.txt>final.txt                  4096 2024-04-04 15:34:35 1",
                "15:34:35.643 F,MF,MT           2 vi            4712 draft.txt>final.txt     4096");
    }

    /** ln -s: S, created. */
    @Test
    void symlinkCreated() {
        MonitorRecord record = symlink().build();
        assertRow(record,
                "15:34:35.643 S,CR                 1          vi                 4711    4712    1234567 link                                    9 2024-04-04 15:34:35 1",
                "15:34:35.643 S,CR              1 vi            4712 link                       9");
    }

    /** ln: H, created. */
    @Test
    void hardlinkCreated() {
        MonitorRecord record = hardlink().build();
        assertRow(record,
                "15:34:35.643 H,CR                 1          vi                 4711    4712    1234567 notes.txt                            4096 2024-04-04 15:34:35 1",
                "15:34:35.643 H,CR              1 vi            4712 notes.txt               4096");
    }

    /** Seven event kinds: EVENTS cut with the marker; a sequence number too long for # in units of k. */
    @Test
    void manyEventKinds() {
        MonitorRecord record = manyEvents().build();
        assertRow(record,
                "15:34:35.643 F,CR,OP,AC,MO,C…   168   12.346 vi                 4711    4712    1234567 notes.txt                            4096 2024-04-04 15:34:35 123456789k",
                "15:34:35.643 F,CR,OP,AC,M…   168 vi            4712 notes.txt               4096");
    }

    /** A long file name and process name cut with the marker, a size too long in units. */
    @Test
    void longNameCut() {
        MonitorRecord record = longName().build();
        assertRow(record,
                "15:34:35.643 F,OP,MO,CW           4    0.044 systemd-journa…    4711    4712    1234567 a-very-long-file-name-that-d…  123456789k 2024-04-04 15:34:35 1",
                "15:34:35.643 F,OP,MO,CW        4 systemd-j…    4712 a-very-long-file-n…  123456M");
    }

    private static Records.File rename() {
        Records.File file = new Records.File().events(FileEvent.MOVED_FROM, 1, FileEvent.MOVED_TO, 1);
        file.origin = "draft.txt";
        file.name = "final.txt";
        file.eventsDurationNanos = 0;
        return file;
    }

    private static Records.File symlink() {
        Records.File file = new Records.File().events(FileEvent.CREATE, 1);
        file.mode = "symlink";
        file.name = "link";
        file.size = 9;
        file.eventsDurationNanos = 0;
        return file;
    }

    private static Records.File hardlink() {
        Records.File file = new Records.File().events(FileEvent.CREATE, 1);
        file.mode = "hardlink";
        file.linkCount = 2;
        file.eventsDurationNanos = 0;
        return file;
    }

    private static Records.File manyEvents() {
        Records.File file = new Records.File().events(FileEvent.CREATE, 1, FileEvent.OPEN, 3, FileEvent.ACCESS, 120,
                FileEvent.MODIFY, 40, FileEvent.CLOSE_WRITE, 2, FileEvent.CLOSE_NOWRITE, 1, FileEvent.DELETE, 1);
        file.eventsDurationNanos = 12_345_678_901L;
        file.sequenceNumber = 123_456_789_012L;
        return file;
    }

    private static Records.File longName() {
        Records.File file = new Records.File();
        file.name = "a-very-long-file-name-that-does-not-fit-anywhere.tar.gz";
        file.procName = "systemd-journald";
        file.size = 123_456_789_012L;
        return file;
    }
}
