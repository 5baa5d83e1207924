package io.kflowd.launcher;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
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

    /** libbpf's own version string, or a reason why it is not available. */
    static String libbpfVersion() {
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup libbpf = SymbolLookup.libraryLookup("libbpf.so.1", arena);
            MemorySegment function = libbpf.find("libbpf_version_string")
                    .orElseThrow(() -> new IllegalStateException("no libbpf_version_string"));
            MemorySegment result = (MemorySegment) Linker.nativeLinker()
                    .downcallHandle(function, FunctionDescriptor.of(ValueLayout.ADDRESS))
                    .invokeExact();
            return result.reinterpret(64).getString(0);
        } catch (IllegalArgumentException e) {
            return "not found (libbpf.so.1)";
        } catch (Throwable e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    static String architecture() {
        return System.getProperty("os.arch");
    }
}
