package io.kflowd.format.table;

import java.util.List;

/**
 * A column set: cells separated by one space, each padded to its column except the last,
 * which is written as long as it is (at most its width), so that no line ends in spaces
 * added here. Every line is at most {@link #width()} terminal columns.
 *
 * @param <R> the record kind of the rows
 */
final class Table<R> {

    private final List<Column<R>> columns;
    private final int width;

    Table(List<Column<R>> columns) {
        this.columns = List.copyOf(columns);
        int total = -1;
        for (Column<R> column : columns) {
            total += column.width() + 1;
        }
        this.width = total;
    }

    /** The widest line this table writes. */
    int width() {
        return width;
    }

    String header() {
        StringBuilder line = new StringBuilder(width);
        for (int i = 0; i < columns.size(); i++) {
            append(line, i, columns.get(i).title());
        }
        return line.toString();
    }

    String row(R record) {
        StringBuilder line = new StringBuilder(width + 16);
        for (int i = 0; i < columns.size(); i++) {
            Column<R> column = columns.get(i);
            String cell = column.cell().apply(record, column.width());
            if (Cells.columns(cell) > column.width()) {
                // A cell function's bug must not break the row.
                cell = Cells.cutEnd(cell, column.width());
            }
            append(line, i, cell);
        }
        return line.toString();
    }

    private void append(StringBuilder line, int index, String cell) {
        Column<R> column = columns.get(index);
        if (index > 0) {
            line.append(' ');
        }
        if (index == columns.size() - 1 && !column.right()) {
            line.append(cell);
        } else {
            Cells.pad(line, cell, column.width(), column.right());
        }
    }
}
