package io.kflowd.libbpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * Hand-written FFM bindings to libbpf.so.1 in jextract's shape: one method per C function
 * (named like it), layouts as constants, each downcall handle linked on first use and then
 * reused. Only the functions kflowd calls are here.
 *
 * <p>libbpf 1.x reports errors of int functions as negative error codes; functions that
 * return a pointer return NULL and set errno, so their bindings take a call-state segment
 * ({@link #allocateCallState}) in which the errno is captured, read with {@link #errno}.
 *
 * <p>The small Java types {@link BpfObject}, {@link BpfLink}, {@link BpfMap} and
 * {@link RingReader} wrap these calls with checked states and readable errors; use the
 * raw methods only for what they do not cover. One instance per process is enough; it is
 * thread-safe (libbpf's object functions are not: one thread per {@code bpf_object}).
 */
public final class LibBpf {

    /** The shared library looked up by {@link #LibBpf()}. */
    public static final String DEFAULT_LIBRARY = "libbpf.so.1";

    // enum bpf_map_type (linux/bpf.h), the values this bundle needs to tell apart
    public static final int BPF_MAP_TYPE_HASH = 1;
    public static final int BPF_MAP_TYPE_ARRAY = 2;
    public static final int BPF_MAP_TYPE_PERCPU_HASH = 5;
    public static final int BPF_MAP_TYPE_PERCPU_ARRAY = 6;
    public static final int BPF_MAP_TYPE_LRU_PERCPU_HASH = 10;
    public static final int BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE = 21;
    public static final int BPF_MAP_TYPE_RINGBUF = 27;

    // flags of bpf_map_update_elem
    public static final long BPF_ANY = 0;
    public static final long BPF_NOEXIST = 1;
    public static final long BPF_EXIST = 2;

    /**
     * {@code struct bpf_object_open_opts} as of libbpf 1.1 (80 bytes). {@code sz} tells
     * libbpf how much of it we know; newer libbpf versions accept the shorter struct.
     */
    public static final StructLayout BPF_OBJECT_OPEN_OPTS = MemoryLayout.structLayout(
            JAVA_LONG.withName("sz"),
            ADDRESS.withName("object_name"),
            JAVA_BOOLEAN.withName("relaxed_maps"),
            MemoryLayout.paddingLayout(7),
            ADDRESS.withName("pin_root_path"),
            MemoryLayout.paddingLayout(8), // __u32 :32 (removed attach_prog_fd) + alignment
            ADDRESS.withName("kconfig"),
            ADDRESS.withName("btf_custom_path"),
            ADDRESS.withName("kernel_log_buf"),
            JAVA_LONG.withName("kernel_log_size"),
            JAVA_INT.withName("kernel_log_level"),
            MemoryLayout.paddingLayout(4)).withName("bpf_object_open_opts");

    /** {@code typedef int (*libbpf_print_fn_t)(enum libbpf_print_level, const char *, va_list)}. */
    public static final FunctionDescriptor LIBBPF_PRINT_FN =
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);

    /** Where errno is captured for the bindings that take a call-state segment. */
    public static final StructLayout CALL_STATE = LibC.CALL_STATE;

    private static final VarHandle OPTS_SZ = varHandle("sz");
    private static final VarHandle OPTS_OBJECT_NAME = varHandle("object_name");
    private static final VarHandle OPTS_KERNEL_LOG_LEVEL = varHandle("kernel_log_level");
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /**
     * Bytes of a va_list as the callee sees it. On x86-64 va_list is a one-element array of
     * a 24-byte struct and decays to a pointer; on aarch64 the 32-byte struct is passed by
     * reference to a copy. Either way the callback receives a pointer, and copying the
     * bytes is va_copy, which lets a message longer than the first buffer be formatted again.
     */
    private static final long VA_LIST_SIZE = switch (System.getProperty("os.arch", "")) {
        case "amd64", "x86_64" -> 24;
        case "aarch64" -> 32;
        default -> 0;
    };
    private static final int PRINT_BUFFER = 1024;

    private final String library;
    private final LibC libc = new LibC();

    private final NativeFunction versionString;
    private final NativeFunction majorVersion;
    private final NativeFunction minorVersion;
    private final NativeFunction setPrint;
    private final NativeFunction numPossibleCpus;
    private final NativeFunction objectOpenMem;
    private final NativeFunction objectLoad;
    private final NativeFunction objectClose;
    private final NativeFunction objectFindMapByName;
    private final NativeFunction objectFindProgramByName;
    private final NativeFunction objectNextProgram;
    private final NativeFunction programName;
    private final NativeFunction programSectionName;
    private final NativeFunction programSetAutoload;
    private final NativeFunction programAttach;
    private final NativeFunction programAttachCgroup;
    private final NativeFunction linkDestroy;
    private final NativeFunction mapSetMaxEntries;
    private final NativeFunction mapMaxEntries;
    private final NativeFunction mapFd;
    private final NativeFunction mapType;
    private final NativeFunction mapKeySize;
    private final NativeFunction mapValueSize;
    private final NativeFunction mapInitialValue;
    private final NativeFunction mapLookupElem;
    private final NativeFunction mapUpdateElem;
    private final NativeFunction mapDeleteElem;
    private final NativeFunction mapGetNextKey;
    private final NativeFunction mapLookupAndDeleteElem;

    private final Object printLock = new Object();
    private MemorySegment printStub; // the upcall; global: libbpf may call it until the process ends
    private MemorySegment previousPrint; // what libbpf printed with before ours, restored by setPrint(null)
    private boolean printInstalled;
    private volatile BiConsumer<PrintLevel, String> printConsumer;
    private volatile boolean printDebug;

    /** Binds {@value #DEFAULT_LIBRARY}. */
    public LibBpf() {
        this(DEFAULT_LIBRARY);
    }

    /**
     * Binds the named library (a file name for the dynamic linker or a path).
     *
     * @throws LibBpfException if it cannot be loaded
     */
    public LibBpf(String library) {
        this.library = library;
        SymbolLookup lookup;
        try {
            // global: a libbpf object may outlive any scope we could pick, and dlclose buys nothing
            lookup = SymbolLookup.libraryLookup(library, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new LibBpfException("dlopen", library, "cannot load the library (is libbpf 1.x installed?)", e);
        }
        versionString = fn(lookup, "libbpf_version_string", FunctionDescriptor.of(ADDRESS));
        majorVersion = fn(lookup, "libbpf_major_version", FunctionDescriptor.of(JAVA_INT));
        minorVersion = fn(lookup, "libbpf_minor_version", FunctionDescriptor.of(JAVA_INT));
        setPrint = fn(lookup, "libbpf_set_print", FunctionDescriptor.of(ADDRESS, ADDRESS));
        numPossibleCpus = fn(lookup, "libbpf_num_possible_cpus", FunctionDescriptor.of(JAVA_INT));
        objectOpenMem = fn(lookup, "bpf_object__open_mem",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS), CAPTURE_ERRNO);
        objectLoad = fn(lookup, "bpf_object__load", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        objectClose = fn(lookup, "bpf_object__close", FunctionDescriptor.ofVoid(ADDRESS));
        objectFindMapByName = fn(lookup, "bpf_object__find_map_by_name",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        objectFindProgramByName = fn(lookup, "bpf_object__find_program_by_name",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        objectNextProgram = fn(lookup, "bpf_object__next_program",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        programName = fn(lookup, "bpf_program__name", FunctionDescriptor.of(ADDRESS, ADDRESS));
        programSectionName = fn(lookup, "bpf_program__section_name", FunctionDescriptor.of(ADDRESS, ADDRESS));
        programSetAutoload = fn(lookup, "bpf_program__set_autoload",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BOOLEAN));
        programAttach = fn(lookup, "bpf_program__attach", FunctionDescriptor.of(ADDRESS, ADDRESS), CAPTURE_ERRNO);
        programAttachCgroup = fn(lookup, "bpf_program__attach_cgroup", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT),
                CAPTURE_ERRNO);
        linkDestroy = fn(lookup, "bpf_link__destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapSetMaxEntries = fn(lookup, "bpf_map__set_max_entries",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        mapMaxEntries = fn(lookup, "bpf_map__max_entries", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapFd = fn(lookup, "bpf_map__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapType = fn(lookup, "bpf_map__type", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapKeySize = fn(lookup, "bpf_map__key_size", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapValueSize = fn(lookup, "bpf_map__value_size", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapInitialValue = fn(lookup, "bpf_map__initial_value", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        mapLookupElem = fn(lookup, "bpf_map_lookup_elem",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        mapUpdateElem = fn(lookup, "bpf_map_update_elem",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        mapDeleteElem = fn(lookup, "bpf_map_delete_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        mapGetNextKey = fn(lookup, "bpf_map_get_next_key",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        mapLookupAndDeleteElem = fn(lookup, "bpf_map_lookup_and_delete_elem",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    private NativeFunction fn(SymbolLookup lookup, String name, FunctionDescriptor descriptor,
            Linker.Option... options) {
        return new NativeFunction(lookup, library, name, descriptor, options);
    }

    private static VarHandle varHandle(String field) {
        return BPF_OBJECT_OPEN_OPTS.varHandle(MemoryLayout.PathElement.groupElement(field));
    }

    LibC libc() {
        return libc;
    }

    // ---- helpers for the raw bindings -------------------------------------------------

    /** A segment for the bindings that capture errno. */
    public MemorySegment allocateCallState(SegmentAllocator allocator) {
        return allocator.allocate(CALL_STATE);
    }

    /** The errno captured by the last call that was given {@code callState}. */
    public int errno(MemorySegment callState) {
        return LibC.errno(callState);
    }

    /**
     * A {@code struct bpf_object_open_opts} with {@code sz} set.
     *
     * @param objectName     replaces libbpf's "&lt;address&gt;-&lt;size&gt;" name; null keeps it
     * @param kernelLogLevel verifier log level for every program load (0: only on failure)
     */
    public MemorySegment allocateOpenOpts(SegmentAllocator allocator, String objectName, int kernelLogLevel) {
        MemorySegment opts = allocator.allocate(BPF_OBJECT_OPEN_OPTS); // zeroed
        OPTS_SZ.set(opts, 0L, BPF_OBJECT_OPEN_OPTS.byteSize());
        if (objectName != null) {
            OPTS_OBJECT_NAME.set(opts, 0L, allocator.allocateFrom(objectName));
        }
        OPTS_KERNEL_LOG_LEVEL.set(opts, 0L, kernelLogLevel);
        return opts;
    }

    /** A NUL-terminated C string returned by libbpf, or null for NULL. */
    static String string(MemorySegment cString) {
        return cString.equals(MemorySegment.NULL) ? null : cString.reinterpret(Long.MAX_VALUE).getString(0);
    }

    /** libbpf's version, e.g. {@code "v1.1"}. */
    public String version() {
        return string(libbpf_version_string());
    }

    // ---- libbpf_print ----------------------------------------------------------------------

    /**
     * Sends libbpf's messages to {@code consumer} (trailing newline removed; a verifier log
     * is one message of many lines). libbpf's print callback is process-global, so this
     * replaces whatever printer was set, also by another {@code LibBpf}. {@code null}
     * restores the printer that was active before (libbpf's own: WARN and INFO to stderr).
     * DEBUG messages are dropped, and not even formatted, unless {@link #setPrintDebug}.
     * The consumer runs on the thread that called into libbpf; what it throws is dropped.
     */
    public void setPrint(BiConsumer<PrintLevel, String> consumer) {
        synchronized (printLock) {
            printConsumer = consumer;
            if (consumer != null && !printInstalled) {
                if (printStub == null) {
                    printStub = printUpcall();
                }
                previousPrint = libbpf_set_print(printStub);
                printInstalled = true;
            } else if (consumer == null && printInstalled) {
                libbpf_set_print(previousPrint);
                previousPrint = null;
                printInstalled = false;
            }
        }
    }

    /** Whether the consumer of {@link #setPrint} gets libbpf's DEBUG messages (default: no). */
    public void setPrintDebug(boolean debug) {
        printDebug = debug;
    }

    private MemorySegment printUpcall() {
        try {
            MethodHandle target = MethodHandles.lookup()
                    .findVirtual(LibBpf.class, "onPrint",
                            MethodType.methodType(int.class, int.class, MemorySegment.class, MemorySegment.class))
                    .bindTo(this);
            return Linker.nativeLinker().upcallStub(target, LIBBPF_PRINT_FN, Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The upcall. An exception escaping an upcall kills the JVM, so nothing escapes. */
    private int onPrint(int level, MemorySegment format, MemorySegment vaList) {
        try {
            BiConsumer<PrintLevel, String> consumer = printConsumer;
            PrintLevel printLevel = PrintLevel.of(level);
            if (consumer == null || (printLevel == PrintLevel.DEBUG && !printDebug)) {
                return 0;
            }
            consumer.accept(printLevel, stripNewline(format(format, vaList)));
        } catch (Throwable ignored) {
            // a broken consumer must not take the process down with it
        }
        return 0;
    }

    private String format(MemorySegment format, MemorySegment vaList) {
        if (VA_LIST_SIZE == 0) { // unknown ABI: do not touch the va_list
            return string(format);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment original = vaList.reinterpret(VA_LIST_SIZE);
            MemorySegment copy = arena.allocate(VA_LIST_SIZE, 16);
            copy.copyFrom(original); // va_copy: vsnprintf consumes the copy, the original stays intact
            MemorySegment buf = arena.allocate(PRINT_BUFFER);
            int n = libc.vsnprintf(buf, PRINT_BUFFER, format, copy);
            if (n < 0) {
                return string(format);
            }
            if (n >= PRINT_BUFFER) {
                copy.copyFrom(original);
                buf = arena.allocate(n + 1L);
                libc.vsnprintf(buf, n + 1L, format, copy);
            }
            return buf.getString(0);
        }
    }

    private static String stripNewline(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    // ---- the C functions --------------------------------------------------------------------

    /** {@code const char *libbpf_version_string(void)} */
    public MemorySegment libbpf_version_string() {
        try {
            return (MemorySegment) versionString.handle().invokeExact();
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code __u32 libbpf_major_version(void)} */
    public int libbpf_major_version() {
        try {
            return (int) majorVersion.handle().invokeExact();
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code __u32 libbpf_minor_version(void)} */
    public int libbpf_minor_version() {
        try {
            return (int) minorVersion.handle().invokeExact();
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code libbpf_print_fn_t libbpf_set_print(libbpf_print_fn_t fn)}; prefer {@link #setPrint}. */
    public MemorySegment libbpf_set_print(MemorySegment fn) {
        try {
            return (MemorySegment) setPrint.handle().invokeExact(fn);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code int libbpf_num_possible_cpus(void)}: CPUs a per-CPU map has a value for, or -errno. */
    public int libbpf_num_possible_cpus() {
        try {
            return (int) numPossibleCpus.handle().invokeExact();
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /**
     * {@code struct bpf_object *bpf_object__open_mem(const void *obj_buf, size_t obj_buf_sz,
     * const struct bpf_object_open_opts *opts)}: NULL and errno on failure.
     */
    public MemorySegment bpf_object__open_mem(MemorySegment callState, MemorySegment objBuf, long objBufSz,
            MemorySegment opts) {
        try {
            return (MemorySegment) objectOpenMem.handle().invokeExact(callState, objBuf, objBufSz, opts);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code int bpf_object__load(struct bpf_object *obj)}: 0 or -errno. */
    public int bpf_object__load(MemorySegment obj) {
        try {
            return (int) objectLoad.handle().invokeExact(obj);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code void bpf_object__close(struct bpf_object *obj)} */
    public void bpf_object__close(MemorySegment obj) {
        try {
            objectClose.handle().invokeExact(obj);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code struct bpf_map *bpf_object__find_map_by_name(const struct bpf_object *obj, const char *name)} */
    public MemorySegment bpf_object__find_map_by_name(MemorySegment obj, MemorySegment name) {
        try {
            return (MemorySegment) objectFindMapByName.handle().invokeExact(obj, name);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code struct bpf_program *bpf_object__find_program_by_name(const struct bpf_object *obj, const char *name)} */
    public MemorySegment bpf_object__find_program_by_name(MemorySegment obj, MemorySegment name) {
        try {
            return (MemorySegment) objectFindProgramByName.handle().invokeExact(obj, name);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code struct bpf_program *bpf_object__next_program(const struct bpf_object *obj, struct bpf_program *prog)} */
    public MemorySegment bpf_object__next_program(MemorySegment obj, MemorySegment prog) {
        try {
            return (MemorySegment) objectNextProgram.handle().invokeExact(obj, prog);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code const char *bpf_program__section_name(const struct bpf_program *prog)}, e.g. {@code tp/syscalls/sys_exit_openat} */
    public MemorySegment bpf_program__section_name(MemorySegment prog) {
        try {
            return (MemorySegment) programSectionName.handle().invokeExact(prog);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code const char *bpf_program__name(const struct bpf_program *prog)} */
    public MemorySegment bpf_program__name(MemorySegment prog) {
        try {
            return (MemorySegment) programName.handle().invokeExact(prog);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code int bpf_program__set_autoload(struct bpf_program *prog, bool autoload)}: 0 or -errno. */
    public int bpf_program__set_autoload(MemorySegment prog, boolean autoload) {
        try {
            return (int) programSetAutoload.handle().invokeExact(prog, autoload);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code struct bpf_link *bpf_program__attach(const struct bpf_program *prog)}: NULL and errno on failure. */
    public MemorySegment bpf_program__attach(MemorySegment callState, MemorySegment prog) {
        try {
            return (MemorySegment) programAttach.handle().invokeExact(callState, prog);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /**
     * {@code struct bpf_link *bpf_program__attach_cgroup(const struct bpf_program *prog, int cgroup_fd)}:
     * NULL and errno on failure. The link holds the cgroup; the fd may be closed afterwards.
     */
    public MemorySegment bpf_program__attach_cgroup(MemorySegment callState, MemorySegment prog, int cgroupFd) {
        try {
            return (MemorySegment) programAttachCgroup.handle().invokeExact(callState, prog, cgroupFd);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code int bpf_link__destroy(struct bpf_link *link)}: detaches and frees; 0 or -errno. */
    public int bpf_link__destroy(MemorySegment link) {
        try {
            return (int) linkDestroy.handle().invokeExact(link);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code int bpf_map__set_max_entries(struct bpf_map *map, __u32 max_entries)}: before load; 0 or -errno. */
    public int bpf_map__set_max_entries(MemorySegment map, int maxEntries) {
        try {
            return (int) mapSetMaxEntries.handle().invokeExact(map, maxEntries);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code __u32 bpf_map__max_entries(const struct bpf_map *map)} */
    public int bpf_map__max_entries(MemorySegment map) {
        try {
            return (int) mapMaxEntries.handle().invokeExact(map);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code int bpf_map__fd(const struct bpf_map *map)}: the fd once loaded, else -errno. */
    public int bpf_map__fd(MemorySegment map) {
        try {
            return (int) mapFd.handle().invokeExact(map);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code enum bpf_map_type bpf_map__type(const struct bpf_map *map)} */
    public int bpf_map__type(MemorySegment map) {
        try {
            return (int) mapType.handle().invokeExact(map);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code __u32 bpf_map__key_size(const struct bpf_map *map)} */
    public int bpf_map__key_size(MemorySegment map) {
        try {
            return (int) mapKeySize.handle().invokeExact(map);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code __u32 bpf_map__value_size(const struct bpf_map *map)} */
    public int bpf_map__value_size(MemorySegment map) {
        try {
            return (int) mapValueSize.handle().invokeExact(map);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /**
     * {@code const void *bpf_map__initial_value(struct bpf_map *map, size_t *psize)}: for
     * .data/.rodata/.bss, the image that load copies into the map; writable until load.
     */
    public MemorySegment bpf_map__initial_value(MemorySegment map, MemorySegment psize) {
        try {
            return (MemorySegment) mapInitialValue.handle().invokeExact(map, psize);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code int bpf_map_lookup_elem(int fd, const void *key, void *value)}: 0 or -errno (-ENOENT: no such key). */
    public int bpf_map_lookup_elem(int fd, MemorySegment key, MemorySegment value) {
        try {
            return (int) mapLookupElem.handle().invokeExact(fd, key, value);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code int bpf_map_update_elem(int fd, const void *key, const void *value, __u64 flags)}: 0 or -errno. */
    public int bpf_map_update_elem(int fd, MemorySegment key, MemorySegment value, long flags) {
        try {
            return (int) mapUpdateElem.handle().invokeExact(fd, key, value, flags);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code int bpf_map_delete_elem(int fd, const void *key)}: 0 or -errno (-ENOENT: no such key). */
    public int bpf_map_delete_elem(int fd, MemorySegment key) {
        try {
            return (int) mapDeleteElem.handle().invokeExact(fd, key);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code int bpf_map_get_next_key(int fd, const void *key, void *next_key)}: 0 or -errno (-ENOENT: no more keys); key NULL = first. */
    public int bpf_map_get_next_key(int fd, MemorySegment key, MemorySegment nextKey) {
        try {
            return (int) mapGetNextKey.handle().invokeExact(fd, key, nextKey);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    /** {@code int bpf_map_lookup_and_delete_elem(int fd, const void *key, void *value)}: 0 or -errno. */
    public int bpf_map_lookup_and_delete_elem(int fd, MemorySegment key, MemorySegment value) {
        try {
            return (int) mapLookupAndDeleteElem.handle().invokeExact(fd, key, value);
        } catch (Throwable t) {
            throw NativeFunction.rethrow(t);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LibBpf[%s]", library);
    }
}
