package io.kflowd.api;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A filesystem record (spec 3.4): what one process did to one file, aggregated.
 *
 * @param info                 the Info block
 * @param proc                 the Proc block
 * @param path                 directory, absolute, starting and ending with "/"
 * @param name                 file name; the new name when the record contains MOVED_TO
 * @param origin               old name of a renamed file, or null (key omitted)
 * @param version              package version of the file, or null (key omitted: no -v, or no execute bit)
 * @param mode                 "symlink", "hardlink" or "regular"
 * @param events               non-zero event counts, in {@link FileEvent} order
 * @param eventsDurationNanos  monotonic time from first to last event
 * @param inode                inode number
 * @param linkCount            hard-link count at the last event
 * @param device               {@code <id>h:<device>:<mount point>:<fs type>} or ""
 * @param permissions          st_mode: file type and permission bits
 * @param user                 owner name, "" if unknown
 * @param group                group name, "" if unknown
 * @param uid                  owner uid
 * @param gid                  owner gid
 * @param size                 size at the last event
 * @param sizeChange           size at last event minus size at first event (key omitted when 0)
 * @param accessTime           atime at the last event
 * @param statusChangeTime     ctime at the last event
 * @param modificationTime     mtime at the last event
 * @param modificationTimeChangeNanos mtime change over the record, signed; key omitted when 0
 * @param md5                  hex MD5, "" if unavailable, null when not asked for (key omitted)
 * @param sha256               hex SHA-256, like md5
 */
public record FileRecord(Info info, Proc proc, String path, String name, String origin, String version, String mode,
        Map<FileEvent, Integer> events, long eventsDurationNanos, long inode, long linkCount, String device,
        int permissions, String user, String group, long uid, long gid, long size, long sizeChange,
        Instant accessTime, Instant statusChangeTime, Instant modificationTime, long modificationTimeChangeNanos,
        String md5, String sha256) implements MonitorRecord {

    public FileRecord {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(proc, "proc");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(accessTime, "accessTime");
        Objects.requireNonNull(statusChangeTime, "statusChangeTime");
        Objects.requireNonNull(modificationTime, "modificationTime");
        EnumMap<FileEvent, Integer> copy = new EnumMap<>(FileEvent.class);
        events.forEach((event, count) -> {
            if (count > 0) {
                copy.put(event, count);
            }
        });
        events = Collections.unmodifiableMap(copy);
    }

    /** {@code FileEventCount}: the sum of all event counts. */
    public int eventCount() {
        return events.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public FileRecord withProc(Proc newProc) {
        return new FileRecord(info, newProc, path, name, origin, version, mode, events, eventsDurationNanos, inode,
                linkCount, device, permissions, user, group, uid, gid, size, sizeChange, accessTime, statusChangeTime,
                modificationTime, modificationTimeChangeNanos, md5, sha256);
    }

    /** This record with {@code FileVersion} set ({@code null}: the key is absent). */
    public FileRecord withVersion(String packageVersion) {
        return new FileRecord(info, proc, path, name, origin, packageVersion, mode, events, eventsDurationNanos, inode,
                linkCount, device, permissions, user, group, uid, gid, size, sizeChange, accessTime, statusChangeTime,
                modificationTime, modificationTimeChangeNanos, md5, sha256);
    }

    /** This record with {@code FileMD5} and {@code FileSHA256} set ({@code null}: the keys are absent). */
    public FileRecord withChecksums(String newMd5, String newSha256) {
        return new FileRecord(info, proc, path, name, origin, version, mode, events, eventsDurationNanos, inode,
                linkCount, device, permissions, user, group, uid, gid, size, sizeChange, accessTime, statusChangeTime,
                modificationTime, modificationTimeChangeNanos, newMd5, newSha256);
    }
}
