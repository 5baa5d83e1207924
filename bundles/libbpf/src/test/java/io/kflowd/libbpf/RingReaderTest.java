package io.kflowd.libbpf;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The ring reader's protocol on synthetic ring memory (no kernel). */
class RingReaderTest {

    private static final int BUSY = RingReader.BPF_RINGBUF_BUSY_BIT;
    private static final int DISCARD = RingReader.BPF_RINGBUF_DISCARD_BIT;

    /** What a handler saw; built after the batch from primitive arrays (no allocation per record). */
    private static final class Seen implements RecordHandler {
        final long[] ids = new long[64];
        final long[] offsets = new long[64];
        final int[] lengths = new int[64];
        int count;

        @Override
        public void onRecord(MemorySegment data, long offset, int length) {
            ids[count] = length >= 8 ? data.get(JAVA_LONG, offset) : data.get(JAVA_BYTE, offset);
            // the rest of the payload is (byte) id: check it in place, contiguous even when wrapped
            for (int i = 8; i < length; i++) {
                if (data.get(JAVA_BYTE, offset + i) != (byte) ids[count]) {
                    throw new AssertionError("record " + ids[count] + ": byte " + i + " differs");
                }
            }
            offsets[count] = offset;
            lengths[count] = length;
            count++;
        }

        List<Long> ids() {
            List<Long> list = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                list.add(ids[i]);
            }
            return list;
        }
    }

    @Test
    void deliversSeveralRecordsInOrder() {
        try (SyntheticRing ring = new SyntheticRing(4096, 0)) {
            long[] positions = new long[5];
            for (int i = 0; i < 5; i++) {
                positions[i] = ring.append(100 + i, 8 + 8 * i, 0);
            }
            ring.publish();
            Seen seen = new Seen();
            RingReader reader = new RingReader(ring.memory(), seen);

            assertEquals(5, reader.drain());

            assertEquals(List.of(100L, 101L, 102L, 103L, 104L), seen.ids());
            for (int i = 0; i < 5; i++) {
                assertEquals(positions[i] + 8, seen.offsets[i], "payload follows the 8-byte header");
                assertEquals(8 + 8 * i, seen.lengths[i]);
            }
            assertEquals(ring.writePos(), ring.consumerPos());
            assertEquals(5, reader.records());
            assertEquals(1, reader.batches());
            assertEquals(ring.writePos(), reader.bytes());
            assertEquals(0, reader.pending());
        }
    }

    @Test
    void aLimitLeavesTheRestInTheRingForTheNextDrain() {
        try (SyntheticRing ring = new SyntheticRing(4096, 0)) {
            long[] positions = new long[5];
            for (int i = 0; i < 5; i++) {
                positions[i] = ring.append(200 + i, 16, i == 1 ? DISCARD : 0);
            }
            ring.publish();
            Seen seen = new Seen();
            RingReader reader = new RingReader(ring.memory(), seen);

            assertEquals(2, reader.drain(2), "the discarded record does not count against the limit");
            assertEquals(List.of(200L, 202L), seen.ids());
            assertEquals(positions[3], ring.consumerPos(), "consumed up to the last record delivered, no further");
            assertEquals(0, reader.drain(0));
            assertEquals(positions[3], ring.consumerPos());

            assertEquals(2, reader.drain(10));
            assertEquals(List.of(200L, 202L, 203L, 204L), seen.ids());
            assertEquals(ring.writePos(), ring.consumerPos());
            assertEquals(2, reader.batches());
        }
    }

    @Test
    void emptyRingIsNoBatch() {
        try (SyntheticRing ring = new SyntheticRing(4096, 128)) {
            RingReader reader = new RingReader(ring.memory(), (d, o, l) -> {
                throw new AssertionError("no record expected");
            });
            assertEquals(0, reader.drain());
            assertEquals(0, reader.batches());
            assertEquals(128, ring.consumerPos());
        }
    }

    @Test
    void recordThatWrapsIsCopiedIntoOnePiece() {
        long size = 256;
        // positions only grow; start three laps in, 40 bytes before the end of the ring
        long start = 3 * size + 216;
        try (SyntheticRing ring = new SyntheticRing(size, start)) {
            long wrapping = ring.append(7, 100, 0); // header at 216, payload 224..323: wraps at 256
            long next = ring.append(8, 24, 0);
            ring.publish();
            Seen seen = new Seen();
            RingReader reader = new RingReader(ring.memory(), seen);

            assertEquals(2, reader.drain());

            assertEquals(List.of(7L, 8L), seen.ids(), "the wrapped record's bytes arrive whole and in order");
            assertTrue((wrapping & (size - 1)) + 8 + 100 > size, "the first record crosses the end of the ring");
            assertEquals(0, seen.offsets[0], "a wrapped record is handed over from the reader's copy");
            assertEquals(100, seen.lengths[0]);
            assertEquals(1, reader.wrapped());
            assertEquals((next & (size - 1)) + 8, seen.offsets[1], "the next record is read in place at its masked offset");
            assertTrue(seen.offsets[1] < size);
            assertEquals(ring.writePos(), ring.consumerPos());
        }
    }

    @Test
    void discardedRecordIsSkippedButConsumed() {
        try (SyntheticRing ring = new SyntheticRing(4096, 0)) {
            ring.append(1, 16, 0);
            ring.append(2, 40, DISCARD);
            ring.append(3, 16, 0);
            ring.publish();
            Seen seen = new Seen();
            RingReader reader = new RingReader(ring.memory(), seen);

            assertEquals(2, reader.drain());

            assertEquals(List.of(1L, 3L), seen.ids());
            assertEquals(ring.writePos(), ring.consumerPos(), "the discarded record's space is released too");
            assertEquals(1, reader.discarded());
            assertEquals(2, reader.records());
        }
    }

    @Test
    void busyRecordStopsTheBatchAndStaysUnconsumed() {
        try (SyntheticRing ring = new SyntheticRing(4096, 0)) {
            ring.append(1, 16, 0);
            long busy = ring.append(2, 24, BUSY);
            ring.append(3, 16, 0);
            ring.publish();
            Seen seen = new Seen();
            RingReader reader = new RingReader(ring.memory(), seen);

            assertEquals(1, reader.drain());
            assertEquals(List.of(1L), seen.ids());
            assertEquals(busy, ring.consumerPos(), "consumer position stays before the busy record");

            assertEquals(0, reader.drain(), "still busy: nothing more");
            assertEquals(busy, ring.consumerPos());

            ring.setHeader(busy, 24, 0); // the kernel commits the record
            assertEquals(2, reader.drain());
            assertEquals(List.of(1L, 2L, 3L), seen.ids());
            assertEquals(ring.writePos(), ring.consumerPos());
            assertEquals(2, reader.batches());
        }
    }

    @Test
    void consumerPositionIsWrittenOncePerBatchAfterTheLastRecord() {
        try (SyntheticRing ring = new SyntheticRing(4096, 64)) {
            for (int i = 0; i < 10; i++) {
                ring.append(i, 16 + i, 0);
            }
            ring.publish();
            RingMemory memory = ring.memory();
            long[] observed = new long[10];
            int[] calls = {0};
            RingReader reader = new RingReader(memory, (data, offset, length) -> {
                // while the batch runs the kernel still sees the old position: nothing released yet
                observed[calls[0]++] = memory.consumerPosition();
            });

            assertEquals(10, reader.drain());

            long[] expected = new long[10];
            java.util.Arrays.fill(expected, 64);
            assertArrayEquals(expected, observed, "unchanged during the batch");
            assertEquals(ring.writePos(), memory.consumerPosition(), "the end of the last consumed record");
            assertEquals(1, reader.batches());

            // records published later form the next batch, released once again
            ring.append(10, 8, 0);
            ring.append(11, 8, 0);
            ring.publish();
            long before = memory.consumerPosition();
            calls[0] = 0;
            assertEquals(2, reader.drain());
            assertEquals(before, observed[0]);
            assertEquals(before, observed[1]);
            assertEquals(ring.writePos(), memory.consumerPosition());
            assertEquals(2, reader.batches());
        }
    }

    @Test
    void onlyRecordsBeforeTheProducerPositionAreRead() {
        try (SyntheticRing ring = new SyntheticRing(4096, 0)) {
            ring.append(1, 8, 0);
            ring.publish();
            long end = ring.writePos();
            ring.append(2, 8, 0); // written, not yet published
            Seen seen = new Seen();
            RingReader reader = new RingReader(ring.memory(), seen);

            assertEquals(1, reader.drain());
            assertEquals(end, ring.consumerPos());
            ring.publish();
            assertEquals(1, reader.drain());
            assertEquals(List.of(1L, 2L), seen.ids());
        }
    }

    @Test
    void lengthsThatAreNotMultiplesOfEightAreRoundedUp() {
        try (SyntheticRing ring = new SyntheticRing(4096, 0)) {
            int[] lengths = {1, 3, 7, 9, 12, 15, 17, 8, 23, 33};
            long[] positions = new long[lengths.length];
            for (int i = 0; i < lengths.length; i++) {
                positions[i] = ring.append(i, lengths[i], 0);
            }
            ring.publish();
            Seen seen = new Seen();
            RingReader reader = new RingReader(ring.memory(), seen);

            assertEquals(lengths.length, reader.drain());

            long expected = 0;
            for (int i = 0; i < lengths.length; i++) {
                assertEquals(expected, positions[i]);
                assertEquals(expected + 8, seen.offsets[i], "record " + i);
                assertEquals(0, seen.offsets[i] % 8, "8-byte aligned");
                assertEquals(lengths[i], seen.lengths[i], "the length without the padding");
                assertEquals(i, seen.ids[i]);
                expected += 8 + ((lengths[i] + 7) & ~7);
            }
            assertEquals(expected, ring.consumerPos());
        }
    }

    @Test
    void handlerFailureEndsTheBatchWithTheRecordConsumed() {
        try (SyntheticRing ring = new SyntheticRing(4096, 0)) {
            ring.append(1, 8, 0);
            ring.append(2, 8, 0);
            long third = ring.append(3, 8, 0);
            ring.publish();
            List<Long> seen = new ArrayList<>();
            RingReader reader = new RingReader(ring.memory(), (data, offset, length) -> {
                long id = data.get(JAVA_LONG, offset);
                seen.add(id);
                if (id == 2) {
                    throw new IllegalStateException("bad record");
                }
            });

            assertThrows(IllegalStateException.class, reader::drain);
            assertEquals(third, ring.consumerPos(), "the failing record is not delivered again");
            assertEquals(1, reader.drain());
            assertEquals(List.of(1L, 2L, 3L), seen);
        }
    }

    @Test
    void handlerCannotWriteIntoTheRing() {
        try (SyntheticRing ring = new SyntheticRing(4096, 0)) {
            ring.append(1, 8, 0);
            ring.publish();
            RingReader reader = new RingReader(ring.memory(), (data, offset, length) -> data.set(JAVA_LONG, offset, 0));
            assertThrows(IllegalArgumentException.class, reader::drain, "read-only segment, not a SIGSEGV");
        }
    }

    @Test
    void drainDoesNotAllocatePerRecord() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int perRound = 1000;
        long[] sum = {0};
        try (SyntheticRing ring = new SyntheticRing(64 * 1024, 0)) {
            RingReader reader = new RingReader(ring.memory(), (data, offset, length) -> sum[0] += data.get(JAVA_LONG, offset));
            long allocated = Long.MAX_VALUE;
            // bounded: warm up, then take the least any round allocated
            for (int round = 0; round < 30; round++) {
                for (int i = 0; i < perRound; i++) {
                    ring.append(i, 8 + (i % 3) * 8, 0); // 16..32 bytes a record: wraps the 64 KiB ring
                }
                ring.publish();
                long before = threads.getCurrentThreadAllocatedBytes();
                int n = reader.drain();
                long after = threads.getCurrentThreadAllocatedBytes();
                assertEquals(perRound, n);
                allocated = Math.min(allocated, after - before);
            }
            assertTrue(allocated < perRound, "bytes allocated while draining " + perRound + " records: " + allocated);
            assertEquals(30L * perRound, reader.records());
        }
    }

    @Test
    void memoryIsValidated() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pos = arena.allocate(8, 8);
            assertThrows(IllegalArgumentException.class, () -> RingMemory.of(pos, pos, arena.allocate(600), 300));
            assertThrows(IllegalArgumentException.class, () -> RingMemory.of(pos, pos, arena.allocate(128), 256));
            RingReader reader = new RingReader(RingMemory.of(pos, pos, arena.allocate(256, 8), 256), (d, o, l) -> { });
            assertThrows(IllegalStateException.class, () -> reader.poll(0), "no fd to wait on");
        }
    }
}
