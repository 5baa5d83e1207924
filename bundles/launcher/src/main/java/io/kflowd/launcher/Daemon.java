package io.kflowd.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code -d}: the launcher re-executes bin/kflowd with the same arguments in a new session
 * (setsid), stdin and stdout on /dev/null, and returns once the child has written its pid
 * file, i.e. once the monitor really runs. The child's start-up messages are relayed to
 * this terminal through a pipe that closes when we exit (the child then logs to syslog):
 * unlike kflowd, the daemon never holds the caller's stderr, so {@code out=$(kflowd -d ...)}
 * returns.
 */
final class Daemon {

    static final String SCRIPT_PROPERTY = "kflowd.script";
    private static final long START_TIMEOUT_SECONDS = 60;

    private Daemon() {
    }

    static int detach(Layout layout, List<String> arguments) {
        String script = System.getProperty(SCRIPT_PROPERTY);
        if (script == null) {
            System.err.println("kflowd: error: -d needs bin/kflowd (system property " + SCRIPT_PROPERTY + " unset)");
            return 1;
        }
        List<String> command = new ArrayList<>(List.of("setsid", script));
        command.addAll(arguments);
        try {
            Files.deleteIfExists(layout.pidFile());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.PIPE);
            builder.environment().put(Main.DAEMON_CHILD_ENV, "1");
            Process child = builder.start();
            Thread relay = Thread.ofPlatform().daemon().name("kflowd-daemon-stderr").start(() -> {
                try {
                    child.getErrorStream().transferTo(System.err);
                } catch (IOException e) {
                    // the child closed its end or we are exiting
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
            while (System.nanoTime() < deadline) {
                if (!child.isAlive()) {
                    relay.join(1000);
                    System.err.println("kflowd: error: the daemon exited during start-up (status " + child.exitValue() + ")");
                    return 1;
                }
                if (pidFileNames(layout.pidFile(), child.pid())) {
                    System.err.println("kflowd: running in the background, pid " + child.pid()
                            + " (pid file " + layout.pidFile() + ", log: syslog tag kflowd)");
                    return 0;
                }
                Thread.sleep(50);
            }
            System.err.println("kflowd: error: the daemon did not finish starting within " + START_TIMEOUT_SECONDS + " s");
            child.destroy();
            return 1;
        } catch (IOException e) {
            System.err.println("kflowd: error: cannot start the daemon: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static boolean pidFileNames(Path pidFile, long pid) {
        try {
            return Files.exists(pidFile) && Files.readString(pidFile).strip().equals(Long.toString(pid));
        } catch (IOException e) {
            return false;
        }
    }

    static void writePidFile(Path pidFile) throws IOException {
        Path temp = pidFile.resolveSibling(pidFile.getFileName() + ".tmp");
        Files.writeString(temp, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        Files.move(temp, pidFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void removePidFile(Path pidFile) {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            // nothing to do: a stale pid file names a dead process
        }
    }
}
