package io.kflowd.core;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The processes whose activity must not be recorded besides our own (ARCHITECTURE 6):
 * those holding the read end of our stdout pipe (the {@code jq} of {@code kflowd | jq},
 * whose reads of our output would otherwise feed records back), and the helpers this
 * process spawned (logger(1) in daemon mode). Never siblings or the launching shell.
 */
final class StdoutReaders {

    private StdoutReaders() {
    }

    static Set<Integer> find() {
        Set<Integer> tgids = new TreeSet<>();
        long self = ProcessHandle.current().pid();
        ProcessHandle.current().descendants().forEach(p -> tgids.add((int) p.pid()));
        String pipe;
        try {
            pipe = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return tgids;
        }
        if (!pipe.startsWith("pipe:")) {
            return tgids;
        }
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path process : processes) {
                long pid = Long.parseLong(process.getFileName().toString());
                if (pid != self && holds(process.resolve("fd"), pipe)) {
                    tgids.add((int) pid);
                }
            }
        } catch (IOException e) {
            // /proc unreadable: only our own process is filtered
        }
        return tgids;
    }

    private static boolean holds(Path fdDir, String pipe) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                try {
                    if (pipe.equals(Files.readSymbolicLink(fd).toString())) {
                        return true;
                    }
                } catch (IOException e) {
                    // the fd closed meanwhile
                }
            }
        } catch (IOException e) {
            // the process ended meanwhile
        }
        return false;
    }
}
