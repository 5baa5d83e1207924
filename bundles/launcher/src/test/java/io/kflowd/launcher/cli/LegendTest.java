package io.kflowd.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Legend (spec 10.4) with the descriptions corrected as quirk Q20 asks. */
class LegendTest {

    /** Spec section 3 in enumeration order (85 kflowd keys), then our TLS arrays. */
    private static final List<String> KEYS = List.of(
            "InfoSequenceNumber", "InfoTimestamp", "InfoMonitor", "InfoHostName", "InfoHostIP", "InfoHostToken",
            "InfoSystem", "InfoKernel", "InfoVersion", "InfoUptime",
            "ProcParent", "Proc", "ProcVersion", "ProcUser", "ProcGroup", "ProcPPID", "ProcPID", "ProcTID", "ProcUID",
            "ProcGID", "ProcAge",
            "FilePath", "File", "FileOrigin", "FileVersion", "FileMode", "FileEventCount", "FileEvents",
            "FileEventsDuration", "FileInode", "FileInodeLinkCount", "FileDevice", "FilePermissions", "FileUser",
            "FileGroup", "FileUID", "FileGID", "FileSize", "FileSizeChange", "FileAccessTime", "FileStatusChangeTime",
            "FileModificationTime", "FileModificationTimeChange", "FileMD5", "FileSHA256",
            "SockProtocol", "SockRole", "SockState", "SockFamily", "SockLocalIP", "SockLocalPort", "SockRemoteIP",
            "SockRemotePort", "SockAddress",
            "SockTxInterface", "SockTxDataPackets", "SockTxPackets", "SockTxPacketsRetrans", "SockTxPacketsDups",
            "SockTxFlags", "SockTxDuration", "SockTxBytes", "SockTxBytesAcked", "SockTxBytesRetrans", "SockTxRTO",
            "SockRxInterface", "SockRxDataPackets", "SockRxPackets", "SockRxPacketsQueued", "SockRxPacketsDrop",
            "SockRxPacketsReorder", "SockRxPacketsFrag", "SockRxFlags", "SockRxDuration", "SockRxBytes", "SockRxTTL",
            "SockRTT",
            "SockAge", "App", "AppTxDns", "AppRxDns", "AppTxHttp", "AppRxHttp", "AppTxSyslog", "AppRxSyslog",
            "AppTxTls", "AppRxTls");

    private static final Map<String, LegendEntry> BY_KEY = Legend.entries().stream()
            .collect(Collectors.toMap(LegendEntry::key, Function.identity()));

    private static List<String> subkeys(String key) {
        return BY_KEY.get(key).subkeys().stream().map(LegendEntry::key).toList();
    }

    private static String description(String key) {
        return BY_KEY.get(key).description();
    }

    @Test
    void everyKeyInSpecOrder() {
        assertEquals(85, KEYS.indexOf("AppTxTls"));
        assertEquals(KEYS, Legend.entries().stream().map(LegendEntry::key).toList());
    }

    @Test
    void subkeysUnderTheirParents() {
        assertEquals(List.of("CREATE", "OPEN", "OPEN_EXEC", "ACCESS", "ATTRIB", "MODIFY", "CLOSE_WRITE",
                "CLOSE_NOWRITE", "MOVED_FROM", "MOVED_TO", "DELETE"), subkeys("FileEvents"));
        assertEquals(List.of("FIN", "SYN", "RST", "PSH", "ACK", "URG"), subkeys("SockRxFlags"));
        List<String> dns = List.of("_Timestamp", "TransactionId", "OpCode", "ResponseCode", "Flags", "AnswerCount",
                "ResourceRecords");
        assertEquals(dns, subkeys("AppTxDns"));
        assertEquals(dns, subkeys("AppRxDns"));
        List<String> http = List.of("_Timestamp", "_Method", "_Url", "_Version", "_Status", "_Reason", "[Header]", "_Body");
        assertEquals(http, subkeys("AppTxHttp"));
        assertEquals(http, subkeys("AppRxHttp"));
        List<String> syslog = List.of("Facility", "Severity", "Priority", "Version", "Timestamp", "Hostname", "Appname",
                "ProcId", "MsgId", "Data", "Message");
        assertEquals(syslog, subkeys("AppTxSyslog"));
        assertEquals(syslog, subkeys("AppRxSyslog"));
        List<String> tls = List.of("ServerName", "Alpn", "Versions", "Version", "Cipher");
        assertEquals(tls, subkeys("AppTxTls"));
        assertEquals(tls, subkeys("AppRxTls"));
        long parents = Legend.entries().stream().filter(e -> !e.subkeys().isEmpty()).count();
        assertEquals(10, parents);
    }

    @Test
    void countsComeFromTheData() {
        assertEquals(87, Legend.keyCount());
        assertEquals(11 + 6 + 2 * 7 + 2 * 8 + 2 * 11 + 2 * 5, Legend.subkeyCount());
        int subkeys = Legend.entries().stream().mapToInt(e -> e.subkeys().size()).sum();
        assertEquals("Legend (" + Legend.entries().size() + " keys, " + subkeys + " subkeys):",
                Legend.text().lines().findFirst().orElseThrow());
    }

    @Test
    void lineFormat() {
        List<String> lines = Legend.text().lines().toList();
        assertEquals(1 + Legend.keyCount() + Legend.subkeyCount(), lines.size());
        int index = 1;
        for (LegendEntry entry : Legend.entries()) {
            String line = lines.get(index++);
            assertEquals("  " + pad(entry.key(), 26) + "  " + entry.description(), line);
            assertEquals(entry.description(), line.substring(30));
            for (LegendEntry sub : entry.subkeys()) {
                String subLine = lines.get(index++);
                assertEquals("   └─ " + pad(sub.key(), 23) + " " + sub.description(), subLine);
                assertEquals(sub.description(), subLine.substring(30));
            }
        }
    }

    @Test
    void keysFitTheirColumnsAndDescriptionsAreOneLine() {
        for (LegendEntry entry : Legend.entries()) {
            assertTrue(entry.key().length() <= 26, entry.key());
            assertFalse(entry.description().isBlank(), entry.key());
            assertFalse(entry.description().contains("\n"), entry.key());
            for (LegendEntry sub : entry.subkeys()) {
                assertTrue(sub.key().length() <= 23, sub.key());
                assertFalse(sub.description().isBlank(), sub.key());
                assertFalse(sub.description().contains("\n"), sub.key());
                assertTrue(sub.subkeys().isEmpty(), sub.key());
            }
        }
    }

    @Test
    void descriptionsCorrectedPerQuirkQ20() {
        assertTrue(subkeys("AppTxHttp").contains("_Url"));
        assertFalse(subkeys("AppTxHttp").contains("_URL"));
        assertFalse(subkeys("AppTxSyslog").contains("Length"));
        assertFalse(subkeys("AppRxSyslog").contains("Length"));
        assertTrue(description("InfoMonitor").contains("\"filesystem\""));
        assertTrue(description("InfoMonitor").contains("\"socket\""));
        assertFalse(description("InfoMonitor").toLowerCase().contains("network"));
        assertTrue(description("FileInodeLinkCount").contains("hard link"));
        assertFalse(description("FileInodeLinkCount").toLowerCase().contains("symbolic"));
        assertTrue(description("SockRTT").toLowerCase().contains("smoothed"));
        assertFalse(description("SockRTT").toLowerCase().contains("average"));
        assertTrue(description("SockRxPacketsFrag").contains("UDP"));
        assertTrue(description("SockRxPacketsQueued").startsWith("Bytes"));
        assertTrue(description("SockTxRTO").contains("jiffies"));
        assertFalse(description("FileModificationTimeChange").contains("since"));
        String responseCode = BY_KEY.get("AppRxDns").subkeys().stream()
                .filter(s -> s.key().equals("ResponseCode")).findFirst().orElseThrow().description();
        assertTrue(responseCode.contains("FORMERROR"));
        assertFalse(responseCode.matches(".*FORMERR\\b.*"));
        for (String app : List.of("\"DNS\"", "\"HTTP\"", "\"SYSLOG\"", "\"TLS\"")) {
            assertTrue(description("App").contains(app), app);
        }
    }

    @Test
    void renderStartsWithTheProductHeader() {
        String text = Legend.render("1.2.3", false);
        assertTrue(text.startsWith(UsageText.header("1.2.3", false) + "Legend ("));
        assertFalse(text.contains("\033"));
        assertTrue(Legend.render("1.2.3", true).contains("\033[1m"));
    }

    @Test
    void entriesAreImmutable() {
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
                () -> Legend.entries().clear());
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
