package io.kflowd.core.kernel;

import static io.kflowd.core.kernel.KernelLayouts.CONFIG;
import static io.kflowd.core.kernel.KernelLayouts.FILE_KEY;
import static io.kflowd.core.kernel.KernelLayouts.FILE_RECORD;
import static io.kflowd.core.kernel.KernelLayouts.offset;

import io.kflowd.api.MonitorRecord;
import io.kflowd.libbpf.BpfLink;
import io.kflowd.libbpf.BpfMap;
import io.kflowd.libbpf.BpfObject;
import io.kflowd.libbpf.LibBpf;
import io.kflowd.libbpf.LibBpfException;
import io.kflowd.libbpf.PrintLevel;
import io.kflowd.libbpf.RingReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The eBPF side of the monitor: loads kflowd.bpf.o, writes the configuration into
 * .rodata, attaches the programs of the enabled monitors, and runs the reader thread that
 * drains the ring buffer, decodes records in place and hands them to the record bus. The
 * same thread exports file records idle longer than the idle timeout (the kernel exports
 * only on events), and at stop everything still aggregated, after the programs are
 * detached so nothing new arrives.
 */
public final class KernelMonitor implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("kflowd.kernel");
    /** Ring-buffer poll timeout: the upper bound of the delivery latency at low rates. */
    private static final int POLL_MILLIS = 100;
    private static final long FLUSH_EVERY_NANOS = 1_000_000_000L;
    private static final long O_TS_LAST = offset(FILE_RECORD, "ts_last");
    private static final long O_FLAGS = offset(FILE_RECORD, "flags");
    private static final long O_RECORD_ID = offset(FILE_RECORD, "record_id");

    /** What the kernel side is asked to do. */
    public record Settings(boolean files, int maxEvents, long idleTimeoutNanos, int ringBytes,
            int fileRecordSlots, int wakeupEvery, boolean verbose, Collection<Integer> ignoredTgids,
            String debugFilter) {

        /** -D: "" off, "*" every task, "q" the expiry queue (user space here), else a comm. */
        int debugMode() {
            return switch (debugFilter == null ? "" : debugFilter) {
                case "" -> KernelLayouts.DEBUG_OFF;
                case "*" -> KernelLayouts.DEBUG_ALL;
                case "q" -> KernelLayouts.DEBUG_QUEUE;
                default -> KernelLayouts.DEBUG_COMM;
            };
        }
    }

    private final Settings settings;
    private final FileRecordDecoder decoder;
    private final Consumer<MonitorRecord> sink;
    private final LibBpf lib;
    private final BpfObject object;
    private final List<BpfLink> links = new ArrayList<>();
    private final List<String> missingHooks = new ArrayList<>();
    private final RingReader reader;
    private final BpfMap fileRecords;
    private final BpfMap drops;
    private final LongAdder fileRecordsEmitted = new LongAdder();
    private final LongAdder idleFlushed = new LongAdder();
    private final Thread thread;
    private volatile boolean running = true;
    private long lastFlush = System.nanoTime();

    /** Loads and attaches; throws {@link LibBpfException} with the reason when the kernel refuses. */
    public KernelMonitor(byte[] elf, Settings settings, FileRecordDecoder decoder, Consumer<MonitorRecord> sink) {
        this.settings = settings;
        this.decoder = decoder;
        this.sink = sink;
        this.lib = new LibBpf();
        lib.setPrintDebug(settings.verbose());
        lib.setPrint((level, message) -> LOG.log(level == PrintLevel.WARN ? Level.WARNING
                : level == PrintLevel.INFO ? Level.INFO : Level.FINE, "libbpf: " + message));
        BpfObject loaded = BpfObject.open(lib, elf, "kflowd");
        try {
            MemorySegment config = loaded.rodata();
            config.set(ValueLayout.JAVA_INT, offset(CONFIG, "agent_tgid"), (int) ProcessHandle.current().pid());
            config.set(ValueLayout.JAVA_INT, offset(CONFIG, "max_events"), settings.maxEvents());
            config.set(ValueLayout.JAVA_INT, offset(CONFIG, "wakeup_every"), settings.wakeupEvery());
            config.set(ValueLayout.JAVA_INT, offset(CONFIG, "monitor_files"), settings.files() ? 1 : 0);
            config.set(ValueLayout.JAVA_INT, offset(CONFIG, "debug_mode"), settings.debugMode());
            if (settings.debugMode() == KernelLayouts.DEBUG_COMM) {
                // the CLI limits -D to 15 bytes: comm is 15 bytes and a NUL
                byte[] comm = settings.debugFilter().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                MemorySegment.copy(MemorySegment.ofArray(comm), 0, config, offset(CONFIG, "debug_comm"),
                        Math.min(comm.length, KernelLayouts.COMM_MAX - 1));
            }
            loaded.setMaxEntries("events", settings.ringBytes());
            loaded.setMaxEntries("file_records", settings.fileRecordSlots());
            KernelHooks hooks = KernelHooks.find();
            for (var program : loaded.programSections().entrySet()) {
                // attach only what a monitor needs (every syscall tracepoint costs every
                // process) and only what this kernel has
                boolean wanted = !program.getKey().startsWith("fs_") || settings.files();
                boolean present = hooks.exists(program.getValue());
                if (wanted && !present) {
                    missingHooks.add(program.getKey() + " (" + program.getValue() + ")");
                }
                loaded.setAutoload(program.getKey(), wanted && present);
            }
            if (!missingHooks.isEmpty()) {
                LOG.info("not loaded, the kernel lacks their hook: " + String.join(", ", missingHooks));
            }
            loaded.load();
            this.fileRecords = loaded.map("file_records");
            this.drops = loaded.map("drops");
            ignore(loaded.map("ignored_tgids"), settings.ignoredTgids());
            List<String> toAttach = loaded.programSections().entrySet().stream()
                    .filter(p -> (!p.getKey().startsWith("fs_") || settings.files()) && hooks.exists(p.getValue()))
                    .map(java.util.Map.Entry::getKey).toList();
            links.addAll(inParallel(toAttach, loaded::attach));
            this.reader = RingReader.open(loaded, "events", this::onMessage);
        } catch (RuntimeException e) {
            detach(links);
            loaded.close();
            throw e;
        }
        this.object = loaded;
        this.thread = Thread.ofPlatform().name("kflowd-ring-reader").start(this::run);
    }

    private static void ignore(BpfMap ignored, Collection<Integer> tgids) {
        try (Arena arena = Arena.ofConfined()) {
            for (int tgid : tgids) {
                ignored.update(arena.allocateFrom(ValueLayout.JAVA_INT, tgid), arena.allocateFrom(ValueLayout.JAVA_BYTE, (byte) 1),
                        LibBpf.BPF_ANY);
            }
        }
    }

    /**
     * Attaching and detaching a tracepoint program each wait for an RCU grace period in the
     * kernel (tens of ms here); one after the other, ~100 programs took seconds. Done by a
     * few threads at once, the waits overlap.
     */
    private static <T, R> List<R> inParallel(List<T> items, java.util.function.Function<T, R> action) {
        if (items.isEmpty()) {
            return List.of();
        }
        List<R> results = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(Math.min(16, items.size()),
                Thread.ofPlatform().name("kflowd-attach-", 0).daemon().factory())) {
            List<java.util.concurrent.Future<R>> futures = items.stream().map(item -> pool.submit(() -> action.apply(item))).toList();
            RuntimeException failure = null;
            for (var future : futures) {
                try {
                    results.add(future.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = new IllegalStateException("interrupted while attaching", e);
                }
            }
            if (failure != null) {
                results.forEach(r -> {
                    if (r instanceof AutoCloseable c) {
                        try {
                            c.close();
                        } catch (Exception ignored) {
                            // best effort: the failure below is what the operator needs
                        }
                    }
                });
                throw failure;
            }
        }
        return results;
    }

    private static void detach(List<BpfLink> links) {
        inParallel(List.copyOf(links), link -> {
            link.close();
            return link;
        });
        links.clear();
    }

    /** Programs not loaded because this kernel lacks their hook: "name (section)". */
    public List<String> missingHooks() {
        return List.copyOf(missingHooks);
    }

    /** The names of the attached programs. */
    public List<String> programs() {
        return links.stream().map(BpfLink::programName).toList();
    }

    public long fileRecordsEmitted() {
        return fileRecordsEmitted.sum();
    }

    public long idleFlushed() {
        return idleFlushed.sum();
    }

    public long kernelDrops(int reason) {
        return drops.sumPerCpuLongs(reason);
    }

    public FileRecordDecoder decoder() {
        return decoder;
    }

    private void run() {
        try {
            while (running) {
                int n = reader.poll(POLL_MILLIS);
                if (n < 0) {
                    LOG.warning("ring buffer poll failed: errno " + -n);
                }
                long now = System.nanoTime();
                if (now - lastFlush >= FLUSH_EVERY_NANOS) {
                    lastFlush = now;
                    flush(now - settings.idleTimeoutNanos());
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.log(Level.SEVERE, "the ring reader stopped", e);
        }
    }

    private void onMessage(MemorySegment data, long offset, int length) {
        int type = FileRecordDecoder.type(data, offset);
        switch (type) {
            case KernelLayouts.MSG_FILE_PATH -> decoder.path(data, offset, length);
            case KernelLayouts.MSG_FILE_RECORD -> emit(decoder.record(data, offset));
            default -> decoder.unknownMessage();
        }
    }

    private boolean emit(MonitorRecord record) {
        if (record == null) {
            return false;
        }
        sink.accept(record);
        fileRecordsEmitted.increment();
        return true;
    }

    /**
     * Exports every aggregated file record whose last event is older than
     * {@code lastEventBefore} (monotonic ns; Long.MAX_VALUE = all). Runs on the reader
     * thread, after draining, so a record's path message is always read before it.
     */
    private void flush(long lastEventBefore) {
        reader.drain();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(FILE_KEY);
            MemorySegment next = arena.allocate(FILE_KEY);
            MemorySegment value = arena.allocate(FILE_RECORD);
            boolean first = true;
            // bounded: a full map is walked once; keys deleted meanwhile may restart the walk
            for (int visited = 0; visited < settings.fileRecordSlots() * 2; visited++) {
                if (!fileRecords.nextKey(first ? MemorySegment.NULL : key, next)) {
                    break;
                }
                first = false;
                MemorySegment.copy(next, 0, key, 0, FILE_KEY.byteSize());
                if (!fileRecords.lookup(key, value) || value.get(ValueLayout.JAVA_LONG, O_TS_LAST) >= lastEventBefore) {
                    continue;
                }
                if (fileRecords.lookupAndDelete(key, value)) {
                    value.set(ValueLayout.JAVA_INT, O_FLAGS, value.get(ValueLayout.JAVA_INT, O_FLAGS) | KernelLayouts.FILE_FLUSHED);
                    if (emit(decoder.record(value, 0))) {
                        idleFlushed.increment();
                    }
                }
            }
        }
    }

    /** Detaches the programs, delivers what the ring holds, flushes every aggregated record. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long detachStart = System.nanoTime();
        int count = links.size();
        detach(links);
        LOG.fine("detached " + count + " programs in " + (System.nanoTime() - detachStart) / 1_000_000 + " ms");
        try {
            flush(Long.MAX_VALUE);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "flushing the remaining file records failed", e);
        }
        reader.close();
        object.close();
        lib.setPrint(null);
    }
}
