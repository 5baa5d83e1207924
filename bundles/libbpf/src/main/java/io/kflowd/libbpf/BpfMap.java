package io.kflowd.libbpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A loaded map of a {@link BpfObject}, read and written through its fd with the low-level
 * {@code bpf_map_lookup_elem}/{@code bpf_map_update_elem}. Meant for counters and
 * configuration (a call each, a small allocation each), not for per-event paths.
 *
 * <p>For per-CPU maps a value is one slot per possible CPU
 * ({@code libbpf_num_possible_cpus}), each slot the value size rounded up to 8 bytes.
 */
public final class BpfMap {

    private final LibBpf lib;
    private final BpfObject owner;
    private final String name;
    private final int fd;
    private final int type;
    private final int keySize;
    private final int valueSize;
    private final int maxEntries;

    BpfMap(LibBpf lib, BpfObject owner, String name, int fd, int type, int keySize, int valueSize,
            int maxEntries) {
        this.lib = lib;
        this.owner = owner;
        this.name = name;
        this.fd = fd;
        this.type = type;
        this.keySize = keySize;
        this.valueSize = valueSize;
        this.maxEntries = maxEntries;
    }

    public String name() {
        return name;
    }

    /** The map's fd; the owning object closes it. */
    public int fd() {
        return fd;
    }

    /** {@code enum bpf_map_type}, e.g. {@link LibBpf#BPF_MAP_TYPE_RINGBUF}. */
    public int type() {
        return type;
    }

    public int keySize() {
        return keySize;
    }

    /** The value size of one CPU's slot for per-CPU maps. */
    public int valueSize() {
        return valueSize;
    }

    public int maxEntries() {
        return maxEntries;
    }

    public boolean isPerCpu() {
        return type == LibBpf.BPF_MAP_TYPE_PERCPU_HASH || type == LibBpf.BPF_MAP_TYPE_PERCPU_ARRAY
                || type == LibBpf.BPF_MAP_TYPE_LRU_PERCPU_HASH
                || type == LibBpf.BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
    }

    /** CPUs a per-CPU value has a slot for. */
    public int possibleCpus() {
        int n = lib.libbpf_num_possible_cpus();
        if (n < 0) {
            throw new LibBpfException("libbpf_num_possible_cpus", n, "");
        }
        return n;
    }

    /** Bytes {@link #lookup} writes: the value size, or for per-CPU maps one 8-aligned slot per CPU. */
    public long lookupValueSize() {
        return isPerCpu() ? ((valueSize + 7L) & ~7L) * possibleCpus() : valueSize;
    }

    /**
     * Reads the value under {@code key} into {@code value} (at least {@link #lookupValueSize()} bytes).
     * Both must be native segments.
     *
     * @return false if there is no such key
     */
    public boolean lookup(MemorySegment key, MemorySegment value) {
        checkSizes(key, value);
        int err = lib.bpf_map_lookup_elem(fd, key, value);
        if (err == -Errno.ENOENT) {
            return false;
        }
        if (err < 0) {
            throw new LibBpfException("bpf_map_lookup_elem", err, subject());
        }
        return true;
    }

    /**
     * The key after {@code key} ({@link MemorySegment#NULL} for the first) into {@code next};
     * false when there is none. Keys deleted meanwhile make the walk restart, as the kernel does.
     */
    public boolean nextKey(MemorySegment key, MemorySegment next) {
        int err = lib.bpf_map_get_next_key(fd, key, next);
        if (err == -Errno.ENOENT) {
            return false;
        }
        if (err < 0) {
            throw new LibBpfException("bpf_map_get_next_key", err, subject());
        }
        return true;
    }

    /** Atomically reads and removes the element; false when the key is absent. */
    public boolean lookupAndDelete(MemorySegment key, MemorySegment value) {
        checkSizes(key, value);
        int err = lib.bpf_map_lookup_and_delete_elem(fd, key, value);
        if (err == -Errno.ENOENT) {
            return false;
        }
        if (err < 0) {
            throw new LibBpfException("bpf_map_lookup_and_delete_elem", err, subject());
        }
        return true;
    }

    /** Writes {@code value} under {@code key}; flags {@link LibBpf#BPF_ANY} and friends. */
    /** Deletes the entry of {@code key}; false when there is none. */
    public boolean delete(MemorySegment key) {
        int err = lib.bpf_map_delete_elem(fd, key);
        if (err == -Errno.ENOENT) {
            return false;
        }
        if (err != 0) {
            throw new LibBpfException("bpf_map_delete_elem", err, subject());
        }
        return true;
    }

    public void update(MemorySegment key, MemorySegment value, long flags) {
        checkSizes(key, value);
        int err = lib.bpf_map_update_elem(fd, key, value, flags);
        if (err < 0) {
            throw new LibBpfException("bpf_map_update_elem", err, subject());
        }
    }

    /** The u64 at the start of element {@code index} of an array map (u32 key); 0 if absent. */
    public long lookupLong(int index) {
        requireArrayOfLongs(false);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(lookupValueSize(), 8);
            return lookup(arena.allocateFrom(JAVA_INT, index), value) ? value.get(JAVA_LONG, 0) : 0;
        }
    }

    /** The u64 at the start of each CPU's slot of element {@code index} of a per-CPU array. */
    public long[] lookupPerCpuLongs(int index) {
        requireArrayOfLongs(true);
        try (Arena arena = Arena.ofConfined()) {
            int cpus = possibleCpus();
            long slot = (valueSize + 7L) & ~7L;
            MemorySegment value = arena.allocate(slot * cpus, 8);
            long[] result = new long[cpus];
            if (lookup(arena.allocateFrom(JAVA_INT, index), value)) {
                for (int cpu = 0; cpu < cpus; cpu++) {
                    result[cpu] = value.get(JAVA_LONG, cpu * slot);
                }
            }
            return result;
        }
    }

    /** The sum over all CPUs of {@link #lookupPerCpuLongs}. */
    public long sumPerCpuLongs(int index) {
        long sum = 0;
        for (long v : lookupPerCpuLongs(index)) {
            sum += v;
        }
        return sum;
    }

    /** Sets the u64 at the start of element {@code index} of an array map (all CPUs' slots if per-CPU). */
    public void updateLong(int index, long newValue) {
        requireArrayOfLongs(isPerCpu());
        try (Arena arena = Arena.ofConfined()) {
            long slot = isPerCpu() ? (valueSize + 7L) & ~7L : valueSize;
            long slots = isPerCpu() ? possibleCpus() : 1;
            MemorySegment value = arena.allocate(slot * slots, 8);
            for (long i = 0; i < slots; i++) {
                value.set(JAVA_LONG, i * slot, newValue);
            }
            update(arena.allocateFrom(JAVA_INT, index), value, LibBpf.BPF_ANY);
        }
    }

    private void requireArrayOfLongs(boolean perCpu) {
        if (keySize != 4 || valueSize < 8 || isPerCpu() != perCpu) {
            throw new IllegalArgumentException("map '" + name + "' is not a" + (perCpu ? " per-CPU" : "n")
                    + " array of u64 (type " + type + ", key " + keySize + " bytes, value " + valueSize + " bytes)");
        }
    }

    private void checkSizes(MemorySegment key, MemorySegment value) {
        if (!owner.isOpen()) {
            throw new IllegalStateException("map '" + name + "': its BPF object is closed");
        }
        if (key.byteSize() < keySize || value.byteSize() < lookupValueSize()) {
            throw new IllegalArgumentException("map '" + name + "': key needs " + keySize + " bytes, value "
                    + lookupValueSize() + " bytes");
        }
    }

    private String subject() {
        return "object '" + owner.name() + "', map '" + name + "'";
    }

    @Override
    public String toString() {
        return "BpfMap[" + name + ", fd " + fd + ", type " + type + "]";
    }
}
