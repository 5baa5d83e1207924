package io.kflowd.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Facts about this host that the launcher needs before the framework starts. */
final class HostFacts {

    private HostFacts() {
    }

    /** The running kernel's release, as uname -r prints it. */
    static String kernelRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return System.getProperty("os.version");
        }
    }

    /** The effective uid of this process, from /proc (Java has no geteuid). */
    static Optional<Integer> effectiveUid() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
            for (String line : lines) {
                if (line.startsWith("Uid:")) {
                    String[] ids = line.substring(4).trim().split("\\s+");
                    return Optional.of(Integer.parseInt(ids[1]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through: unknown
        }
        return Optional.empty();
    }

    /** libbpf's own version string, or why it is not available. */
    static String libbpfVersion() {
        try {
            return new io.kflowd.libbpf.LibBpf().version();
        } catch (RuntimeException | LinkageError e) {
            return "not available (" + e.getMessage() + ")";
        }
    }

    static String architecture() {
        return System.getProperty("os.arch");
    }
}
