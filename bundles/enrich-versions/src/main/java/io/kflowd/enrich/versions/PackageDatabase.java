package io.kflowd.enrich.versions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Which installed package version a file belongs to, by its full path. Thread-safe. */
interface PackageDatabase extends AutoCloseable {

    /** The version of the package that installed this path; "" when none did. */
    String version(String path) throws InterruptedException;

    /** "dpkg", "rpm" or "none", for messages. */
    String name();

    /** Starts reading the database ahead of the first record (no-op when there is nothing to read). */
    default void prepare() {
    }

    @Override
    default void close() {
    }

    /** dpkg where its status file is, else rpm where its database and program are, else none. */
    static PackageDatabase system() {
        Path dpkg = Path.of("/var/lib/dpkg");
        if (Files.isRegularFile(dpkg.resolve("status"))) {
            return new DpkgDatabase(dpkg, DpkgDatabase.CHECK_INTERVAL_NANOS, System::nanoTime);
        }
        if (Files.isDirectory(Path.of("/var/lib/rpm"))) {
            for (String rpm : List.of("/usr/bin/rpm", "/bin/rpm")) {
                if (Files.isExecutable(Path.of(rpm))) {
                    return new RpmDatabase(rpm, Path.of("/var/lib/rpm"));
                }
            }
        }
        return new PackageDatabase() {
            @Override
            public String version(String path) {
                return "";
            }

            @Override
            public String name() {
                return "none";
            }
        };
    }

    /**
     * The path, then its other name on a merged-/usr system: dpkg lists {@code /bin/ls}
     * where the kernel reports the real {@code /usr/bin/ls}, and the other way round.
     */
    static List<String> candidates(String path) {
        List<String> result = new ArrayList<>(2);
        result.add(path);
        for (String top : List.of("/bin/", "/sbin/", "/lib/", "/lib32/", "/lib64/", "/libx32/")) {
            if (path.startsWith("/usr" + top)) {
                result.add(path.substring(4));
                break;
            }
            if (path.startsWith(top)) {
                result.add("/usr" + path);
                break;
            }
        }
        return result;
    }
}
