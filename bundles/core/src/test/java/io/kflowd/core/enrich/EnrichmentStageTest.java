package io.kflowd.core.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kflowd.api.FileEvent;
import io.kflowd.api.FileRecord;
import io.kflowd.api.Info;
import io.kflowd.api.MonitorRecord;
import io.kflowd.api.Proc;
import io.kflowd.api.RecordEnricher;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EnrichmentStageTest {

    static FileRecord record(long sequence) {
        Instant t = Instant.ofEpochSecond(1_700_000_000L, 123);
        Info info = new Info(sequence, t, Info.Monitor.FILESYSTEM, "host", "", null, "Linux", "6.18", "kflowd-v0.1.0", 0);
        Proc proc = new Proc("bash", "ls", "", "root", "root", 1, 2, 2, 0, 0, 5);
        return new FileRecord(info, proc, "/usr/bin/", "ls", null, "", "regular",
                Map.of(FileEvent.OPEN_EXEC, 1), 0, 42, 1, "", 0100755, "root", "root", 0, 0, 0, 0, t, t, t, 0, "", "");
    }

    private static final RecordEnricher VERSIONS = r -> {
        FileRecord f = (FileRecord) r;
        return f.withVersion("1.0-" + r.info().sequenceNumber()).withProc(f.proc().withVersion("9.9"));
    };
    private static final RecordEnricher CHECKSUMS = r -> ((FileRecord) r).withChecksums("md5", "sha");

    private final List<MonitorRecord> out = new CopyOnWriteArrayList<>();

    private void awaitOut(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (out.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(n, out.size());
    }

    @Test
    void offPassesRecordsStraightOnOnTheCallersThread() {
        EnrichmentStage stage = new EnrichmentStage(out::add, 16, 1_000_000_000L);
        stage.add(new EnrichmentStage.Registered(VERSIONS, RecordEnricher.VERSIONS, "b"));
        FileRecord r = record(1);
        stage.accept(r);
        assertEquals(1, out.size(), "no thread hop when -v and -c are off");
        assertSame(r, out.get(0));
    }

    @Test
    void onButNoEnricherPassesStraightOnAfterTheHold() {
        long[] now = {0};
        EnrichmentStage stage = new EnrichmentStage(out::add, 16, 1_000_000_000L, () -> now[0]);
        stage.configure(false, true, 1_000_000_000L);
        now[0] = EnrichmentStage.HOLD_NANOS + 1;
        stage.accept(record(1));
        assertEquals(1, out.size());
        assertEquals(List.of(RecordEnricher.CHECKSUMS), stage.missing());
    }

    @Test
    void appliesVersionsThenChecksumsInRecordOrder() throws InterruptedException {
        EnrichmentStage stage = new EnrichmentStage(out::add, 4096, 1_000_000_000L);
        stage.configure(true, true, 1_000_000_000L);
        // checksums registered first: the order is still versions, then checksums
        stage.add(new EnrichmentStage.Registered(CHECKSUMS, RecordEnricher.CHECKSUMS, "c"));
        stage.add(new EnrichmentStage.Registered(VERSIONS, RecordEnricher.VERSIONS, "v"));
        for (int i = 1; i <= 1000; i++) {
            stage.accept(record(i));
        }
        awaitOut(1000);
        for (int i = 0; i < 1000; i++) {
            FileRecord r = (FileRecord) out.get(i);
            assertEquals(i + 1, r.info().sequenceNumber());
        }
        FileRecord last = (FileRecord) out.get(999);
        assertEquals("1.0-1000", last.version());
        assertEquals("9.9", last.proc().version());
        assertEquals("md5", last.md5());
        assertEquals("sha", last.sha256());
        stage.stop(1000);
    }

    @Test
    void waitsForAMissingEnricherDuringTheHold() throws InterruptedException {
        EnrichmentStage stage = new EnrichmentStage(out::add, 16, 1_000_000_000L);
        stage.configure(true, false, 1_000_000_000L);
        stage.accept(record(1));
        Thread.sleep(100);
        assertTrue(out.isEmpty(), "held while the enricher has not arrived");
        stage.add(new EnrichmentStage.Registered(VERSIONS, RecordEnricher.VERSIONS, "v"));
        awaitOut(1);
        assertEquals("1.0-1", ((FileRecord) out.get(0)).version());
        stage.stop(1000);
    }

    @Test
    void aSlowEnricherIsBoundedAndTheRecordGoesOnWithWhatWasFilled() throws InterruptedException {
        CountDownLatch interrupted = new CountDownLatch(1);
        RecordEnricher slow = r -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return r;
        };
        EnrichmentStage stage = new EnrichmentStage(out::add, 16, 100_000_000L);
        stage.configure(true, true, 100_000_000L);
        stage.add(new EnrichmentStage.Registered(VERSIONS, RecordEnricher.VERSIONS, "v"));
        stage.add(new EnrichmentStage.Registered(slow, RecordEnricher.CHECKSUMS, "c"));
        stage.accept(record(1));
        stage.accept(record(2));
        awaitOut(2);
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the slow call is interrupted");
        FileRecord first = (FileRecord) out.get(0);
        assertEquals("1.0-1", first.version(), "what was filled before the bound stays");
        assertEquals("", first.md5());
        assertEquals(2L, stage.losses().get(EnrichmentStage.TIMEOUT));
        stage.stop(1000);
    }

    @Test
    void aCallThatIgnoresItsInterruptIsAbandonedAndANewWorkerGoesOnInOrder() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        RecordEnricher stuckOnFirst = r -> {
            if (r.info().sequenceNumber() == 1) {
                while (release.getCount() > 0) {
                    Thread.onSpinWait();     // ignores interrupts
                }
            }
            return ((FileRecord) r).withChecksums("m" + r.info().sequenceNumber(), "s");
        };
        EnrichmentStage stage = new EnrichmentStage(out::add, 64, 100_000_000L);
        stage.configure(false, true, 100_000_000L);
        stage.add(new EnrichmentStage.Registered(stuckOnFirst, RecordEnricher.CHECKSUMS, "c"));
        for (int i = 1; i <= 5; i++) {
            stage.accept(record(i));
        }
        awaitOut(5);
        release.countDown();
        for (int i = 0; i < 5; i++) {
            assertEquals(i + 1, out.get(i).info().sequenceNumber());
        }
        assertEquals("", ((FileRecord) out.get(0)).md5(), "sent on unenriched");
        assertEquals("m5", ((FileRecord) out.get(4)).md5());
        assertEquals(1, stage.abandonedThreads());
        assertEquals(1L, stage.losses().get(EnrichmentStage.TIMEOUT));
        Thread.sleep(100);
        assertEquals(5, out.size(), "the abandoned call's record is not sent twice");
        stage.stop(1000);
    }

    @Test
    void anEnricherThatThrowsOrReturnsNullIsCountedAndTheRecordStillGoesOn() throws InterruptedException {
        RecordEnricher throwing = r -> {
            throw new IllegalStateException("bad");
        };
        RecordEnricher nothing = r -> null;
        EnrichmentStage stage = new EnrichmentStage(out::add, 16, 1_000_000_000L);
        stage.configure(true, true, 1_000_000_000L);
        stage.add(new EnrichmentStage.Registered(throwing, RecordEnricher.VERSIONS, "v"));
        stage.add(new EnrichmentStage.Registered(nothing, RecordEnricher.CHECKSUMS, "c"));
        stage.accept(record(1));
        awaitOut(1);
        assertEquals(2L, stage.losses().get(EnrichmentStage.FAILED));
        assertEquals(1, out.get(0).info().sequenceNumber());
        stage.stop(1000);
    }

    @Test
    void aBacklogSendsRecordsOnUnenrichedAndAFullQueuePassesThemOnCounted() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        RecordEnricher blocking = r -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ((FileRecord) r).withChecksums("x", "y");
        };
        EnrichmentStage stage = new EnrichmentStage(out::add, 16, 30_000_000_000L);
        stage.configure(false, true, 30_000_000_000L);
        stage.add(new EnrichmentStage.Registered(blocking, RecordEnricher.CHECKSUMS, "c"));
        for (int i = 1; i <= 40; i++) {
            stage.accept(record(i));    // never blocks
        }
        release.countDown();
        awaitOut(40);
        Map<String, Long> losses = stage.losses();
        assertTrue(losses.get(EnrichmentStage.QUEUE_FULL) > 0, losses.toString());
        assertTrue(losses.get(EnrichmentStage.BACKLOG) > 0, losses.toString());
        stage.stop(1000);
    }

    @Test
    void stopWorksOffTheQueueAndLaterRecordsGoStraightOn() throws InterruptedException {
        EnrichmentStage stage = new EnrichmentStage(out::add, 64, 1_000_000_000L);
        stage.configure(true, false, 1_000_000_000L);
        stage.add(new EnrichmentStage.Registered(VERSIONS, RecordEnricher.VERSIONS, "v"));
        for (int i = 1; i <= 20; i++) {
            stage.accept(record(i));
        }
        stage.stop(2000);
        assertEquals(20, out.size());
        for (MonitorRecord r : out) {
            assertEquals("1.0-" + r.info().sequenceNumber(), ((FileRecord) r).version());
        }
        assertNull(stage.losses().get(EnrichmentStage.STOPPED));
    }
}
