package io.kflowd.core.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterfaceTableTest {

    private static void device(Path classNet, String name, int index, String mac) throws Exception {
        Path dir = Files.createDirectories(classNet.resolve(name));
        Files.writeString(dir.resolve("ifindex"), index + "\n");
        Files.writeString(dir.resolve("address"), mac + "\n");
    }

    @Test
    void namesIndexesAndPicksUpInterfacesCreatedLater(@TempDir Path classNet) throws Exception {
        device(classNet, "lo", 1, "00:00:00:00:00:00");
        device(classNet, "eth0", 2, "0C:C4:7A:88:84:C2");
        InterfaceTable table = new InterfaceTable(classNet, 1_000);
        assertEquals("1:lo:00:00:00:00:00:00", table.name(1, 0));
        assertEquals("2:eth0:0c:c4:7a:88:84:c2", table.name(2, 0));
        assertEquals("", table.name(0, 0));
        device(classNet, "veth9", 9, "aa:bb:cc:dd:ee:ff");
        assertEquals("", table.name(9, 500), "reloads are rate-limited");
        assertEquals("9:veth9:aa:bb:cc:dd:ee:ff", table.name(9, 2_000));
    }

    @Test
    void systemTableKnowsLoopback() {
        assertEquals("1:lo:00:00:00:00:00:00", InterfaceTable.system().name(1, 0));
    }
}
