package io.kflowd.core.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrichmentTest {

    @TempDir
    Path dir;

    @Test
    void procNameFollowsSpec81() {
        assertEquals("bash", ProcessNames.procName("bash", "bash"));
        assertEquals("python3.11/worker", ProcessNames.procName("python3.11", "worker"));
        // comm is cut at 15 characters by the kernel: agreeing prefix means the same program
        assertEquals("systemd-journald", ProcessNames.procName("systemd-journald", "systemd-journal"));
        assertEquals("busybox/sh", ProcessNames.procName("busybox", "sh"));
        assertEquals("kworker/0:1", ProcessNames.procName("", "kworker/0:1"));
        assertEquals("java", ProcessNames.procName("java", ""));
    }

    @Test
    void userAndGroupNamesAreReadAndReloadedWhenTheFileChanges() throws IOException {
        Path passwd = Files.writeString(dir.resolve("passwd"),
                "root:x:0:0:root:/root:/bin/bash\n# comment\nbroken\nnobody:x:65534:65534::/:/usr/sbin/nologin\nbig:x:4000000000:1::/:/bin/sh\n");
        Path group = Files.writeString(dir.resolve("group"), "root:x:0:\nusers:x:100:\n");
        UserGroupNames names = new UserGroupNames(passwd, group, 0);
        assertEquals("root", names.user(0, 1));
        assertEquals("nobody", names.user(65534, 1));
        assertEquals("big", names.user(4_000_000_000L, 1), "ids above 65535 work (kflowd quirk Q22)");
        assertEquals("", names.user(1234, 1));
        assertEquals("users", names.group(100, 1));

        Files.writeString(passwd, "alice:x:1234:1234::/home/alice:/bin/sh\n");
        Files.setLastModifiedTime(passwd, FileTime.from(Instant.now().plusSeconds(5)));
        assertEquals("alice", names.user(1234, 2));
    }

    @Test
    void reloadIsRateLimited() throws IOException {
        Path passwd = Files.writeString(dir.resolve("passwd"), "a:x:1:1::/:/bin/sh\n");
        Path group = Files.writeString(dir.resolve("group"), "");
        UserGroupNames names = new UserGroupNames(passwd, group, 1_000);
        assertEquals("a", names.user(1, 0));
        Files.writeString(passwd, "b:x:1:1::/:/bin/sh\n");
        Files.setLastModifiedTime(passwd, FileTime.from(Instant.now().plusSeconds(5)));
        assertEquals("a", names.user(1, 500), "within the interval the old table stays");
        assertEquals("b", names.user(1, 1_500));
    }

    @Test
    void mountInfoGivesDeviceStrings() {
        String mountinfo = """
                22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw,discard
                23 22 0:21 / /dev/shm rw,relatime - tmpfs tmpfs rw
                24 22 259:1 / /mnt/with\\040space rw - xfs /dev/nvme0n1p1 rw
                25 22 254:0 /sub /bind rw - ext4 /dev/vda rw
                garbage line
                """;
        var table = MountTable.parse(mountinfo);
        assertEquals("fe00h:/dev/vda:/:ext4", table.get(MountTable.encode(254, 0)), "first mount names a device mounted twice");
        assertEquals("15h:tmpfs:/dev/shm:tmpfs", table.get(MountTable.encode(0, 21)));
        assertEquals("10301h:/dev/nvme0n1p1:/mnt/with space:xfs", table.get(MountTable.encode(259, 1)),
                "majors above 255 keep their own id (kflowd quirk Q24)");
    }

    @Test
    void encodeMatchesStatOfARealFile() throws Exception {
        // st_dev of / as the JDK reports it must be found in this machine's mount table
        long dev = ((Number) Files.getAttribute(Path.of("/"), "unix:dev")).longValue();
        String device = MountTable.system().device(dev, 0);
        assertTrue(device.startsWith(Long.toHexString(dev) + "h:"), device);
        assertTrue(device.contains(":/:"), device);
    }

    @Test
    void defaultRouteInterfaceIsFound() throws IOException {
        Path route = Files.writeString(dir.resolve("route"), """
                Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
                lo\t00000000\t0100007F\t0003\t0\t0\t0\t00000000\t0\t0\t0
                """);
        assertEquals(Optional.of("127.0.0.1"), HostInfo.defaultRouteAddress(route));
        Path none = Files.writeString(dir.resolve("none"), "Iface\tDestination\n");
        assertEquals(Optional.empty(), HostInfo.defaultRouteAddress(none));
    }
}
