package io.kflowd.core.enrich;

import io.kflowd.api.MonitorRecord;
import io.kflowd.api.RecordEnricher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Between the kernel record decoders and the record bus: applies the enrichers of the options
 * that are on ({@code -v} versions, then {@code -c} checksums) on one worker thread, in record
 * order. The ring reader only offers into a bounded queue and never waits.
 *
 * <ul>
 * <li>No option on, or no enricher of an enabled kind registered: records go straight on, no
 * thread hop (once what is queued has left, so the order holds).
 * <li>At start the enrichers arrive from the plugin folder a moment after the core: for up to
 * {@link #HOLD_NANOS} after an option is switched on, the worker waits for a missing one
 * instead of sending records on without it.
 * <li>Each record gets {@code timeoutNanos} for all its enrichers together; past that the call
 * is interrupted and the record goes on with what was filled so far ("enrich timeout").
 * <li>A queue over {@link #HIGH_WATER} of its capacity is a backlog: records leave without
 * enrichment until it is worked off ("enrich backlog"), which keeps the worker far faster than
 * the reader. A record that still finds the queue full goes straight on ("enrich queue
 * full"); only that, which needs the worker starved for a whole queue, can reorder records.
 * </ul>
 */
public final class EnrichmentStage implements Consumer<MonitorRecord> {

    private static final Logger LOG = Logger.getLogger("kflowd.enrich");
    static final double HIGH_WATER = 0.5;
    static final long HOLD_NANOS = 5_000_000_000L;
    /** After an interrupt, how long a stuck enricher gets before its thread is abandoned. */
    private static final long ABANDON_NANOS = 200_000_000L;

    public static final String QUEUE_FULL = "enrich queue full";
    public static final String BACKLOG = "enrich backlog (sent unenriched)";
    public static final String TIMEOUT = "enrich timeout";
    public static final String FAILED = "enrich failed";
    public static final String STOPPED = "enrich stop timeout (sent unenriched)";

    /** One enricher service and the bundle that offers it. */
    public record Registered(RecordEnricher enricher, String kind, String bundle) {
    }

    private final Consumer<MonitorRecord> downstream;
    private final BlockingQueue<MonitorRecord> queue;
    private final int highWater;
    private final LongSupplier nanoTime;
    private final List<Registered> registered = new CopyOnWriteArrayList<>();
    private final Map<String, LongAdder> losses = new ConcurrentHashMap<>();
    private final LongAdder enriched = new LongAdder();
    private final LongAdder abandoned = new LongAdder();
    /** Records queued or in the worker's hands: while any are, new ones queue behind them. */
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean versions;
    private volatile boolean checksums;
    private volatile long timeoutNanos;
    private volatile long holdUntil;
    private volatile long stopDeadline = Long.MAX_VALUE;
    private volatile boolean warnedMissing;
    private Thread worker;
    private ExecutorService runner;

    public EnrichmentStage(Consumer<MonitorRecord> downstream, int capacity, long timeoutNanos) {
        this(downstream, capacity, timeoutNanos, System::nanoTime);
    }

    EnrichmentStage(Consumer<MonitorRecord> downstream, int capacity, long timeoutNanos, LongSupplier nanoTime) {
        this.downstream = downstream;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.highWater = Math.max(1, (int) (capacity * HIGH_WATER));
        this.timeoutNanos = timeoutNanos;
        this.nanoTime = nanoTime;
        for (String reason : List.of(QUEUE_FULL, BACKLOG, TIMEOUT, FAILED)) {
            losses.put(reason, new LongAdder());
        }
    }

    /** Which options are on ({@code -v}, {@code -c}) and each record's time bound. */
    public synchronized void configure(boolean versions, boolean checksums, long timeoutNanos) {
        boolean newlyOn = (versions && !this.versions) || (checksums && !this.checksums);
        this.versions = versions;
        this.checksums = checksums;
        this.timeoutNanos = timeoutNanos;
        if (newlyOn) {
            holdUntil = nanoTime.getAsLong() + HOLD_NANOS;
            warnedMissing = false;
        }
    }

    public void add(Registered enricher) {
        registered.add(enricher);
    }

    public void remove(RecordEnricher enricher) {
        registered.removeIf(r -> r.enricher() == enricher);
    }

    /** The enrichers to apply now, versions before checksums; empty: nothing to do. */
    List<Registered> active() {
        List<Registered> result = new ArrayList<>(2);
        if (versions) {
            first(RecordEnricher.VERSIONS, result);
        }
        if (checksums) {
            first(RecordEnricher.CHECKSUMS, result);
        }
        return result;
    }

    private void first(String kind, List<Registered> into) {
        for (Registered r : registered) {
            if (r.kind().equals(kind)) {
                into.add(r);
                return;
            }
        }
    }

    /** The enabled kinds that have no enricher. */
    public List<String> missing() {
        List<String> result = new ArrayList<>();
        List<String> present = registered.stream().map(Registered::kind).toList();
        if (versions && !present.contains(RecordEnricher.VERSIONS)) {
            result.add(RecordEnricher.VERSIONS);
        }
        if (checksums && !present.contains(RecordEnricher.CHECKSUMS)) {
            result.add(RecordEnricher.CHECKSUMS);
        }
        return result;
    }

    private boolean holding() {
        return !missing().isEmpty() && nanoTime.getAsLong() - holdUntil < 0;
    }

    /** Called by the ring reader (and at stop by the flushing thread): never blocks. */
    @Override
    public void accept(MonitorRecord record) {
        if (pending.get() == 0 && (!versions && !checksums || active().isEmpty() && !holding())) {
            downstream.accept(record);
            return;
        }
        pending.incrementAndGet();
        if (!queue.offer(record)) {
            pending.decrementAndGet();
            losses.get(QUEUE_FULL).increment();
            downstream.accept(record);
        }
        ensureWorker();
    }

    private synchronized void ensureWorker() {
        if (worker == null || !worker.isAlive() && stopDeadline == Long.MAX_VALUE) {
            if (runner != null) {
                runner.shutdownNow();
            }
            runner = newRunner();
            worker = Thread.ofPlatform().name("kflowd-enrich").daemon().start(this::run);
        }
    }

    private static ExecutorService newRunner() {
        return Executors.newSingleThreadExecutor(Thread.ofPlatform().name("kflowd-enricher").daemon().factory());
    }

    private void run() {
        while (true) {
            MonitorRecord record;
            try {
                record = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                record = null;
            }
            if (record == null) {
                if (stopDeadline != Long.MAX_VALUE) {
                    return;
                }
                continue;
            }
            MonitorRecord result = record;
            try {
                result = process(record);
            } catch (RuntimeException e) {
                losses.get(FAILED).increment();
                LOG.log(java.util.logging.Level.WARNING, "enrichment failed", e);
            }
            try {
                downstream.accept(result);
            } finally {
                pending.decrementAndGet();
            }
        }
    }

    private MonitorRecord process(MonitorRecord record) {
        while (holding() && stopDeadline == Long.MAX_VALUE) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                break;
            }
        }
        List<String> missing = missing();
        if (!missing.isEmpty() && !warnedMissing) {
            warnedMissing = true;
            LOG.warning("no enricher for " + String.join(", ", missing) + " is registered (is its bundle in the plugin "
                    + "folder?): those keys stay \"\"");
        }
        List<Registered> active = active();
        if (active.isEmpty()) {
            return record;
        }
        if (stopDeadline != Long.MAX_VALUE && nanoTime.getAsLong() - stopDeadline > 0) {
            losses.computeIfAbsent(STOPPED, k -> new LongAdder()).increment();
            return record;
        }
        if (queue.size() >= highWater) {
            losses.get(BACKLOG).increment();
            return record;
        }
        return enrich(record, active);
    }

    private MonitorRecord enrich(MonitorRecord record, List<Registered> active) {
        AtomicReference<MonitorRecord> latest = new AtomicReference<>(record);
        Future<?> future = runner.submit(() -> {
            for (Registered r : active) {
                MonitorRecord before = latest.get();
                try {
                    MonitorRecord after = r.enricher().enrich(before);
                    if (after == null || after.getClass() != before.getClass()
                            || after.info().sequenceNumber() != before.info().sequenceNumber()) {
                        failed(r, "returned another record");
                    } else {
                        latest.set(after);
                    }
                } catch (RuntimeException | LinkageError e) {
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    failed(r, e.getClass().getSimpleName());
                }
            }
        });
        try {
            future.get(timeoutNanos, TimeUnit.NANOSECONDS);
            enriched.increment();
        } catch (TimeoutException e) {
            future.cancel(true);
            losses.get(TIMEOUT).increment();
            try {
                // a call that ignores the interrupt keeps its thread: leave it, take a new one
                future.get(ABANDON_NANOS, TimeUnit.NANOSECONDS);
            } catch (TimeoutException stuck) {
                runner.shutdownNow();
                runner = newRunner();
                abandoned.increment();
                LOG.warning("an enricher did not return within " + timeoutNanos / 1_000_000 + " ms nor after an interrupt: "
                        + "its thread is left");
            } catch (ExecutionException | java.util.concurrent.CancellationException | InterruptedException ignored) {
                // ended after the interrupt
            }
        } catch (ExecutionException e) {
            losses.get(FAILED).increment();
        } catch (InterruptedException e) {
            future.cancel(true);
            losses.get(TIMEOUT).increment();
        }
        return latest.get();
    }

    private void failed(Registered r, String why) {
        losses.get(FAILED).increment();
        LOG.fine("enricher " + r.kind() + " of " + r.bundle() + " failed: " + why);
    }

    /**
     * Works off the queue for at most {@code timeoutMillis} (later records still go on,
     * unenriched), then ends the worker. Records offered after this go straight on.
     */
    public void stop(long timeoutMillis) {
        Thread w;
        synchronized (this) {
            w = worker;
            if (w == null) {
                return;
            }
            stopDeadline = nanoTime.getAsLong() + timeoutMillis * 1_000_000L;
        }
        try {
            w.join(timeoutMillis + 2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            MonitorRecord left;
            while ((left = queue.poll()) != null) {
                losses.computeIfAbsent(STOPPED, k -> new LongAdder()).increment();
                downstream.accept(left);
                pending.decrementAndGet();
            }
            runner.shutdownNow();
            worker = null;
            runner = null;
            stopDeadline = Long.MAX_VALUE;
        }
    }

    /** Records that went through at least one enricher within their bound. */
    public long enriched() {
        return enriched.sum();
    }

    /** Enricher threads left behind because a call ignored its interrupt. */
    public long abandonedThreads() {
        return abandoned.sum();
    }

    /** Records that went on without (all of) their enrichment, by reason. */
    public Map<String, Long> losses() {
        Map<String, Long> result = new LinkedHashMap<>();
        losses.forEach((reason, count) -> result.put(reason, count.sum()));
        return result;
    }

    /** The enrichers' own counts of values left "" , as "enrich KIND: reason". */
    public Map<String, Long> enricherCounts() {
        Map<String, Long> result = new LinkedHashMap<>();
        for (Registered r : registered) {
            try {
                r.enricher().counts().forEach((reason, count) -> result.merge("enrich " + r.kind() + ": " + reason, count,
                        Long::sum));
            } catch (RuntimeException | LinkageError e) {
                LOG.fine("counts of the " + r.kind() + " enricher of " + r.bundle() + ": " + e);
            }
        }
        return result;
    }
}
