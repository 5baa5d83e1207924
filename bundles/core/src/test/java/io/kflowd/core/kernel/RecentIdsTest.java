package io.kflowd.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecentIdsTest {

    @Test
    void anIdSeenLatelyIsNotNew() {
        RecentIds ids = new RecentIds(4);
        assertTrue(ids.add(7));
        assertTrue(ids.add(8));
        assertFalse(ids.add(7));
        assertFalse(ids.add(8));
        assertEquals(2, ids.size());
    }

    @Test
    void theOldestIdIsForgottenWhenFull() {
        RecentIds ids = new RecentIds(3);
        for (long id = 1; id <= 3; id++) {
            assertTrue(ids.add(id));
        }
        assertTrue(ids.add(4));        // 1 forgotten
        assertTrue(ids.add(1));        // so 1 is new again, 2 forgotten
        assertFalse(ids.add(3));
        assertFalse(ids.add(4));
        assertTrue(ids.add(2));
        assertEquals(3, ids.size());
    }

    @Test
    void zeroIsNeverRemembered() {
        RecentIds ids = new RecentIds(2);
        assertTrue(ids.add(0));
        assertTrue(ids.add(0));
        assertEquals(0, ids.size());
    }

    @Test
    void capacityMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new RecentIds(0));
    }

    /** Against a plain model: the last N distinct ids added, for clustered and colliding ids. */
    @Test
    void behavesLikeTheLastNIdsForManyRandomOperations() {
        Random random = new Random(42);
        for (int capacity : new int[] {1, 2, 3, 7, 64, 1000}) {
            RecentIds ids = new RecentIds(capacity);
            ArrayDeque<Long> fifo = new ArrayDeque<>();
            Set<Long> model = new HashSet<>();
            for (int i = 0; i < 200_000; i++) {
                // small ranges make repeats, multiples of the table size make equal homes
                long id = switch (random.nextInt(3)) {
                    case 0 -> 1 + random.nextInt(capacity * 3);
                    case 1 -> (1 + random.nextInt(capacity * 2)) * 4096L;
                    default -> 1 + random.nextLong(Long.MAX_VALUE - 1);
                };
                boolean expected = !model.contains(id);
                if (expected) {
                    if (fifo.size() == capacity) {
                        model.remove(fifo.removeFirst());
                    }
                    fifo.addLast(id);
                    model.add(id);
                }
                assertEquals(expected, ids.add(id), "capacity " + capacity + ", operation " + i + ", id " + id);
                assertEquals(model.size(), ids.size());
            }
        }
    }
}
