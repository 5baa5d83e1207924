package io.kflowd.enrich.versions;

import io.kflowd.api.Info;
import io.kflowd.api.Proc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The full path of a record's process executable. The kernel sends only its basename
 * ({@code mm->exe_file}'s dentry name), so the path is read in user space from
 * {@code /proc/<pid>/exe} while the process lives, together with the process's start time
 * (/proc/<pid>/stat), and trusted for {@link #RECHECK_NANOS} per pid. A process that has exited by the time its
 * record is enriched has no path (its {@code ProcVersion} is ""): file records leave the
 * kernel when the file is closed or after the idle timeout, so short-lived programs are often
 * gone.
 *
 * <p>The process found under the pid must be the record's: the executable's basename is the
 * one in {@code Proc} and it started no later than the record says its process did
 * ({@code Info} time minus {@code ProcAge}, with 2 s for the clocks' resolution).
 */
final class ExecutablePaths {

    static final String GONE = "process gone";
    static final String OTHER = "the pid runs another program now (exec or reuse)";
    static final String DELETED = "executable deleted or replaced";
    static final String NO_EXE = "no executable (kernel thread)";
    private static final long SLACK_NANOS = 2_000_000_000L;
    private static final int CACHE_ENTRIES = 4096;
    /** USER_HZ: the unit of /proc/<pid>/stat's start time; 100 on every Linux architecture we run on. */
    private static final long TICKS_PER_SECOND = 100;

    /** A path or the reason there is none. */
    record Result(String path, String reason) {
    }

    /** A pid's process as last read from /proc, and when. */
    private record Seen(long startTicks, String path, long checkedAt) {
    }

    /**
     * How long what /proc said about a pid is trusted without reading it again: records come
     * in bursts per process, and reading /proc/<pid>/stat and exe for each would cost more
     * than the rest of the record. A pid reused within this time by a program of the same
     * name is not told apart (the start-time check still applies).
     */
    static final long RECHECK_NANOS = 1_000_000_000L;

    private final Path proc;
    private final java.util.function.LongSupplier nanoTime;
    private final Map<Long, Seen> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Seen> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };
    private volatile long bootSeconds = -1;

    ExecutablePaths(Path proc) {
        this(proc, System::nanoTime);
    }

    ExecutablePaths(Path proc, java.util.function.LongSupplier nanoTime) {
        this.proc = proc;
        this.nanoTime = nanoTime;
    }

    Result resolve(Proc p, Info info) {
        String exeName = exeName(p.name());
        if (p.pid() <= 0 || exeName.isEmpty()) {
            return new Result(null, NO_EXE);
        }
        Seen seen;
        synchronized (cache) {
            seen = cache.get(p.pid());
        }
        long now = nanoTime.getAsLong();
        boolean recent = seen != null && now - seen.checkedAt() < RECHECK_NANOS;
        if (!recent || !baseName(seen.path()).equals(exeName)) {
            try {
                seen = read(p.pid(), now);
            } catch (IOException | RuntimeException e) {
                return new Result(null, GONE);
            }
        }
        if (seen.path().endsWith(" (deleted)")) {
            return new Result(null, DELETED);
        }
        if (!baseName(seen.path()).equals(exeName) || !startedInTime(seen.startTicks(), p, info)) {
            return new Result(null, OTHER);
        }
        return new Result(seen.path(), null);
    }

    /** What /proc says about the pid now. */
    private Seen read(long pid, long now) throws IOException {
        Path dir = proc.resolve(Long.toString(pid));
        long startTicks = startTicks(Files.readString(dir.resolve("stat"), StandardCharsets.ISO_8859_1));
        String path = Files.readSymbolicLink(dir.resolve("exe")).toString();
        Seen seen = new Seen(startTicks, path, now);
        synchronized (cache) {
            cache.put(pid, seen);
        }
        return seen;
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * The executable's part of {@code Proc} (spec 8.1): the name before "/comm", or all of it.
     * A kernel thread's {@code Proc} is its comm (no executable): its pid has no exe link.
     */
    static String exeName(String procName) {
        int slash = procName.indexOf('/');
        return slash < 0 ? procName : procName.substring(0, slash);
    }

    /** Field 22 of /proc/<pid>/stat, counted after the command in parentheses (it may hold spaces). */
    static long startTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[22 - 3]);
    }

    private boolean startedInTime(long startTicks, Proc p, Info info) {
        long boot = bootSeconds();
        if (boot < 0) {
            return true;
        }
        Instant started = Instant.ofEpochSecond(boot).plusNanos(startTicks * (1_000_000_000L / TICKS_PER_SECOND));
        Instant latest = info.timestamp().minusNanos(p.ageNanos()).plusNanos(SLACK_NANOS);
        return !started.isAfter(latest);
    }

    /** btime of /proc/stat: the boot instant, whole seconds. */
    private long bootSeconds() {
        long boot = bootSeconds;
        if (boot == -1) {
            boot = -2;
            try {
                for (String line : Files.readAllLines(proc.resolve("stat"), StandardCharsets.ISO_8859_1)) {
                    if (line.startsWith("btime ")) {
                        boot = Long.parseLong(line.substring(6).trim());
                    }
                }
            } catch (IOException | RuntimeException e) {
                boot = -2;
            }
            bootSeconds = boot;
        }
        return boot;
    }
}
