package io.kflowd.core.kernel;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.StructLayout;

/**
 * The layouts of bpf/include/kflowd.h, member for member, in jextract's shape. Offsets are
 * derived from these layouts, never written by hand; KernelLayoutsTest compares them with
 * the BTF of the built kflowd.bpf.o, so a header change that is not mirrored here fails
 * the build.
 */
public final class KernelLayouts {

    private KernelLayouts() {
    }

    public static final int NAME_MAX = 256;
    public static final int PATH_MAX = 4096;
    public static final int COMM_MAX = 16;
    public static final int EXE_MAX = 256;
    public static final int EV_COUNT = 11;

    public static final int MSG_FILE_RECORD = 1;
    public static final int MSG_FILE_PATH = 2;

    public static final int FILE_NAME_CUT = 1;
    public static final int FILE_ORIGIN_CUT = 1 << 1;
    public static final int FILE_EXE_CUT = 1 << 2;
    public static final int FILE_FLUSHED = 1 << 3;
    public static final int FILE_HARDLINK_NEW = 1 << 4;
    public static final int PATH_CUT = 1;

    public static final int DROP_RING_FULL = 0;
    public static final int DROP_AGG_FULL = 1;
    public static final int DROP_PATH_RING_FULL = 2;
    /** A path-based file syscall succeeded but its file could not be found in the dcache. */
    public static final int DROP_FS_UNRESOLVED = 3;
    /** Per-thread syscall state could not be stored (map full). */
    public static final int DROP_FS_PENDING_FULL = 4;
    public static final int DROP_COUNT = 8;
    public static final int STAT_FILE_EVENTS = 0;
    public static final int STAT_FILE_EXPORTS = 1;
    public static final int STAT_FILE_FILTERED = 2;
    public static final int STAT_COUNT = 8;

    public static final StructLayout FILE_KEY = structLayout(
            JAVA_LONG.withName("dev"),
            JAVA_LONG.withName("ino"),
            JAVA_INT.withName("tgid"),
            JAVA_INT.withName("pad")).withName("kflowd_file_key");

    public static final StructLayout FILE_RECORD = structLayout(
            JAVA_INT.withName("type"),
            JAVA_INT.withName("flags"),
            JAVA_LONG.withName("record_id"),
            JAVA_LONG.withName("ts_first"),
            JAVA_LONG.withName("ts_last"),
            JAVA_LONG.withName("dev"),
            JAVA_LONG.withName("ino"),
            JAVA_LONG.withName("proc_start"),
            JAVA_INT.withName("tgid"),
            JAVA_INT.withName("tid"),
            JAVA_INT.withName("ppid"),
            JAVA_INT.withName("uid"),
            JAVA_INT.withName("gid"),
            JAVA_INT.withName("mode"),
            JAVA_INT.withName("nlink"),
            JAVA_INT.withName("fuid"),
            JAVA_INT.withName("fgid"),
            JAVA_INT.withName("pad0"),
            JAVA_LONG.withName("size_first"),
            JAVA_LONG.withName("size"),
            JAVA_LONG.withName("atime_sec"),
            JAVA_LONG.withName("atime_nsec"),
            JAVA_LONG.withName("mtime_sec"),
            JAVA_LONG.withName("mtime_nsec"),
            JAVA_LONG.withName("ctime_sec"),
            JAVA_LONG.withName("ctime_nsec"),
            JAVA_LONG.withName("mtime_first_sec"),
            JAVA_LONG.withName("mtime_first_nsec"),
            sequenceLayout(EV_COUNT, JAVA_INT).withName("events"),
            JAVA_INT.withName("name_len"),
            JAVA_INT.withName("origin_len"),
            JAVA_INT.withName("exe_len"),
            JAVA_INT.withName("parent_exe_len"),
            JAVA_INT.withName("pad1"),
            sequenceLayout(COMM_MAX, JAVA_BYTE).withName("comm"),
            sequenceLayout(EXE_MAX, JAVA_BYTE).withName("exe"),
            sequenceLayout(EXE_MAX, JAVA_BYTE).withName("parent_exe"),
            sequenceLayout(NAME_MAX, JAVA_BYTE).withName("name"),
            sequenceLayout(NAME_MAX, JAVA_BYTE).withName("origin")).withName("kflowd_file_record");

    public static final StructLayout FILE_PATH = structLayout(
            JAVA_INT.withName("type"),
            JAVA_INT.withName("flags"),
            JAVA_LONG.withName("record_id"),
            JAVA_INT.withName("len"),
            JAVA_INT.withName("pad"),
            sequenceLayout(PATH_MAX, JAVA_BYTE).withName("path")).withName("kflowd_file_path");

    public static final StructLayout CONFIG = structLayout(
            JAVA_INT.withName("agent_tgid"),
            JAVA_INT.withName("max_events"),
            JAVA_INT.withName("wakeup_every"),
            JAVA_INT.withName("monitor_files"),
            JAVA_INT.withName("debug_mode"),
            sequenceLayout(COMM_MAX, JAVA_BYTE).withName("debug_comm"),
            JAVA_INT.withName("pad")).withName("kflowd_config");

    public static final int DEBUG_OFF = 0;
    public static final int DEBUG_COMM = 1;
    public static final int DEBUG_ALL = 2;
    public static final int DEBUG_QUEUE = 3;

    /** Byte offset of a member of a struct layout. */
    public static long offset(StructLayout layout, String member) {
        return layout.byteOffset(groupElement(member));
    }

    /** All layouts that KernelLayoutsTest checks against the object's BTF. */
    public static java.util.List<StructLayout> all() {
        return java.util.List.of(FILE_KEY, FILE_RECORD, FILE_PATH, CONFIG);
    }

}
