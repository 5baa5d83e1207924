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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
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
 * <li>Each record gets {@code timeoutNanos} for all its enrichers together, which run on the
 * worker itself (no hand-over per record); past that a watchdog interrupts the call and the
 * record goes on with what was filled so far ("enrich timeout"). A call that ignores the
 * interrupt is abandoned with its thread, and a new worker goes on.
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
    private volatile Thread worker;
    private Thread watchdog;
    private volatile boolean watching;
    /** The record the worker is enriching now, watched for its time bound. */
    private final java.util.concurrent.atomic.AtomicReference<Job> current = new java.util.concurrent.atomic.AtomicReference<>();

    /** One record's enrichment, shared by the worker and the watchdog (state under its lock). */
    private static final class Job {
        static final int RUNNING = 0;
        static final int DONE = 1;
        static final int ABANDONED = 2;
        final Thread thread;
        final long started;
        volatile MonitorRecord latest;
        volatile boolean interrupted;
        long interruptedAt;
        volatile int state = RUNNING;

        Job(Thread thread, long started, MonitorRecord record) {
            this.thread = thread;
            this.started = started;
            this.latest = record;
        }
    }

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
        Thread w = worker;
        if (w == null || !w.isAlive()) {
            ensureWorker();
        }
    }

    private synchronized void ensureWorker() {
        if (worker == null || !worker.isAlive() && stopDeadline == Long.MAX_VALUE) {
            startWorker();
        }
        if (watchdog == null) {
            watching = true;
            watchdog = Thread.ofPlatform().name("kflowd-enrich-watchdog").daemon().start(this::watch);
        }
    }

    /** A new worker; it is {@link #worker} before it runs (it ends when it no longer is). */
    private synchronized void startWorker() {
        Thread w = Thread.ofPlatform().name("kflowd-enrich").daemon().unstarted(this::run);
        worker = w;
        w.start();
    }

    private void run() {
        Thread self = Thread.currentThread();
        while (worker == self) {
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
            if (result == null) {
                return;     // abandoned: the watchdog sent the record on, a new worker has the queue
            }
            try {
                downstream.accept(result);
            } finally {
                pending.decrementAndGet();
            }
        }
    }

    /**
     * Interrupts an enrichment that runs over its bound; one that ignores the interrupt for
     * {@link #ABANDON_NANOS} more is abandoned: its record goes on as far as it was filled, in
     * order, and a new worker takes the queue (a call stuck in Java cannot be killed).
     */
    private void watch() {
        while (watching) {
            LockSupport.parkNanos(Math.max(1_000_000L, Math.min(timeoutNanos / 4, 50_000_000L)));
            Job job = current.get();
            if (job == null) {
                continue;
            }
            long now = nanoTime.getAsLong();
            synchronized (job) {
                if (job.state != Job.RUNNING) {
                    continue;
                }
                if (!job.interrupted) {
                    if (now - job.started > timeoutNanos) {
                        job.interrupted = true;
                        job.interruptedAt = now;
                        job.thread.interrupt();
                    }
                } else if (now - job.interruptedAt > ABANDON_NANOS) {
                    job.state = Job.ABANDONED;
                    abandoned.increment();
                    losses.get(TIMEOUT).increment();
                    LOG.warning("an enricher did not return within " + timeoutNanos / 1_000_000 + " ms nor after an "
                            + "interrupt: its thread is left, a new one goes on");
                    try {
                        downstream.accept(job.latest);
                    } finally {
                        pending.decrementAndGet();
                    }
                    synchronized (this) {
                        startWorker();
                    }
                }
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

    /** The enriched record, or null when the watchdog abandoned this thread (it sent the record on). */
    private MonitorRecord enrich(MonitorRecord record, List<Registered> active) {
        Job job = new Job(Thread.currentThread(), nanoTime.getAsLong(), record);
        current.set(job);
        try {
            for (Registered r : active) {
                if (job.interrupted) {
                    break;
                }
                MonitorRecord before = job.latest;
                try {
                    MonitorRecord after = r.enricher().enrich(before);
                    if (after == null || after.getClass() != before.getClass()
                            || after.info().sequenceNumber() != before.info().sequenceNumber()) {
                        failed(r, "returned another record");
                    } else {
                        job.latest = after;
                    }
                } catch (RuntimeException | LinkageError e) {
                    if (!job.interrupted) {
                        failed(r, e.getClass().getSimpleName());
                    }
                }
            }
        } finally {
            synchronized (job) {
                if (job.state == Job.RUNNING) {
                    job.state = Job.DONE;
                }
            }
            current.compareAndSet(job, null);
        }
        if (job.state == Job.ABANDONED) {
            return null;
        }
        // an interrupt meant for this record must not reach the next one
        Thread.interrupted();
        if (job.interrupted) {
            losses.get(TIMEOUT).increment();
        } else {
            enriched.increment();
        }
        return job.latest;
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
        synchronized (this) {
            if (worker == null) {
                return;
            }
            stopDeadline = nanoTime.getAsLong() + timeoutMillis * 1_000_000L;
        }
        long joinUntil = System.nanoTime() + (timeoutMillis + 2_000) * 1_000_000L;
        try {
            Thread w;
            // the watchdog may replace a stuck worker meanwhile: wait for the one that has the queue
            while ((w = worker) != null && w.isAlive() && System.nanoTime() < joinUntil) {
                w.join(Math.max(1, (joinUntil - System.nanoTime()) / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            watching = false;
            if (watchdog != null) {
                LockSupport.unpark(watchdog);
            }
            MonitorRecord left;
            while ((left = queue.poll()) != null) {
                losses.computeIfAbsent(STOPPED, k -> new LongAdder()).increment();
                downstream.accept(left);
                pending.decrementAndGet();
            }
            worker = null;
            watchdog = null;
            stopDeadline = Long.MAX_VALUE;
        }
    }

    /** Records that went through at least one enricher within their bound. */
    /** Records waiting for the enrichers (they go on to the bus). */
    public int queued() {
        return queue.size();
    }

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
