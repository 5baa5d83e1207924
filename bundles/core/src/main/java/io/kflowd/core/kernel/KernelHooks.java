package io.kflowd.core.kernel;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Which tracepoints this kernel has. A program whose hook is missing (an ext4 tracepoint
 * without ext4, a syscall newer than the kernel) is not loaded, and the events it would
 * count are not faked. Attaching tracepoints needs tracefs; when it is not mounted (a
 * minimal host) we mount it where the kernel documents it, as root may.
 */
final class KernelHooks {

    private static final Logger LOG = Logger.getLogger("kflowd.kernel");
    private static final Path TRACEFS = Path.of("/sys/kernel/tracing");
    private static final Path DEBUGFS_TRACING = Path.of("/sys/kernel/debug/tracing");

    private final Path events;
    private final Optional<Path> cgroup2 = cgroup2Mount(Path.of("/proc/self/mountinfo"));

    private KernelHooks(Path events) {
        this.events = events;
    }

    /**
     * Where cgroup v2 is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid
     * hosts): socket programs attached to its root see the sockets of every process.
     */
    Optional<Path> cgroupRoot() {
        return cgroup2;
    }

    static Optional<Path> cgroup2Mount(Path mountinfo) {
        try {
            for (String line : Files.readAllLines(mountinfo)) {
                // id parent major:minor root mount-point options... - fstype source super-options
                String[] fields = line.split(" ");
                int dash = java.util.Arrays.asList(fields).indexOf("-");
                if (dash > 4 && dash + 1 < fields.length && fields[dash + 1].equals("cgroup2") && fields[3].equals("/")) {
                    return Optional.of(Path.of(fields[4].replace("\\040", " ")));
                }
            }
        } catch (IOException e) {
            LOG.warning("cannot read " + mountinfo + ": " + e.getMessage());
        }
        return Optional.empty();
    }

    static KernelHooks find() {
        return tracingRoot().map(root -> new KernelHooks(root.resolve("events")))
                .orElseGet(() -> {
                    mountTracefs();
                    return new KernelHooks(TRACEFS.resolve("events"));
                });
    }

    private static Optional<Path> tracingRoot() {
        if (Files.isDirectory(TRACEFS.resolve("events"))) {
            return Optional.of(TRACEFS);
        }
        if (Files.isDirectory(DEBUGFS_TRACING.resolve("events"))) {
            return Optional.of(DEBUGFS_TRACING);
        }
        return Optional.empty();
    }

    private static void mountTracefs() {
        try {
            Process mount = new ProcessBuilder("mount", "-t", "tracefs", "nodev", TRACEFS.toString())
                    .redirectErrorStream(true).start();
            String out = new String(mount.getInputStream().readAllBytes()).strip();
            if (mount.waitFor(10, TimeUnit.SECONDS) && mount.exitValue() == 0) {
                LOG.info("mounted tracefs at " + TRACEFS + " (tracepoints are attached through it)");
            } else {
                LOG.warning("tracefs is not mounted and mounting it failed: " + out);
            }
        } catch (IOException e) {
            LOG.warning("tracefs is not mounted and mount(8) could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the hook named by an ELF section exists; sections we do not know are assumed present. */
    boolean exists(String section) {
        if (section.startsWith("tp/")) {
            return Files.isDirectory(events.resolve(section.substring(3)));
        }
        if (section.startsWith("tp_btf/")) {
            String name = section.substring(7);
            // typed tracepoints: any category (ext4_unlink_enter lives in events/ext4/)
            try (DirectoryStream<Path> categories = Files.newDirectoryStream(events, Files::isDirectory)) {
                for (Path category : categories) {
                    if (Files.isDirectory(category.resolve(name))) {
                        return true;
                    }
                }
            } catch (IOException e) {
                return false;
            }
            return false;
        }
        if (section.startsWith("cgroup")) {
            return cgroup2.isPresent();
        }
        return true;
    }
}
