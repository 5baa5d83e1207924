package io.kflowd.libbpf;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A BPF ELF object ({@code struct bpf_object}): open from an in-memory image, configure
 * ({@link #rodata()}, {@link #setMaxEntries}, {@link #setAutoload}), {@link #load()}, then
 * {@link #attach} programs and read {@link #map maps}. {@link #close()} destroys the links
 * it made and frees everything, so the kernel forgets the programs.
 *
 * <p>Methods are synchronized: configuring, loading and closing from different threads is
 * safe; libbpf itself is not thread-safe per object.
 */
public final class BpfObject implements AutoCloseable {

    private final LibBpf lib;
    private final String name;
    private final Arena arena = Arena.ofShared(); // names passed to libbpf, per-object scratch
    private MemorySegment obj;
    private Arena rodataScope = Arena.ofShared(); // closed at load: later writes would be lost
    private boolean loaded;
    private boolean loadFailed;
    private final List<BpfLink> links = new ArrayList<>();

    private BpfObject(LibBpf lib, MemorySegment obj, String name) {
        this.lib = lib;
        this.obj = obj;
        this.name = name;
    }

    /** Opens an ELF image (e.g. a class-path resource's bytes), with libbpf's default options. */
    public static BpfObject open(LibBpf lib, byte[] elf, String objectName) {
        Objects.requireNonNull(elf, "elf");
        return open(lib, MemorySegment.ofArray(elf), objectName, 0);
    }

    /** Opens an ELF image held in any segment (heap or native). */
    public static BpfObject open(LibBpf lib, MemorySegment elf, String objectName) {
        return open(lib, elf, objectName, 0);
    }

    /**
     * Opens an ELF image.
     *
     * @param objectName     the object's name in libbpf's messages and in the names of its
     *                       internal maps; null keeps libbpf's "&lt;address&gt;-&lt;size&gt;"
     * @param kernelLogLevel verifier log level for every program load; libbpf prints the log
     *                       through {@link LibBpf#setPrint} (0: only when a load fails)
     * @throws LibBpfException if libbpf cannot parse the image
     */
    public static BpfObject open(LibBpf lib, MemorySegment elf, String objectName, int kernelLogLevel) {
        Objects.requireNonNull(lib, "lib");
        Objects.requireNonNull(elf, "elf");
        String label = objectName == null ? "(unnamed)" : objectName;
        // libbpf parses the image during open and keeps nothing of it: a scratch copy will do
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment image = scratch.allocate(Math.max(1, elf.byteSize()), 8);
            MemorySegment.copy(elf, 0, image, 0, elf.byteSize());
            MemorySegment opts = objectName == null && kernelLogLevel == 0
                    ? MemorySegment.NULL
                    : lib.allocateOpenOpts(scratch, objectName, kernelLogLevel);
            MemorySegment callState = lib.allocateCallState(scratch);
            MemorySegment obj = lib.bpf_object__open_mem(callState, image, elf.byteSize(), opts);
            if (obj.equals(MemorySegment.NULL)) {
                throw new LibBpfException("bpf_object__open_mem", errnoOr(lib.errno(callState), Errno.EINVAL),
                        "object '" + label + "', " + elf.byteSize() + " bytes");
            }
            return new BpfObject(lib, obj, label);
        }
    }

    /** The name given at open, or {@code "(unnamed)"}. */
    public String name() {
        return name;
    }

    /** The {@code struct bpf_object *}, for raw {@link LibBpf} calls; valid until close. */
    public synchronized MemorySegment handle() {
        ensureOpen();
        return obj;
    }

    /**
     * The initial image of the object's {@code .rodata} (its {@code const volatile}
     * globals), to write configuration into before {@link #load()}. The segment becomes
     * inaccessible at load and at close: the kernel copy is frozen then, writes would be lost.
     *
     * @throws LibBpfException       if the object has no .rodata
     * @throws IllegalStateException after load
     */
    public MemorySegment rodata() {
        return initialValue(".rodata");
    }

    /** Like {@link #rodata()} for any internal map: {@code .data}, {@code .bss}, {@code .rodata.xyz}. */
    public synchronized MemorySegment initialValue(String mapName) {
        ensureNotLoaded("initial values can only be written before load");
        MemorySegment map = findMap(mapName);
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment size = scratch.allocate(JAVA_LONG);
            MemorySegment value = lib.bpf_map__initial_value(map, size);
            if (value.equals(MemorySegment.NULL)) {
                throw new LibBpfException("bpf_map__initial_value", Errno.EINVAL, subject("map", mapName));
            }
            return value.reinterpret(size.get(JAVA_LONG, 0), rodataScope, null);
        }
    }

    /** Sets a map's max_entries (for a ring buffer: its size in bytes, a power of 2 of pages). */
    public synchronized void setMaxEntries(String mapName, int maxEntries) {
        ensureNotLoaded("max_entries can only be set before load");
        int err = lib.bpf_map__set_max_entries(findMap(mapName), maxEntries);
        if (err < 0) {
            throw new LibBpfException("bpf_map__set_max_entries", err, subject("map", mapName) + ", " + maxEntries);
        }
    }

    /** A map's max_entries (as set or as declared). */
    public synchronized int maxEntries(String mapName) {
        ensureOpen();
        return lib.bpf_map__max_entries(findMap(mapName));
    }

    /**
     * Whether load loads the program. A program whose hook this kernel lacks is switched
     * off rather than failing the whole object. Programs declared {@code SEC("?...")} start off.
     */
    public synchronized void setAutoload(String programName, boolean autoload) {
        ensureNotLoaded("autoload can only be changed before load");
        int err = lib.bpf_program__set_autoload(findProgram(programName), autoload);
        if (err < 0) {
            throw new LibBpfException("bpf_program__set_autoload", err, subject("program", programName));
        }
    }

    /**
     * Creates the maps and loads the programs into the kernel. On failure libbpf has printed
     * why (verifier log, missing feature) through {@link LibBpf#setPrint}; the object can
     * only be closed then.
     */
    public synchronized void load() {
        ensureNotLoaded("already loaded");
        rodataScope.close();
        loaded = true; // also when it fails: libbpf does not allow a second attempt
        int err = lib.bpf_object__load(obj);
        if (err < 0) {
            loadFailed = true;
            throw new LibBpfException("bpf_object__load", err, "object '" + name + "'");
        }
    }

    /** Whether {@link #load()} was called (successfully or not). */
    public synchronized boolean isLoaded() {
        return loaded;
    }

    /** Attaches a loaded program where its SEC() name says. Closing the object destroys the link too. */
    public synchronized BpfLink attach(String programName) {
        ensureLoaded();
        MemorySegment prog = findProgram(programName);
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment callState = lib.allocateCallState(scratch);
            MemorySegment link = lib.bpf_program__attach(callState, prog);
            if (link.equals(MemorySegment.NULL)) {
                throw new LibBpfException("bpf_program__attach", errnoOr(lib.errno(callState), Errno.EINVAL),
                        subject("program", programName));
            }
            BpfLink result = new BpfLink(lib, link, programName);
            links.add(result);
            return result;
        }
    }

    /**
     * Attaches a loaded cgroup program (cgroup_skb/..., cgroup/sock_release, ...) to the
     * cgroup v2 directory {@code cgroup}: it then sees the sockets of every process in that
     * cgroup and its descendants.
     */
    public synchronized BpfLink attachCgroup(String programName, java.nio.file.Path cgroup) {
        ensureLoaded();
        MemorySegment prog = findProgram(programName);
        LibC libc = new LibC();
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment callState = lib.allocateCallState(scratch);
            int fd = libc.open(callState, scratch.allocateFrom(cgroup.toString()),
                    LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC);
            if (fd < 0) {
                throw new LibBpfException("open", errnoOr(lib.errno(callState), Errno.EINVAL),
                        subject("cgroup", cgroup.toString()));
            }
            try {
                MemorySegment link = lib.bpf_program__attach_cgroup(callState, prog, fd);
                if (link.equals(MemorySegment.NULL)) {
                    throw new LibBpfException("bpf_program__attach_cgroup", errnoOr(lib.errno(callState), Errno.EINVAL),
                            subject("program", programName));
                }
                BpfLink result = new BpfLink(lib, link, programName);
                links.add(result);
                return result;
            } finally {
                libc.close(fd);
            }
        }
    }

    /** The names of all programs in the object, in ELF order. */
    public synchronized List<String> programNames() {
        ensureOpen();
        List<String> names = new ArrayList<>();
        MemorySegment prog = MemorySegment.NULL;
        // bounded: an object with more programs than this is not one we built
        for (int i = 0; i < 4096; i++) {
            prog = lib.bpf_object__next_program(obj, prog);
            if (prog.equals(MemorySegment.NULL)) {
                break;
            }
            names.add(LibBpf.string(lib.bpf_program__name(prog)));
        }
        return List.copyOf(names);
    }

    /** Program name -> ELF section name (which names the hook, e.g. {@code tp/syscalls/sys_exit_openat}). */
    public synchronized java.util.Map<String, String> programSections() {
        ensureOpen();
        java.util.Map<String, String> sections = new java.util.LinkedHashMap<>();
        MemorySegment prog = MemorySegment.NULL;
        for (int i = 0; i < 4096; i++) {
            prog = lib.bpf_object__next_program(obj, prog);
            if (prog.equals(MemorySegment.NULL)) {
                break;
            }
            sections.put(LibBpf.string(lib.bpf_program__name(prog)), LibBpf.string(lib.bpf_program__section_name(prog)));
        }
        return java.util.Collections.unmodifiableMap(sections);
    }

    /** A map's fd, after load. Closing the object closes it. */
    public synchronized int mapFd(String mapName) {
        ensureLoaded();
        int fd = lib.bpf_map__fd(findMap(mapName));
        if (fd < 0) {
            throw new LibBpfException("bpf_map__fd", fd, subject("map", mapName));
        }
        return fd;
    }

    /** A loaded map, for lookups and updates. Valid until the object is closed. */
    /** Whether the object has a map of this name. */
    public synchronized boolean hasMap(String mapName) {
        ensureOpen();
        return !lib.bpf_object__find_map_by_name(obj, cString(mapName)).equals(MemorySegment.NULL);
    }

    public synchronized BpfMap map(String mapName) {
        ensureLoaded();
        MemorySegment map = findMap(mapName);
        int fd = lib.bpf_map__fd(map);
        if (fd < 0) {
            throw new LibBpfException("bpf_map__fd", fd, subject("map", mapName));
        }
        return new BpfMap(lib, this, mapName, fd, lib.bpf_map__type(map), lib.bpf_map__key_size(map),
                lib.bpf_map__value_size(map), lib.bpf_map__max_entries(map));
    }

    /** Destroys the links made by {@link #attach} and closes the object (maps, programs). Idempotent. */
    @Override
    public synchronized void close() {
        if (obj == null) {
            return;
        }
        for (BpfLink link : links) {
            link.close();
        }
        links.clear();
        if (!loaded) {
            rodataScope.close();
        }
        lib.bpf_object__close(obj);
        obj = null;
        arena.close();
    }

    synchronized boolean isOpen() {
        return obj != null;
    }

    private MemorySegment findMap(String mapName) {
        ensureOpen();
        MemorySegment map = lib.bpf_object__find_map_by_name(obj, cString(mapName));
        if (map.equals(MemorySegment.NULL)) {
            throw new LibBpfException("bpf_object__find_map_by_name", Errno.ENOENT, subject("map", mapName));
        }
        return map;
    }

    private MemorySegment findProgram(String programName) {
        ensureOpen();
        MemorySegment prog = lib.bpf_object__find_program_by_name(obj, cString(programName));
        if (prog.equals(MemorySegment.NULL)) {
            throw new LibBpfException("bpf_object__find_program_by_name", Errno.ENOENT,
                    subject("program", programName));
        }
        return prog;
    }

    private MemorySegment cString(String s) {
        // names are looked up a handful of times per object: the arena lives as long as the object
        return arena.allocateFrom(Objects.requireNonNull(s));
    }

    private String subject(String kind, String what) {
        return "object '" + name + "', " + kind + " '" + what + "'";
    }

    private void ensureOpen() {
        if (obj == null) {
            throw new IllegalStateException("BPF object '" + name + "' is closed");
        }
    }

    private void ensureLoaded() {
        ensureOpen();
        if (!loaded) {
            throw new IllegalStateException("BPF object '" + name + "' is not loaded yet");
        }
        if (loadFailed) {
            throw new IllegalStateException("BPF object '" + name + "' failed to load");
        }
    }

    private void ensureNotLoaded(String why) {
        ensureOpen();
        if (loaded) {
            throw new IllegalStateException("BPF object '" + name + "': " + why);
        }
    }

    private static int errnoOr(int errno, int fallback) {
        return errno != 0 ? errno : fallback;
    }

    @Override
    public String toString() {
        return "BpfObject[" + name + "]";
    }
}
