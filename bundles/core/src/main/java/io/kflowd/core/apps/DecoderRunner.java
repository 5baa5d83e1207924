package io.kflowd.core.apps;

import io.kflowd.api.AppDecoder;
import io.kflowd.api.AppMessage;
import io.kflowd.api.AppPayload;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * Runs a decoder on one message with a time and size bound (issue 5): a decoder that
 * throws, overruns its time or returns too much yields an {@code _Exception} object for that
 * message and the record still goes out. A decoder stuck in a loop cannot be killed in
 * Java: its thread is abandoned (daemon, counted) and a fresh one serves the next message.
 */
public final class DecoderRunner implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("kflowd.decoders");
    /** Members and array elements of one decoded message, all levels. */
    static final int MAX_VALUES = 4096;
    /** Characters of all strings of one decoded message. */
    static final int MAX_CHARS = 256 * 1024;

    private final long timeoutNanos;
    private ExecutorService worker = newWorker();
    private final LongAdder failures = new LongAdder();
    private final LongAdder abandonedThreads = new LongAdder();

    public DecoderRunner(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(Thread.ofPlatform().name("kflowd-decoder").daemon().factory());
    }

    /** The decoded messages, or one {@code _Exception} object naming what went wrong. */
    public List<AppMessage> decode(AppDecoder decoder, String decoderName, AppPayload payload) {
        Future<List<AppMessage>> future = worker.submit(() -> decoder.decode(payload));
        try {
            List<AppMessage> result = future.get(timeoutNanos, TimeUnit.NANOSECONDS);
            if (result == null) {
                return List.of();
            }
            if (!withinBounds(result)) {
                return failed(decoderName, "result too large");
            }
            return result;
        } catch (TimeoutException e) {
            future.cancel(true);
            // the thread may never come back: leave it, take a new one
            worker.shutdownNow();
            worker = newWorker();
            abandonedThreads.increment();
            LOG.warning(decoderName + " did not finish a message within " + timeoutNanos / 1_000_000 + " ms");
            return failed(decoderName, "timeout");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return failed(decoderName, cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(decoderName, "interrupted");
        }
    }

    private List<AppMessage> failed(String decoderName, String reason) {
        failures.increment();
        // spec 7: {"_Exception": "DNS Message Decoder"}; the reason is ours
        return List.of(AppMessage.of(AppMessage.member("_Exception", AppMessage.string(decoderName)),
                AppMessage.member("_Reason", AppMessage.string(reason.length() > 200 ? reason.substring(0, 200) : reason))));
    }

    /** Messages that became an {@code _Exception}. */
    public long failures() {
        return failures.sum();
    }

    public long abandonedThreads() {
        return abandonedThreads.sum();
    }

    static boolean withinBounds(List<AppMessage> messages) {
        long[] budget = {MAX_VALUES * (long) Math.max(1, messages.size()), MAX_CHARS};
        for (AppMessage m : messages) {
            if (m == null || !members(m.members(), budget, 0)) {
                return false;
            }
        }
        return true;
    }

    private static boolean members(List<AppMessage.Member> members, long[] budget, int depth) {
        if (depth > 32) {
            return false;
        }
        for (AppMessage.Member member : members) {
            budget[1] -= member.key().length();
            if (!value(member.value(), budget, depth)) {
                return false;
            }
        }
        return true;
    }

    private static boolean value(AppMessage.Value value, long[] budget, int depth) {
        if (--budget[0] < 0) {
            return false;
        }
        return switch (value) {
            case AppMessage.StringValue s -> (budget[1] -= s.text().length()) >= 0;
            case AppMessage.ArrayValue a -> a.values().stream().allMatch(v -> value(v, budget, depth + 1));
            case AppMessage.ObjectValue o -> members(o.members(), budget, depth + 1);
            default -> budget[1] >= 0;
        };
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
