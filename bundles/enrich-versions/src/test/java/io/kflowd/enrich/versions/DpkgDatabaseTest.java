package io.kflowd.enrich.versions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dpkg's status and .list files as Debian 12 writes them, trimmed. */
class DpkgDatabaseTest {

    @TempDir
    Path dpkg;

    static final String STATUS = """
            Package: coreutils
            Essential: yes
            Status: install ok installed
            Priority: required
            Section: utils
            Installed-Size: 18062
            Maintainer: Michael Stone <mstone@debian.org>
            Architecture: amd64
            Multi-Arch: foreign
            Version: 9.1-1
            Pre-Depends: libacl1 (>= 2.2.23), libattr1 (>= 1:2.4.44), libc6 (>= 2.34)
            Description: GNU core utilities
             This package contains the basic file, shell and text manipulation
             utilities which are expected to exist on every operating system.

            Package: libc6
            Status: install ok installed
            Priority: optional
            Section: libs
            Architecture: amd64
            Multi-Arch: same
            Source: glibc
            Version: 2.36-9+deb12u10
            Description: GNU C Library: Shared libraries

            Package: openssh-client
            Status: install ok installed
            Architecture: amd64
            Version: 1:9.2p1-2+deb12u7
            Conffiles:
             /etc/ssh/ssh_config 1e8e7e8e8e8e8e8e8e8e8e8e8e8e8e8e

            Package: removed-tool
            Status: deinstall ok config-files
            Architecture: amd64
            Version: 3.0-1

            Package: tzdata
            Status: install ok installed
            Architecture: all
            Version: 2025b-0+deb12u1
            """;

    private void write(String name, String text) throws IOException {
        Files.createDirectories(dpkg.resolve("info"));
        Files.writeString(dpkg.resolve(name), text);
    }

    private void sample() throws IOException {
        write("status", STATUS);
        write("info/coreutils.list", "/.\n/bin\n/bin/cat\n/bin/ls\n/usr\n/usr/bin\n/usr/bin/md5sum\n/usr/share/doc/coreutils\n");
        write("info/libc6:amd64.list", "/.\n/lib\n/lib/x86_64-linux-gnu\n/lib/x86_64-linux-gnu/libc.so.6\n/lib64\n/lib64/ld-linux-x86-64.so.2\n");
        write("info/openssh-client.list", "/.\n/usr\n/usr/bin\n/usr/bin/ssh\n");
        write("info/removed-tool.list", "/usr/bin/removed-tool\n");
        write("info/tzdata.list", "/usr/share/zoneinfo/UTC\n");
        write("info/coreutils.md5sums", "not a list\n");
    }

    @Test
    void indexMapsEveryInstalledFileToItsPackageVersionAndLeavesDirectoriesOut() throws IOException {
        sample();
        DpkgIndex index = DpkgIndex.read(dpkg);
        assertEquals(new DpkgIndex.Owner("coreutils:amd64", "9.1-1"), index.owner("/usr/bin/md5sum"));
        assertEquals("9.1-1", index.owner("/bin/ls").version());
        assertEquals("2.36-9+deb12u10", index.owner("/lib/x86_64-linux-gnu/libc.so.6").version());
        assertEquals("1:9.2p1-2+deb12u7", index.owner("/usr/bin/ssh").version(), "with epoch");
        assertEquals("2025b-0+deb12u1", index.owner("/usr/share/zoneinfo/UTC").version(), "Architecture: all");
        assertEquals("9.1-1", index.owner("/usr/share/doc/coreutils").version(), "a last line is a file");
        assertNull(index.owner("/usr/bin"), "directories are not files of a package");
        assertNull(index.owner("/bin"));
        assertNull(index.owner("/."));
        assertNull(index.owner("/usr/bin/removed-tool"), "only its config files are left");
        assertEquals(4, index.packages());
    }

    @Test
    void mergedUsrPathsAreFoundUnderEitherName() throws Exception {
        sample();
        try (DpkgDatabase db = new DpkgDatabase(dpkg, DpkgDatabase.CHECK_INTERVAL_NANOS, System::nanoTime)) {
            assertEquals("9.1-1", db.version("/usr/bin/ls"), "dpkg lists /bin/ls, the kernel says /usr/bin/ls");
            assertEquals("2.36-9+deb12u10", db.version("/usr/lib/x86_64-linux-gnu/libc.so.6"));
            assertEquals("2.36-9+deb12u10", db.version("/usr/lib64/ld-linux-x86-64.so.2"));
            assertEquals("9.1-1", db.version("/bin/md5sum"));
            assertEquals("", db.version("/home/user/ls"), "by full path, not by basename (Q35)");
            assertEquals("", db.version("/usr/bin"));
        }
        assertEquals(List.of("/usr/bin/ls", "/bin/ls"), PackageDatabase.candidates("/usr/bin/ls"));
        assertEquals(List.of("/sbin/init", "/usr/sbin/init"), PackageDatabase.candidates("/sbin/init"));
        assertEquals(List.of("/usr/libexec/x"), PackageDatabase.candidates("/usr/libexec/x"));
        assertEquals(List.of("/usr/share/x"), PackageDatabase.candidates("/usr/share/x"));
    }

    @Test
    void aChangedStatusFileIsReadAgainAtTheNextCheck() throws Exception {
        sample();
        long[] now = {0};
        try (DpkgDatabase db = new DpkgDatabase(dpkg, 10, () -> now[0])) {
            assertEquals("1:9.2p1-2+deb12u7", db.version("/usr/bin/ssh"));
            write("status", STATUS.replace("1:9.2p1-2+deb12u7", "1:9.2p1-2+deb12u8"));
            Files.setLastModifiedTime(dpkg.resolve("status"), FileTime.from(Instant.now().plusSeconds(60)));
            assertEquals("1:9.2p1-2+deb12u7", db.version("/usr/bin/ssh"), "not before the check interval");
            now[0] = 10;
            db.version("/usr/bin/ssh");     // starts the new read; the old index answers meanwhile
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (db.reads() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals("1:9.2p1-2+deb12u8", db.version("/usr/bin/ssh"));
            now[0] = 20;
            db.version("/usr/bin/ssh");
            Thread.sleep(100);
            assertEquals(2, db.reads(), "an unchanged status is not read again");
        }
    }

    @Test
    void aMissingDatabaseGivesEmptyVersions() throws Exception {
        try (DpkgDatabase db = new DpkgDatabase(dpkg.resolve("absent"), DpkgDatabase.CHECK_INTERVAL_NANOS, System::nanoTime)) {
            assertEquals("", db.version("/usr/bin/ls"));
        }
    }
}
