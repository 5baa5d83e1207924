package io.kflowd.libbpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * Reads a {@code BPF_MAP_TYPE_RINGBUF} in place through its mapping (ARCHITECTURE.md
 * section 4), at C speed and without allocating per record: record headers are read with
 * acquire semantics, records are handed to the {@link RecordHandler} where they lie, and the
 * consumer position is written with release semantics once per batch, after the batch.
 *
 * <p>Waiting uses an edge-triggered epoll on the map fd, so producers must batch wakeups
 * ({@code BPF_RB_NO_WAKEUP} with a {@code BPF_RB_FORCE_WAKEUP} every N records) and the
 * caller must poll with a timeout: records submitted without a wakeup are picked up at the
 * next timeout at the latest. Default per-record wakeups and edge-triggered epoll lose
 * wakeups; do not combine them.
 *
 * <p>One thread reads ({@link #poll}/{@link #drain}); statistics may be read from any thread.
 * Close from the reading thread or after it stopped.
 */
public final class RingReader implements AutoCloseable {

    /** The kernel is still writing this record: the batch stops before it. */
    public static final int BPF_RINGBUF_BUSY_BIT = 1 << 31;
    /** The producer discarded this record: consumed, not delivered. */
    public static final int BPF_RINGBUF_DISCARD_BIT = 1 << 30;
    /** u32 length (with the two bits above) + u32 page offset. */
    public static final int BPF_RINGBUF_HDR_SZ = 8;

    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final int MAX_EVENTS = 4;

    private final RingMemory memory;
    private final RecordHandler handler;
    /** Memory for wrapped records; automatic: freed with the reader, grown rarely. */
    private final java.lang.foreign.Arena wrapArena = java.lang.foreign.Arena.ofAuto();
    private MemorySegment wrapScratch = wrapArena.allocate(8192, 8);
    private long wrapped;
    private final LibC libc;
    private final int epollFd;
    private final MemorySegment events;
    private final MemorySegment callState;
    private volatile boolean closed;

    // written by the reading thread once per batch
    private volatile long records;
    private volatile long discarded;
    private volatile long batches;
    private volatile long bytes;

    /**
     * A reader over memory the caller provides, without an fd to wait on: {@link #drain()}
     * only ({@link #poll} throws). Closing it does not close the memory.
     */
    public RingReader(RingMemory memory, RecordHandler handler) {
        this(memory, handler, null, -1);
    }

    private RingReader(RingMemory memory, RecordHandler handler, LibC libc, int epollFd) {
        this.memory = Objects.requireNonNull(memory, "memory");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.libc = libc;
        this.epollFd = epollFd;
        // freed by the GC: an arena we closed could be busy in another thread's epoll_wait
        Arena buffers = Arena.ofAuto();
        this.events = epollFd < 0 ? null : buffers.allocate(LibC.EPOLL_EVENT, MAX_EVENTS);
        this.callState = epollFd < 0 ? null : buffers.allocate(LibC.CALL_STATE);
    }

    /** Maps the ring-buffer map {@code mapName} of a loaded object and waits on it with epoll. */
    public static RingReader open(BpfObject object, String mapName, RecordHandler handler) {
        BpfMap map = object.map(mapName);
        if (map.type() != LibBpf.BPF_MAP_TYPE_RINGBUF) {
            throw new IllegalArgumentException("map '" + mapName + "' of object '" + object.name()
                    + "' is not a ring buffer (type " + map.type() + ")");
        }
        return open(map.fd(), Integer.toUnsignedLong(map.maxEntries()), handler);
    }

    /**
     * Maps a ring-buffer map fd and waits on it with epoll. The mapping and the epoll
     * registration keep the map alive until {@link #close()}, even if its fd is closed.
     *
     * @param ringSize the map's max_entries
     */
    public static RingReader open(int mapFd, long ringSize, RecordHandler handler) {
        Objects.requireNonNull(handler, "handler");
        LibC libc = new LibC();
        RingMemory memory = RingMemory.map(libc, mapFd, ringSize);
        int epfd = -1;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(LibC.CALL_STATE);
            epfd = libc.epoll_create1(state, LibC.EPOLL_CLOEXEC);
            if (epfd < 0) {
                throw new LibBpfException("epoll_create1", LibC.errno(state), "ring buffer fd " + mapFd);
            }
            MemorySegment event = arena.allocate(LibC.EPOLL_EVENT);
            event.set(JAVA_INT, 0, LibC.EPOLLIN | LibC.EPOLLET);
            if (libc.epoll_ctl(state, epfd, LibC.EPOLL_CTL_ADD, mapFd, event) < 0) {
                throw new LibBpfException("epoll_ctl", LibC.errno(state), "ring buffer fd " + mapFd);
            }
            return new RingReader(memory, handler, libc, epfd);
        } catch (RuntimeException | Error e) {
            if (epfd >= 0) {
                libc.close(epfd);
            }
            memory.close();
            throw e;
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for a wakeup, then drains, whether woken or not.
     *
     * @return records delivered, or a negative errno if epoll_wait failed (EINTR is not a failure)
     */
    public int poll(int timeoutMillis) {
        return poll(timeoutMillis, Integer.MAX_VALUE);
    }

    /**
     * As {@link #poll(int)}, delivering at most {@code limit} records: the rest stay in the
     * ring (for a consumer whose downstream is full; the kernel buffers meanwhile).
     */
    public int poll(int timeoutMillis, int limit) {
        if (epollFd < 0) {
            throw new IllegalStateException("this reader has no fd to wait on; use drain()");
        }
        if (closed) {
            throw new IllegalStateException("ring reader is closed");
        }
        int n = libc.epoll_wait(callState, epollFd, events, MAX_EVENTS, timeoutMillis);
        if (n < 0) {
            int errno = LibC.errno(callState);
            if (errno != Errno.EINTR) {
                return -errno;
            }
        }
        return drain(limit);
    }

    /**
     * One batch, without waiting: every record between the consumer and the producer
     * position (read once, at the start) up to the first busy one, in order; discarded
     * records are skipped. The consumer position is written once, after the batch, even if
     * the handler throws (the record it threw on counts as consumed).
     *
     * @return records delivered
     */
    public int drain() {
        return drain(Integer.MAX_VALUE);
    }

    /** As {@link #drain()}, delivering at most {@code limit} records (discarded ones do not count). */
    public int drain(int limit) {
        RingMemory m = memory;
        MemorySegment data = m.data();
        long mask = m.mask();
        long start = m.consumerPosition();
        long producer = m.producerPosition();
        long consumer = start;
        int delivered = 0;
        int skipped = 0;
        try {
            // bounded: each step advances by at least 8 bytes, at most ring size bytes in all
            while (consumer < producer && delivered < limit) {
                long header = consumer & mask;
                int len = (int) INT.getAcquire(data, header);
                if ((len & BPF_RINGBUF_BUSY_BIT) != 0) {
                    break;
                }
                int length = len & ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
                consumer += (length + BPF_RINGBUF_HDR_SZ + 7L) & ~7L;
                if ((len & BPF_RINGBUF_DISCARD_BIT) != 0) {
                    skipped++;
                    continue;
                }
                delivered++;
                long body = header + BPF_RINGBUF_HDR_SZ;
                if (body + length <= m.size()) {
                    handler.onRecord(data, body, length);
                } else {
                    handler.onRecord(unwrap(data, body & mask, length, m.size()), 0, length);
                }
            }
        } finally {
            if (consumer != start) {
                RingMemory.LONG.setRelease(m.consumerPos(), 0L, consumer);
                records += delivered;
                discarded += skipped;
                bytes += consumer - start;
                batches++;
            }
        }
        return delivered;
    }

    /**
     * A record that wraps past the end of the ring, copied into one piece (the data area is
     * mapped once, see {@link RingMemory}). The scratch buffer is reused: records are
     * handled one at a time and not kept.
     */
    private MemorySegment unwrap(MemorySegment data, long body, int length, long size) {
        if (wrapScratch.byteSize() < length) {
            wrapScratch = wrapArena.allocate(Math.max(length, 2 * wrapScratch.byteSize()), 8);
        }
        long first = Math.min(length, size - body);
        MemorySegment.copy(data, body, wrapScratch, 0, first);
        MemorySegment.copy(data, 0, wrapScratch, first, length - first);
        wrapped++;
        return wrapScratch;
    }

    /** Records that wrapped past the end of the ring and were copied. */
    public long wrapped() {
        return wrapped;
    }

    /** Records delivered to the handler so far. */
    public long records() {
        return records;
    }

    /** Discarded records skipped so far. */
    public long discarded() {
        return discarded;
    }

    /** Batches that consumed something (one consumer-position write each). */
    public long batches() {
        return batches;
    }

    /** Bytes consumed so far, headers and padding included. */
    public long bytes() {
        return bytes;
    }

    /** Bytes the producer has written that are not consumed yet. */
    public long pending() {
        return memory.producerPosition() - memory.consumerPosition();
    }

    /** The ring's memory. */
    public RingMemory memory() {
        return memory;
    }

    /**
     * Closes the epoll fd and unmaps the ring (for {@link #open} readers). Idempotent. A
     * drain running in another thread then fails with an IllegalStateException rather
     * than touching unmapped memory, but close from the reading thread or after it stopped.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (epollFd >= 0) {
            libc.close(epollFd);
            memory.close();
        }
    }

    @Override
    public String toString() {
        return "RingReader[size " + memory.size() + ", records " + records + ", discarded " + discarded
                + ", batches " + batches + "]";
    }
}
