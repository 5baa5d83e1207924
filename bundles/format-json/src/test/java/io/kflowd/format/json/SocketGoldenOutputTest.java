package io.kflowd.format.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kflowd.api.AppMessage;
import io.kflowd.api.SocketRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One fixed TCP client record with flags and DNS-like messages, byte for byte, in both
 * formats. The expected texts are written by hand from spec 2.1-2.3 and 3.9.
 */
class SocketGoldenOutputTest {

    private static final String JSON_MIN = "{\"InfoSequenceNumber\": 2, "
            + "\"InfoTimestamp\": \"Thu, Apr 04 2024 15:34:35.643031330 UTC\", "
            + "\"InfoMonitor\": \"socket\", \"InfoHostName\": \"srv01\", \"InfoHostIP\": \"192.168.1.10\", "
            + "\"InfoSystem\": \"Linux\", \"InfoKernel\": \"6.1.0-18-amd64\", \"InfoVersion\": \"kflowd-v0.9.11\", "
            + "\"InfoUptime\": 21.262713426, "
            + "\"ProcParent\": \"bash\", \"Proc\": \"curl\", \"ProcUser\": \"dirk\", \"ProcGroup\": \"users\", "
            + "\"ProcPPID\": 4711, \"ProcPID\": 4712, \"ProcTID\": 4712, \"ProcUID\": 1000, \"ProcGID\": 100, "
            + "\"ProcAge\": 0.811829334, "
            + "\"SockProtocol\": \"TCP\", \"SockRole\": \"CLIENT\", \"SockState\": \"TCP_CLOSE\", "
            + "\"SockFamily\": \"AF_INET\", \"SockLocalIP\": \"127.0.0.1\", \"SockLocalPort\": 41234, "
            + "\"SockRemoteIP\": \"127.0.0.1\", \"SockRemotePort\": 53, "
            + "\"SockTxInterface\": \"1:lo:00:00:00:00:00:00\", \"SockTxDataPackets\": 2, \"SockTxPackets\": 4, "
            + "\"SockTxPacketsRetrans\": 0, \"SockTxPacketsDups\": 0, "
            + "\"SockTxFlags\": {\"SYN\": 1, \"ACK\": 2, \"FIN-ACK\": 1}, \"SockTxDuration\": 0.056000123, "
            + "\"SockTxBytes\": 30, \"SockTxBytesAcked\": 30, \"SockTxBytesRetrans\": 0, \"SockTxRTO\": 204, "
            + "\"SockRxInterface\": \"1:lo:00:00:00:00:00:00\", \"SockRxDataPackets\": 1, \"SockRxPackets\": 3, "
            + "\"SockRxPacketsQueued\": 0, \"SockRxPacketsDrop\": 0, \"SockRxPacketsReorder\": 0, "
            + "\"SockRxPacketsFrag\": 0, \"SockRxFlags\": {\"SYN-ACK\": 1, \"PSH-ACK\": 1, \"FIN-ACK\": 1}, "
            + "\"SockRxDuration\": 0.057000000, \"SockRxBytes\": 46, \"SockRxTTL\": 64, \"SockRTT\": 0.057344028, "
            + "\"SockAge\": 0.057344028, \"App\": \"DNS\", "
            + "\"AppTxDns\": [{\"_Timestamp\": 0.000001177, \"TransactionId\": 4660, \"Flags\": [\"RD\"], "
            + "\"Truncated\": false, \"ResourceRecords\": []}, "
            + "{\"_Timestamp\": 0.000048627, \"Flags\": [], \"ResourceRecords\": []}], "
            + "\"AppRxDns\": [{\"_Timestamp\": 0, \"TransactionId\": 4660, \"Flags\": [\"QR\", \"RD\"], "
            + "\"Truncated\": true, \"ResourceRecords\": [[\"A\", \"kflow.co\", 300]]}]}";

    private static final String JSON = """
            {
              "InfoSequenceNumber": 2,
              "InfoTimestamp": "Thu, Apr 04 2024 15:34:35.643031330 UTC",
              "InfoMonitor": "socket",
              "InfoHostName": "srv01",
              "InfoHostIP": "192.168.1.10",
              "InfoSystem": "Linux",
              "InfoKernel": "6.1.0-18-amd64",
              "InfoVersion": "kflowd-v0.9.11",
              "InfoUptime": 21.262713426,
              "ProcParent": "bash",
              "Proc": "curl",
              "ProcUser": "dirk",
              "ProcGroup": "users",
              "ProcPPID": 4711,
              "ProcPID": 4712,
              "ProcTID": 4712,
              "ProcUID": 1000,
              "ProcGID": 100,
              "ProcAge": 0.811829334,
              "SockProtocol": "TCP",
              "SockRole": "CLIENT",
              "SockState": "TCP_CLOSE",
              "SockFamily": "AF_INET",
              "SockLocalIP": "127.0.0.1",
              "SockLocalPort": 41234,
              "SockRemoteIP": "127.0.0.1",
              "SockRemotePort": 53,
              "SockTxInterface": "1:lo:00:00:00:00:00:00",
              "SockTxDataPackets": 2,
              "SockTxPackets": 4,
              "SockTxPacketsRetrans": 0,
              "SockTxPacketsDups": 0,
              "SockTxFlags": {
                "SYN": 1,
                "ACK": 2,
                "FIN-ACK": 1
              },
              "SockTxDuration": 0.056000123,
              "SockTxBytes": 30,
              "SockTxBytesAcked": 30,
              "SockTxBytesRetrans": 0,
              "SockTxRTO": 204,
              "SockRxInterface": "1:lo:00:00:00:00:00:00",
              "SockRxDataPackets": 1,
              "SockRxPackets": 3,
              "SockRxPacketsQueued": 0,
              "SockRxPacketsDrop": 0,
              "SockRxPacketsReorder": 0,
              "SockRxPacketsFrag": 0,
              "SockRxFlags": {
                "SYN-ACK": 1,
                "PSH-ACK": 1,
                "FIN-ACK": 1
              },
              "SockRxDuration": 0.057000000,
              "SockRxBytes": 46,
              "SockRxTTL": 64,
              "SockRTT": 0.057344028,
              "SockAge": 0.057344028,
              "App": "DNS",
              "AppTxDns": [{
                "_Timestamp": 0.000001177,
                "TransactionId": 4660,
                "Flags": ["RD"],
                "Truncated": false,
                "ResourceRecords": []
              },
              {
                "_Timestamp": 0.000048627,
                "Flags": [],
                "ResourceRecords": []
              }],
              "AppRxDns": [{
                "_Timestamp": 0,
                "TransactionId": 4660,
                "Flags": ["QR", "RD"],
                "Truncated": true,
                "ResourceRecords": [
                  ["A", "kflow.co", 300]
                ]
              }]
            }""";

    private final SocketRecord record = new SocketTestRecords().build();

    @Test
    void jsonMin() {
        assertEquals(JSON_MIN, TestRecords.format(new JsonMinFormatter(), record));
    }

    @Test
    void json() {
        assertEquals(JSON, TestRecords.format(new JsonFormatter(), record));
    }

    @Test
    void prettyIsWhatKflowdsScannerMakesOfTheCompactForm() {
        assertEquals(KflowdScanner.pretty(JSON_MIN), JSON);
        SocketTestRecords nested = new SocketTestRecords();
        nested.rxMessages = List.of(AppMessage.of(
                AppMessage.member("Headers", AppMessage.object(
                        AppMessage.member("Host", AppMessage.string("a \"b\", {c} [d] \\")),
                        AppMessage.member("Deep", AppMessage.array(AppMessage.array(AppMessage.number(-1)),
                                AppMessage.array())))),
                AppMessage.member("Objects", AppMessage.array(AppMessage.object(), AppMessage.object(
                        AppMessage.member("x", AppMessage.bool(true)))))));
        for (SocketTestRecords variant : new SocketTestRecords[] {nested, new SocketTestRecords().server(),
                new SocketTestRecords().udp().noApp(), new SocketTestRecords().unix()}) {
            String compact = TestRecords.format(new JsonMinFormatter(), variant.build());
            String pretty = TestRecords.format(new JsonFormatter(), variant.build());
            // The one deliberate difference (PrettyLayout): an empty object stays "{}".
            assertEquals(KflowdScanner.pretty(compact).replaceAll("\\{\n *\n *}", "{}"), pretty);
        }
    }

    @Test
    void socketAndFileRecordsShareAFormatter() {
        var pretty = new JsonFormatter();
        var compact = new JsonMinFormatter();
        var file = new TestRecords().build();
        String fileJson = TestRecords.format(pretty, file);
        String fileMin = TestRecords.format(compact, file);
        for (int i = 0; i < 2; i++) {
            assertEquals(JSON, TestRecords.format(pretty, record));
            assertEquals(JSON_MIN, TestRecords.format(compact, record));
            assertEquals(fileJson, TestRecords.format(pretty, file));
            assertEquals(fileMin, TestRecords.format(compact, file));
        }
    }
}
