package io.kflowd.core.kernel;

/**
 * The last {@code capacity} record ids seen, as a set: {@link #add} says whether an id is
 * new. Ids live in two long arrays (an insertion-order ring and an open-addressing table),
 * so remembering one allocates nothing. A set of boxed Longs did: at 100,000 records/s
 * each entry outlived a few young collections, was promoted and died in the old
 * generation, which then grew by megabytes a second until a full collection.
 */
final class RecentIds {

    private static final long EMPTY = 0;   // record ids start at 1
    private final long[] order;
    private final long[] table;
    private final int mask;
    private int next;
    private int size;

    RecentIds(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        order = new long[capacity];
        // at most half full: probe sequences stay short
        table = new long[Integer.highestOneBit(capacity * 2 - 1) * 2];
        mask = table.length - 1;
    }

    /** True when id was not among the last {@code capacity} ids added (it is now). */
    boolean add(long id) {
        if (id == EMPTY) {
            return true;
        }
        int slot = home(id);
        while (table[slot] != EMPTY) {
            if (table[slot] == id) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        if (size == order.length) {
            remove(order[next]);
            size--;
            // the removal may have freed a slot on id's probe run: look again from its home
            slot = home(id);
            while (table[slot] != EMPTY) {
                slot = (slot + 1) & mask;
            }
        }
        table[slot] = id;
        order[next] = id;
        next = next + 1 == order.length ? 0 : next + 1;
        size++;
        return true;
    }

    int size() {
        return size;
    }

    private int home(long id) {
        return (int) ((id * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }

    /** Removes id from the table, shifting later entries of its probe run back (no tombstones). */
    private void remove(long id) {
        int hole = home(id);
        while (table[hole] != id) {
            if (table[hole] == EMPTY) {
                return;
            }
            hole = (hole + 1) & mask;
        }
        int probe = hole;
        while (true) {
            probe = (probe + 1) & mask;
            long moved = table[probe];
            if (moved == EMPTY) {
                break;
            }
            int want = home(moved);
            // moved may fill the hole unless its home lies cyclically in (hole, probe]
            boolean homeBetween = hole <= probe ? want > hole && want <= probe : want > hole || want <= probe;
            if (!homeBetween) {
                table[hole] = moved;
                hole = probe;
            }
        }
        table[hole] = EMPTY;
    }
}
