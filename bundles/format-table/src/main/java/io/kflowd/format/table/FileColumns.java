package io.kflowd.format.table;

import io.kflowd.api.FileEvent;
import io.kflowd.api.FileRecord;
import java.util.List;

/** The columns of filesystem rows (spec 4.9, fixed), at 160 and at 80 columns. */
final class FileColumns {

    private FileColumns() {
    }

    /** All twelve columns of spec 4.9; 160 columns. */
    static Table<FileRecord> wide() {
        return new Table<>(List.of(
                Column.left("TIME UTC", 12, (r, w) -> Times.timeOfDay(r.info().timestamp())),
                Column.left("EVENTS", 16, (r, w) -> Cells.cutEnd(events(r), w)),
                Column.right("COUNT", 5, (r, w) -> Cells.number(r.eventCount(), w)),
                Column.right("DURATION", 8, (r, w) -> Cells.seconds(r.eventsDurationNanos(), w)),
                Column.left("PROCESS", 15, (r, w) -> Cells.text(r.proc().name(), w)),
                Column.right("PPID", 7, (r, w) -> Cells.number(r.proc().ppid(), w)),
                Column.right("PID", 7, (r, w) -> Cells.number(r.proc().pid(), w)),
                Column.right("INODE", 10, (r, w) -> Cells.number(r.inode(), w)),
                Column.left("FILENAME", 29, (r, w) -> Cells.cutEnd(fileName(r), w)),
                Column.right("SIZE", 11, (r, w) -> Cells.number(r.size(), w)),
                Column.left("LAST ACCESS UTC", 19, (r, w) -> Cells.cutEnd(Times.dateTime(r.accessTime()), w)),
                Column.left("#", 10, (r, w) -> Cells.number(r.info().sequenceNumber(), w))));
    }

    /**
     * 80 columns: DURATION, PPID, INODE, LAST ACCESS and # are left out (the least telling
     * for someone watching a terminal; the JSON formats carry them), EVENTS, PROCESS,
     * FILENAME and SIZE are narrower.
     */
    static Table<FileRecord> narrow() {
        return new Table<>(List.of(
                Column.left("TIME UTC", 12, (r, w) -> Times.timeOfDay(r.info().timestamp())),
                Column.left("EVENTS", 13, (r, w) -> Cells.cutEnd(events(r), w)),
                Column.right("COUNT", 5, (r, w) -> Cells.number(r.eventCount(), w)),
                Column.left("PROCESS", 10, (r, w) -> Cells.text(r.proc().name(), w)),
                Column.right("PID", 7, (r, w) -> Cells.number(r.proc().pid(), w)),
                Column.left("FILENAME", 19, (r, w) -> Cells.cutEnd(fileName(r), w)),
                Column.right("SIZE", 8, (r, w) -> Cells.number(r.size(), w))));
    }

    /**
     * {@code F} (regular), {@code H} (hard link) or {@code S} (symlink) from
     * {@code FileMode}, then {@code ,} and the two-letter code of each event in
     * {@code FileEvents} order.
     */
    static String events(FileRecord record) {
        StringBuilder text = new StringBuilder(36);
        text.append(switch (record.mode()) {
            case "symlink" -> 'S';
            case "hardlink" -> 'H';
            default -> 'F';
        });
        for (FileEvent event : record.events().keySet()) {
            text.append(',').append(code(event));
        }
        return text.toString();
    }

    private static String code(FileEvent event) {
        return switch (event) {
            case CREATE -> "CR";
            case OPEN -> "OP";
            case OPEN_EXEC -> "OX";
            case ACCESS -> "AC";
            case ATTRIB -> "AT";
            case MODIFY -> "MO";
            case CLOSE_WRITE -> "CW";
            case CLOSE_NOWRITE -> "CN";
            case MOVED_FROM -> "MF";
            case MOVED_TO -> "MT";
            case DELETE -> "DE";
            // A kind added to the api later: its first two letters rather than no row.
            default -> event.name().substring(0, 2);
        };
    }

    /** The file name, {@code old>new} for a rename; visible, not yet cut. */
    static String fileName(FileRecord record) {
        String name = Cells.visible(record.name());
        return record.origin() == null ? name : Cells.visible(record.origin()) + ">" + name;
    }
}
