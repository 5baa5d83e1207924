package io.kflowd.sink.stdout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class StdoutSinkTest {

    private static final byte[] PRETTY = "{\n  \"InfoSequenceNumber\": 1\n}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] COMPACT = "{\"InfoSequenceNumber\": 1}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ROW = "r 04 2024 15  F,CR,CW  2  0.001  cp".getBytes(StandardCharsets.UTF_8);

    /** Records every write call separately, to see how records are cut into writes. */
    private static final class WriteLog extends OutputStream {
        final List<byte[]> writes = new CopyOnWriteArrayList<>();

        @Override
        public void write(int b) {
            writes.add(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes.add(Arrays.copyOfRange(b, off, off + len));
        }

        byte[] all() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            writes.forEach(out::writeBytes);
            return out.toByteArray();
        }
    }

    private static final class Failing extends OutputStream {
        int attempts;

        @Override
        public void write(int b) throws IOException {
            attempts++;
            throw new IOException("Broken pipe");
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            attempts++;
            throw new IOException("Broken pipe");
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static final byte[] RS = {0x1E};
    private static final byte[] LF = {'\n'};

    @Test
    void jsonIsAnRfc7464TextSequence() {
        WriteLog out = new WriteLog();
        StdoutSink sink = new StdoutSink(out, "json", true);
        assertTrue(sink.deliver(null, "json", PRETTY));
        assertTrue(sink.deliver(null, "json", PRETTY));
        sink.flush();
        assertArrayEquals(concat(RS, PRETTY, LF, RS, PRETTY, LF), out.all());
    }

    @Test
    void jsonMinIsNdjson() {
        WriteLog out = new WriteLog();
        StdoutSink sink = new StdoutSink(out, "json-min", true);
        sink.deliver(null, "json-min", COMPACT);
        sink.deliver(null, "json-min", COMPACT);
        sink.flush();
        assertArrayEquals(concat(COMPACT, LF, COMPACT, LF), out.all());
    }

    @Test
    void tableRowsAreLines() {
        WriteLog out = new WriteLog();
        StdoutSink sink = new StdoutSink(out, "table", true);
        sink.deliver(null, "table", ROW);
        sink.flush();
        assertArrayEquals(concat(ROW, LF), out.all());
    }

    @Test
    void framingFollowsTheFormatOfTheTextNotTheConfiguration() {
        // -o table: a record the bus rendered as json-min is still one NDJSON line.
        WriteLog out = new WriteLog();
        StdoutSink sink = new StdoutSink(out, "table", true);
        sink.deliver(null, "table", ROW);
        sink.deliver(null, "json-min", COMPACT);
        sink.deliver(null, "json", PRETTY);
        sink.flush();
        assertArrayEquals(concat(ROW, LF, COMPACT, LF, RS, PRETTY, LF), out.all());
    }

    @Test
    void withoutAFormatTheConfiguredOneFrames() {
        WriteLog out = new WriteLog();
        StdoutSink sink = new StdoutSink(out, "json", true);
        sink.deliver(null, null, PRETTY);
        sink.flush();
        assertArrayEquals(concat(RS, PRETTY, LF), out.all());
    }

    @Test
    void stdoutFalseWritesNothingAndLosesNothing() {
        WriteLog out = new WriteLog();
        StdoutSink sink = new StdoutSink(out, "json", false);
        assertTrue(sink.deliver(null, "json", PRETTY));
        sink.flush();
        assertEquals(0, out.all().length);

        sink.configure("json-min", true);
        sink.deliver(null, "json-min", COMPACT);
        sink.flush();
        assertArrayEquals(concat(COMPACT, LF), out.all());
    }

    @Test
    void switchingStdoutOffWritesOutWhatIsBuffered() {
        WriteLog out = new WriteLog();
        StdoutSink sink = new StdoutSink(out, "json-min", true);
        sink.deliver(null, "json-min", COMPACT);
        sink.configure("json-min", false);
        assertArrayEquals(concat(COMPACT, LF), out.all());
    }

    @Test
    void buffersUntilFlush() {
        WriteLog out = new WriteLog();
        StdoutSink sink = new StdoutSink(out, "json-min", true);
        for (int i = 0; i < 100; i++) {
            sink.deliver(null, "json-min", COMPACT);
        }
        assertEquals(0, out.writes.size());
        sink.flush();
        assertEquals(1, out.writes.size());
        assertEquals(100 * (COMPACT.length + 1), out.writes.get(0).length);
    }

    @Test
    void aFullBufferIsWrittenOutAndNoRecordIsSplitAcrossWrites() {
        WriteLog out = new WriteLog();
        StdoutSink sink = new StdoutSink(out, "json", true);
        byte[] record = new byte[1000];
        Arrays.fill(record, (byte) 'x');
        int records = 200;
        for (int i = 0; i < records; i++) {
            sink.deliver(null, "json", record);
        }
        assertFalse(out.writes.isEmpty(), "a full buffer is written before flush()");
        sink.flush();
        int total = 0;
        for (byte[] write : out.writes) {
            assertTrue(write.length <= StdoutSink.BUFFER_SIZE);
            assertEquals(0, write.length % (record.length + 2), "write holds whole records only");
            assertEquals(0x1E, write[0]);
            assertEquals('\n', write[write.length - 1]);
            total += write.length;
        }
        assertEquals(records * (record.length + 2), total);
    }

    @Test
    void aRecordLargerThanTheBufferIsOneWrite() {
        WriteLog out = new WriteLog();
        StdoutSink sink = new StdoutSink(out, "json", true);
        byte[] big = new byte[StdoutSink.BUFFER_SIZE + 10];
        Arrays.fill(big, (byte) 'y');
        sink.deliver(null, "json-min", COMPACT);
        sink.deliver(null, "json", big);
        sink.deliver(null, "json-min", COMPACT);
        sink.flush();
        assertEquals(3, out.writes.size());
        assertArrayEquals(concat(COMPACT, LF), out.writes.get(0));
        assertArrayEquals(concat(RS, big, LF), out.writes.get(1));
        assertArrayEquals(concat(COMPACT, LF), out.writes.get(2));
    }

    @Test
    void concurrentRecordsNeverInterleave() throws InterruptedException {
        WriteLog out = new WriteLog();
        StdoutSink sink = new StdoutSink(out, "json-min", true);
        List<Thread> threads = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        for (int t = 0; t < 4; t++) {
            String line = ("thread-" + t + "-").repeat(50);
            expected.add(line);
            byte[] text = line.getBytes(StandardCharsets.UTF_8);
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 2_000; i++) {
                    sink.deliver(null, "json-min", text);
                    if (i % 100 == 0) {
                        sink.flush();
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        sink.flush();
        String[] lines = new String(out.all(), StandardCharsets.UTF_8).split("\n", -1);
        assertEquals(4 * 2_000 + 1, lines.length);
        for (int i = 0; i < lines.length - 1; i++) {
            assertTrue(expected.contains(lines[i]), lines[i]);
        }
    }

    @Test
    void aFailingStreamIsCountedLoggedOnceAndNeverThrows() {
        Logger logger = Logger.getLogger("kflowd.output");
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        boolean parentHandlers = logger.getUseParentHandlers();
        logger.setUseParentHandlers(false);
        try {
            Failing out = new Failing();
            StdoutSink sink = new StdoutSink(out, "json-min", true);
            // Buffered: accepted; the failure shows at flush.
            assertTrue(sink.deliver(null, "json-min", COMPACT));
            assertDoesNotThrow(sink::flush);
            assertEquals(1, sink.writeErrors());
            // A record that does not fit the buffer is written at once and fails at once.
            assertFalse(sink.deliver(null, "json-min", new byte[StdoutSink.BUFFER_SIZE]));
            assertEquals(2, sink.writeErrors());
            for (int i = 0; i < 10; i++) {
                sink.deliver(null, "json-min", COMPACT);
                assertDoesNotThrow(sink::flush);
            }
            assertEquals(12, sink.writeErrors());
            assertEquals(12, out.attempts, "what failed is dropped, not retried");
            assertEquals(1, logged.size());
            assertTrue(logged.get(0).getThrown().getMessage().contains("Broken pipe"));
        } finally {
            logger.removeHandler(handler);
            logger.setUseParentHandlers(parentHandlers);
        }
    }

    @Test
    void flushWithNothingBufferedWritesNothing() {
        WriteLog out = new WriteLog();
        StdoutSink sink = new StdoutSink(out, "json", true);
        sink.flush();
        sink.deactivate();
        assertEquals(0, out.writes.size());
    }
}
