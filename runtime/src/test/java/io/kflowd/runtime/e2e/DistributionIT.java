package io.kflowd.runtime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kflowd.runtime.TestBundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The built distribution, run as a user runs it: bin/kflowd as a real process, as root. */
class DistributionIT {

    private Path runDir;
    private Path plugins;
    private final List<KflowdProcess> started = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        runDir = KflowdProcess.newRunDir();
        plugins = KflowdProcess.tempDir("kflowd-plugins-");
        // the formatters and sinks a default installation has (the monitor needs its -o formatter)
        try (var jars = Files.newDirectoryStream(KflowdProcess.dist().resolve("plugins"), "*.jar")) {
            for (Path jar : jars) {
                Files.copy(jar, plugins.resolve(jar.getFileName()));
            }
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        started.forEach(KflowdProcess::close);
        // a detached daemon is nobody's child: whatever still runs with this run directory
        // goes, so a failed test leaves no monitor attached to the kernel behind
        KflowdProcess.exec(List.of("pkill", "-KILL", "-f", "kflowd.rundir=" + runDir + " "), "");
    }

    private KflowdProcess start(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("-P", plugins.toString()));
        all.addAll(List.of(args));
        KflowdProcess p = KflowdProcess.start(runDir, all);
        started.add(p);
        return p;
    }

    private KflowdProcess.Result attach(String commands) throws Exception {
        return KflowdProcess.run(runDir, List.of("--attach"), commands);
    }

    @Test
    void versionIsOneLineWithBuildJavaKernelAndLibbpf() throws Exception {
        KflowdProcess.Result r = KflowdProcess.run(runDir, List.of("--version"), "");
        assertEquals(0, r.exitCode(), r.stderr());
        String[] lines = r.stdout().split("\n");
        assertEquals(1, lines.length, r.stdout());
        assertTrue(lines[0].matches("kflowd v\\d+\\.\\d+\\.\\d+ \\(built .+, Java 2[5-9].*, Linux "
                + java.util.regex.Pattern.quote(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip())
                + ", .+, libbpf v?\\d+\\.\\d+.*\\)"), lines[0]);
    }

    @Test
    void helpAndLegendExitZeroOnStdout() throws Exception {
        KflowdProcess.Result help = KflowdProcess.run(runDir, List.of("-h"), "");
        assertEquals(0, help.exitCode());
        assertTrue(help.stdout().contains("-m"), help.stdout());
        KflowdProcess.Result legend = KflowdProcess.run(runDir, List.of("--legend"), "");
        assertEquals(0, legend.exitCode());
        assertTrue(legend.stdout().contains("InfoSequenceNumber"), legend.stdout());
        assertTrue(legend.stdout().contains("SockRxInterface"), legend.stdout());
    }

    @Test
    void usageErrorPrintsUsageAndReasonAndExitsOne() throws Exception {
        KflowdProcess.Result r = KflowdProcess.run(runDir, List.of("-m", "fs"), "");
        assertEquals(1, r.exitCode());
        String[] lines = r.stdout().strip().split("\n");
        assertTrue(lines[lines.length - 1].startsWith("Error: "), r.stdout());
        assertTrue(r.stdout().contains("Usage"), r.stdout());
    }

    @Test
    void notRootIsRefused() throws Exception {
        // setpriv (util-linux) drops to nobody without a login shell or PAM.
        KflowdProcess.Result r = KflowdProcess.exec(List.of("setpriv", "--reuid=65534", "--regid=65534",
                "--clear-groups", KflowdProcess.script().toString(), "-m", "file"), "");
        assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stderr().contains("must run as root"), r.stderr());
    }

    @Test
    void headlessWithStdinClosedStaysUpServesTheConsoleAndStopsOnSigterm() throws Exception {
        KflowdProcess kflowd = start("-m", "file");
        kflowd.awaitRunning();
        Path socket = runDir.resolve("console.sock");
        assertTrue(Files.exists(socket), "console socket " + socket);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));

        // stdin was at EOF from the start; a console session opening and closing must not stop it either.
        KflowdProcess.Result status = attach("kflowd:status\n");
        assertEquals(0, status.exitCode(), status.stderr());
        assertTrue(status.stdout().contains("version:    kflowd v"), status.stdout());
        assertTrue(status.stdout().contains("monitors:   file"), status.stdout());
        KflowdProcess.Result exit = attach("exit\n");
        assertEquals(0, exit.exitCode());
        KflowdProcess.Result again = attach("lb\n");
        assertTrue(again.stdout().contains("kflowd-core") || again.stdout().contains("kflowd core"), again.stdout());
        assertTrue(kflowd.process.isAlive(), "monitor ended after console sessions:\n" + kflowd.stderr());

        kflowd.signal("TERM");
        assertEquals(0, kflowd.awaitExit(), kflowd.stderr());
        assertFalse(Files.exists(socket), "console socket left behind");
        // stdout carries records only (RFC 7464: RS, JSON text, LF), never a diagnostic
        String stdout = String.join("\n", kflowd.out);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String text : stdout.split("\u001e")) {
            if (!text.isBlank()) {
                assertTrue(json.readTree(text).has("InfoSequenceNumber"), "not a record on stdout: " + text);
            }
        }
    }

    @Test
    void shellModeRunsConsoleCommandsOnThisTerminalAndExitStopsTheMonitor() throws Exception {
        // Gogo reads the piped lines as a terminal user would type them.
        KflowdProcess.Result r = KflowdProcess.run(runDir,
                List.of("-P", plugins.toString(), "--shell", "-m", "file"), "kflowd:status\nkflowd:features\nexit\n");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("version:    kflowd v"), r.stdout());
        assertTrue(r.stdout().lines().anyMatch(l -> l.contains("org.apache.felix.gogo.shell") && l.contains("ACTIVE")), r.stdout());
        assertTrue(r.stderr().contains("shell mode"), r.stderr());
        assertTrue(r.stderr().contains("kflowd stopped"), r.stderr());
    }

    /**
     * BPF programs a process holds: its file descriptors whose fdinfo names a prog_id (the
     * program fds and the link fds of attached programs). bpftool here is built without pid
     * information, so /proc is the witness.
     */
    private static long programsHeldBy(long pid) throws Exception {
        long count = 0;
        try (var fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fdinfo"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readString(fd).contains("prog_id:")) {
                        count++;
                    }
                } catch (java.io.IOException e) {
                    // the fd was closed meanwhile
                }
            }
        }
        return count;
    }

    @Test
    void stoppingTheCoreBundleDetachesEveryKernelProgramAndStartingItAttachesThemAgain() throws Exception {
        KflowdProcess kflowd = start("-m", "file");
        kflowd.awaitRunning();
        long pid = kflowd.process.pid();
        assertTrue(programsHeldBy(pid) > 0, "the file monitor's programs are loaded");
        String bundles = attach("lb -s\n").stdout();
        String coreId = bundles.lines().filter(l -> l.contains("|kflowd-core ")).map(l -> l.split("\\|")[0].trim())
                .findFirst().orElseThrow(() -> new AssertionError("kflowd-core not in:\n" + bundles));
        attach("stop " + coreId + "\n");
        assertEquals(0, programsHeldBy(pid), "after stopping kflowd-core no program of ours is loaded");
        attach("start " + coreId + "\n");
        assertTrue(programsHeldBy(pid) > 0, "attached again after start");
        kflowd.signal("TERM");
        assertEquals(0, kflowd.awaitExit(), kflowd.stderr());
    }

    @Test
    void sigintStopsInOrderWithExitZero() throws Exception {
        KflowdProcess kflowd = start();
        kflowd.awaitRunning();
        kflowd.signal("INT");
        assertEquals(0, kflowd.awaitExit(), kflowd.stderr());
        assertTrue(kflowd.stderr().contains("kflowd stopped"), kflowd.stderr());
    }

    @Test
    void aPluginFolderWithoutTheOutputFormatterIsAClearErrorAtStart() throws Exception {
        Path empty = KflowdProcess.tempDir("kflowd-empty-plugins-");
        KflowdProcess kflowd = KflowdProcess.start(runDir, List.of("-P", empty.toString(), "-m", "file", "-o", "json-min"));
        started.add(kflowd);
        assertEquals(1, kflowd.awaitExit());
        assertTrue(kflowd.stderr().contains("no formatter for output format 'json-min'"), kflowd.stderr());
        assertTrue(kflowd.out.isEmpty(), kflowd.out.toString());
    }

    @Test
    void worldWritablePluginFolderIsRefused() throws Exception {
        Files.setPosixFilePermissions(plugins, PosixFilePermissions.fromString("rwxrwxrwx"));
        KflowdProcess kflowd = start();
        assertEquals(1, kflowd.awaitExit());
        assertTrue(kflowd.stderr().contains(plugins + " is writable by group and others"), kflowd.stderr());
        assertTrue(kflowd.stderr().contains("refusing to start"), kflowd.stderr());
    }

    @Test
    void groupWritableOrForeignOwnedJarIsRefusedAtStart() throws Exception {
        Path jar = TestBundles.drop(plugins, "writable.jar", TestBundles.bundle("io.kflowd.test.writable", "1.0.0"));
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-rw-r--"));
        KflowdProcess first = start();
        assertEquals(1, first.awaitExit());
        assertTrue(first.stderr().contains(jar + " is writable by group"), first.stderr());

        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        KflowdProcess.exec(List.of("chown", "65534:65534", jar.toString()), "");
        KflowdProcess second = start();
        assertEquals(1, second.awaitExit());
        assertTrue(second.stderr().contains(jar + " is owned by nobody, not root"), second.stderr());
    }

    @Test
    void pluginDroppedWhileRunningStartsAndAnUnsafeOneNeverResolves() throws Exception {
        KflowdProcess kflowd = start("-m", "file");
        kflowd.awaitRunning();

        TestBundles.drop(plugins, "good.jar", TestBundles.bundle("io.kflowd.test.good", "1.0.0"));
        kflowd.awaitErr(l -> l.contains("plugin started: io.kflowd.test.good 1.0.0"), "about the good plugin starting");

        byte[] unsafe = TestBundles.bundle("io.kflowd.test.unsafe", "1.0.0");
        Path part = plugins.resolve("unsafe.jar.part");
        Files.write(part, unsafe);
        Files.setPosixFilePermissions(part, PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.move(part, plugins.resolve("unsafe.jar"));
        kflowd.awaitErr(l -> l.contains("refusing plugin unsafe.jar") && l.contains("writable by group and others"),
                "refusing the world-writable plugin");

        String listing = attach("kflowd:plugins\n").stdout();
        assertTrue(listing.lines().anyMatch(l -> l.contains("io.kflowd.test.good") && l.contains("ACTIVE")), listing);
        assertTrue(listing.lines().anyMatch(l -> l.contains("io.kflowd.test.unsafe") && l.contains("INSTALLED")), listing);
        assertFalse(kflowd.stderr().contains("plugin started: io.kflowd.test.unsafe"), kflowd.stderr());
        assertTrue(kflowd.process.isAlive());

        // an unsafe file carrying the good bundle's name and version: FileInstall would update
        // the good bundle from it, under the good jar's location; it must be refused all the same
        Path twinPart = plugins.resolve("twin.jar.part");
        Files.write(twinPart, TestBundles.bundle("io.kflowd.test.good", "1.0.0"));
        Files.setPosixFilePermissions(twinPart, PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.move(twinPart, plugins.resolve("twin.jar"));
        String refusal = kflowd.awaitErr(l -> l.contains("refusing plugin") && l.contains("twin.jar"),
                "refusing the good bundle's unsafe twin");
        String after = attach("kflowd:plugins\n").stdout();
        assertFalse(after.lines().anyMatch(l -> l.contains("twin.jar") && l.contains("ACTIVE")), after);
        if (refusal.contains("refusing plugin good.jar")) {
            // updated in place from the twin: the good bundle now holds the twin's content
            assertFalse(after.lines().anyMatch(l -> l.contains("io.kflowd.test.good") && l.contains("ACTIVE")),
                    "the good bundle does not run content from an unsafe file:\n" + after);
        }
    }

    @Test
    void daemonModeDetachesWritesPidFileAndStopsOnSigterm() throws Exception {
        KflowdProcess.Result parent = KflowdProcess.run(runDir,
                List.of("-P", plugins.toString(), "-d", "-u", "127.0.0.1:2057", "-m", "file"), "");
        assertEquals(0, parent.exitCode(), parent.stderr());
        Path pidFile = runDir.resolve("kflowd.pid");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        ProcessHandle daemon = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("daemon " + pid + " not running"));
        try {
            assertTrue(parent.stderr().contains("running in the background, pid " + pid), parent.stderr());
            KflowdProcess.Result status = attach("kflowd:status\n");
            assertTrue(status.stdout().contains("version:    kflowd v"), status.stdout());
            KflowdProcess.exec(List.of("kill", "-TERM", Long.toString(pid)), "");
            daemon.onExit().get(KflowdProcess.BOUND.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertFalse(Files.exists(pidFile), "pid file left behind");
        } finally {
            daemon.destroyForcibly();
        }
    }
}
