package io.kflowd.core.kernel;

import static io.kflowd.core.kernel.KernelLayouts.CONFIG;
import static io.kflowd.core.kernel.KernelLayouts.FILE_KEY;
import static io.kflowd.core.kernel.KernelLayouts.FILE_RECORD;
import static io.kflowd.core.kernel.KernelLayouts.offset;

import io.kflowd.api.MonitorRecord;
import io.kflowd.api.SocketRecord;
import io.kflowd.core.apps.AppDecoders;
import io.kflowd.core.apps.AppPorts;
import io.kflowd.core.apps.CapturedSegments;
import io.kflowd.core.apps.DecoderRunner;
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
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
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
    /**
     * While the output is full the reader leaves records in the kernel ring (64 MiB, compact)
     * instead of decoding them into the heap or dropping them, and looks again this often.
     */
    private static final long OUTPUT_FULL_PAUSE_NANOS = 2_000_000L;
    /** How long the idle flush and the socket scan wait for output room before records are lost (counted). */
    private static final long FLUSH_ROOM_WAIT_NANOS = 1_000_000_000L;
    private static final long STOP_ROOM_WAIT_NANOS = 3_000_000_000L;
    private static final long O_TS_LAST = offset(FILE_RECORD, "ts_last");
    private static final long O_FLAGS = offset(FILE_RECORD, "flags");
    private static final long O_RECORD_ID = offset(FILE_RECORD, "record_id");

    /**
     * What the kernel side is asked to do.
     *
     * @param localPorts the ephemeral port range (net.ipv4.ip_local_port_range): a TCP
     *                   connection first seen mid-way is a CLIENT when its local port lies in it
     */
    public record Settings(boolean files, boolean sockets, int maxEvents, long idleTimeoutNanos,
            long activeTimeoutNanos, int ringBytes, int fileRecordSlots, int socketRecordSlots, int wakeupEvery,
            boolean verbose, Collection<Integer> ignoredTgids, String debugFilter, int[] localPorts,
            AppPorts appPorts, int appMessages, int appBytes) {

        boolean wants(String program) {
            return program.startsWith("fs_") ? files : !program.startsWith("sock_") || sockets;
        }

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
    private final SocketRecordDecoder sockets;
    private final Consumer<MonitorRecord> sink;
    /** How many records the sink can take now (its queues' free space). */
    private final IntSupplier room;
    private final LongAdder outputFullNanos = new LongAdder();
    /** The last drain stopped at the room limit: records may wait in the ring. */
    private boolean backlog;
    private final LibBpf lib;
    private final BpfObject object;
    private final List<BpfLink> links = new ArrayList<>();
    private final List<String> missingHooks = new ArrayList<>();
    private final RingReader reader;
    private final BpfMap fileRecords;
    private final BpfMap socketRecords;
    private final BpfMap appPortsMap;
    private final BpfMap appQuota;
    private final CapturedSegments captured;
    private final AppDecoders decoders;
    private final DecoderRunner decoderRunner = new DecoderRunner(100_000_000L);
    private volatile AppPorts appPorts = AppPorts.parse(java.util.Map.of());
    private final BpfMap drops;
    private final LongAdder fileRecordsEmitted = new LongAdder();
    private final LongAdder idleFlushed = new LongAdder();
    private final LongAdder socketRecordsEmitted = new LongAdder();
    private final LongAdder socketTimeouts = new LongAdder();
    private volatile int openSockets;
    private final Thread thread;
    private volatile boolean running = true;
    private long lastFlush = System.nanoTime();

    /** Loads and attaches; throws {@link LibBpfException} with the reason when the kernel refuses. */
    public KernelMonitor(byte[] elf, Settings settings, FileRecordDecoder decoder, SocketRecordDecoder sockets,
            AppDecoders decoders, Consumer<MonitorRecord> sink, IntSupplier room) {
        this.settings = settings;
        this.decoder = decoder;
        this.sockets = sockets;
        this.decoders = decoders;
        this.captured = new CapturedSegments(65_536, 64, Math.min(settings.appBytes(), KernelLayouts.PAYLOAD_MAX));
        this.sink = sink;
        this.room = room;
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
            config.set(ValueLayout.JAVA_INT, offset(CONFIG, "monitor_sockets"), settings.sockets() ? 1 : 0);
            config.set(ValueLayout.JAVA_SHORT, offset(CONFIG, "local_port_lo"), (short) settings.localPorts()[0]);
            config.set(ValueLayout.JAVA_SHORT, offset(CONFIG, "local_port_hi"), (short) settings.localPorts()[1]);
            config.set(ValueLayout.JAVA_INT, offset(CONFIG, "syslog_unix"), settings.appPorts().syslogUnix() ? 1 : 0);
            config.set(ValueLayout.JAVA_INT, offset(CONFIG, "app_messages"), settings.appMessages());
            config.set(ValueLayout.JAVA_INT, offset(CONFIG, "app_bytes"), Math.min(settings.appBytes(), KernelLayouts.PAYLOAD_MAX));
            if (settings.debugMode() == KernelLayouts.DEBUG_COMM) {
                // the CLI limits -D to 15 bytes: comm is 15 bytes and a NUL
                byte[] comm = settings.debugFilter().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                MemorySegment.copy(MemorySegment.ofArray(comm), 0, config, offset(CONFIG, "debug_comm"),
                        Math.min(comm.length, KernelLayouts.COMM_MAX - 1));
            }
            loaded.setMaxEntries("events", settings.ringBytes());
            loaded.setMaxEntries("file_records", settings.fileRecordSlots());
            boolean hasSocketMap = loaded.programSections().keySet().stream().anyMatch(n -> n.startsWith("sock_"));
            if (hasSocketMap) {
                loaded.setMaxEntries("sock_records", settings.socketRecordSlots());
            }
            KernelHooks hooks = KernelHooks.find();
            for (var program : loaded.programSections().entrySet()) {
                // attach only what a monitor needs (every syscall tracepoint costs every
                // process) and only what this kernel has
                boolean wanted = settings.wants(program.getKey());
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
            this.socketRecords = hasSocketMap ? loaded.map("sock_records") : null;
            this.appPortsMap = loaded.hasMap("app_ports") ? loaded.map("app_ports") : null;
            this.appQuota = loaded.hasMap("app_quota") ? loaded.map("app_quota") : null;
            writePorts(settings.appPorts());
            this.drops = loaded.map("drops");
            ignore(loaded.map("ignored_tgids"), settings.ignoredTgids());
            var sections = loaded.programSections();
            List<String> toAttach = sections.entrySet().stream()
                    .filter(p -> settings.wants(p.getKey()) && hooks.exists(p.getValue()))
                    .map(java.util.Map.Entry::getKey).toList();
            links.addAll(inParallel(toAttach, name -> sections.get(name).startsWith("cgroup")
                    ? loaded.attachCgroup(name, hooks.cgroupRoot().orElseThrow())
                    : loaded.attach(name)));
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

    public long socketRecordsEmitted() {
        return socketRecordsEmitted.sum();
    }

    /** Socket records exported by the idle or active timeout (included in socketRecordsEmitted). */
    public long socketTimeouts() {
        return socketTimeouts.sum();
    }

    /** Socket records open in the kernel at the last scan. */
    public int openSockets() {
        return openSockets;
    }

    public SocketRecordDecoder socketDecoder() {
        return sockets;
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
                int free = room.getAsInt();
                if (free <= 0) {
                    // a ring record gives at most one output record: take only what fits
                    long pauseStart = System.nanoTime();
                    LockSupport.parkNanos(OUTPUT_FULL_PAUSE_NANOS);
                    outputFullNanos.add(System.nanoTime() - pauseStart);
                    backlog = true;
                    continue;
                }
                int n = backlog ? reader.drain(free) : reader.poll(POLL_MILLIS, free);
                if (n < 0) {
                    LOG.warning("ring buffer poll failed: errno " + -n);
                }
                backlog = n >= free;
                long now = System.nanoTime();
                // the flush reads the whole ring first (a record's path message precedes it): not while behind
                if (!backlog && now - lastFlush >= FLUSH_EVERY_NANOS) {
                    lastFlush = now;
                    flush(now - settings.idleTimeoutNanos());
                    scanSockets(now, false);
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
            case KernelLayouts.MSG_SOCK_RECORD -> {
                if (length >= SocketRecordDecoder.SIZE) {
                    // final: the socket ended, or (UDP/UNIX) its record holds the message limit
                    boolean full = (SocketRecordDecoder.flags(data, offset) & KernelLayouts.SOCK_APP_FULL) != 0
                            && (SocketRecordDecoder.flags(data, offset) & KernelLayouts.SOCK_CLOSED) == 0;
                    emitSocket(data, offset, full ? SocketRecordDecoder.Reason.APP_FULL : SocketRecordDecoder.Reason.CLOSED,
                            System.nanoTime(), false);
                } else {
                    decoder.unknownMessage();
                }
            }
            case KernelLayouts.MSG_SOCK_PAYLOAD -> {
                if (length >= P_DATA) {
                    capture(data, offset, length);
                } else {
                    decoder.unknownMessage();
                }
            }
            default -> decoder.unknownMessage();
        }
    }

    private static final long P_FLAGS = offset(KernelLayouts.SOCK_PAYLOAD, "flags");
    private static final long P_COOKIE = offset(KernelLayouts.SOCK_PAYLOAD, "cookie");
    private static final long P_TS = offset(KernelLayouts.SOCK_PAYLOAD, "ts");
    private static final long P_LEN = offset(KernelLayouts.SOCK_PAYLOAD, "len");
    private static final long P_CAPTURED = offset(KernelLayouts.SOCK_PAYLOAD, "captured");
    private static final long P_SEQ = offset(KernelLayouts.SOCK_PAYLOAD, "seq");
    private static final long P_MESSAGE = offset(KernelLayouts.SOCK_PAYLOAD, "message");
    private static final long P_APP = offset(KernelLayouts.SOCK_PAYLOAD, "app");
    private static final long P_PROTO = offset(KernelLayouts.SOCK_PAYLOAD, "proto");
    private static final long P_DATA = offset(KernelLayouts.SOCK_PAYLOAD, "data");
    private static final SocketRecord.App[] APPS = {null, SocketRecord.App.DNS, SocketRecord.App.HTTP,
        SocketRecord.App.SYSLOG, SocketRecord.App.TLS};

    /** A captured payload segment: kept by socket until the socket's record is exported. */
    private void capture(MemorySegment data, long offset, int length) {
        int app = Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, offset + P_APP));
        int n = Math.clamp(data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + P_CAPTURED), 0, (int) (length - P_DATA));
        if (app <= 0 || app >= APPS.length) {
            decoder.unknownMessage();
            return;
        }
        int flags = data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + P_FLAGS);
        int proto = Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, offset + P_PROTO));
        byte[] bytes = new byte[n];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset + P_DATA, bytes, 0, n);
        captured.add(data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + P_COOKIE), new CapturedSegments.Segment(
                data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + P_MESSAGE),
                (flags & KernelLayouts.PAYLOAD_TX) != 0,
                data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + P_TS),
                data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + P_LEN), bytes,
                data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + P_SEQ),
                (flags & KernelLayouts.PAYLOAD_CUT) != 0, (flags & KernelLayouts.PAYLOAD_GAP) != 0, APPS[app],
                proto == KernelLayouts.PROTO_TCP ? SocketRecord.Protocol.TCP
                        : proto == KernelLayouts.PROTO_UDP ? SocketRecord.Protocol.UDP : SocketRecord.Protocol.UNIX));
    }

    /**
     * Exports a socket record with its captured messages decoded. A record that stays open
     * (TCP after a timeout) gets its capture quota raised, so its next period can capture
     * again (the kernel counts messages over the socket's life).
     */
    private void emitSocket(MemorySegment data, long offset, SocketRecordDecoder.Reason reason, long now, boolean stays) {
        long cookie = SocketRecordDecoder.cookie(data, offset);
        SocketRecord record = sockets.export(data, offset, reason, now, stays);
        if (record == null) {
            captured.take(cookie, SocketRecord.Role.CLIENT, 0);   // the monitor's own: forget
            return;
        }
        List<io.kflowd.api.AppPayload> payloads = captured.take(cookie, record.role(), SocketRecordDecoder.firstSeen(data, offset));
        if (!payloads.isEmpty()) {
            record = decoders.attach(record, payloads, decoderRunner);
        }
        // a quota entry exists only for sockets that captured something (written here):
        // every other record ends without a map syscall
        int appMessages = SocketRecordDecoder.appMessages(data, offset);
        if (appQuota != null && appMessages > 0) {
            updateQuota(cookie, stays ? appMessages + settings.appMessages() : -1);
        }
        sink.accept(record);
        socketRecordsEmitted.increment();
    }

    private void updateQuota(long cookie, int allowed) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocateFrom(ValueLayout.JAVA_LONG, cookie);
            if (allowed < 0) {
                appQuota.delete(key);
            } else {
                appQuota.update(key, arena.allocateFrom(ValueLayout.JAVA_INT, allowed), LibBpf.BPF_ANY);
            }
        } catch (LibBpfException e) {
            LOG.fine("app quota of socket " + cookie + ": " + e.getMessage());
        }
    }

    /**
     * Sets the application ports (-p) in the kernel while the programs run: new entries
     * are added before stale ones go, so a port that stays configured is never unmatched.
     */
    public synchronized void writePorts(AppPorts ports) {
        AppPorts previous = this.appPorts;
        this.appPorts = ports;
        if (appPortsMap == null) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(KernelLayouts.APP_PORT);
            MemorySegment value = arena.allocate(ValueLayout.JAVA_BYTE);
            for (var entry : ports.entries().entrySet()) {
                portKey(key, entry.getKey());
                value.set(ValueLayout.JAVA_BYTE, 0, (byte) java.util.Arrays.asList(APPS).indexOf(entry.getValue()));
                appPortsMap.update(key, value, LibBpf.BPF_ANY);
            }
            for (AppPorts.Entry stale : previous.entries().keySet()) {
                if (!ports.entries().containsKey(stale)) {
                    portKey(key, stale);
                    appPortsMap.delete(key);
                }
            }
        }
    }

    private static void portKey(MemorySegment key, AppPorts.Entry entry) {
        key.fill((byte) 0);
        key.set(ValueLayout.JAVA_BYTE, offset(KernelLayouts.APP_PORT, "proto"),
                (byte) (entry.protocol() == SocketRecord.Protocol.TCP ? KernelLayouts.PROTO_TCP : KernelLayouts.PROTO_UDP));
        key.set(ValueLayout.JAVA_SHORT, offset(KernelLayouts.APP_PORT, "port"), (short) entry.port());
    }

    public AppPorts appPorts() {
        return appPorts;
    }

    public CapturedSegments captured() {
        return captured;
    }

    public DecoderRunner decoderRunner() {
        return decoderRunner;
    }

    /**
     * The socket timeouts, driven by this timer (kflowd's were driven by traffic, spec 5.2):
     * a record idle longer than the idle timeout, or open longer than the active timeout
     * since its start or last export, is exported with what happened since. TCP records stay
     * (the connection goes on); UDP and UNIX records end (the next datagram starts a new
     * one, spec 5.5). {@code all}: at stop, export everything with news.
     */
    private void scanSockets(long now, boolean all) {
        if (socketRecords == null || !settings.sockets()) {
            return;
        }
        long deadline = System.nanoTime() + (all ? STOP_ROOM_WAIT_NANOS : FLUSH_ROOM_WAIT_NANOS);
        drainAll(deadline);
        int open = 0;
        long size = SocketRecordDecoder.SIZE;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment next = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment value = arena.allocate(size, 8);
            boolean first = true;
            for (int visited = 0; visited < settings.socketRecordSlots() * 2; visited++) {
                if (!socketRecords.nextKey(first ? MemorySegment.NULL : key, next)) {
                    break;
                }
                first = false;
                MemorySegment.copy(next, 0, key, 0, 8);
                // type 0: the kernel inserts a zeroed record and fills it in place, type last
                if (!socketRecords.lookup(key, value) || FileRecordDecoder.type(value, 0) != KernelLayouts.MSG_SOCK_RECORD) {
                    continue;
                }
                open++;
                int flags = SocketRecordDecoder.flags(value, 0);
                if ((flags & KernelLayouts.SOCK_IGNORED) != 0) {
                    continue;
                }
                boolean tcp = SocketRecordDecoder.protocol(value, 0) == KernelLayouts.PROTO_TCP;
                boolean idle = now - SocketRecordDecoder.lastActivity(value, 0) > settings.idleTimeoutNanos();
                boolean news = sockets.hasNews(value, 0);
                if (!news) {
                    if (idle && !tcp && socketRecords.lookupAndDelete(key, value)) {
                        // exported before and quiet since: the record ends without a new one
                        sockets.forget(key.get(ValueLayout.JAVA_LONG, 0));
                        open--;
                    }
                    continue;
                }
                boolean active = now - sockets.periodStart(value, 0) > settings.activeTimeoutNanos();
                if (!all && !idle && !active) {
                    continue;
                }
                SocketRecordDecoder.Reason reason = all ? SocketRecordDecoder.Reason.SHUTDOWN
                        : idle ? SocketRecordDecoder.Reason.IDLE : SocketRecordDecoder.Reason.ACTIVE;
                awaitRoom(deadline);
                if (tcp || all) {
                    emitSocket(value, 0, reason, now, !all);
                } else if (socketRecords.lookupAndDelete(key, value)) {
                    emitSocket(value, 0, reason, now, false);
                    open--;
                } else {
                    continue;   // ended in the kernel meanwhile: its final record is in the ring
                }
                socketTimeouts.increment();
            }
        }
        openSockets = open;
    }

    /**
     * Reads the whole ring, in pieces that fit the output, waiting for room until the
     * deadline; past it the rest is read anyway and what does not fit is lost (counted by
     * the bus). Stop and the periodic flush need the ring empty before they read the maps.
     */
    private void drainAll(long deadline) {
        while (true) {
            int free = room.getAsInt();
            if (free <= 0) {
                if (System.nanoTime() >= deadline) {
                    reader.drain();
                    return;
                }
                LockSupport.parkNanos(OUTPUT_FULL_PAUSE_NANOS);
                continue;
            }
            if (reader.drain(free) < free) {
                return;
            }
        }
    }

    /** Waits (until the deadline at most) for room for one more record. */
    private void awaitRoom(long deadline) {
        while (room.getAsInt() <= 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(OUTPUT_FULL_PAUSE_NANOS);
        }
    }

    /** Time the reader has left records in the ring because the output was full. */
    public long outputFullMillis() {
        return outputFullNanos.sum() / 1_000_000;
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
        long deadline = System.nanoTime() + (lastEventBefore == Long.MAX_VALUE ? STOP_ROOM_WAIT_NANOS : FLUSH_ROOM_WAIT_NANOS);
        drainAll(deadline);
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
                awaitRoom(deadline);
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
        try {
            scanSockets(System.nanoTime(), true);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "flushing the open socket records failed", e);
        }
        reader.close();
        decoderRunner.close();
        object.close();
        lib.setPrint(null);
    }
}
