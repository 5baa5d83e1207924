package io.kflowd.core.enrich;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Interface index -> {@code Sock?xInterface} string {@code "<ifindex>:<name>:<mac>"} (spec
 * 8.6), from /sys/class/net of the monitor's network namespace. kflowd built the table once
 * at start (quirk Q34); an unknown index here is the sign of a new interface and reloads
 * the table, rate-limited. Interfaces of other network namespaces have their own indexes,
 * which this namespace cannot name: they give "" (unknown), never another interface's name.
 */
public final class InterfaceTable {

    private final Path classNet;
    private final long minIntervalNanos;
    private Map<Integer, String> interfaces = Map.of();
    private long loadedAt;
    private boolean loaded;

    public InterfaceTable(Path classNet, long minIntervalNanos) {
        this.classNet = classNet;
        this.minIntervalNanos = minIntervalNanos;
    }

    public static InterfaceTable system() {
        // short: a record naming an interface created a moment ago must find it; a reload
        // reads a few small sysfs files
        return new InterfaceTable(Path.of("/sys/class/net"), 100_000_000L);
    }

    /** The interface string, "" for index 0 (none seen) or an index this namespace does not have. */
    public String name(int ifindex, long nowNanos) {
        if (ifindex <= 0) {
            return "";
        }
        String known = interfaces.get(ifindex);
        if (known == null && (!loaded || nowNanos - loadedAt >= minIntervalNanos)) {
            reload(nowNanos);
            known = interfaces.get(ifindex);
        }
        return known == null ? "" : known;
    }

    private void reload(long nowNanos) {
        loaded = true;
        loadedAt = nowNanos;
        Map<Integer, String> table = new HashMap<>();
        try (DirectoryStream<Path> devices = Files.newDirectoryStream(classNet)) {
            for (Path device : devices) {
                try {
                    int index = Integer.parseInt(read(device.resolve("ifindex")));
                    String mac = read(device.resolve("address")).toLowerCase(java.util.Locale.ROOT);
                    table.put(index, index + ":" + device.getFileName() + ":" + mac);
                } catch (IOException | NumberFormatException e) {
                    // gone meanwhile, or not an interface: skip it
                }
            }
        } catch (IOException e) {
            return; // keep what we had
        }
        interfaces = Map.copyOf(table);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }
}
