package io.kflowd.enrich.checksums;

import io.kflowd.api.FileEvent;
import io.kflowd.api.FileRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * MD5 and SHA-256 of the file a record names, in one read at the record's real absolute path
 * ({@code FilePath} + {@code File}: with the mount point, not kflowd's raw kernel path, Q23).
 * The hash belongs to the file as the record saw it: its inode, size and mtime must match the
 * record's before and after the read, else the value is {@code ""} ("changed since the
 * record"). Results are cached by (device, inode, size, mtime), not by name (Q23). Every
 * {@code ""} has a counted reason.
 *
 * <p>Symbolic links get {@code ""}: their content is a path, and opening through one is
 * reported by the kernel as a record of the target, which is hashed there. Thread-safe.
 */
final class FileHasher {

    static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
    static final int CACHE_ENTRIES = 4096;
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;

    static final String DELETED = "file deleted";
    static final String NO_PATH = "no path";
    static final String SYMLINK = "symbolic link";
    static final String NOT_REGULAR = "not a regular file";
    static final String GONE = "file gone";
    static final String CHANGED = "changed since the record";
    static final String TOO_LARGE = "larger than the size cap";
    static final String UNREADABLE = "unreadable";
    static final String INTERRUPTED = "interrupted (time bound)";

    /** A file as the record saw it. */
    record Key(String device, long inode, long size, Instant mtime) {
    }

    /** Lowercase hex; both "" when unavailable. */
    record Sums(String md5, String sha256) {
        static final Sums NONE = new Sums("", "");
    }

    private final Map<Key, Sums> cache = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Key, Sums> eldest) {
                    return size() > CACHE_ENTRIES;
                }
            });
    private final Map<String, LongAdder> reasons = new ConcurrentHashMap<>();
    private final LongAdder hashed = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private volatile long maxBytes;

    FileHasher(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    void maxBytes(long bytes) {
        this.maxBytes = bytes;
    }

    long maxBytes() {
        return maxBytes;
    }

    /** The sums of the record's file, or {@link Sums#NONE} with the reason counted. */
    Sums sums(FileRecord record) {
        if (record.events().containsKey(FileEvent.DELETE)) {
            return none(DELETED);
        }
        if ((record.permissions() & S_IFMT) == S_IFLNK) {
            return none(SYMLINK);
        }
        if (record.path().isEmpty() || !record.path().startsWith("/") || record.name().isEmpty()) {
            return none(NO_PATH);
        }
        Path file;
        try {
            file = Path.of(record.path(), record.name());
        } catch (InvalidPathException e) {
            return none(NO_PATH);
        }
        Key key = new Key(record.device(), record.inode(), record.size(), record.modificationTime());
        Sums cached = cache.get(key);
        if (cached != null) {
            cacheHits.increment();
            return cached;
        }
        if (record.size() > maxBytes) {
            return none(TOO_LARGE);
        }
        try {
            String before = sameFile(file, record);
            if (before != null) {
                return none(before);
            }
            Sums sums = read(file, record.size());
            if (sums == null) {
                return none(TOO_LARGE);
            }
            String after = sameFile(file, record);
            if (after != null) {
                return none(after);
            }
            cache.put(key, sums);
            hashed.increment();
            return sums;
        } catch (ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            return none(INTERRUPTED);
        } catch (NoSuchFileException e) {
            return none(GONE);
        } catch (AccessDeniedException e) {
            return none(UNREADABLE + " (permission denied)");
        } catch (FileSystemException e) {
            // ELOOP: the name became a symbolic link (NOFOLLOW_LINKS); others: the reason's text
            return none(UNREADABLE + " (" + (e.getReason() == null ? e.getClass().getSimpleName() : e.getReason()) + ")");
        } catch (IOException | RuntimeException e) {
            return none(UNREADABLE + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Null when the file is the record's (regular, same inode, size, mtime), else the reason. */
    private static String sameFile(Path file, FileRecord record) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(file, "unix:mode,ino,size,lastModifiedTime,dev",
                LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) attributes.get("mode");
        if ((mode & S_IFMT) == S_IFLNK) {
            return SYMLINK;
        }
        if ((mode & S_IFMT) != S_IFREG) {
            return NOT_REGULAR;
        }
        long inode = (Long) attributes.get("ino");
        long size = (Long) attributes.get("size");
        Instant mtime = ((FileTime) attributes.get("lastModifiedTime")).toInstant();
        long dev = (Long) attributes.get("dev");
        if (inode != record.inode() || size != record.size() || !mtime.equals(record.modificationTime())
                || !sameDevice(dev, record.device())) {
            return CHANGED;
        }
        return null;
    }

    /** {@code FileDevice} starts with st_dev in hex and "h:"; "" (unknown) matches any. */
    static boolean sameDevice(long dev, String device) {
        int h = device.indexOf("h:");
        if (h <= 0) {
            return true;
        }
        try {
            return Long.parseUnsignedLong(device.substring(0, h), 16) == dev;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** Both digests in one pass with a bounded buffer; null when the file is over the cap. */
    private Sums read(Path file, long expectedSize) throws IOException {
        MessageDigest md5 = digest("MD5");
        MessageDigest sha256 = digest("SHA-256");
        long cap = maxBytes;
        long total = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(BUFFER_BYTES, Math.max(1, expectedSize + 1)));
            int n;
            while ((n = channel.read(buffer)) != -1) {
                total += n;
                if (total > cap) {
                    return null;
                }
                buffer.flip();
                md5.update(buffer.array(), 0, buffer.limit());
                sha256.update(buffer.array(), 0, buffer.limit());
                buffer.clear();
            }
        }
        HexFormat hex = HexFormat.of();
        return new Sums(hex.formatHex(md5.digest()), hex.formatHex(sha256.digest()));
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every Java platform", e);
        }
    }

    private Sums none(String reason) {
        reasons.computeIfAbsent(reason, r -> new LongAdder()).increment();
        return Sums.NONE;
    }

    /** Why values stayed "", and how often; plus files hashed and cache hits. */
    Map<String, Long> counts() {
        Map<String, Long> result = new java.util.TreeMap<>();
        reasons.forEach((reason, count) -> result.put(reason, count.sum()));
        return result;
    }

    long hashed() {
        return hashed.sum();
    }

    long cacheHits() {
        return cacheHits.sum();
    }
}
