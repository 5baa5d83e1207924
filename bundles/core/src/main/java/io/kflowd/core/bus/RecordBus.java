package io.kflowd.core.bus;

import io.kflowd.api.MonitorRecord;
import io.kflowd.api.RecordFormatter;
import io.kflowd.api.RecordSink;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Carries records from the ring reader to the active formatter and every sink. The
 * reader only offers into a bounded queue and never waits: a slow or failing sink delays
 * the bus thread, never the kernel side. A record that cannot be queued or delivered is
 * counted by reason; the counts are what {@code kflowd:status} shows as dropped.
 */
public final class RecordBus {

    private static final Logger LOG = Logger.getLogger(RecordBus.class.getName());
    private static final long COMPLAINT_INTERVAL_NANOS = 60_000_000_000L;
    /** Longest time a delivered record may sit in a sink's buffer while more are expected. */
    private static final long LINGER_MICROS = 5_000;

    /** Why a record was not delivered. */
    public enum Loss {
        QUEUE_FULL, NO_FORMATTER, FORMATTER_FAILED, SINK_FAILED, NO_SINK
    }

    private final BlockingQueue<MonitorRecord> queue;
    private final Map<String, RecordFormatter> formatters = new ConcurrentHashMap<>();
    private final Set<RecordSink> sinks = new CopyOnWriteArraySet<>();
    private final Map<Loss, LongAdder> losses = new ConcurrentHashMap<>();
    private final LongAdder delivered = new LongAdder();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(8192);
    private volatile String format;
    private volatile boolean running;
    private Thread thread;
    private long lastComplaint = System.nanoTime() - COMPLAINT_INTERVAL_NANOS;
    /** Since when no formatter or sink is there (0: they are); a few seconds of that is normal at start. */
    private long notReadySince;
    private static final long HOLD_QUIETLY_NANOS = 5_000_000_000L;

    public RecordBus(int capacity, String format) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.format = format;
        for (Loss loss : Loss.values()) {
            losses.put(loss, new LongAdder());
        }
    }

    public void addFormatter(String name, RecordFormatter formatter) {
        formatters.put(name, formatter);
    }

    public void removeFormatter(String name, RecordFormatter formatter) {
        formatters.remove(name, formatter);
    }

    public void addSink(RecordSink sink) {
        sinks.add(sink);
    }

    public void removeSink(RecordSink sink) {
        sinks.remove(sink);
    }

    /** Switches the output format; records already formatted keep theirs. */
    public void setFormat(String format) {
        this.format = format;
    }

    /** Records the queue can take now (the reader takes no more than that from the ring). */
    public int room() {
        return queue.remainingCapacity();
    }

    /** Called by the reader: never blocks. False (and counted) when the queue is full. */
    public boolean offer(MonitorRecord record) {
        if (queue.offer(record)) {
            return true;
        }
        losses.get(Loss.QUEUE_FULL).increment();
        return false;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("kflowd-record-bus").daemon().start(this::run);
    }

    /** Delivers what is queued (up to the timeout), then stops the thread. */
    public synchronized void stop(long timeoutMillis) {
        if (!running) {
            return;
        }
        running = false;
        thread.interrupt();
        try {
            thread.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long left = queue.size();
        if (left > 0) {
            losses.get(Loss.QUEUE_FULL).add(left);
            queue.clear();
            LOG.warning(left + " records could not be delivered before the stop timeout");
        }
    }

    public long delivered() {
        return delivered.sum();
    }

    public Map<Loss, Long> losses() {
        Map<Loss, Long> result = new java.util.EnumMap<>(Loss.class);
        losses.forEach((loss, count) -> result.put(loss, count.sum()));
        return result;
    }

    private void run() {
        while (true) {
            MonitorRecord record;
            try {
                if (!ready()) {
                    // At start the formatter and sink plugins arrive from the plugin folder a
                    // moment after the core; after a plugin update they are briefly gone.
                    // Records wait in the queue meanwhile instead of being dropped.
                    long now = System.nanoTime();
                    if (notReadySince == 0) {
                        notReadySince = now;
                    } else if (now - notReadySince > HOLD_QUIETLY_NANOS) {
                        complain("records are held (" + queue.size() + " queued): no formatter for output format '"
                                + format + "' or no sink is active; install the plugin if it is missing", null);
                    }
                    if (!running) {
                        drainRemaining();
                        return;
                    }
                    Thread.sleep(20);
                    continue;
                }
                notReadySince = 0;
                record = queue.poll();
                if (record == null) {
                    // a burst rarely pauses for long: wait a moment before writing out, so
                    // records leave in few large writes, not one syscall each
                    record = queue.poll(LINGER_MICROS, TimeUnit.MICROSECONDS);
                }
                if (record == null) {
                    flushSinks();
                    if (!running) {
                        return;
                    }
                    record = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (record == null) {
                        continue;
                    }
                }
            } catch (InterruptedException e) {
                // stop(): deliver what is left, then end
                drainRemaining();
                return;
            }
            deliver(record);
        }
    }

    private boolean ready() {
        return formatters.containsKey(format) && !sinks.isEmpty();
    }

    private void drainRemaining() {
        MonitorRecord record;
        while ((record = queue.poll()) != null) {
            deliver(record);
        }
        flushSinks();
    }

    private void deliver(MonitorRecord record) {
        String current = format;
        RecordFormatter formatter = formatters.get(current);
        if (formatter == null) {
            lose(Loss.NO_FORMATTER, "no formatter for output format '" + current
                    + "' is active: install its bundle in the plugin folder", null);
            return;
        }
        buffer.reset();
        try {
            formatter.format(record, buffer);
        } catch (Exception | LinkageError e) {
            lose(Loss.FORMATTER_FAILED, "formatter '" + current + "' failed", e);
            return;
        }
        if (sinks.isEmpty()) {
            lose(Loss.NO_SINK, "no sink is active (stdout off and no -u collector): records are discarded", null);
            return;
        }
        byte[] text = buffer.toByteArray();
        if (!current.equals(headerFormat)) {
            headerFormat = current;
            sendHeader(current, formatter);
        }
        boolean any = false;
        for (RecordSink sink : sinks) {
            try {
                if (sink.deliver(record, current, text)) {
                    any = true;
                } else {
                    losses.get(Loss.SINK_FAILED).increment();
                }
            } catch (Exception | LinkageError e) {
                lose(Loss.SINK_FAILED, "sink " + sink.getClass().getName() + " failed", e);
            }
        }
        if (any) {
            delivered.increment();
        }
    }

    /** The format whose header the sinks got last (bus thread only). */
    private String headerFormat;

    private void sendHeader(String current, RecordFormatter formatter) {
        String header;
        try {
            header = formatter.header();
        } catch (Exception | LinkageError e) {
            lose(Loss.FORMATTER_FAILED, "formatter '" + current + "' failed to give its header", e);
            return;
        }
        if (header == null || header.isEmpty()) {
            return;
        }
        byte[] bytes = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (RecordSink sink : sinks) {
            try {
                sink.header(current, bytes);
            } catch (Exception | LinkageError e) {
                lose(Loss.SINK_FAILED, "sink " + sink.getClass().getName() + " failed to write a header", e);
            }
        }
    }

    private void flushSinks() {
        for (RecordSink sink : sinks) {
            try {
                sink.flush();
            } catch (Exception | LinkageError e) {
                lose(Loss.SINK_FAILED, "sink " + sink.getClass().getName() + " failed to flush", e);
            }
        }
    }

    /** Counts the loss; says why at most once a minute, so a broken plugin cannot flood the log. */
    private void lose(Loss loss, String why, Throwable cause) {
        losses.get(loss).increment();
        complain(why + " (counted as " + loss.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")", cause);
    }

    private void complain(String why, Throwable cause) {
        long now = System.nanoTime();
        if (now - lastComplaint >= COMPLAINT_INTERVAL_NANOS) {
            lastComplaint = now;
            LOG.log(Level.WARNING, why, cause);
        }
    }
}
