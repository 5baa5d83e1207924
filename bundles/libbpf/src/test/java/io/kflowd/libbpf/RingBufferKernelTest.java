package io.kflowd.libbpf;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Against the real kernel (root, BPF): loads src/test/bpf/ringbuf_test.bpf.c, drives its
 * tracepoint with getppid() calls and reads the ring buffer with the mmap reader.
 */
class RingBufferKernelTest {

    private static final int CALLS = 20_000;
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int PID = (int) ProcessHandle.current().pid();
    private static final MethodHandle GETPPID = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("getppid").orElseThrow(), FunctionDescriptor.of(JAVA_INT));

    private final LibBpf lib = new LibBpf();

    @AfterEach
    void restorePrint() {
        lib.setPrint(null);
        lib.setPrintDebug(false);
    }

    /** Checks each record in place; keeps only the sequence numbers, in preallocated memory. */
    static final class Collector implements RecordHandler {
        final long[] seqs = new long[CALLS];
        volatile int count; // one writer: the reading thread
        volatile String error;

        @Override
        public void onRecord(MemorySegment data, long offset, int length) {
            long seq = data.get(JAVA_LONG, offset);
            int size = data.get(JAVA_INT, offset + 8);
            int tgid = data.get(JAVA_INT, offset + 12);
            byte last = data.get(JAVA_BYTE, offset + length - 1);
            int n = count;
            if (length != size || tgid != PID || last != (byte) seq || n >= seqs.length) {
                if (error == null) {
                    error = "bad record: seq " + seq + ", length " + length + ", size field " + size + ", tgid "
                            + tgid + ", last byte " + last + ", after " + n + " records";
                }
                return;
            }
            seqs[n] = seq;
            count = n + 1;
        }
    }

    record Run(int received, long drops, long hits, long perCpuHits, long bytesRead, long readerRecords,
            long readerDiscarded, long batches) {
    }

    private static void getppid(int times) throws Throwable {
        for (int i = 0; i < times; i++) {
            int ppid = (int) GETPPID.invokeExact();
            if (ppid < 0) {
                throw new AssertionError("getppid failed");
            }
        }
    }

    private BpfObject openConfigured(int ringSize) {
        BpfObject object = BpfObject.open(lib, TestElf.bytes(), TestElf.OBJECT);
        object.rodata().set(JAVA_INT, 0, PID); // target_tgid, the only .rodata variable
        object.setMaxEntries(TestElf.EVENTS, ringSize);
        return object;
    }

    /** How the reader runs while the program produces. */
    enum Reader {
        /** a thread polls while the calls run flat out: drops may happen, all are counted */
        CONCURRENT,
        /** a thread polls, and every 64 calls (one forced wakeup) the caller waits for it to catch up */
        PACED,
        /** nobody reads until the calls are done */
        AFTERWARDS
    }

    /** Calls getppid CALLS times with the program attached and reads what arrives. */
    private Run run(int ringSize, Reader mode, Collector collector) throws Throwable {
        try (BpfObject object = openConfigured(ringSize)) {
            object.load();
            BpfMap counters = object.map(TestElf.COUNTERS);
            BpfMap perCpu = object.map(TestElf.PERCPU_HITS);
            try (RingReader reader = RingReader.open(object, TestElf.EVENTS, collector)) {
                long deadline = System.nanoTime() + DEADLINE_NANOS;
                AtomicInteger pollError = new AtomicInteger();
                AtomicBoolean stop = new AtomicBoolean();
                Thread readerThread = null;
                if (mode != Reader.AFTERWARDS) {
                    readerThread = new Thread(() -> {
                        while (!stop.get() && System.nanoTime() < deadline) {
                            int n = reader.poll(100);
                            if (n < 0) {
                                pollError.set(n);
                                return;
                            }
                        }
                    }, "ring-reader");
                    readerThread.start();
                }
                try (BpfLink link = object.attach(TestElf.PROGRAM)) {
                    if (mode == Reader.PACED) {
                        for (int done = 0; done < CALLS; done += 64) {
                            getppid(Math.min(64, CALLS - done));
                            awaitAccounted(collector, counters, done + Math.min(64, CALLS - done), deadline);
                        }
                    } else {
                        getppid(CALLS);
                    }
                }
                if (mode == Reader.AFTERWARDS) {
                    // bounded: each drain that returns records frees ring space, at most CALLS of them
                    for (int i = 0; i < CALLS && reader.drain() > 0; i++) {
                        // drain until empty
                    }
                }
                // the tail was submitted without a wakeup: the reader gets it at its next poll timeout
                awaitAccounted(collector, counters, CALLS, deadline);
                if (readerThread != null) {
                    stop.set(true);
                    readerThread.join(TimeUnit.SECONDS.toMillis(10));
                    assertFalse(readerThread.isAlive(), "reader thread ends");
                }
                assertEquals(0, pollError.get(), "poll errno");
                return new Run(collector.count, counters.lookupLong(TestElf.COUNTER_DROPS),
                        counters.lookupLong(TestElf.COUNTER_HITS), perCpu.sumPerCpuLongs(0), reader.bytes(),
                        reader.records(), reader.discarded(), reader.batches());
            }
        }
    }

    /** Waits, bounded by the deadline, until records received + drops counted reach {@code calls}. */
    private static void awaitAccounted(Collector collector, BpfMap counters, int calls, long deadline) {
        long drops = counters.lookupLong(TestElf.COUNTER_DROPS);
        for (int spins = 1; collector.count + drops < calls && collector.error == null
                && System.nanoTime() < deadline; spins++) {
            Thread.onSpinWait();
            if (spins % 1024 == 0) {
                drops = counters.lookupLong(TestElf.COUNTER_DROPS);
                Thread.yield();
            }
        }
    }

    private static void assertInOrderOnce(Collector collector, Run run) {
        assertNull(collector.error);
        long previous = -1;
        for (int i = 0; i < run.received(); i++) {
            long seq = collector.seqs[i];
            assertTrue(seq > previous && seq < CALLS, "sequence " + seq + " after " + previous + " at " + i);
            previous = seq;
        }
        assertEquals(CALLS, run.hits(), "the program saw every call, and only ours");
        assertEquals(CALLS, run.perCpuHits(), "per-CPU counter summed over possible CPUs");
        assertEquals(CALLS, run.received() + run.drops(), "records + drops = calls: " + run);
        assertEquals(run.received(), run.readerRecords());
        assertEquals(0, run.readerDiscarded());
    }

    @Test
    void smallRingWithAConcurrentReaderAccountsForEveryRecord() throws Throwable {
        Collector collector = new Collector();
        Run run = run(16 * 1024, Reader.CONCURRENT, collector);
        assertInOrderOnce(collector, run);
        assertTrue(run.received() > 0, "at least what the ring held at the end: " + run);
        System.out.println("16 KiB ring, reader racing the producer: " + run);
    }

    @Test
    void smallRingWrapsManyTimesWithoutLoss() throws Throwable {
        int ringSize = 16 * 1024; // 64 records of at most 208 bytes fit: a paced run never overflows
        Collector collector = new Collector();
        Run run = run(ringSize, Reader.PACED, collector);
        assertInOrderOnce(collector, run);
        assertEquals(0, run.drops(), run.toString());
        assertTrue(run.bytesRead() > 100L * ringSize, "wrapped over 100 times: " + run);
        assertTrue(run.batches() < run.received(), "consumer position written per batch, not per record: " + run);
    }

    @Test
    void largeRingLosesNothing() throws Throwable {
        Collector collector = new Collector();
        Run run = run(4 * 1024 * 1024, Reader.CONCURRENT, collector);
        assertInOrderOnce(collector, run);
        assertEquals(0, run.drops(), "4 MiB hold all 20,000 records: " + run);
        assertEquals(CALLS, run.received());
        System.out.println("4 MiB ring, reader racing the producer: " + run);
    }

    @Test
    void overflowIsCountedNotHidden() throws Throwable {
        // nobody reads while the calls run: a 16 KiB ring holds a few hundred records at most
        Collector collector = new Collector();
        Run run = run(16 * 1024, Reader.AFTERWARDS, collector);
        assertInOrderOnce(collector, run);
        assertTrue(run.drops() > 0, "the overflow shows in the drop counter: " + run);
        assertTrue(run.received() > 0);
    }

    @Test
    void closeUnloadsTheProgram() throws Exception {
        BpfObject object = openConfigured(16 * 1024);
        object.load();
        BpfLink link = object.attach(TestElf.PROGRAM);
        assertTrue(link.isAttached());
        assertTrue(bpftoolProgList().contains("name " + TestElf.PROGRAM), "listed while loaded");
        object.close();
        assertFalse(link.isAttached(), "closing the object destroyed its link");
        // the kernel frees a program after its last reference, partly deferred (RCU, work queue)
        boolean listed = true;
        for (int i = 0; i < 100 && listed; i++) {
            listed = bpftoolProgList().contains("name " + TestElf.PROGRAM);
            if (listed) {
                Thread.sleep(100);
            }
        }
        assertFalse(listed, "bpftool prog list no longer shows " + TestElf.PROGRAM);
    }

    @Test
    void autoloadSkipsAProgramAndAFailedLoadIsReported() {
        List<LibBpfTest.Message> messages = new CopyOnWriteArrayList<>();
        lib.setPrint((level, text) -> messages.add(new LibBpfTest.Message(level, text)));

        // SEC("?...") starts with autoload off: the object loads without it
        try (BpfObject object = openConfigured(16 * 1024)) {
            object.load();
            LibBpfException e = assertThrows(LibBpfException.class, () -> object.attach(TestElf.REJECTED));
            assertTrue(e.getMessage().startsWith("bpf_program__attach: "), e.getMessage());
            assertTrue(e.getMessage().endsWith("[object 'ringbuf_test', program 'rejected_by_verifier']"),
                    e.getMessage());
            assertThrows(IllegalStateException.class, () -> object.setMaxEntries(TestElf.EVENTS, 8192),
                    "after load");
            assertThrows(IllegalStateException.class, object::rodata, "after load");
        }

        messages.clear();
        try (BpfObject object = openConfigured(16 * 1024)) {
            object.setAutoload(TestElf.REJECTED, true);
            LibBpfException e = assertThrows(LibBpfException.class, object::load);
            assertEquals("bpf_object__load: Permission denied (EACCES) [object 'ringbuf_test']", e.getMessage());
            assertEquals(13, e.errno());
            assertEquals("EACCES", e.errnoName());
            // the reason came through the print callback: the verifier's log, as one message
            assertTrue(messages.stream().anyMatch(m -> m.level() == PrintLevel.WARN
                    && m.text().contains("invalid bpf_context access")), messages.toString());
            assertThrows(IllegalStateException.class, () -> object.attach(TestElf.PROGRAM), "load failed");
        }
    }

    @Test
    void verifierLogOfASuccessfulLoadArrivesWhenAsked() {
        List<LibBpfTest.Message> messages = new CopyOnWriteArrayList<>();
        lib.setPrint((level, text) -> messages.add(new LibBpfTest.Message(level, text)));
        lib.setPrintDebug(true);
        // log level 2: the verifier's full trace, thousands of characters in one message
        try (BpfObject object = BpfObject.open(lib, MemorySegment.ofArray(TestElf.bytes()), TestElf.OBJECT, 2)) {
            object.rodata().set(JAVA_INT, 0, PID);
            object.load();
        }
        // longer than the first format buffer: formatted a second time from a copy of the va_list
        assertTrue(messages.stream().anyMatch(m -> m.text().contains("processed") && m.text().contains("insns")
                && m.text().length() > 1024), "verifier log: " + messages);
    }

    @Test
    void countersCanBeWrittenAndRead() {
        try (BpfObject object = openConfigured(16 * 1024)) {
            MemorySegment rodata = object.rodata();
            object.load();
            assertThrows(IllegalStateException.class, () -> rodata.set(JAVA_INT, 0, 1),
                    "the initial image is frozen at load: a later write would be lost");
            BpfMap counters = object.map(TestElf.COUNTERS);
            assertEquals(LibBpf.BPF_MAP_TYPE_ARRAY, counters.type());
            assertEquals(4, counters.keySize());
            assertEquals(8, counters.valueSize());
            assertEquals(counters.fd(), object.mapFd(TestElf.COUNTERS));
            counters.updateLong(TestElf.COUNTER_DROPS, 12345);
            assertEquals(12345, counters.lookupLong(TestElf.COUNTER_DROPS));

            BpfMap perCpu = object.map(TestElf.PERCPU_HITS);
            assertTrue(perCpu.isPerCpu());
            assertEquals(lib.libbpf_num_possible_cpus(), perCpu.lookupPerCpuLongs(0).length);
            perCpu.updateLong(0, 3);
            assertEquals(3L * lib.libbpf_num_possible_cpus(), perCpu.sumPerCpuLongs(0));

            assertThrows(IllegalArgumentException.class, () -> counters.lookupPerCpuLongs(0), "not per-CPU");
            IllegalArgumentException notRing = assertThrows(IllegalArgumentException.class,
                    () -> RingReader.open(object, TestElf.COUNTERS, (d, o, l) -> { }));
            assertTrue(notRing.getMessage().contains("not a ring buffer"));
        }
    }

    private static String bpftoolProgList() throws IOException, InterruptedException {
        String bpftool = java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/sbin/bpftool"))
                ? "/usr/sbin/bpftool" : "bpftool";
        Process process = new ProcessBuilder(bpftool, "prog", "list").redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "bpftool ends");
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "bpftool prog list: " + text);
        return text;
    }
}
