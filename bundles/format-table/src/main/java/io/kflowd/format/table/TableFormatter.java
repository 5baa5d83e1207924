package io.kflowd.format.table;

import io.kflowd.api.ConfigurationPids;
import io.kflowd.api.FileRecord;
import io.kflowd.api.MonitorRecord;
import io.kflowd.api.PluginKind;
import io.kflowd.api.RecordFormatter;
import io.kflowd.api.SocketRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * {@code -o table}: one line per record, filesystem and socket records each with their own
 * column set, fitted to 160 or 80 terminal columns ({@code table.width} of PID
 * {@code io.kflowd.output}). The layout is described in the package documentation.
 */
@Component(service = RecordFormatter.class, configurationPid = ConfigurationPids.OUTPUT,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {RecordFormatter.FORMAT + "=table", PluginKind.PROPERTY + "=formatter"})
@Designate(ocd = TableConfig.class)
public final class TableFormatter implements RecordFormatter {

    static final int WIDE = 160;
    static final int NARROW = 80;

    /** One column set per width; immutable, swapped whole when the width changes. */
    private record Layout(Table<FileRecord> files, Table<SocketRecord> sockets) {
    }

    private static final Layout WIDE_LAYOUT = new Layout(FileColumns.wide(), SocketColumns.wide());
    private static final Layout NARROW_LAYOUT = new Layout(FileColumns.narrow(), SocketColumns.narrow());

    private volatile Layout layout;

    @Activate
    public TableFormatter(TableConfig config) {
        this(config.table_width());
    }

    /** For tests and plain Java: a formatter for a terminal of {@code width} columns. */
    TableFormatter(int width) {
        this.layout = layoutFor(width);
    }

    @Modified
    void modified(TableConfig config) {
        layout = layoutFor(config.table_width());
    }

    private static Layout layoutFor(int width) {
        return width >= WIDE ? WIDE_LAYOUT : NARROW_LAYOUT;
    }

    /** The widest line written: 160 or 80. */
    int width() {
        return layout.files().width();
    }

    @Override
    public void format(MonitorRecord record, OutputStream out) throws IOException {
        out.write(row(record).getBytes(StandardCharsets.UTF_8));
    }

    /** The record's row, without a line end. */
    String row(MonitorRecord record) {
        Layout current = layout;
        return switch (record) {
            case FileRecord file -> current.files().row(file);
            case SocketRecord socket -> current.sockets().row(socket);
        };
    }

    /**
     * Two lines, each ending in a line feed: the titles of filesystem rows, then those of
     * socket rows. Both start with {@code TIME UTC}; the second title ({@code EVENTS} or
     * {@code PROTO}) tells them apart, as the second cell of a row does ({@code F,...},
     * {@code H,...}, {@code S,...} or {@code TCP}, {@code UDP}, {@code UNIX}).
     */
    @Override
    public String header() {
        Layout current = layout;
        return current.files().header() + "\n" + current.sockets().header() + "\n";
    }
}
