package io.kflowd.core.enrich;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Device id -> {@code FileDevice} string, from /proc/self/mountinfo:
 * {@code <st_dev in lowercase hex>h:<source>:<mount point>:<fs type>}, e.g.
 * {@code fe00h:/dev/vda:/:ext4}. The id is st_dev as stat(2) reports it (kflowd packed
 * major and minor into 16 bits and collided for big numbers, quirk Q24). When a device is
 * mounted several times, the first mount in mountinfo (usually the original) names it.
 */
public final class MountTable {

    private final Path mountinfo;
    private final long minIntervalNanos;
    private Map<Long, String> devices = Map.of();
    private long loadedAt;
    private boolean loaded;

    public MountTable(Path mountinfo, long minIntervalNanos) {
        this.mountinfo = mountinfo;
        this.minIntervalNanos = minIntervalNanos;
    }

    public static MountTable system() {
        return new MountTable(Path.of("/proc/self/mountinfo"), 10_000_000_000L);
    }

    /** The device string for st_dev, "" when the device is not mounted (any more). */
    public String device(long stDev, long nowNanos) {
        String known = devices.get(stDev);
        if (known == null && (!loaded || nowNanos - loadedAt >= minIntervalNanos)) {
            // an unknown device is the sign of a new mount: reload, rate-limited
            reload(nowNanos);
            known = devices.get(stDev);
        }
        return known == null ? "" : known;
    }

    private void reload(long nowNanos) {
        loaded = true;
        loadedAt = nowNanos;
        try {
            devices = parse(Files.readString(mountinfo, StandardCharsets.UTF_8));
        } catch (IOException e) {
            // keep what we had
        }
    }

    /** Kernel's new_encode_dev, which is also glibc's makedev for majors below 4096. */
    public static long encode(long major, long minor) {
        return (minor & 0xff) | (major << 8) | ((minor & ~0xffL) << 12);
    }

    static Map<Long, String> parse(String content) {
        Map<Long, String> result = new HashMap<>();
        for (String line : content.split("\n")) {
            // 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
            String[] halves = line.split(" - ", 2);
            if (halves.length != 2) {
                continue;
            }
            String[] left = halves[0].split(" ");
            String[] right = halves[1].split(" ");
            if (left.length < 5 || right.length < 2) {
                continue;
            }
            String[] majorMinor = left[2].split(":");
            if (majorMinor.length != 2) {
                continue;
            }
            try {
                long dev = encode(Long.parseLong(majorMinor[0]), Long.parseLong(majorMinor[1]));
                String mountPoint = unescape(left[4]);
                result.putIfAbsent(dev, Long.toHexString(dev) + "h:" + unescape(right[1]) + ":" + mountPoint + ":" + right[0]);
            } catch (NumberFormatException e) {
                // skip a malformed line
            }
        }
        return Map.copyOf(result);
    }

    /** mountinfo escapes space, tab, newline and backslash as \ooo octal. */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1, 3)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from, int count) {
        if (from + count > s.length()) {
            return false;
        }
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }
}
