package io.kflowd.enrich.versions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * rpm's database, asked one path at a time ({@code rpm -qf --queryformat}; its database
 * format differs between releases, so the program reads it, not we), with a cache of the
 * answers that is dropped when a file in {@code /var/lib/rpm} changes (checked at most every
 * 10 s). The version has the epoch like dpkg's ({@code 1:3.0.7-16.el9}). Not tested on an RPM
 * system here: the query format and the cache are, by unit tests with a stand-in program.
 */
final class RpmDatabase implements PackageDatabase {

    static final String QUERY_FORMAT = "%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\\n";
    private static final long TIMEOUT_MILLIS = 5_000;
    private static final int CACHE_ENTRIES = 8192;

    private final String program;
    private final Path dbDir;
    private final Map<String, String> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };
    private long lastCheck = System.nanoTime() - DpkgDatabase.CHECK_INTERVAL_NANOS;
    private long dbMtime = Long.MIN_VALUE;

    RpmDatabase(String program, Path dbDir) {
        this.program = program;
        this.dbDir = dbDir;
    }

    @Override
    public String name() {
        return "rpm";
    }

    @Override
    public String version(String path) throws InterruptedException {
        synchronized (this) {
            refreshCheck();
            String cached = cache.get(path);
            if (cached != null) {
                return cached;
            }
        }
        String version = "";
        for (String candidate : PackageDatabase.candidates(path)) {
            version = query(candidate);
            if (!version.isEmpty()) {
                break;
            }
        }
        synchronized (this) {
            cache.put(path, version);
        }
        return version;
    }

    private void refreshCheck() {
        long now = System.nanoTime();
        if (now - lastCheck < DpkgDatabase.CHECK_INTERVAL_NANOS) {
            return;
        }
        lastCheck = now;
        long newest = Long.MIN_VALUE;
        try (Stream<Path> files = Files.list(dbDir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                newest = Math.max(newest, Files.getLastModifiedTime(f).toMillis());
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            newest = Long.MIN_VALUE + 1;
        }
        if (newest != dbMtime) {
            dbMtime = newest;
            cache.clear();
        }
    }

    /** The first line rpm prints for the path; "" when no package owns it or rpm fails. */
    private String query(String path) throws InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(List.of(program, "-qf", "--queryformat", QUERY_FORMAT, "--", path))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return "";
        }
        try {
            // the answer is one short line, far below a pipe's buffer: wait first (interruptible), then read
            if (!p.waitFor(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                return "";
            }
            byte[] out = p.getInputStream().readNBytes(4096);
            return firstLine(new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "";
        } finally {
            p.destroyForcibly();
        }
    }

    static String firstLine(String out) {
        int nl = out.indexOf('\n');
        String line = (nl < 0 ? out : out.substring(0, nl)).trim();
        // "file /x is not owned by any package" goes to stdout with exit 1; any other text is no version
        return line.contains(" ") ? "" : line;
    }
}
