package io.kflowd.core.kernel;

import static io.kflowd.core.kernel.KernelLayouts.FILE_PATH;
import static io.kflowd.core.kernel.KernelLayouts.FILE_RECORD;
import static io.kflowd.core.kernel.KernelLayouts.offset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kflowd.api.FileEvent;
import io.kflowd.api.FileRecord;
import io.kflowd.api.Info;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileRecordDecoderTest {

    private final Arena arena = Arena.ofAuto();

    private static final class TestContext implements FileRecordDecoder.Context {
        long sequence;
        boolean versions;
        boolean checksums;

        @Override
        public long nextSequenceNumber() {
            return ++sequence;
        }

        @Override
        public Info info(long sequenceNumber, Info.Monitor monitor) {
            return new Info(sequenceNumber, Instant.EPOCH, monitor, "h", "", null, "Linux", "6.18", "kflowd-v0.1.0", 0);
        }

        @Override
        public String userName(long uid) {
            return uid == 0 ? "root" : "";
        }

        @Override
        public String groupName(long gid) {
            return gid == 0 ? "root" : "";
        }

        @Override
        public String device(long dev) {
            return Long.toHexString(dev) + "h:/dev/test:/:ext4";
        }

        @Override
        public boolean versions() {
            return versions;
        }

        @Override
        public boolean checksums() {
            return checksums;
        }
    }

    private MemorySegment record(long recordId, String name, int mode, int nlink, int flags) {
        MemorySegment s = arena.allocate(FILE_RECORD);
        s.set(ValueLayout.JAVA_INT, offset(FILE_RECORD, "type"), KernelLayouts.MSG_FILE_RECORD);
        s.set(ValueLayout.JAVA_INT, offset(FILE_RECORD, "flags"), flags);
        s.set(ValueLayout.JAVA_LONG, offset(FILE_RECORD, "record_id"), recordId);
        s.set(ValueLayout.JAVA_LONG, offset(FILE_RECORD, "ts_first"), 1_000);
        s.set(ValueLayout.JAVA_LONG, offset(FILE_RECORD, "ts_last"), 5_000);
        s.set(ValueLayout.JAVA_LONG, offset(FILE_RECORD, "proc_start"), 500);
        s.set(ValueLayout.JAVA_LONG, offset(FILE_RECORD, "dev"), 0xfe00);
        s.set(ValueLayout.JAVA_LONG, offset(FILE_RECORD, "ino"), 0x1_0000_0001L);
        s.set(ValueLayout.JAVA_INT, offset(FILE_RECORD, "tgid"), 42);
        s.set(ValueLayout.JAVA_INT, offset(FILE_RECORD, "tid"), 43);
        s.set(ValueLayout.JAVA_INT, offset(FILE_RECORD, "ppid"), 1);
        s.set(ValueLayout.JAVA_INT, offset(FILE_RECORD, "uid"), -2); // 4294967294
        s.set(ValueLayout.JAVA_INT, offset(FILE_RECORD, "mode"), mode);
        s.set(ValueLayout.JAVA_INT, offset(FILE_RECORD, "nlink"), nlink);
        s.set(ValueLayout.JAVA_LONG, offset(FILE_RECORD, "size_first"), 100);
        s.set(ValueLayout.JAVA_LONG, offset(FILE_RECORD, "size"), 40);
        s.set(ValueLayout.JAVA_LONG, offset(FILE_RECORD, "mtime_first_sec"), 1_700_000_001);
        s.set(ValueLayout.JAVA_LONG, offset(FILE_RECORD, "mtime_sec"), 1_700_000_000);
        s.set(ValueLayout.JAVA_LONG, offset(FILE_RECORD, "mtime_nsec"), 500_000_000);
        s.set(ValueLayout.JAVA_INT, offset(FILE_RECORD, "events") + 4L * FileEvent.CREATE.ordinal(), 1);
        s.set(ValueLayout.JAVA_INT, offset(FILE_RECORD, "events") + 4L * FileEvent.MODIFY.ordinal(), 3);
        putString(s, "comm", "comm_len_unused", "worker");
        putString(s, "exe", "exe_len", "python3.11");
        putString(s, "parent_exe", "parent_exe_len", "bash");
        putString(s, "name", "name_len", name);
        return s;
    }

    private static void putString(MemorySegment s, String field, String lengthField, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, s, offset(FILE_RECORD, field), bytes.length);
        if (!lengthField.endsWith("unused")) {
            s.set(ValueLayout.JAVA_INT, offset(FILE_RECORD, lengthField), bytes.length);
        }
    }

    private MemorySegment path(long recordId, byte[] path, int flags) {
        MemorySegment s = arena.allocate(FILE_PATH);
        s.set(ValueLayout.JAVA_INT, offset(FILE_PATH, "type"), KernelLayouts.MSG_FILE_PATH);
        s.set(ValueLayout.JAVA_INT, offset(FILE_PATH, "flags"), flags);
        s.set(ValueLayout.JAVA_LONG, offset(FILE_PATH, "record_id"), recordId);
        s.set(ValueLayout.JAVA_INT, offset(FILE_PATH, "len"), path.length);
        MemorySegment.copy(MemorySegment.ofArray(path), 0, s, offset(FILE_PATH, "path"), path.length);
        return s;
    }

    @Test
    void decodesEveryFieldAndJoinsThePathMessage() {
        TestContext context = new TestContext();
        FileRecordDecoder decoder = new FileRecordDecoder(context);
        MemorySegment p = path(7, "/tmp/dir/".getBytes(StandardCharsets.UTF_8), 0);
        assertEquals(KernelLayouts.MSG_FILE_PATH, FileRecordDecoder.type(p, 0));
        decoder.path(p, 0, (int) p.byteSize());
        MemorySegment r = record(7, "file.txt", 0100644, 1, 0);
        FileRecord f = decoder.record(r, 0);

        assertEquals(1, f.info().sequenceNumber());
        assertEquals("/tmp/dir/", f.path());
        assertEquals("file.txt", f.name());
        assertNull(f.origin());
        assertEquals("python3.11/worker", f.proc().name());
        assertEquals("bash", f.proc().parent());
        assertEquals(4_294_967_294L, f.proc().uid(), "uids are unsigned");
        assertEquals(4_500, f.proc().ageNanos());
        assertEquals(4_000, f.eventsDurationNanos());
        assertEquals(Map.of(FileEvent.CREATE, 1, FileEvent.MODIFY, 3), f.events());
        assertEquals(0x1_0000_0001L, f.inode(), "inode numbers are 64 bit (kflowd cut them to 32)");
        assertEquals("fe00h:/dev/test:/:ext4", f.device());
        assertEquals("regular", f.mode());
        assertEquals(-60, f.sizeChange());
        assertEquals(-500_000_000L, f.modificationTimeChangeNanos(), "mtime moved back half a second");
        assertNull(f.version());
        assertNull(f.md5());
        assertEquals(0, decoder.recordsWithoutPath());
    }

    @Test
    void linksSymlinksCutPathsAndMissingPaths() {
        TestContext context = new TestContext();
        context.versions = true;
        context.checksums = true;
        FileRecordDecoder decoder = new FileRecordDecoder(context);
        FileRecord hardlinkNew = decoder.record(record(1, "new-link", 0100755, 2, KernelLayouts.FILE_HARDLINK_NEW), 0);
        assertEquals(2, hardlinkNew.linkCount(), "read after the link: already counted");
        assertEquals("hardlink", hardlinkNew.mode());
        assertEquals("", hardlinkNew.path(), "no path message arrived");
        assertEquals(1, decoder.recordsWithoutPath());
        assertEquals("", hardlinkNew.version(), "-v: key present, executable");
        assertEquals("", hardlinkNew.md5());

        FileRecord symlink = decoder.record(record(2, "s", 0120777, 1, 0), 0);
        assertEquals("symlink", symlink.mode());

        FileRecord plain = decoder.record(record(3, "data", 0100644, 1, 0), 0);
        assertNull(plain.version(), "-v: no key for a file without an execute bit");
        assertEquals("", plain.proc().version(), "-v: ProcVersion key present");

        MemorySegment cut = path(4, "deep/er/".getBytes(StandardCharsets.UTF_8), KernelLayouts.PATH_CUT);
        decoder.path(cut, 0, (int) cut.byteSize());
        assertEquals("\u2026deep/er/", decoder.record(record(4, "x", 0100644, 1, 0), 0).path());
    }

    @Test
    void hostileNamesKeepEveryByteVisible() {
        FileRecordDecoder decoder = new FileRecordDecoder(new TestContext());
        MemorySegment r = record(1, "", 0100644, 1, 0);
        byte[] name = {'a', '"', '\\', '\n', 1, (byte) 0xff, 'z'};
        MemorySegment.copy(MemorySegment.ofArray(name), 0, r, offset(FILE_RECORD, "name"), name.length);
        r.set(ValueLayout.JAVA_INT, offset(FILE_RECORD, "name_len"), name.length);
        assertEquals("a\"\\\n\u0001\\xffz", decoder.record(r, 0).name());
    }

    @Test
    void aRecordMetByExportAndIdleFlushIsEmittedOnce() {
        FileRecordDecoder decoder = new FileRecordDecoder(new TestContext());
        MemorySegment r = record(9, "f", 0100644, 1, 0);
        assertEquals("f", decoder.record(r, 0).name());
        assertNull(decoder.record(r, 0), "the same record id again");
        assertEquals(1, decoder.duplicates());
    }
}
