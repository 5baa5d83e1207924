package io.kflowd.libbpf;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The memory of a {@code BPF_MAP_TYPE_RINGBUF}: the consumer position (written by us), the
 * producer position (written by the kernel) and the data area.
 *
 * <p>{@link #map} maps the consumer page read-write at offset 0 and the producer page plus
 * the data area ONCE, read-only, at offset page_size. The kernel could map the data twice in
 * a row (libbpf does) so that a record wrapping past the end is contiguous; but the kernel
 * populates the whole mapping at mmap time, so the second copy costs its full size in
 * resident memory (64 MiB for the default ring) to save a copy of the rare wrapped record,
 * which {@link RingReader} makes instead. {@link #of} wraps memory the caller owns.
 */
public final class RingMemory implements AutoCloseable {

    static final VarHandle LONG = JAVA_LONG.varHandle();

    private final MemorySegment consumerPos;
    private final MemorySegment producerPos;
    private final MemorySegment data;
    private final long size;
    private final long mask;
    private final Unmapper unmapper;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Releases a native mapping. */
    @FunctionalInterface
    interface Unmapper {
        void unmap();
    }

    private RingMemory(MemorySegment consumerPos, MemorySegment producerPos, MemorySegment data, long size,
            Unmapper unmapper) {
        this.consumerPos = consumerPos;
        this.producerPos = producerPos;
        this.data = data;
        this.size = size;
        this.mask = size - 1;
        this.unmapper = unmapper;
    }

    /**
     * Wraps caller-owned memory.
     *
     * @param consumerPos at least 8 bytes, 8-aligned: the u64 consumer position
     * @param producerPos at least 8 bytes, 8-aligned: the u64 producer position
     * @param data        at least {@code size} bytes, 8-aligned: the data area
     * @param size        the ring size, a power of 2
     */
    public static RingMemory of(MemorySegment consumerPos, MemorySegment producerPos, MemorySegment data, long size) {
        Objects.requireNonNull(consumerPos, "consumerPos");
        Objects.requireNonNull(producerPos, "producerPos");
        Objects.requireNonNull(data, "data");
        checkSize(size);
        if (data.byteSize() < size) {
            throw new IllegalArgumentException("data needs " + size + " bytes, has " + data.byteSize());
        }
        return new RingMemory(position(consumerPos, "consumerPos"), position(producerPos, "producerPos").asReadOnly(),
                data.asSlice(0, size).asReadOnly(), size, () -> { });
    }

    /** Maps the ring buffer behind a map fd; {@code size} is the map's max_entries. */
    public static RingMemory map(int fd, long size) {
        return map(new LibC(), fd, size);
    }

    static RingMemory map(LibC libc, int fd, long size) {
        checkSize(size);
        long page = libc.pageSize();
        if (size % page != 0) {
            throw new IllegalArgumentException("ring size " + size + " is not a multiple of the page size " + page);
        }
        long producerLength = page + size;
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment callState = scratch.allocate(LibC.CALL_STATE);
            MemorySegment consumer = libc.mmap(callState, MemorySegment.NULL, page,
                    LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
            if (consumer.address() == LibC.MAP_FAILED) {
                throw new LibBpfException("mmap", LibC.errno(callState), "ring buffer fd " + fd + ", consumer page");
            }
            MemorySegment producer = libc.mmap(callState, MemorySegment.NULL, producerLength,
                    LibC.PROT_READ, LibC.MAP_SHARED, fd, page);
            if (producer.address() == LibC.MAP_FAILED) {
                int errno = LibC.errno(callState);
                libc.munmap(callState, consumer, page);
                throw new LibBpfException("mmap", errno, "ring buffer fd " + fd + ", producer page and "
                        + size + " bytes of data");
            }
            // scoped: once unmapped, an access throws instead of touching freed memory
            Arena scope = Arena.ofShared();
            MemorySegment consumerPage = consumer.reinterpret(page, scope, null);
            // read-only in Java too: a write would be a SIGSEGV, this way it is an IllegalArgumentException
            MemorySegment producerArea = producer.reinterpret(producerLength, scope, null).asReadOnly();
            Unmapper unmap = () -> {
                scope.close();
                try (Arena a = Arena.ofConfined()) {
                    MemorySegment state = a.allocate(LibC.CALL_STATE);
                    libc.munmap(state, MemorySegment.ofAddress(producer.address()), producerLength);
                    libc.munmap(state, MemorySegment.ofAddress(consumer.address()), page);
                }
            };
            return new RingMemory(consumerPage.asSlice(0, 8), producerArea.asSlice(0, 8),
                    producerArea.asSlice(page, size), size, unmap);
        }
    }

    private static void checkSize(long size) {
        if (size < 8 || Long.bitCount(size) != 1) {
            throw new IllegalArgumentException("ring size must be a power of 2, not " + size);
        }
    }

    private static MemorySegment position(MemorySegment s, String what) {
        if (s.byteSize() < 8 || s.address() % 8 != 0 && s.isNative()) {
            throw new IllegalArgumentException(what + " must be 8 bytes, 8-aligned");
        }
        return s.asSlice(0, 8);
    }

    /** The u64 consumer position, written by the reader with release semantics. */
    public MemorySegment consumerPos() {
        return consumerPos;
    }

    /** The u64 producer position (read-only), read with acquire semantics. */
    public MemorySegment producerPos() {
        return producerPos;
    }

    /** The data area twice in a row (read-only), 2 &times; {@link #size()} bytes. */
    public MemorySegment data() {
        return data;
    }

    /** The ring size in bytes. */
    public long size() {
        return size;
    }

    /** {@code size - 1}: position &amp; mask is the offset in {@link #data()}. */
    public long mask() {
        return mask;
    }

    /** The consumer position, read with acquire semantics. */
    public long consumerPosition() {
        return (long) LONG.getAcquire(consumerPos, 0L);
    }

    /** The producer position, read with acquire semantics. */
    public long producerPosition() {
        return (long) LONG.getAcquire(producerPos, 0L);
    }

    /** Unmaps a mapped ring (segments become inaccessible); nothing for caller-owned memory. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            unmapper.unmap();
        }
    }
}
