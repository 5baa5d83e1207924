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
 * {@code /proc/<pid>/exe} while the process lives, and cached by (pid, start time) so a
 * reused pid never gets another process's answer. A process that has exited by the time its
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

    private record Key(long pid, long startTicks) {
    }

    private final Path proc;
    private final Map<Key, String> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, String> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };
    private volatile long bootSeconds = -1;

    ExecutablePaths(Path proc) {
        this.proc = proc;
    }

    Result resolve(Proc p, Info info) {
        if (p.pid() <= 0 || exeName(p.name()).isEmpty()) {
            return new Result(null, NO_EXE);
        }
        Path dir = proc.resolve(Long.toString(p.pid()));
        long startTicks;
        String path;
        try {
            startTicks = startTicks(Files.readString(dir.resolve("stat"), StandardCharsets.ISO_8859_1));
            Key key = new Key(p.pid(), startTicks);
            synchronized (cache) {
                path = cache.get(key);
            }
            if (path == null) {
                path = Files.readSymbolicLink(dir.resolve("exe")).toString();
                synchronized (cache) {
                    cache.put(key, path);
                }
            }
        } catch (IOException | RuntimeException e) {
            return new Result(null, GONE);
        }
        if (path.endsWith(" (deleted)")) {
            return new Result(null, DELETED);
        }
        String base = path.substring(path.lastIndexOf('/') + 1);
        if (!base.equals(exeName(p.name())) || !startedInTime(startTicks, p, info)) {
            return new Result(null, OTHER);
        }
        return new Result(path, null);
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
