package io.kflowd.format.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kflowd.api.AppMessage;
import io.kflowd.api.RecordFormatter;
import io.kflowd.api.SocketRecord.App;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Spec 3.9 (socket key sequences) and 3.5-3.8 (presence), for both formats. */
class SocketKeyOrderTest {

    // Spec 3.9, copied key by key.
    private static final List<String> HEAD = List.of(
            "InfoSequenceNumber", "InfoTimestamp", "InfoMonitor", "InfoHostName", "InfoHostIP",
            "InfoSystem", "InfoKernel", "InfoVersion", "InfoUptime", "ProcParent", "Proc", "ProcUser",
            "ProcGroup", "ProcPPID", "ProcPID", "ProcTID", "ProcUID", "ProcGID", "ProcAge");
    private static final List<String> SOCK = List.of("SockProtocol", "SockRole", "SockState", "SockFamily",
            "SockLocalIP", "SockLocalPort", "SockRemoteIP", "SockRemotePort");
    private static final List<String> TCP_TX = List.of("SockTxInterface", "SockTxDataPackets", "SockTxPackets",
            "SockTxPacketsRetrans", "SockTxPacketsDups", "SockTxFlags", "SockTxDuration", "SockTxBytes",
            "SockTxBytesAcked", "SockTxBytesRetrans", "SockTxRTO");
    private static final List<String> TCP_RX = List.of("SockRxInterface", "SockRxDataPackets", "SockRxPackets",
            "SockRxPacketsQueued", "SockRxPacketsDrop", "SockRxPacketsReorder", "SockRxPacketsFrag", "SockRxFlags",
            "SockRxDuration", "SockRxBytes", "SockRxTTL", "SockRTT");
    private static final List<String> UDP_TX = List.of("SockTxInterface", "SockTxPackets", "SockTxDuration",
            "SockTxBytes");
    private static final List<String> UDP_RX = List.of("SockRxInterface", "SockRxPackets", "SockRxPacketsQueued",
            "SockRxPacketsDrop", "SockRxPacketsFrag", "SockRxDuration", "SockRxBytes", "SockRxTTL");
    private static final List<String> UNIX_SOCK = List.of("SockRole", "SockAddress", "SockFamily");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Stream<RecordFormatter> formatters() {
        return KeyOrderTest.formatters();
    }

    private static JsonNode parse(RecordFormatter formatter, SocketTestRecords record) throws Exception {
        return MAPPER.readTree(TestRecords.format(formatter, record.build()));
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @SafeVarargs
    private static List<String> seq(List<String>... parts) {
        List<String> all = new ArrayList<>(HEAD);
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    private static final List<String> AGE = List.of("SockAge");

    @ParameterizedTest
    @MethodSource("formatters")
    void tcpClient(RecordFormatter f) throws Exception {
        assertEquals(seq(SOCK, TCP_TX, TCP_RX, AGE, List.of("App", "AppTxDns", "AppRxDns")),
                keys(parse(f, new SocketTestRecords())));
        assertEquals(seq(SOCK, TCP_TX, TCP_RX, AGE), keys(parse(f, new SocketTestRecords().noApp())));
        assertEquals(seq(SOCK, AGE), keys(parse(f, new SocketTestRecords().noApp().noTraffic())));
        SocketTestRecords txOnly = new SocketTestRecords().noApp();
        txOnly.rxPackets = 0;
        assertEquals(seq(SOCK, TCP_TX, AGE), keys(parse(f, txOnly)));
        SocketTestRecords rxOnly = new SocketTestRecords().noApp();
        rxOnly.txPackets = 0;
        assertEquals(seq(SOCK, TCP_RX, AGE), keys(parse(f, rxOnly)));
    }

    @ParameterizedTest
    @MethodSource("formatters")
    void tcpServer(RecordFormatter f) throws Exception {
        assertEquals(seq(SOCK, TCP_RX, TCP_TX, AGE, List.of("App", "AppRxDns", "AppTxDns")),
                keys(parse(f, new SocketTestRecords().server())));
        SocketTestRecords http = new SocketTestRecords().server();
        http.app = App.HTTP;
        assertEquals(seq(SOCK, TCP_RX, TCP_TX, AGE, List.of("App", "AppRxHttp", "AppTxHttp")),
                keys(parse(f, http)));
        // Quirk Q3, kept: a SYSLOG server lists Tx before Rx.
        SocketTestRecords syslog = new SocketTestRecords().server();
        syslog.app = App.SYSLOG;
        assertEquals(seq(SOCK, TCP_RX, TCP_TX, AGE, List.of("App", "AppTxSyslog", "AppRxSyslog")),
                keys(parse(f, syslog)));
        assertEquals(seq(SOCK, TCP_RX, TCP_TX, AGE), keys(parse(f, new SocketTestRecords().server().noApp())));
    }

    @ParameterizedTest
    @MethodSource("formatters")
    void udpClient(RecordFormatter f) throws Exception {
        assertEquals(seq(SOCK, UDP_TX, UDP_RX, AGE, List.of("App", "AppTxDns", "AppRxDns")),
                keys(parse(f, new SocketTestRecords().udp())));
        assertEquals(seq(SOCK, UDP_TX, UDP_RX, AGE), keys(parse(f, new SocketTestRecords().udp().noApp())));
        assertEquals(seq(SOCK, AGE), keys(parse(f, new SocketTestRecords().udp().noApp().noTraffic())));
    }

    @ParameterizedTest
    @MethodSource("formatters")
    void udpServer(RecordFormatter f) throws Exception {
        assertEquals(seq(SOCK, UDP_RX, UDP_TX, AGE, List.of("App", "AppRxDns", "AppTxDns")),
                keys(parse(f, new SocketTestRecords().udp().server())));
        assertEquals(seq(SOCK, UDP_RX, UDP_TX, AGE), keys(parse(f, new SocketTestRecords().udp().server().noApp())));
    }

    @ParameterizedTest
    @MethodSource("formatters")
    void unixClient(RecordFormatter f) throws Exception {
        assertEquals(seq(UNIX_SOCK, List.of("SockTxBytes", "SockAge", "App", "AppTxSyslog")),
                keys(parse(f, new SocketTestRecords().unix())));
        assertEquals(seq(UNIX_SOCK, List.of("SockTxBytes", "SockAge")),
                keys(parse(f, new SocketTestRecords().unix().noApp())));
        assertEquals(seq(UNIX_SOCK, AGE), keys(parse(f, new SocketTestRecords().unix().noApp().noTraffic())));
        SocketTestRecords both = new SocketTestRecords().unix();
        both.rxPackets = 1;
        assertEquals(seq(UNIX_SOCK, List.of("SockTxBytes", "SockRxBytes", "SockAge", "App", "AppTxSyslog")),
                keys(parse(f, both)));
    }

    @ParameterizedTest
    @MethodSource("formatters")
    void appWithoutDecodedMessagesIsOnlyTheAppKeyAndEmptyArraysAreOmitted(RecordFormatter f) throws Exception {
        SocketTestRecords record = new SocketTestRecords();
        record.txMessages = List.of();
        record.rxMessages = List.of();
        assertEquals(seq(SOCK, TCP_TX, TCP_RX, AGE, List.of("App")), keys(parse(f, record)));
        record.rxMessages = new SocketTestRecords().rxMessages;
        assertEquals(seq(SOCK, TCP_TX, TCP_RX, AGE, List.of("App", "AppRxDns")), keys(parse(f, record)));
        for (App app : App.values()) {
            record.app = app;
            JsonNode json = parse(f, record);
            assertEquals(app.name(), json.get("App").textValue());
            assertTrue(json.has("AppRx" + app.name().charAt(0) + app.name().substring(1).toLowerCase()), app.name());
        }
    }

    @ParameterizedTest
    @MethodSource("formatters")
    void values(RecordFormatter f) throws Exception {
        SocketTestRecords record = new SocketTestRecords();
        JsonNode json = parse(f, record);
        assertEquals("socket", json.get("InfoMonitor").textValue());
        assertEquals("TCP", json.get("SockProtocol").textValue());
        assertEquals("CLIENT", json.get("SockRole").textValue());
        assertEquals("AF_INET", json.get("SockFamily").textValue());
        assertEquals(41234, json.get("SockLocalPort").intValue());
        assertEquals(List.of("SYN", "ACK", "FIN-ACK"), keys(json.get("SockTxFlags")));
        assertEquals(2, json.get("SockTxFlags").get("ACK").intValue());
        assertEquals(List.of("SYN-ACK", "PSH-ACK", "FIN-ACK"), keys(json.get("SockRxFlags")));
        assertEquals(64, json.get("SockRxTTL").intValue());
        String text = TestRecords.format(f, record.build());
        assertTrue(text.contains("\"SockRTT\": 0.057344028"), text);
        assertTrue(text.contains("\"_Timestamp\": 0,") || text.contains("\"_Timestamp\": 0\n"), text);
        assertFalse(text.contains("null"), text);
        // Flag order is the order of first appearance, not sorted.
        Map<String, Long> flags = new LinkedHashMap<>();
        flags.put("RST-ACK", 1L);
        flags.put("ACK", 5L);
        record.txFlags = flags;
        record.rxFlags = Map.of();
        json = parse(f, record);
        assertEquals(List.of("RST-ACK", "ACK"), keys(json.get("SockTxFlags")));
        assertEquals(0, json.get("SockRxFlags").size());
        assertTrue(json.get("SockRxFlags").isObject());
    }

    @Test
    void theRecordCopiesAndFreezesItsParts() {
        Map<String, Long> flags = new LinkedHashMap<>();
        flags.put("SYN", 1L);
        SocketTestRecords record = new SocketTestRecords();
        record.txFlags = flags;
        List<AppMessage> messages = new ArrayList<>(record.txMessages);
        record.txMessages = messages;
        var built = record.build();
        flags.put("ACK", 1L);
        messages.clear();
        assertEquals(List.of("SYN"), List.copyOf(built.tx().flags().keySet()));
        assertEquals(2, built.txMessages().size());
        assertThrows(UnsupportedOperationException.class, () -> built.tx().flags().put("X", 1L));
        assertThrows(UnsupportedOperationException.class, () -> built.rxMessages().clear());
        SocketTestRecords noApp = new SocketTestRecords();
        noApp.app = null;
        assertThrows(IllegalArgumentException.class, noApp::build);
    }
}
