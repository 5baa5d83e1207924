package io.kflowd.runtime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Debian package runtime/target/kflowd_VERSION_amd64.deb (jdeb, README "Install from the
 * package"): its control fields, its file list with owners and modes, its conffiles, the
 * distribution unpacked from it running from where it lies, the service's options starting
 * a monitor, and a real dpkg installation, removal and purge in a throwaway root (maintainer
 * scripts run chrootless with DPKG_ROOT set, so they must not touch this machine).
 */
class DebianPackageIT {

    private static final String VERSION = System.getProperty("kflowd.version", "");
    private static final Set<PosixFilePermission> GROUP_OR_OTHER_WRITE =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    /** One line of dpkg-deb -c: mode, owner/group, path without the leading ".", link target. */
    record Entry(String mode, String owner, String path, String linkTarget) {
        boolean isDir() {
            return mode.startsWith("d");
        }

        boolean isLink() {
            return mode.startsWith("l");
        }
    }

    private static final Pattern CONTENTS_LINE = Pattern.compile(
            "^(\\S{10})\\s+(\\S+)\\s+\\d+\\s+\\S+\\s+\\S+\\s+\\.(/\\S*?)/?(?: -> (\\S+))?$");

    private static Path deb;
    private static Map<String, Entry> entries;
    private static Path unpacked;

    @BeforeAll
    static void readPackage() throws Exception {
        assertFalse(VERSION.isBlank(), "system property kflowd.version (set by failsafe)");
        deb = Path.of(System.getProperty("kflowd.deb",
                KflowdProcess.dist().resolveSibling("kflowd_" + VERSION + "_amd64.deb").toString()));
        assertTrue(Files.isRegularFile(deb), "the build leaves " + deb);
        KflowdProcess.Result list = run("dpkg-deb", "-c", deb.toString());
        assertEquals(0, list.exitCode(), list.stderr());
        entries = new LinkedHashMap<>();
        for (String line : list.stdout().split("\n")) {
            Matcher m = CONTENTS_LINE.matcher(line);
            assertTrue(m.matches(), "dpkg-deb -c line: " + line);
            String path = m.group(3).isEmpty() ? "/" : m.group(3);
            entries.put(path, new Entry(m.group(1), m.group(2), path, m.group(4)));
        }
        unpacked = KflowdProcess.tempDir("kflowd-deb-x-");
        KflowdProcess.Result x = run("dpkg", "-x", deb.toString(), unpacked.toString());
        assertEquals(0, x.exitCode(), x.stderr());
    }

    private static KflowdProcess.Result run(String... command) throws IOException, InterruptedException {
        return KflowdProcess.exec(List.of(command), "");
    }

    private static Entry entry(String path) {
        Entry e = entries.get(path);
        assertTrue(e != null, path + " is in the package:\n" + String.join("\n", entries.keySet()));
        return e;
    }

    @Test
    void controlFieldsNameVersionArchitectureAndRuntimeDependencies() throws Exception {
        KflowdProcess.Result info = run("dpkg-deb", "-I", deb.toString());
        assertEquals(0, info.exitCode(), info.stderr());
        KflowdProcess.Result fields = run("dpkg-deb", "-f", deb.toString(),
                "Package", "Version", "Architecture", "Depends", "Maintainer", "Description");
        assertEquals(0, fields.exitCode(), fields.stderr());
        Map<String, String> f = new LinkedHashMap<>();
        for (String line : fields.stdout().split("\n")) {
            int colon = line.indexOf(": ");
            if (!line.startsWith(" ") && colon > 0) {
                f.put(line.substring(0, colon), line.substring(colon + 2));
            }
        }
        assertEquals("kflowd", f.get("Package"), info.stdout());
        assertEquals(VERSION, f.get("Version"), info.stdout());
        assertEquals("amd64", f.get("Architecture"), info.stdout());
        assertTrue(f.getOrDefault("Depends", "").matches("(^|.*, )libbpf1( \\(>= [^)]+\\))?(,.*|$)"), info.stdout());
        assertFalse(f.getOrDefault("Maintainer", "").isBlank(), info.stdout());
        assertFalse(f.getOrDefault("Description", "").isBlank(), info.stdout());
        // Debian 12 has no Java 25 package: the package must not depend on one (it would not install)
        assertFalse(f.get("Depends").contains("jre") || f.get("Depends").contains("jdk"), f.get("Depends"));
        for (String script : List.of("postinst", "prerm", "postrm")) {
            assertTrue(info.stdout().matches("(?s).*\\*\\s+" + script + "\\s+#!/bin/sh.*"), script + " executable:\n" + info.stdout());
        }
    }

    @Test
    void conffilesAreTheOptionsFileOnly() throws Exception {
        KflowdProcess.Result conffiles = run("dpkg-deb", "-I", deb.toString(), "conffiles");
        assertEquals(0, conffiles.exitCode(), conffiles.stderr());
        assertEquals(List.of("/etc/kflowd/kflowd.conf"), conffiles.stdout().strip().lines().toList());
    }

    @Test
    void layoutOwnersAndModes() {
        assertEquals("-rwxr-xr-x", entry("/opt/kflowd/bin/kflowd").mode());
        assertEquals("-rwxr-xr-x", entry("/opt/kflowd/bin/find-java").mode());
        Entry command = entry("/usr/bin/kflowd");
        assertTrue(command.isLink(), command.toString());
        assertEquals("/opt/kflowd/bin/kflowd", command.linkTarget());
        assertEquals("-rw-r--r--", entry("/lib/systemd/system/kflowd.service").mode());
        assertEquals("-rw-r--r--", entry("/etc/kflowd/kflowd.conf").mode());
        assertEquals("drwxr-xr-x", entry("/etc/kflowd/plugins").mode());
        assertEquals("drwxr-xr-x", entry("/etc/kflowd").mode());
        assertEquals("drwxr-xr-x", entry("/opt/kflowd").mode());
        for (Entry e : entries.values()) {
            assertEquals("root/root", e.owner(), e.toString());
            if (e.isLink()) {
                continue;
            }
            // no file writable by group or others, nothing setuid, setgid or sticky
            assertTrue(e.mode().matches("[-d]r[-w][-x]r-[-x]r-[-x]"), e.toString());
            if (e.path().startsWith("/opt/kflowd/") && !e.isDir()) {
                assertEquals(e.path().startsWith("/opt/kflowd/bin/") ? "-rwxr-xr-x" : "-rw-r--r--", e.mode(), e.toString());
            }
            if (e.isDir()) {
                assertEquals("drwxr-xr-x", e.mode(), e.toString());
            }
        }
    }

    @Test
    void optKflowdIsTheWholeDistribution() throws IOException {
        Path dist = KflowdProcess.dist();
        Set<String> built = new TreeSet<>();
        try (Stream<Path> files = Files.walk(dist)) {
            files.filter(Files::isRegularFile).map(p -> dist.relativize(p).toString())
                    .filter(p -> !p.equals(".built")).forEach(built::add);
        }
        Set<String> packaged = new TreeSet<>();
        entries.values().stream().filter(e -> !e.isDir() && e.path().startsWith("/opt/kflowd/"))
                .forEach(e -> packaged.add(e.path().substring("/opt/kflowd/".length())));
        assertEquals(built, packaged);
    }

    @Test
    void servicePluginFolderLinksEveryShippedPlugin() throws IOException {
        Set<String> shipped = new TreeSet<>();
        try (var jars = Files.newDirectoryStream(KflowdProcess.dist().resolve("plugins"), "*.jar")) {
            jars.forEach(j -> shipped.add(j.getFileName().toString()));
        }
        assertFalse(shipped.isEmpty());
        Set<String> linked = new TreeSet<>();
        for (Entry e : entries.values()) {
            if (e.path().startsWith("/etc/kflowd/plugins/")) {
                String name = e.path().substring("/etc/kflowd/plugins/".length());
                assertTrue(e.isLink(), "only links to /opt/kflowd/plugins in /etc/kflowd/plugins: " + e);
                assertEquals("/opt/kflowd/plugins/" + name, e.linkTarget(), e.toString());
                linked.add(name);
            }
        }
        assertEquals(shipped, linked, "every jar of the distribution's plugins/ is linked in /etc/kflowd/plugins");
    }

    @Test
    void unitRunsTheInstalledCommandWithTheConfiguredOptions() throws IOException {
        String unit = Files.readString(unpacked.resolve("lib/systemd/system/kflowd.service"));
        assertTrue(unit.contains("\nExecStart=/opt/kflowd/bin/kflowd -P /etc/kflowd/plugins $KFLOWD_OPTS\n"), unit);
        assertTrue(unit.contains("\nEnvironmentFile=-/etc/kflowd/kflowd.conf\n"), unit);
        assertTrue(unit.contains("\nType=exec\n"), unit);
        assertTrue(unit.contains("\nWantedBy=multi-user.target\n"), unit);
        String conf = Files.readString(unpacked.resolve("etc/kflowd/kflowd.conf"));
        assertTrue(conf.lines().anyMatch(l -> l.startsWith("KFLOWD_OPTS=\"")), conf);
    }

    @Test
    void unpackedDistributionRunsFromWhereItLies() throws Exception {
        Path kflowd = unpacked.resolve("opt/kflowd/bin/kflowd");
        assertTrue(Files.isExecutable(kflowd));
        KflowdProcess.Result r = KflowdProcess.exec(List.of(kflowd.toString(), "--version"), "");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().startsWith("kflowd v" + VERSION + " "), r.stdout());
    }

    /**
     * What systemd runs: the options of /etc/kflowd/kflowd.conf read the way EnvironmentFile=
     * reads them (here by sh, which agrees for this file), after the unit's -P; the plugin
     * folder is the unpacked /opt/kflowd/plugins, since the links of /etc/kflowd/plugins point
     * to the installed path. The monitor starts with them and SIGTERM stops it with status 0.
     */
    @Test
    void serviceOptionsStartAndStopTheUnpackedMonitor() throws Exception {
        Path runDir = KflowdProcess.newRunDir();
        Path home = unpacked.resolve("opt/kflowd");
        String script = ". " + unpacked.resolve("etc/kflowd/kflowd.conf") + " && exec " + home.resolve("bin/kflowd")
                + " -P " + home.resolve("plugins") + " $KFLOWD_OPTS";
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", script)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("KFLOWD_JAVA_OPTS", "-Dkflowd.rundir=" + runDir);
        Process process = builder.start();
        List<String> err = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getErrorStream()))) {
                lines.lines().forEach(err::add);
            } catch (IOException e) {
                err.add("<" + e + ">");
            }
        });
        try {
            long deadline = System.nanoTime() + KflowdProcess.BOUND.toNanos();
            while (err.stream().noneMatch(l -> l.contains(" running, pid ")) && process.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(err.stream().anyMatch(l -> l.contains(" running, pid ")), String.join("\n", err));
            KflowdProcess.exec(List.of("kill", "-TERM", Long.toString(process.pid())), "");
            assertTrue(process.waitFor(KflowdProcess.BOUND.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), String.join("\n", err));
            assertEquals("", new String(process.getInputStream().readAllBytes()), "-q: nothing on stdout");
            reader.join(5000);
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * dpkg itself, in a throwaway root: install (twice: the scripts are idempotent), remove
     * (the conffile and a plugin of the administrator stay), purge (/etc/kflowd goes). The
     * scripts run without chroot and with DPKG_ROOT set, as for any installation into another
     * root, and must not need systemd.
     */
    @Test
    void dpkgInstallsRemovesAndPurgesInATemporaryRoot() throws Exception {
        boolean hostEtc = Files.exists(Path.of("/etc/kflowd"));
        Path root = KflowdProcess.tempDir("kflowd-deb-root-");
        for (String dir : List.of("var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers", "var/log")) {
            Files.createDirectories(root.resolve(dir));
        }
        Files.createFile(root.resolve("var/lib/dpkg/status"));
        List<String> dpkg = List.of("dpkg", "--root=" + root, "--force-script-chrootless", "--force-depends",
                "--force-not-root");

        for (int i = 0; i < 2; i++) {
            KflowdProcess.Result install = dpkg(dpkg, "-i", deb.toString());
            assertEquals(0, install.exitCode(), install.stdout() + install.stderr());
        }
        KflowdProcess.Result status = dpkg(dpkg, "-s", "kflowd");
        assertTrue(status.stdout().contains("Status: install ok installed"), status.stdout());

        assertOwnedByRoot(root.resolve("opt/kflowd/bin/kflowd"), "rwxr-xr-x");
        assertOwnedByRoot(root.resolve("opt/kflowd/lib"), "rwxr-xr-x");
        assertOwnedByRoot(root.resolve("lib/systemd/system/kflowd.service"), "rw-r--r--");
        assertOwnedByRoot(root.resolve("etc/kflowd/kflowd.conf"), "rw-r--r--");
        assertOwnedByRoot(root.resolve("etc/kflowd/plugins"), "rwxr-xr-x");
        assertOwnedByRoot(root.resolve("etc/kflowd"), "rwxr-xr-x");
        assertEquals(Path.of("/opt/kflowd/bin/kflowd"), Files.readSymbolicLink(root.resolve("usr/bin/kflowd")));
        List<String> unsafe = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root.resolve("opt/kflowd"))) {
            all.forEach(p -> {
                try {
                    PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (!a.owner().getName().equals("root") || a.permissions().stream().anyMatch(GROUP_OR_OTHER_WRITE::contains)) {
                        unsafe.add(p + " " + a.owner().getName() + " " + PosixFilePermissions.toString(a.permissions()));
                    }
                } catch (IOException e) {
                    unsafe.add(p + ": " + e);
                }
            });
        }
        assertEquals(List.of(), unsafe);
        try (var links = Files.newDirectoryStream(root.resolve("etc/kflowd/plugins"))) {
            for (Path link : links) {
                Path target = Files.readSymbolicLink(link);
                assertTrue(Files.isRegularFile(root.resolve(Path.of("/").relativize(target))), link + " -> " + target);
            }
        }

        Path mine = root.resolve("etc/kflowd/plugins/mine.jar");
        Files.writeString(mine, "a plugin of the administrator");
        Files.writeString(root.resolve("etc/kflowd/kflowd.conf"), "KFLOWD_OPTS=\"-o json -u 127.0.0.1:2056 -q\"\n");
        KflowdProcess.Result remove = dpkg(dpkg, "-r", "kflowd");
        assertEquals(0, remove.exitCode(), remove.stdout() + remove.stderr());
        assertFalse(Files.exists(root.resolve("opt/kflowd")));
        assertFalse(Files.exists(root.resolve("usr/bin/kflowd"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(root.resolve("lib/systemd/system/kflowd.service")));
        assertTrue(Files.readString(root.resolve("etc/kflowd/kflowd.conf")).contains("2056"), "remove keeps the changed conffile");
        assertTrue(Files.exists(mine), "remove keeps the administrator's plugins");
        try (var left = Files.list(root.resolve("etc/kflowd/plugins"))) {
            assertEquals(List.of(mine), left.toList(), "remove takes the links of the shipped plugins");
        }
        assertTrue(dpkg(dpkg, "-s", "kflowd").stdout().contains("Status: deinstall ok config-files"));

        KflowdProcess.Result purge = dpkg(dpkg, "--purge", "kflowd");
        assertEquals(0, purge.exitCode(), purge.stdout() + purge.stderr());
        assertFalse(Files.exists(root.resolve("etc/kflowd")), "purge removes /etc/kflowd");
        assertEquals(hostEtc, Files.exists(Path.of("/etc/kflowd")), "the scripts left this machine's /etc/kflowd alone");
    }

    private static KflowdProcess.Result dpkg(List<String> dpkg, String... args) throws Exception {
        List<String> command = new ArrayList<>(dpkg);
        command.addAll(List.of(args));
        return KflowdProcess.exec(command, "");
    }

    private static void assertOwnedByRoot(Path path, String mode) throws IOException {
        PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertEquals("root", a.owner().getName(), path.toString());
        assertEquals("root", a.group().getName(), path.toString());
        assertEquals(mode, PosixFilePermissions.toString(a.permissions()), path.toString());
    }
}
