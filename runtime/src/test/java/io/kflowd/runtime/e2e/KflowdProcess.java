package io.kflowd.runtime.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The built distribution's bin/kflowd as a real process: its stdout and stderr collected
 * line by line, each instance with its own run folder (console socket, pid file) so tests
 * never touch /run/kflowd of a real installation.
 */
final class KflowdProcess implements AutoCloseable {

    /** Upper bound for anything a test waits for; reaching it fails the test. */
    static final Duration BOUND = Duration.ofSeconds(30);

    static Path dist() {
        String dist = System.getProperty("kflowd.dist");
        if (dist == null) {
            throw new IllegalStateException("system property kflowd.dist not set (run through Maven failsafe)");
        }
        return Path.of(dist);
    }

    static Path script() {
        return dist().resolve("bin/kflowd");
    }

    /** A fresh run folder, 0755, owned by the (root) test user; removed when the tests end. */
    static Path newRunDir() throws IOException {
        return tempDir("kflowd-run-");
    }

    /**
     * A fresh 0755 folder under the system temp folder, removed with everything in it when
     * the test JVM ends, so repeated runs on one machine leave nothing behind.
     */
    static Path tempDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir)));
        return dir;
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // best effort: a leftover temp folder is no test failure
        }
    }

    final Path runDir;
    final Process process;
    final List<String> out = new CopyOnWriteArrayList<>();
    final List<String> err = new CopyOnWriteArrayList<>();

    private KflowdProcess(Path runDir, Process process) {
        this.runDir = runDir;
        this.process = process;
        collect(process.getInputStream(), out, "kflowd-test-stdout");
        collect(process.getErrorStream(), err, "kflowd-test-stderr");
    }

    /** Starts bin/kflowd with stdin at EOF (/dev/null), the way a service or a script runs it. */
    static KflowdProcess start(Path runDir, List<String> args) throws IOException {
        return start(runDir, args, List.of());
    }

    static KflowdProcess start(Path runDir, List<String> args, List<String> prefix) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(script().toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("KFLOWD_JAVA_OPTS", "-Dkflowd.rundir=" + runDir);
        return new KflowdProcess(runDir, builder.start());
    }

    /** Runs bin/kflowd to completion with the given stdin text; bounded by {@link #BOUND}. */
    static Result run(Path runDir, List<String> args, String stdin) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(script().toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("KFLOWD_JAVA_OPTS", "-Dkflowd.rundir=" + runDir);
        return Result.of(builder, stdin);
    }

    /** Runs any command to completion; bounded by {@link #BOUND}. */
    static Result exec(List<String> command, String stdin) throws IOException, InterruptedException {
        return Result.of(new ProcessBuilder(command), stdin);
    }

    record Result(int exitCode, String stdout, String stderr) {
        static Result of(ProcessBuilder builder, String stdin) throws IOException, InterruptedException {
            Process p = builder.start();
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            var stdout = readAsync(p.getInputStream());
            var stderr = readAsync(p.getErrorStream());
            if (!p.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("command did not finish within " + BOUND + ": " + builder.command());
            }
            return new Result(p.exitValue(), stdout.get(), stderr.get());
        }

        private static java.util.function.Supplier<String> readAsync(InputStream stream) {
            var result = new java.util.concurrent.CompletableFuture<String>();
            Thread.ofVirtual().start(() -> {
                try {
                    result.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    result.complete("<" + e + ">");
                }
            });
            return () -> {
                try {
                    return result.get(BOUND.toSeconds(), TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError("output not complete: " + e);
                }
            };
        }
    }

    /** Waits until a stderr line matches; fails with everything seen so far when the bound is hit. */
    String awaitErr(Predicate<String> wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : err) {
                if (wanted.test(line)) {
                    return line;
                }
            }
            if (!process.isAlive() && drained()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no stderr line " + what + "; alive=" + process.isAlive() + "\nstderr:\n"
                + String.join("\n", err) + "\nstdout:\n" + String.join("\n", out));
    }

    String awaitRunning() throws InterruptedException {
        return awaitErr(line -> line.contains(" running, pid "), "saying the monitor is running");
    }

    private volatile int openStreams = 2;

    private boolean drained() {
        return openStreams == 0;
    }

    private void collect(InputStream stream, List<String> lines, String name) {
        Thread.ofPlatform().daemon().name(name).start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("<" + e + ">");
            } finally {
                synchronized (this) {
                    openStreams--;
                }
            }
        });
    }

    /** Sends a signal by name (TERM, INT, KILL) to the JVM of this instance. */
    void signal(String name) throws IOException, InterruptedException {
        Result r = exec(List.of("kill", "-" + name, Long.toString(process.pid())), "");
        if (r.exitCode() != 0) {
            throw new AssertionError("kill -" + name + " failed: " + r.stderr());
        }
    }

    /**
     * Exit status, waiting at most the bound; also until stdout and stderr are read to
     * their end, so {@link #out} holds the last record (the process can be gone while its
     * last lines are still in the pipe).
     */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("kflowd did not exit within " + BOUND + "\nstderr:\n" + String.join("\n", err));
        }
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!drained() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return process.exitValue();
    }

    String stderr() {
        return String.join("\n", err);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
