package io.kflowd.enrich.checksums;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kflowd.api.FileEvent;
import io.kflowd.api.FileRecord;
import io.kflowd.api.Info;
import io.kflowd.api.MonitorRecord;
import io.kflowd.api.Proc;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileHasherTest {

    @TempDir
    Path dir;

    /** A record of the file as stat(2) sees it now, with the -c keys present (""). */
    static FileRecord recordOf(Path file, FileEvent event) throws IOException {
        Map<String, Object> a = Files.readAttributes(file, "unix:*", LinkOption.NOFOLLOW_LINKS);
        Instant t = Instant.ofEpochSecond(1_700_000_000L);
        Info info = new Info(7, t, Info.Monitor.FILESYSTEM, "host", "", null, "Linux", "6.18", "kflowd-v0.1.0", 0);
        Proc proc = new Proc("bash", "cp", null, "root", "root", 1, 2, 2, 0, 0, 5);
        String device = Long.toHexString((Long) a.get("dev")) + "h:/dev/vda:/:ext4";
        return new FileRecord(info, proc, file.getParent() + "/", file.getFileName().toString(), null, null, "regular",
                Map.of(event, 1), 0, (Long) a.get("ino"), 1, device, (Integer) a.get("mode"), "root", "root", 0, 0,
                (Long) a.get("size"), 0, t, t, ((FileTime) a.get("lastModifiedTime")).toInstant(), 0, "", "");
    }

    static String hex(String algorithm, Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance(algorithm);
        try (InputStream in = Files.newInputStream(file)) {
            digest.update(in.readAllBytes());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private Path executable(String name, int bytes) throws IOException {
        byte[] content = new byte[bytes];
        new Random(bytes).nextBytes(content);
        Path file = dir.resolve(name);
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    @Test
    void sumsAreWhatMessageDigestGivesForSmallEmptyAndMultiBufferFiles() throws Exception {
        FileHasher hasher = new FileHasher(FileHasher.DEFAULT_MAX_BYTES);
        for (int size : new int[] {0, 1, 4096, 65_536, 65_537, 1_000_003}) {
            Path file = executable("f" + size, size);
            FileHasher.Sums sums = hasher.sums(recordOf(file, FileEvent.OPEN_EXEC));
            assertEquals(hex("MD5", file), sums.md5(), "size " + size);
            assertEquals(hex("SHA-256", file), sums.sha256(), "size " + size);
        }
        assertEquals(6, hasher.hashed());
        assertTrue(hasher.counts().isEmpty(), hasher.counts().toString());
    }

    @Test
    void theCacheIsKeyedByDeviceInodeSizeAndMtime() throws Exception {
        FileHasher hasher = new FileHasher(FileHasher.DEFAULT_MAX_BYTES);
        Path file = executable("tool", 10_000);
        FileRecord record = recordOf(file, FileEvent.OPEN_EXEC);
        FileHasher.Sums first = hasher.sums(record);
        // the same file state again: from the cache, even under another name
        Path link = dir.resolve("other-name");
        Files.createLink(link, file);
        FileRecord viaLink = recordOf(link, FileEvent.OPEN);
        assertSame(first, hasher.sums(record));
        assertSame(first, hasher.sums(viaLink));
        assertEquals(1, hasher.hashed());
        assertEquals(2, hasher.cacheHits());
        // a new mtime is a new key: hashed again
        Files.write(file, "changed".getBytes(StandardCharsets.US_ASCII));
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
        FileHasher.Sums second = hasher.sums(recordOf(file, FileEvent.MODIFY));
        assertEquals(hex("SHA-256", file), second.sha256());
        assertEquals(2, hasher.hashed());
        assertEquals(new FileHasher.Key("d", 1, 2, Instant.EPOCH), new FileHasher.Key("d", 1, 2, Instant.EPOCH));
    }

    @Test
    void aFileOverTheCapGivesEmptyValuesAndACountedReason() throws Exception {
        FileHasher hasher = new FileHasher(100_000);
        Path big = executable("big", 100_001);
        Path fits = executable("fits", 100_000);
        assertEquals(FileHasher.Sums.NONE, hasher.sums(recordOf(big, FileEvent.OPEN_EXEC)));
        assertEquals(hex("MD5", fits), hasher.sums(recordOf(fits, FileEvent.OPEN_EXEC)).md5());
        assertEquals(Map.of(FileHasher.TOO_LARGE, 1L), hasher.counts());
        // a file that grew after its record: the record no longer matches it (a hasher without the cached sums)
        FileHasher fresh = new FileHasher(1_000_000);
        FileRecord before = recordOf(fits, FileEvent.OPEN_EXEC);
        Files.write(fits, new byte[200_000]);
        assertEquals(FileHasher.Sums.NONE, fresh.sums(before));
        assertEquals(Map.of(FileHasher.CHANGED, 1L), fresh.counts());
    }

    @Test
    void whatCannotBeReadGivesEmptyValuesWithItsReason() throws Exception {
        FileHasher hasher = new FileHasher(FileHasher.DEFAULT_MAX_BYTES);
        Path gone = executable("gone", 10);
        FileRecord goneRecord = recordOf(gone, FileEvent.OPEN_EXEC);
        Files.delete(gone);
        assertEquals(FileHasher.Sums.NONE, hasher.sums(goneRecord));

        Path deleted = executable("deleted", 10);
        assertEquals(FileHasher.Sums.NONE, hasher.sums(recordOf(deleted, FileEvent.DELETE)));

        Path changed = executable("changed", 10);
        FileRecord changedRecord = recordOf(changed, FileEvent.OPEN_EXEC);
        Files.write(changed, new byte[20]);
        assertEquals(FileHasher.Sums.NONE, hasher.sums(changedRecord));

        Path target = executable("target", 10);
        Path symlink = Files.createSymbolicLink(dir.resolve("symlink"), target);
        assertEquals(FileHasher.Sums.NONE, hasher.sums(recordOf(symlink, FileEvent.CREATE)));

        // a FIFO with an execute bit: never opened (a read would block)
        Path fifo = dir.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", "-m", "0755", fifo.toString()).start();
        assertEquals(0, mkfifo.waitFor());
        assertEquals(FileHasher.Sums.NONE, hasher.sums(recordOf(fifo, FileEvent.OPEN)));

        Path directory = Files.createDirectory(dir.resolve("sub"));
        FileRecord noPath = recordOf(executable("x", 1), FileEvent.OPEN);
        noPath = new FileRecord(noPath.info(), noPath.proc(), "", noPath.name(), null, null, noPath.mode(), noPath.events(), 0,
                noPath.inode(), 1, noPath.device(), noPath.permissions(), "", "", 0, 0, noPath.size(), 0,
                noPath.accessTime(), noPath.statusChangeTime(), noPath.modificationTime(), 0, "", "");
        assertEquals(FileHasher.Sums.NONE, hasher.sums(noPath));

        assertEquals(Map.of(FileHasher.GONE, 1L, FileHasher.DELETED, 1L, FileHasher.CHANGED, 1L, FileHasher.SYMLINK, 1L,
                FileHasher.NOT_REGULAR, 1L, FileHasher.NO_PATH, 1L), hasher.counts());
        assertEquals(0, hasher.hashed());
        assertTrue(Files.isDirectory(directory));
    }

    @Test
    void theDeviceIdOfFileDeviceMustMatch() {
        assertTrue(FileHasher.sameDevice(0xfe00, "fe00h:/dev/vda:/:ext4"));
        assertTrue(!FileHasher.sameDevice(0xfe01, "fe00h:/dev/vda:/:ext4"));
        assertTrue(FileHasher.sameDevice(0xfe01, ""));
    }

    @Test
    void theEnricherFillsOnlyKeysThatArePresent() throws Exception {
        ChecksumEnricher enricher = new ChecksumEnricher(FileHasher.DEFAULT_MAX_BYTES);
        Path file = executable("prog", 5000);
        FileRecord record = recordOf(file, FileEvent.OPEN_EXEC);
        FileRecord filled = (FileRecord) enricher.enrich(record);
        assertEquals(hex("MD5", file), filled.md5());
        assertEquals(hex("SHA-256", file), filled.sha256());
        assertEquals(record.info(), filled.info());
        FileRecord absent = record.withChecksums(null, null);
        assertSame(absent, enricher.enrich(absent));
        assertNull(((FileRecord) enricher.enrich(absent)).md5());
        MonitorRecord same = enricher.enrich(absent);
        assertSame(absent, same);
    }
}
