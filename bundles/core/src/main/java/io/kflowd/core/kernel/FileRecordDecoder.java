package io.kflowd.core.kernel;

import static io.kflowd.core.kernel.KernelLayouts.FILE_PATH;
import static io.kflowd.core.kernel.KernelLayouts.FILE_RECORD;
import static io.kflowd.core.kernel.KernelLayouts.offset;

import io.kflowd.api.FileEvent;
import io.kflowd.api.FileRecord;
import io.kflowd.api.Info;
import io.kflowd.api.Proc;
import io.kflowd.core.enrich.ProcessNames;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the kernel's messages into records: remembers the directory path messages by
 * record id and builds a {@link FileRecord} when the record itself arrives, reading the
 * ring in place. One instance per reader thread (not thread-safe).
 */
public final class FileRecordDecoder {

    /** Paths waiting for their record: bounded, oldest first out (their records were lost). */
    private static final int MAX_PENDING_PATHS = 65_536;

    private static final long O_TYPE = offset(FILE_RECORD, "type");
    private static final long O_RECORD_ID = offset(FILE_RECORD, "record_id");
    private static final long O_TS_FIRST = offset(FILE_RECORD, "ts_first");
    private static final long O_TS_LAST = offset(FILE_RECORD, "ts_last");
    private static final long O_DEV = offset(FILE_RECORD, "dev");
    private static final long O_INO = offset(FILE_RECORD, "ino");
    private static final long O_PROC_START = offset(FILE_RECORD, "proc_start");
    private static final long O_TGID = offset(FILE_RECORD, "tgid");
    private static final long O_TID = offset(FILE_RECORD, "tid");
    private static final long O_PPID = offset(FILE_RECORD, "ppid");
    private static final long O_UID = offset(FILE_RECORD, "uid");
    private static final long O_GID = offset(FILE_RECORD, "gid");
    private static final long O_MODE = offset(FILE_RECORD, "mode");
    private static final long O_NLINK = offset(FILE_RECORD, "nlink");
    private static final long O_FUID = offset(FILE_RECORD, "fuid");
    private static final long O_FGID = offset(FILE_RECORD, "fgid");
    private static final long O_SIZE_FIRST = offset(FILE_RECORD, "size_first");
    private static final long O_SIZE = offset(FILE_RECORD, "size");
    private static final long O_ATIME_SEC = offset(FILE_RECORD, "atime_sec");
    private static final long O_ATIME_NSEC = offset(FILE_RECORD, "atime_nsec");
    private static final long O_MTIME_SEC = offset(FILE_RECORD, "mtime_sec");
    private static final long O_MTIME_NSEC = offset(FILE_RECORD, "mtime_nsec");
    private static final long O_CTIME_SEC = offset(FILE_RECORD, "ctime_sec");
    private static final long O_CTIME_NSEC = offset(FILE_RECORD, "ctime_nsec");
    private static final long O_MTIME_FIRST_SEC = offset(FILE_RECORD, "mtime_first_sec");
    private static final long O_MTIME_FIRST_NSEC = offset(FILE_RECORD, "mtime_first_nsec");
    private static final long O_EVENTS = offset(FILE_RECORD, "events");
    private static final long O_NAME_LEN = offset(FILE_RECORD, "name_len");
    private static final long O_ORIGIN_LEN = offset(FILE_RECORD, "origin_len");
    private static final long O_EXE_LEN = offset(FILE_RECORD, "exe_len");
    private static final long O_PARENT_EXE_LEN = offset(FILE_RECORD, "parent_exe_len");
    private static final long O_COMM = offset(FILE_RECORD, "comm");
    private static final long O_EXE = offset(FILE_RECORD, "exe");
    private static final long O_PARENT_EXE = offset(FILE_RECORD, "parent_exe");
    private static final long O_NAME = offset(FILE_RECORD, "name");
    private static final long O_ORIGIN = offset(FILE_RECORD, "origin");
    private static final long P_FLAGS = offset(FILE_PATH, "flags");
    private static final long P_RECORD_ID = offset(FILE_PATH, "record_id");
    private static final long P_LEN = offset(FILE_PATH, "len");
    private static final long P_PATH = offset(FILE_PATH, "path");

    private static final FileEvent[] EVENTS = FileEvent.values();
    private static final int S_IFMT = 0170000;
    private static final int S_IFLNK = 0120000;
    private static final int EXECUTE_BITS = 0111;

    /** Where the decoder gets what the kernel does not send. */
    public interface Context {
        long nextSequenceNumber();

        Info info(long sequenceNumber, Info.Monitor monitor);

        String userName(long uid);

        String groupName(long gid);

        String device(long dev);

        /** Whether -v and -c were given: keys present ("" until an enricher fills them). */
        boolean versions();

        boolean checksums();
    }

    private final Context context;
    private final Map<Long, String> pendingPaths = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            if (size() > MAX_PENDING_PATHS) {
                orphanedPaths++;
                return true;
            }
            return false;
        }
    };
    /**
     * Record ids emitted lately. The kernel exports a record and then deletes it from its
     * map; the idle flush reads and deletes it atomically. When both meet on the same record,
     * it would be emitted twice: the second copy is dropped and counted.
     */
    private final RecentIds recentIds = new RecentIds(8192);
    private long duplicates;
    private long orphanedPaths;
    private long recordsWithoutPath;
    private long unknownMessages;

    public FileRecordDecoder(Context context) {
        this.context = context;
    }

    /** The message type of the message at {@code offset}. */
    public static int type(MemorySegment data, long offset) {
        return data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + O_TYPE);
    }

    /** Remembers a path message; a cut path is marked by a leading "…" instead of "/". */
    public void path(MemorySegment data, long offset, int length) {
        int len = Math.min(data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + P_LEN), KernelLayouts.PATH_MAX);
        len = (int) Math.min(len, Math.max(0, length - P_PATH));
        String path = KernelStrings.decode(data, offset + P_PATH, len);
        if ((data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + P_FLAGS) & KernelLayouts.PATH_CUT) != 0) {
            path = "\u2026" + path;
        }
        pendingPaths.put(data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + P_RECORD_ID), path);
    }

    /**
     * Builds the record; the path message sent for it before is consumed. Null when this
     * record id was emitted already (see {@link #duplicates()}).
     */
    public FileRecord record(MemorySegment data, long offset) {
        long recordId = data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + O_RECORD_ID);
        if (!recentIds.add(recordId)) {
            duplicates++;
            return null;
        }
        String path = pendingPaths.remove(recordId);
        if (path == null) {
            recordsWithoutPath++;
            path = "";
        }
        long tsFirst = data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + O_TS_FIRST);
        long tsLast = data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + O_TS_LAST);
        long procStart = data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + O_PROC_START);
        long uid = u32(data, offset + O_UID);
        long gid = u32(data, offset + O_GID);
        String exe = string(data, offset + O_EXE, offset + O_EXE_LEN, KernelLayouts.EXE_MAX);
        String comm = KernelStrings.decode(data, offset + O_COMM, KernelLayouts.COMM_MAX);
        String parentExe = string(data, offset + O_PARENT_EXE, offset + O_PARENT_EXE_LEN, KernelLayouts.EXE_MAX);
        int mode = u32i(data, offset + O_MODE);
        // read after the syscall: a new hard link is already counted (kflowd added 1 by hand)
        long nlink = u32(data, offset + O_NLINK);
        boolean executable = (mode & EXECUTE_BITS) != 0;

        long sequence = context.nextSequenceNumber();
        Info info = context.info(sequence, Info.Monitor.FILESYSTEM);
        Proc proc = new Proc(parentExe, ProcessNames.procName(exe, comm), context.versions() ? "" : null,
                context.userName(uid), context.groupName(gid),
                u32(data, offset + O_PPID), u32(data, offset + O_TGID), u32(data, offset + O_TID), uid, gid,
                Math.max(0, tsLast - procStart));

        Map<FileEvent, Integer> events = new EnumMap<>(FileEvent.class);
        for (int i = 0; i < EVENTS.length; i++) {
            int count = data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + O_EVENTS + 4L * i);
            if (count != 0) {
                events.put(EVENTS[i], count);
            }
        }
        boolean renamed = events.containsKey(FileEvent.MOVED_TO);
        String name = string(data, offset + O_NAME, offset + O_NAME_LEN, KernelLayouts.NAME_MAX);
        String origin = renamed ? string(data, offset + O_ORIGIN, offset + O_ORIGIN_LEN, KernelLayouts.NAME_MAX) : null;
        long fuid = u32(data, offset + O_FUID);
        long fgid = u32(data, offset + O_FGID);
        long size = data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + O_SIZE);
        long sizeFirst = data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + O_SIZE_FIRST);
        Instant mtime = time(data, offset + O_MTIME_SEC, offset + O_MTIME_NSEC);
        Instant mtimeFirst = time(data, offset + O_MTIME_FIRST_SEC, offset + O_MTIME_FIRST_NSEC);
        long mtimeChange = java.time.Duration.between(mtimeFirst, mtime).toNanos();
        String fileMode = (mode & S_IFMT) == S_IFLNK ? "symlink" : nlink > 1 ? "hardlink" : "regular";

        return new FileRecord(info, proc, path, name, origin,
                context.versions() && executable ? "" : null,
                fileMode, events, Math.max(0, tsLast - tsFirst),
                data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + O_INO), nlink,
                context.device(data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + O_DEV)),
                mode, context.userName(fuid), context.groupName(fgid), fuid, fgid,
                size, size - sizeFirst,
                time(data, offset + O_ATIME_SEC, offset + O_ATIME_NSEC),
                time(data, offset + O_CTIME_SEC, offset + O_CTIME_NSEC),
                mtime, mtimeChange,
                context.checksums() && executable ? "" : null,
                context.checksums() && executable ? "" : null);
    }

    /** Second copies of a record met by both the kernel's export and the idle flush. */
    public long duplicates() {
        return duplicates;
    }

    /** Records whose path message never arrived (dropped in the kernel): FilePath "". */
    public long recordsWithoutPath() {
        return recordsWithoutPath;
    }

    /** Path messages whose record never arrived (evicted from the kernel's map). */
    public long orphanedPaths() {
        return orphanedPaths;
    }

    public long unknownMessages() {
        return unknownMessages;
    }

    public void unknownMessage() {
        unknownMessages++;
    }

    private static String string(MemorySegment data, long at, long lengthAt, int max) {
        int len = data.get(ValueLayout.JAVA_INT_UNALIGNED, lengthAt);
        return KernelStrings.decode(data, at, Math.min(Math.max(len, 0), max));
    }

    private static long u32(MemorySegment data, long at) {
        return Integer.toUnsignedLong(data.get(ValueLayout.JAVA_INT_UNALIGNED, at));
    }

    private static int u32i(MemorySegment data, long at) {
        return data.get(ValueLayout.JAVA_INT_UNALIGNED, at);
    }

    private static Instant time(MemorySegment data, long secAt, long nsecAt) {
        long nanos = data.get(ValueLayout.JAVA_LONG_UNALIGNED, nsecAt);
        return Instant.ofEpochSecond(data.get(ValueLayout.JAVA_LONG_UNALIGNED, secAt), Math.floorMod(nanos, 1_000_000_000L));
    }
}
