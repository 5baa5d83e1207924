package io.kflowd.core.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kflowd.api.FileEvent;
import io.kflowd.api.FileRecord;
import io.kflowd.api.Info;
import io.kflowd.api.MonitorRecord;
import io.kflowd.api.Proc;
import io.kflowd.api.RecordSink;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RecordBusTest {

    static FileRecord record(long sequence) {
        Instant t = Instant.ofEpochSecond(1_700_000_000L, 123);
        Info info = new Info(sequence, t, Info.Monitor.FILESYSTEM, "host", "", null, "Linux", "6.18", "kflowd-v0.1.0", 0);
        Proc proc = new Proc("bash", "touch", null, "root", "root", 1, 2, 2, 0, 0, 5);
        return new FileRecord(info, proc, "/tmp/", "f" + sequence, null, null, "regular",
                Map.of(FileEvent.CREATE, 1), 0, 42, 1, "", 0100644, "root", "root", 0, 0, 0, 0, t, t, t, 0, null, null);
    }

    /** Writes the sequence number: enough to see order and completeness. */
    private static final io.kflowd.api.RecordFormatter SEQUENCE =
            (MonitorRecord r, java.io.OutputStream out) -> out.write(Long.toString(r.info().sequenceNumber()).getBytes(StandardCharsets.US_ASCII));

    private static final class CollectingSink implements RecordSink {
        final List<String> texts = new CopyOnWriteArrayList<>();

        @Override
        public boolean deliver(MonitorRecord record, String format, byte[] text) {
            texts.add(format + ":" + new String(text, StandardCharsets.US_ASCII));
            return true;
        }
    }

    private static void awaitSize(List<?> list, int size) throws InterruptedException {
        for (int i = 0; i < 200 && list.size() < size; i++) {
            Thread.sleep(25);
        }
        assertEquals(size, list.size(), list.toString());
    }

    private static void awaitLoss(RecordBus bus, RecordBus.Loss loss, long count) throws InterruptedException {
        for (int i = 0; i < 200 && bus.losses().get(loss) < count; i++) {
            Thread.sleep(25);
        }
        assertEquals(count, bus.losses().get(loss), bus.losses().toString());
    }

    @Test
    void deliversInOrderThroughTheActiveFormatterToEverySink() throws Exception {
        RecordBus bus = new RecordBus(100, "seq");
        bus.addFormatter("seq", SEQUENCE);
        CollectingSink a = new CollectingSink();
        CollectingSink b = new CollectingSink();
        bus.addSink(a);
        bus.addSink(b);
        bus.start();
        for (int i = 1; i <= 50; i++) {
            assertTrue(bus.offer(record(i)));
        }
        awaitSize(a.texts, 50);
        awaitSize(b.texts, 50);
        assertEquals("seq:1", a.texts.get(0));
        assertEquals("seq:50", b.texts.get(49));
        bus.stop(1000);
        assertEquals(50, bus.delivered());
    }

    @Test
    void aBlockedSinkNeverBlocksTheReaderAndOverflowIsCounted() throws Exception {
        RecordBus bus = new RecordBus(10, "seq");
        bus.addFormatter("seq", SEQUENCE);
        CountDownLatch release = new CountDownLatch(1);
        bus.addSink(new RecordSink() {
            @Override
            public boolean deliver(MonitorRecord record, String format, byte[] text) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return true;
            }
        });
        bus.start();
        int accepted = 0;
        for (int i = 1; i <= 1000; i++) {
            if (bus.offer(record(i))) {
                accepted++;
            }
        }
        // one record is in the blocked sink, at most ten wait in the queue
        assertTrue(accepted <= 11, "accepted " + accepted);
        assertEquals(1000 - accepted, bus.losses().get(RecordBus.Loss.QUEUE_FULL));
        release.countDown();
        bus.stop(5000);
    }

    @Test
    void failingPluginsAndMissingOnesAreCountedNotFatal() throws Exception {
        RecordBus bus = new RecordBus(100, "broken");
        CollectingSink good = new CollectingSink();
        bus.addSink(good);
        bus.addSink(new RecordSink() {
            @Override
            public boolean deliver(MonitorRecord record, String format, byte[] text) {
                throw new IllegalStateException("broken sink");
            }
        });
        bus.addFormatter("broken", (r, out) -> {
            throw new java.io.IOException("broken formatter");
        });
        bus.addFormatter("seq", SEQUENCE);
        bus.start();
        // the format is read when a record is delivered: switch only after each is through
        bus.offer(record(2));
        awaitLoss(bus, RecordBus.Loss.FORMATTER_FAILED, 1);
        bus.setFormat("seq");
        bus.offer(record(3));
        awaitSize(good.texts, 1);
        bus.stop(1000);
        Map<RecordBus.Loss, Long> losses = bus.losses();
        assertEquals(1, losses.get(RecordBus.Loss.FORMATTER_FAILED));
        assertEquals(1, losses.get(RecordBus.Loss.SINK_FAILED));
        assertEquals("seq:3", good.texts.get(0));
        assertEquals(1, bus.delivered(), "delivered to the good sink despite the broken one");
    }

    @Test
    void recordsWaitForAFormatterAndASinkInsteadOfBeingDropped() throws Exception {
        RecordBus bus = new RecordBus(100, "seq");
        bus.start();
        for (int i = 1; i <= 20; i++) {
            assertTrue(bus.offer(record(i)));
        }
        Thread.sleep(200); // nothing can be delivered yet: the plugins are not there
        CollectingSink sink = new CollectingSink();
        bus.addSink(sink);
        bus.addFormatter("seq", SEQUENCE);
        awaitSize(sink.texts, 20);
        assertEquals("seq:1", sink.texts.get(0));
        bus.stop(1000);
        assertFalse(bus.losses().values().stream().anyMatch(v -> v > 0), bus.losses().toString());
    }

    @Test
    void recordsStillWithoutFormatterAtStopAreCounted() {
        RecordBus bus = new RecordBus(100, "missing");
        bus.addSink(new CollectingSink());
        bus.start();
        bus.offer(record(1));
        bus.offer(record(2));
        bus.stop(1000);
        assertEquals(2, bus.losses().get(RecordBus.Loss.NO_FORMATTER));
    }

    @Test
    void stopDeliversWhatIsQueued() {
        RecordBus bus = new RecordBus(1000, "seq");
        bus.addFormatter("seq", SEQUENCE);
        CollectingSink sink = new CollectingSink();
        bus.addSink(sink);
        for (int i = 1; i <= 500; i++) {
            bus.offer(record(i));
        }
        bus.start();
        bus.stop(5000);
        assertEquals(500, sink.texts.size());
        assertFalse(bus.losses().values().stream().anyMatch(v -> v > 0), bus.losses().toString());
    }
}
