package io.kflowd.enrich.versions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kflowd.api.FileEvent;
import io.kflowd.api.FileRecord;
import io.kflowd.api.Info;
import io.kflowd.api.Proc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionEnricherTest {

    @TempDir
    Path tmp;

    static Info info(Instant time) {
        return new Info(1, time, Info.Monitor.FILESYSTEM, "host", "", null, "Linux", "6.18", "kflowd-v0.1.0", 0);
    }

    static FileRecord record(Proc proc, Instant time, String path, String name, String version) {
        return new FileRecord(info(time), proc, path, name, null, version, "regular", Map.of(FileEvent.OPEN_EXEC, 1), 0, 1, 1,
                "", 0100755, "root", "root", 0, 0, 10, 0, time, time, time, 0, null, null);
    }

    /** /proc/<pid>/stat as the kernel writes it: the command may hold spaces and parentheses. */
    static String stat(long pid, String comm, long startTicks) {
        StringBuilder s = new StringBuilder(pid + " (" + comm + ") S 1 " + pid + " " + pid + " 0 -1 4194560");
        // fields 10..21, then 22 = starttime
        for (int field = 10; field <= 21; field++) {
            s.append(" 0");
        }
        s.append(' ').append(startTicks).append(" 1000 200 18446744073709551615\n");
        return s.toString();
    }

    private Path fakeProc(long pid, String exe, long startTicks, long bootSeconds) throws Exception {
        Path proc = tmp.resolve("proc");
        Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(dir.resolve("stat"), stat(pid, "a (b) c", startTicks));
        Files.createSymbolicLink(dir.resolve("exe"), Path.of(exe));
        Files.writeString(proc.resolve("stat"), "cpu  1 2 3\nbtime " + bootSeconds + "\nprocesses 5\n");
        return proc;
    }

    @Test
    void startTimeIsField22AfterACommandWithSpacesAndParentheses() {
        assertEquals(123456, ExecutablePaths.startTicks(stat(42, "a (b) c", 123456)));
        assertEquals("python3.11", ExecutablePaths.exeName("python3.11/worker"));
        assertEquals("bash", ExecutablePaths.exeName("bash"));
    }

    @Test
    void theExecutablePathComesFromProcAndMustBeTheRecordsProcess() throws Exception {
        long boot = 1_700_000_000L;
        // the pid's process started 150 s after boot
        Path proc = fakeProc(4242, "/usr/bin/sleep", 150 * 100, boot);
        ExecutablePaths paths = new ExecutablePaths(proc);
        Instant at = Instant.ofEpochSecond(boot + 200);
        Proc sleep = new Proc("bash", "sleep", "", "root", "root", 1, 4242, 4242, 0, 0, 50_000_000_000L);
        assertEquals(new ExecutablePaths.Result("/usr/bin/sleep", null), paths.resolve(sleep, info(at)));

        Proc other = new Proc("bash", "cat", "", "root", "root", 1, 4242, 4242, 0, 0, 50_000_000_000L);
        assertEquals(ExecutablePaths.OTHER, paths.resolve(other, info(at)).reason(), "another executable under the pid");
        Proc older = new Proc("bash", "sleep", "", "root", "root", 1, 4242, 4242, 0, 0, 100_000_000_000L);
        assertEquals(ExecutablePaths.OTHER, paths.resolve(older, info(at)).reason(),
                "the record's process started 100 s after boot, the pid's at 150 s: the pid was reused");
        Proc gone = new Proc("bash", "sleep", "", "root", "root", 1, 4243, 4243, 0, 0, 1);
        assertEquals(ExecutablePaths.GONE, paths.resolve(gone, info(at)).reason());
        Proc kernelThread = new Proc("", "", "", "root", "root", 2, 0, 0, 0, 0, 1);
        assertEquals(ExecutablePaths.NO_EXE, paths.resolve(kernelThread, info(at)).reason());
    }

    @Test
    void whatProcSaidIsTrustedForASecondPerPidUnlessTheNameDiffers() throws Exception {
        long boot = 1_700_000_000L;
        Path proc = fakeProc(4242, "/usr/bin/sleep", 100, boot);
        long[] now = {0};
        ExecutablePaths paths = new ExecutablePaths(proc, () -> now[0]);
        Instant at = Instant.ofEpochSecond(boot + 200);
        Proc sleep = new Proc("bash", "sleep", "", "root", "root", 1, 4242, 4242, 0, 0, 1);
        assertEquals("/usr/bin/sleep", paths.resolve(sleep, info(at)).path());
        // the process exec'd cat: a record naming cat reads /proc again at once
        Files.delete(proc.resolve("4242/exe"));
        Files.createSymbolicLink(proc.resolve("4242/exe"), Path.of("/usr/bin/cat"));
        Proc cat = new Proc("bash", "cat", "", "root", "root", 1, 4242, 4242, 0, 0, 1);
        assertEquals("/usr/bin/cat", paths.resolve(cat, info(at)).path());
        // gone: within the second the last answer stands, after it the pid is read again
        Files.delete(proc.resolve("4242/exe"));
        Files.delete(proc.resolve("4242/stat"));
        now[0] = ExecutablePaths.RECHECK_NANOS - 1;
        assertEquals("/usr/bin/cat", paths.resolve(cat, info(at)).path());
        now[0] += ExecutablePaths.RECHECK_NANOS;
        assertEquals(ExecutablePaths.GONE, paths.resolve(cat, info(at)).reason());
    }

    @Test
    void aDeletedExecutableHasNoVersion() throws Exception {
        Path proc = fakeProc(77, "/usr/bin/sleep (deleted)", 100, 1_700_000_000L);
        Proc sleep = new Proc("bash", "sleep", "", "root", "root", 1, 77, 77, 0, 0, 1);
        assertEquals(ExecutablePaths.DELETED,
                new ExecutablePaths(proc).resolve(sleep, info(Instant.ofEpochSecond(1_700_000_100L))).reason());
    }

    @Test
    void theEnricherFillsProcVersionAndFileVersionByFullPath() throws Exception {
        long boot = 1_700_000_000L;
        Path proc = fakeProc(4242, "/usr/bin/sleep", 100, boot);
        PackageDatabase db = new PackageDatabase() {
            @Override
            public String version(String path) {
                return switch (path) {
                    case "/usr/bin/sleep" -> "9.1-1";
                    case "/usr/lib/x86_64-linux-gnu/libc.so.6" -> "2.36-9+deb12u10";
                    default -> "";
                };
            }

            @Override
            public String name() {
                return "test";
            }
        };
        VersionEnricher enricher = new VersionEnricher(db, new ExecutablePaths(proc));
        Proc sleep = new Proc("bash", "sleep", "", "root", "root", 1, 4242, 4242, 0, 0, 1_000_000_000L);
        Instant at = Instant.ofEpochSecond(boot + 10);
        FileRecord libc = (FileRecord) enricher.enrich(record(sleep, at, "/usr/lib/x86_64-linux-gnu/", "libc.so.6", ""));
        assertEquals("9.1-1", libc.proc().version());
        assertEquals("2.36-9+deb12u10", libc.version());

        FileRecord copy = (FileRecord) enricher.enrich(record(sleep, at, "/home/user/", "libc.so.6", ""));
        assertEquals("", copy.version(), "a copy elsewhere is no package's file (Q35 fixed)");

        Proc noKey = sleep.withVersion(null);
        FileRecord absent = record(noKey, at, "/usr/lib/x86_64-linux-gnu/", "libc.so.6", null);
        FileRecord same = (FileRecord) enricher.enrich(absent);
        assertNull(same.version());
        assertNull(same.proc().version());
        assertSame(absent, same, "no key, nothing to fill");
        assertEquals(Map.of("FileVersion: " + VersionEnricher.NOT_PACKAGED, 1L), enricher.counts());
    }

    /** -v on this machine: what dpkg -S and dpkg-query -W say, for this JVM's own process too. */
    @Test
    void onThisMachineVersionsAreWhatDpkgSays() throws Exception {
        assumeTrue(Files.isRegularFile(Path.of("/var/lib/dpkg/status")), "a dpkg system");
        String md5sum = Path.of("/usr/bin/md5sum").toRealPath().toString();
        String expected = dpkgVersion(md5sum);
        assumeTrue(!expected.isEmpty(), "dpkg knows " + md5sum);
        try (PackageDatabase db = PackageDatabase.system()) {
            assertEquals("dpkg", db.name());
            assertEquals(expected, db.version(md5sum));
        }
        // this JVM is a live process with an executable: ProcVersion is its package's or ""
        String self = Path.of("/proc/self/exe").toRealPath().toString();
        String selfExpected = dpkgVersion(self);
        VersionEnricher enricher = new VersionEnricher(PackageDatabase.system(), new ExecutablePaths(Path.of("/proc")));
        long pid = ProcessHandle.current().pid();
        Instant started = ProcessHandle.current().info().startInstant().orElseThrow();
        long age = java.time.Duration.between(started, Instant.now()).toNanos();
        Proc java = new Proc("bash", Path.of(self).getFileName().toString(), "", "root", "root", 1, pid, pid, 0, 0, age);
        FileRecord r = (FileRecord) enricher.enrich(record(java, Instant.now(), md5sum.substring(0, md5sum.lastIndexOf('/') + 1),
                "md5sum", ""));
        assertEquals(expected, r.version());
        assertEquals(selfExpected, r.proc().version(), enricher.counts().toString());
    }

    static String dpkgVersion(String path) throws Exception {
        Process s = new ProcessBuilder("dpkg", "-S", path).start();
        String owner = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (s.waitFor() != 0 || owner.indexOf(':') < 0) {
            // merged /usr: dpkg may list the /bin name
            if (path.startsWith("/usr/")) {
                return dpkgVersion(path.substring(4));
            }
            return "";
        }
        // "coreutils: /usr/bin/md5sum", "libc6:amd64: /lib/..."
        String pkg = owner.substring(0, owner.indexOf(": "));
        Process q = new ProcessBuilder("dpkg-query", "-W", "-f=${Version}", pkg).start();
        String version = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, q.waitFor());
        return version;
    }

    @Test
    void rpmIsAskedPerPathWithTheEpochAndCached() throws Exception {
        Path log = tmp.resolve("calls");
        Path rpm = tmp.resolve("rpm");
        // a stand-in for rpm: answers for /usr/bin/ls only, logs each call
        Files.writeString(rpm, "#!/bin/sh\nprintf '%s\\n' \"$*\" >> " + log + "\n"
                + "case \"$5\" in /usr/bin/ls) echo '1:9.4-9.el10';; *) echo \"file $5 is not owned by any package\"; exit 1;; esac\n");
        Files.setPosixFilePermissions(rpm, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path db = Files.createDirectories(tmp.resolve("rpmdb"));
        RpmDatabase rpmDb = new RpmDatabase(rpm.toString(), db);
        assertEquals("1:9.4-9.el10", rpmDb.version("/usr/bin/ls"));
        assertEquals("1:9.4-9.el10", rpmDb.version("/usr/bin/ls"));
        assertEquals("", rpmDb.version("/opt/x"));
        String calls = Files.readString(log);
        assertEquals(2, calls.lines().count(), calls);
        assertTrue(calls.startsWith("-qf --queryformat " + RpmDatabase.QUERY_FORMAT + " -- /usr/bin/ls"), calls);
        assertEquals("", RpmDatabase.firstLine("file /x is not owned by any package\n"));
    }
}
