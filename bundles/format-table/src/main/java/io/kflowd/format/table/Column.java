package io.kflowd.format.table;

import java.util.function.BiFunction;

/**
 * One column of a table: its title, its width in terminal columns, its alignment and how a
 * record becomes its cell. {@code cell} gets the width and returns text no wider than that.
 *
 * @param <R> the record kind the column shows
 */
record Column<R>(String title, int width, boolean right, BiFunction<R, Integer, String> cell) {

    Column {
        if (Cells.columns(title) > width) {
            throw new IllegalArgumentException("title '" + title + "' wider than its column (" + width + ")");
        }
    }

    static <R> Column<R> left(String title, int width, BiFunction<R, Integer, String> cell) {
        return new Column<>(title, width, false, cell);
    }

    static <R> Column<R> right(String title, int width, BiFunction<R, Integer, String> cell) {
        return new Column<>(title, width, true, cell);
    }
}
