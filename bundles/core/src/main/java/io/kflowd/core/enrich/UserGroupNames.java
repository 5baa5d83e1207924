package io.kflowd.core.enrich;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * uid -> user name and gid -> group name, from passwd(5) and group(5) files. Reloaded
 * when a file's modification time changed, checked at most every {@code minIntervalNanos}
 * (kflowd reloads at most every 5 s). Unknown ids give "". Any id (32 bit) works: no
 * table indexed by id (kflowd's quirk Q22).
 */
public final class UserGroupNames {

    private final NameFile users;
    private final NameFile groups;

    public UserGroupNames(Path passwd, Path group, long minIntervalNanos) {
        this.users = new NameFile(passwd, minIntervalNanos);
        this.groups = new NameFile(group, minIntervalNanos);
    }

    public static UserGroupNames system() {
        return new UserGroupNames(Path.of("/etc/passwd"), Path.of("/etc/group"), 5_000_000_000L);
    }

    public String user(long uid, long nowNanos) {
        return users.name(uid, nowNanos);
    }

    public String group(long gid, long nowNanos) {
        return groups.name(gid, nowNanos);
    }

    /** One colon-separated name file: name:x:id:... per line. */
    private static final class NameFile {
        private final Path file;
        private final long minIntervalNanos;
        private Map<Long, String> names = Map.of();
        private FileTime loadedMtime;
        private long checkedAt;
        private boolean checkedOnce;

        NameFile(Path file, long minIntervalNanos) {
            this.file = Objects.requireNonNull(file);
            this.minIntervalNanos = minIntervalNanos;
        }

        String name(long id, long nowNanos) {
            if (!checkedOnce || nowNanos - checkedAt >= minIntervalNanos) {
                refresh(nowNanos);
            }
            return names.getOrDefault(id, "");
        }

        private void refresh(long nowNanos) {
            checkedOnce = true;
            checkedAt = nowNanos;
            try {
                FileTime mtime = Files.getLastModifiedTime(file);
                if (mtime.equals(loadedMtime)) {
                    return;
                }
                names = parse(Files.readString(file, StandardCharsets.UTF_8));
                loadedMtime = mtime;
            } catch (IOException | RuntimeException e) {
                // an unreadable file leaves the names we had; unknown ids stay ""
            }
        }

        static Map<Long, String> parse(String content) {
            Map<Long, String> result = new HashMap<>();
            for (String line : content.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split(":", -1);
                if (fields.length < 3 || fields[0].isEmpty()) {
                    continue;
                }
                try {
                    // the first entry for an id wins, as getpwuid(3) returns it
                    result.putIfAbsent(Long.parseLong(fields[2].trim()), fields[0]);
                } catch (NumberFormatException e) {
                    // a malformed line is skipped
                }
            }
            return Map.copyOf(result);
        }
    }
}
