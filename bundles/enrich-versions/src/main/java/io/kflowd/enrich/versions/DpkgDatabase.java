package io.kflowd.enrich.versions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * dpkg's database, read into a {@link DpkgIndex} on a thread of its own: at the first lookup
 * (or ahead of it, {@link #prepare()}), and again when {@code status} has a new mtime (dpkg
 * rewrites it after every change), checked at most every 10 s. Until a new index is read the
 * old one answers, so a package installation never stalls records.
 */
final class DpkgDatabase implements PackageDatabase {

    private static final Logger LOG = Logger.getLogger("kflowd.enrich.versions");
    static final long CHECK_INTERVAL_NANOS = 10_000_000_000L;

    private final Path dir;
    private final long checkInterval;
    private final LongSupplier nanoTime;
    private final ExecutorService loader = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("kflowd-dpkg-index").daemon().factory());
    private volatile DpkgIndex index;
    private CompletableFuture<DpkgIndex> loading;   // guarded by this
    private long lastCheck;                          // guarded by this
    private long loadedMtime = Long.MIN_VALUE;       // guarded by this
    private volatile int reads;

    DpkgDatabase(Path dir, long checkInterval, LongSupplier nanoTime) {
        this.dir = dir;
        this.checkInterval = checkInterval;
        this.nanoTime = nanoTime;
    }

    @Override
    public String name() {
        return "dpkg";
    }

    @Override
    public void prepare() {
        current();
    }

    @Override
    public String version(String path) throws InterruptedException {
        DpkgIndex idx = index;
        CompletableFuture<DpkgIndex> pending = current();
        if (idx == null) {
            try {
                idx = pending.get();
            } catch (ExecutionException e) {
                return "";
            }
        }
        if (idx == null) {
            return "";
        }
        for (String candidate : PackageDatabase.candidates(path)) {
            DpkgIndex.Owner owner = idx.owner(candidate);
            if (owner != null) {
                return owner.version();
            }
        }
        return "";
    }

    /** The running or last read; starts a read when there is none or status changed. */
    private synchronized CompletableFuture<DpkgIndex> current() {
        long now = nanoTime.getAsLong();
        boolean due = loading == null || now - lastCheck >= checkInterval;
        if (due && (loading == null || loading.isDone())) {
            lastCheck = now;
            long mtime = statusMtime();
            if (loading == null || mtime != loadedMtime) {
                loadedMtime = mtime;
                loading = CompletableFuture.supplyAsync(this::read, loader);
            }
        }
        return loading;
    }

    private long statusMtime() {
        try {
            return Files.getLastModifiedTime(dir.resolve("status")).toMillis();
        } catch (IOException e) {
            return Long.MIN_VALUE + 1;
        }
    }

    private DpkgIndex read() {
        long start = System.nanoTime();
        try {
            DpkgIndex read = DpkgIndex.read(dir);
            index = read;
            reads++;
            LOG.fine("dpkg database read: " + read.packages() + " packages, " + read.paths() + " paths in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms");
            return read;
        } catch (IOException | RuntimeException e) {
            LOG.warning("cannot read the dpkg database in " + dir + ": " + e.getMessage()
                    + " (ProcVersion and FileVersion stay \"\")");
            return index;
        }
    }

    /** How often the database was read (tests). */
    int reads() {
        return reads;
    }

    @Override
    public void close() {
        loader.shutdownNow();
    }
}
