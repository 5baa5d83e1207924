package io.kflowd.libbpf;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A ring buffer in Arena memory laid out like the kernel's: every byte written to the data
 * area is written twice (at offset and offset + size), as the kernel's double mapping
 * shows it, so records that wrap are contiguous for the reader.
 */
final class SyntheticRing implements AutoCloseable {

    final long size;
    final Arena arena = Arena.ofConfined();
    final MemorySegment consumer = arena.allocate(8, 8);
    final MemorySegment producer = arena.allocate(8, 8);
    final MemorySegment data;
    private final RingMemory memory;
    private long writePos;

    SyntheticRing(long size, long startPos) {
        this.size = size;
        this.data = arena.allocate(2 * size, 4096);
        consumer.set(JAVA_LONG, 0, startPos);
        producer.set(JAVA_LONG, 0, startPos);
        writePos = startPos;
        memory = RingMemory.of(consumer, producer, data, size);
    }

    RingMemory memory() {
        return memory;
    }

    /**
     * Writes a record at the write position (not yet visible: see {@link #publish()}):
     * header, then {@code length} payload bytes, the first 8 the id (if they fit), the rest
     * {@code (byte) id}.
     *
     * @return the record's position (of its header)
     */
    long append(long id, int length, int headerBits) {
        long pos = writePos;
        putInt(pos, length | headerBits);
        putInt(pos + 4, 0); // pg_off: not read by user space
        for (int i = 0; i < length; i++) {
            byte b = i < 8 ? (byte) (id >>> (8 * i)) : (byte) id;
            put(pos + RingReader.BPF_RINGBUF_HDR_SZ + i, b);
        }
        writePos = pos + ((length + RingReader.BPF_RINGBUF_HDR_SZ + 7L) & ~7L);
        return pos;
    }

    /** Rewrites a record's header, e.g. to clear the busy bit as the kernel's commit does. */
    void setHeader(long pos, int length, int headerBits) {
        putInt(pos, length | headerBits);
    }

    /** Makes everything appended so far visible: producer position = write position. */
    void publish() {
        RingMemory.LONG.setRelease(producer, 0L, writePos);
    }

    long writePos() {
        return writePos;
    }

    long consumerPos() {
        return consumer.get(JAVA_LONG, 0);
    }

    private void putInt(long pos, int value) {
        for (int i = 0; i < 4; i++) {
            put(pos + i, (byte) (value >>> (8 * i))); // little-endian, like x86-64
        }
    }

    private void put(long pos, byte b) {
        long offset = pos & (size - 1);
        data.set(java.lang.foreign.ValueLayout.JAVA_BYTE, offset, b);
        data.set(java.lang.foreign.ValueLayout.JAVA_BYTE, offset + size, b);
    }

    @Override
    public void close() {
        arena.close();
    }
}
