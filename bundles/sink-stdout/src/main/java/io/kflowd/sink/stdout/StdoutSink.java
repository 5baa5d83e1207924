package io.kflowd.sink.stdout;

import io.kflowd.api.ConfigurationPids;
import io.kflowd.api.MonitorRecord;
import io.kflowd.api.PluginKind;
import io.kflowd.api.RecordSink;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Records to standard output, framed for the format they were written in:
 * <ul>
 * <li>{@code json} (pretty, several lines per record): an RFC 7464 JSON text sequence,
 * {@code RS text LF}, for {@code jq --seq} and RS-splitting consumers;
 * <li>{@code json-min}: NDJSON, {@code text LF};
 * <li>{@code table} and any other format: {@code text LF}.
 * </ul>
 * Framing follows the {@code format} the bus passes with each record, the format the text
 * is actually in; the configured format only stands in when the bus passes none.
 *
 * <p>Output goes to file descriptor 1 through a 64 KiB buffer, written out when the bus
 * calls {@link #flush()} (it has no more records for now) and when the buffer is full. A
 * record is written as a whole, never mixed with another. A failed write (EPIPE when the
 * reader of the pipe went away) is counted and logged once; the bus sees {@code false},
 * never an exception.
 */
@Component(service = RecordSink.class, configurationPid = ConfigurationPids.OUTPUT,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = PluginKind.PROPERTY + "=sink")
@Designate(ocd = OutputConfig.class)
public final class StdoutSink implements RecordSink {

    static final int BUFFER_SIZE = 64 * 1024;
    static final byte RS = 0x1E;
    static final byte LF = '\n';

    private static final Logger LOG = Logger.getLogger("kflowd.output");

    private final OutputStream fd;
    private final Buffer buffer;
    /** Bytes in {@link #buffer} not yet written out. */
    private int buffered;
    private String format;
    private boolean enabled;
    private final AtomicLong writeErrors = new AtomicLong();
    private boolean errorLogged;

    @Activate
    public StdoutSink(OutputConfig config) {
        // Never closed: file descriptor 1 belongs to the process, not to this bundle.
        this(new FileOutputStream(FileDescriptor.out), config.format(), config.stdout());
    }

    /** For tests: any stream in place of file descriptor 1. */
    StdoutSink(OutputStream fd, String format, boolean stdout) {
        this.fd = fd;
        this.buffer = new Buffer(fd);
        this.format = format;
        this.enabled = stdout;
    }

    @Modified
    void modified(OutputConfig config) {
        configure(config.format(), config.stdout());
    }

    synchronized void configure(String format, boolean stdout) {
        if (enabled && !stdout) {
            flush();
        }
        this.format = format;
        this.enabled = stdout;
    }

    @Deactivate
    void deactivate() {
        flush();
    }

    /**
     * Writes one framed record; {@code true} also when stdout is switched off (-q, -d,
     * --shell), because then there is nothing to deliver, and a record not written to
     * stdout on purpose is not a lost record.
     */
    /** A table's column titles: written as they are, before the first row. */
    @Override
    public synchronized void header(String format, byte[] text) {
        if (!enabled) {
            return;
        }
        try {
            buffer.write(text);
            buffered += text.length;
        } catch (IOException e) {
            failed(e);
        }
    }

    @Override
    public synchronized boolean deliver(MonitorRecord record, String format, byte[] text) {
        if (!enabled) {
            return true;
        }
        boolean sequence = "json".equals(format != null ? format : this.format);
        int framed = text.length + (sequence ? 2 : 1);
        try {
            if (buffered + framed > BUFFER_SIZE) {
                // Write out what is buffered first, so that this record is not split
                // across two writes.
                buffer.flush();
                buffered = 0;
            }
            if (framed > BUFFER_SIZE) {
                // Larger than the buffer: framed in one array and written in one call.
                byte[] whole = new byte[framed];
                int start = 0;
                if (sequence) {
                    whole[start++] = RS;
                }
                System.arraycopy(text, 0, whole, start, text.length);
                whole[framed - 1] = LF;
                fd.write(whole);
                return true;
            }
            if (sequence) {
                buffer.write(RS);
            }
            buffer.write(text);
            buffer.write(LF);
            buffered += framed;
            return true;
        } catch (IOException e) {
            failed(e);
            return false;
        }
    }

    @Override
    public synchronized void flush() {
        try {
            buffer.flush();
        } catch (IOException e) {
            failed(e);
        } finally {
            buffered = 0;
        }
    }

    /**
     * Counts the failure and drops what is buffered: after EPIPE nothing will be read
     * again, and retrying a full buffer on every record would only repeat the failure.
     */
    private void failed(IOException e) {
        writeErrors.incrementAndGet();
        buffer.drop();
        buffered = 0;
        if (!errorLogged) {
            errorLogged = true;
            LOG.log(Level.WARNING, "stdout: records cannot be written (reader gone?); "
                    + "further failures are counted, not logged", e);
        }
    }

    /** Failed writes since activation. */
    long writeErrors() {
        return writeErrors.get();
    }

    /** A BufferedOutputStream whose content can be dropped after a failed write. */
    private static final class Buffer extends BufferedOutputStream {
        Buffer(OutputStream out) {
            super(out, BUFFER_SIZE);
        }

        void drop() {
            count = 0;
        }
    }
}
