package io.kflowd.format.ocsf;

import static io.kflowd.format.ocsf.Records.answer;
import static io.kflowd.format.ocsf.Records.dnsQuery;
import static io.kflowd.format.ocsf.Records.dnsResponse;
import static io.kflowd.format.ocsf.Records.events;
import static io.kflowd.format.ocsf.Records.flags;
import static io.kflowd.format.ocsf.Records.httpRequest;
import static io.kflowd.format.ocsf.Records.httpResponse;
import static io.kflowd.format.ocsf.Records.socket;
import static io.kflowd.format.ocsf.Records.traffic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kflowd.api.AppMessage;
import io.kflowd.api.FileEvent;
import io.kflowd.api.FileRecord;
import io.kflowd.api.MonitorRecord;
import io.kflowd.api.SocketRecord;
import io.kflowd.api.SocketRecord.App;
import io.kflowd.api.SocketRecord.Family;
import io.kflowd.api.SocketRecord.Protocol;
import io.kflowd.api.SocketRecord.Role;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every record kind as an OCSF 1.3.0 event, checked against {@link OcsfSchema} and for its mapping. */
class OcsfFormatterTest {

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final OcsfFormatter formatter = new OcsfFormatter();
    /** The text of the last event formatted. */
    String lastText;

    /** Formats, checks the bytes are one line of strict UTF-8 JSON, and that the event is valid. */
    JsonNode format(MonitorRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        formatter.format(record, out);
        byte[] bytes = out.toByteArray();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError("output is not UTF-8", e);
        }
        assertFalse(text.contains("\n") || text.contains("\r") || text.contains("\u001e"), text);
        lastText = text;
        JsonNode event = JSON.readTree(text);
        List<String> violations = OcsfSchema.violations(event);
        assertTrue(violations.isEmpty(), violations + "\n" + text);
        return event;
    }

    /** A seconds value as written (the parser keeps the scale as a BigDecimal). */
    static String seconds(JsonNode value) {
        return value.decimalValue().toPlainString();
    }

    // ------------------------------------------------------------------ file system

    @Test
    void fileCreate() throws IOException {
        JsonNode e = format(Records.file("/home/dirk/", "new.txt", null,
                events(FileEvent.CREATE, 1, FileEvent.OPEN, 1, FileEvent.MODIFY, 2, FileEvent.CLOSE_WRITE, 1)));
        assertEquals(1001, e.get("class_uid").asInt());
        assertEquals(1, e.get("category_uid").asInt());
        assertEquals(1, e.get("activity_id").asInt());
        assertEquals("Create", e.get("activity_name").asText());
        assertEquals(100101, e.get("type_uid").asLong());
        assertEquals("File System Activity: Create", e.get("type_name").asText());
        assertEquals(5, e.get("count").asInt());
        assertEquals(Records.NOW.toEpochMilli(), e.get("time").asLong());
        assertEquals(1500, e.get("duration").asLong());
        assertEquals(e.get("time").asLong() - 1500, e.get("start_time").asLong());
        JsonNode file = e.get("file");
        assertEquals("new.txt", file.get("name").asText());
        assertEquals("/home/dirk/new.txt", file.get("path").asText());
        assertEquals("/home/dirk", file.get("parent_folder").asText());
        assertEquals(1, file.get("type_id").asInt());
        assertEquals("131077", file.get("uid").asText());
        assertEquals("1000", file.at("/owner/uid").asText());
        assertEquals(4096, file.get("size").asLong());
        JsonNode u = e.get("unmapped");
        assertEquals(2, u.at("/FileEvents/MODIFY").asInt());
        assertEquals("0644/-rw-r--r--", u.get("FilePermissions").asText());
        assertEquals("902h:/dev/md2:/:ext4", u.get("FileDevice").asText());
        assertTrue(lastText.contains("\"FileEventsDuration\":1.500000000,"), lastText);
        assertTrue(lastText.contains("\"FileModificationTimeChange\":0.250000000"), lastText);
        assertEquals(100, u.get("FileSizeChange").asLong());
        assertEquals("1.3.0", e.at("/metadata/version").asText());
        assertEquals("kflowd", e.at("/metadata/product/vendor_name").asText());
        assertEquals("v0.1.0", e.at("/metadata/product/version").asText());
        assertEquals(7, e.at("/metadata/sequence").asLong());
        assertEquals("filesystem", e.at("/metadata/log_name").asText());
        assertEquals("srv01", e.at("/device/hostname").asText());
        assertEquals(200, e.at("/device/os/type_id").asInt());
        assertEquals("6.1.0-18-amd64", e.at("/device/os/version").asText());
        assertEquals(4712, e.at("/actor/process/pid").asLong());
        assertEquals(4713, e.at("/actor/process/tid").asLong());
        assertEquals(4711, e.at("/actor/process/parent_process/pid").asLong());
        assertEquals("bash", e.at("/actor/process/parent_process/name").asText());
        assertEquals("dirk", e.at("/actor/user/name").asText());
        assertEquals("1000", e.at("/actor/user/uid").asText());
        assertTrue(e.get("osint").isArray());
    }

    @Test
    void fileModifyDeleteAttribReadOpenClose() throws IOException {
        assertActivity(events(FileEvent.OPEN, 1, FileEvent.MODIFY, 3, FileEvent.CLOSE_WRITE, 1), 3, "Update");
        assertActivity(events(FileEvent.CREATE, 1, FileEvent.DELETE, 1), 4, "Delete");
        assertActivity(events(FileEvent.ATTRIB, 2), 6, "Set Attributes");
        assertActivity(events(FileEvent.OPEN, 1, FileEvent.ACCESS, 4, FileEvent.CLOSE_NOWRITE, 1), 2, "Read");
        assertActivity(events(FileEvent.OPEN_EXEC, 1), 14, "Open");
        assertActivity(events(FileEvent.CLOSE_NOWRITE, 1), 99, "Close");
        assertActivity(events(FileEvent.MOVED_FROM, 1), 5, "Rename");
    }

    private void assertActivity(java.util.Map<FileEvent, Integer> events, int activity, String name)
            throws IOException {
        JsonNode e = format(Records.file("/tmp/", "f", null, events));
        assertEquals(activity, e.get("activity_id").asInt(), events.toString());
        assertEquals(name, e.get("activity_name").asText());
        assertEquals(100100L + activity, e.get("type_uid").asLong());
    }

    @Test
    void fileRenameHasSourceAndResult() throws IOException {
        JsonNode e = format(Records.file("/srv/www/", "index.html", "index.tmp", events(FileEvent.MOVED_TO, 1)));
        assertEquals(5, e.get("activity_id").asInt());
        assertEquals("index.tmp", e.at("/file/name").asText());
        assertEquals("index.html", e.at("/file_result/name").asText());
        assertEquals("/srv/www/index.html", e.at("/file_result/path").asText());
        assertEquals(e.at("/file/uid"), e.at("/file_result/uid"));
    }

    @Test
    void fileHashesAndRootDirectory() throws IOException {
        String md5 = "d41d8cd98f00b204e9800998ecf8427e";
        String sha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        JsonNode e = format(Records.file("/", "vmlinuz", null, events(FileEvent.OPEN, 1), "cat", "root", md5, sha));
        assertEquals("/vmlinuz", e.at("/file/path").asText());
        assertEquals("/", e.at("/file/parent_folder").asText());
        assertEquals(1, e.at("/file/hashes/0/algorithm_id").asInt());
        assertEquals(md5, e.at("/file/hashes/0/value").asText());
        assertEquals(3, e.at("/file/hashes/1/algorithm_id").asInt());
        JsonNode unavailable = format(Records.file("/", "x", null, events(FileEvent.OPEN, 1), "cat", "root", "", ""));
        assertTrue(unavailable.at("/file/hashes").isMissingNode());
        assertEquals("", unavailable.at("/unmapped/FileMD5").asText());
    }

    // ------------------------------------------------------------------ network

    @Test
    void tcpClientIpv4() throws IOException {
        JsonNode e = format(Records.tcpClient(Family.AF_INET, "10.0.0.5", "93.184.216.34"));
        assertEquals(4001, e.get("class_uid").asInt());
        assertEquals(4, e.get("category_uid").asInt());
        assertEquals(6, e.get("activity_id").asInt(), "opened and closed in one record: Traffic");
        assertEquals(400106, e.get("type_uid").asLong());
        assertEquals("10.0.0.5", e.at("/src_endpoint/ip").asText());
        assertEquals(41234, e.at("/src_endpoint/port").asInt());
        assertEquals("eth0", e.at("/src_endpoint/interface_name").asText());
        assertEquals("2", e.at("/src_endpoint/interface_uid").asText());
        assertEquals("52:54:00:12:34:56", e.at("/src_endpoint/mac").asText());
        assertEquals("93.184.216.34", e.at("/dst_endpoint/ip").asText());
        assertEquals(443, e.at("/dst_endpoint/port").asInt());
        assertEquals("tcp", e.at("/connection_info/protocol_name").asText());
        assertEquals(6, e.at("/connection_info/protocol_num").asInt());
        assertEquals(4, e.at("/connection_info/protocol_ver_id").asInt());
        assertEquals(2, e.at("/connection_info/direction_id").asInt());
        assertTrue(e.at("/connection_info/boundary_id").isMissingNode());
        assertEquals(517, e.at("/traffic/bytes_out").asLong());
        assertEquals(4321, e.at("/traffic/bytes_in").asLong());
        assertEquals(4838, e.at("/traffic/bytes").asLong());
        assertEquals(11, e.at("/traffic/packets").asLong());
        assertEquals(2500, e.get("duration").asLong());
        JsonNode u = e.get("unmapped");
        assertEquals("TCP_CLOSE", u.get("SockState").asText());
        assertEquals(1, u.at("/SockTxFlags/SYN").asInt());
        assertEquals(1, u.at("/SockRxFlags/SYN-ACK").asInt());
        assertEquals("0.057344028", seconds(u.get("SockRTT")));
        assertEquals(204, u.get("SockTxRTO").asInt());
        assertEquals(64, u.get("SockRxTTL").asInt());
        assertTrue(lastText.contains("\"SockAge\":2.500000000"), lastText);
        assertEquals("0.811829334", seconds(u.get("ProcAge")));
        assertEquals("21.262713426", seconds(u.get("InfoUptime")));
        assertTrue(u.get("SockRxInterface") == null, "same interface both ways: mapped once");
        assertEquals("socket", e.at("/metadata/log_name").asText());
    }

    @Test
    void tcpClientIpv6Loopback() throws IOException {
        JsonNode e = format(Records.tcpClient(Family.AF_INET6, "::1", "::1"));
        assertEquals(6, e.at("/connection_info/protocol_ver_id").asInt());
        assertEquals(1, e.at("/connection_info/boundary_id").asInt());
        assertEquals("::1", e.at("/dst_endpoint/ip").asText());
    }

    @Test
    void tcpServerIsInboundWithRemoteAsSource() throws IOException {
        for (Family family : new Family[] {Family.AF_INET, Family.AF_INET6}) {
            String local = family == Family.AF_INET ? "192.168.1.10" : "2001:db8::10";
            String remote = family == Family.AF_INET ? "192.168.1.77" : "2001:db8::77";
            SocketRecord server = socket(Protocol.TCP, Role.SERVER, "TCP_ESTABLISHED", family, local, 22, remote,
                    50123, traffic("3:ens3:aa:bb:cc:dd:ee:ff", 3, 200, flags("SYN-ACK", 1, "ACK", 2)),
                    traffic("3:ens3:aa:bb:cc:dd:ee:ff", 4, 300, flags("SYN", 1, "ACK", 3)), null, null, null);
            JsonNode e = format(server);
            assertEquals(1, e.get("activity_id").asInt(), "opened here, still open");
            assertEquals(1, e.at("/connection_info/direction_id").asInt());
            assertEquals(remote, e.at("/src_endpoint/ip").asText());
            assertEquals(local, e.at("/dst_endpoint/ip").asText());
            assertEquals(22, e.at("/dst_endpoint/port").asInt());
            assertEquals("ens3", e.at("/dst_endpoint/interface_name").asText());
        }
    }

    @Test
    void tcpActivities() throws IOException {
        SocketRecord refused = socket(Protocol.TCP, Role.CLIENT, "TCP_CLOSE", Family.AF_INET, "127.0.0.1", 40000,
                "127.0.0.1", 9, traffic("1:lo:00:00:00:00:00:00", 1, 0, flags("SYN", 1)),
                traffic("1:lo:00:00:00:00:00:00", 1, 0, flags("RST-ACK", 1)), null, null, null);
        JsonNode e = format(refused);
        assertEquals(5, e.get("activity_id").asInt());
        assertEquals(2, e.get("status_id").asInt());
        SocketRecord unanswered = socket(Protocol.TCP, Role.CLIENT, "TCP_SYN_SENT", Family.AF_INET, "10.0.0.5",
                40001, "10.9.9.9", 443, traffic("", 2, 0, flags("SYN", 2)), null, null, null, null);
        assertEquals(4, format(unanswered).get("activity_id").asInt());
        SocketRecord reset = socket(Protocol.TCP, Role.CLIENT, "TCP_CLOSE", Family.AF_INET, "10.0.0.5", 40002,
                "10.9.9.9", 443, traffic("", 2, 10, flags("ACK", 1, "RST", 1)), null, null, null, null);
        assertEquals(3, format(reset).get("activity_id").asInt());
        SocketRecord closing = socket(Protocol.TCP, Role.CLIENT, "TCP_CLOSE", Family.AF_INET, "10.0.0.5", 40003,
                "10.9.9.9", 443, traffic("", 2, 10, flags("ACK", 1, "FIN-ACK", 1)), null, null, null, null);
        assertEquals(2, format(closing).get("activity_id").asInt());
        SocketRecord ongoing = socket(Protocol.TCP, Role.CLIENT, "TCP_ESTABLISHED", Family.AF_INET, "10.0.0.5", 40004,
                "10.9.9.9", 443, traffic("", 2, 10, flags("ACK", 2)), null, null, null, null);
        assertEquals(6, format(ongoing).get("activity_id").asInt());
    }

    @Test
    void udp() throws IOException {
        SocketRecord udp = socket(Protocol.UDP, Role.CLIENT, "UDP_CLOSE", Family.AF_INET, "10.0.0.5", 50000,
                "10.0.0.1", 123, traffic("2:eth0:52:54:00:12:34:56", 1, 48, null),
                traffic("2:eth1:52:54:00:12:34:57", 1, 48, null), null, null, null);
        JsonNode e = format(udp);
        assertEquals(6, e.get("activity_id").asInt());
        assertEquals("udp", e.at("/connection_info/protocol_name").asText());
        assertEquals(17, e.at("/connection_info/protocol_num").asInt());
        JsonNode u = e.get("unmapped");
        assertTrue(u.get("SockTxFlags") == null && u.get("SockTxRTO") == null && u.get("SockRTT") == null,
                "TCP-only keys are not written for UDP: " + u);
        assertEquals("2:eth1:52:54:00:12:34:57", u.get("SockRxInterface").asText());
        assertEquals(0, u.get("SockRxPacketsDrop").asInt());
    }

    @Test
    void unixSyslog() throws IOException {
        AppMessage log = AppMessage.of(AppMessage.member("Facility", AppMessage.string("User")),
                AppMessage.member("Severity", AppMessage.string("Notice (5)")),
                AppMessage.member("Priority", AppMessage.number(13)),
                AppMessage.member("Appname", AppMessage.string("dirk")),
                AppMessage.member("Message", AppMessage.string("hello")));
        JsonNode e = format(Records.unix("/dev/log", List.of(log)));
        assertEquals(4001, e.get("class_uid").asInt());
        assertEquals("/dev/log", e.at("/dst_endpoint/name").asText());
        assertTrue(e.get("src_endpoint") == null);
        assertEquals(1, e.at("/connection_info/boundary_id").asInt());
        assertTrue(e.at("/connection_info/protocol_name").isMissingNode());
        assertEquals(60, e.at("/traffic/bytes_out").asLong());
        assertTrue(e.at("/traffic/packets_out").isMissingNode());
        assertEquals("SYSLOG", e.get("app_name").asText());
        assertEquals("AF_UNIX", e.at("/unmapped/SockFamily").asText());
        assertEquals("hello", e.at("/unmapped/AppTxSyslog/0/Message").asText());
        JsonNode noApp = format(Records.unix("/run/systemd/journal/dev-log", List.of()));
        assertEquals(6, noApp.get("activity_id").asInt());
        assertTrue(noApp.get("app_name") == null);
    }

    // ------------------------------------------------------------------ DNS

    @Test
    void dnsQueryAndAnswer() throws IOException {
        SocketRecord dns = socket(Protocol.UDP, Role.CLIENT, "UDP_CLOSE", Family.AF_INET, "127.0.0.1", 41234,
                "127.0.0.53", 53, traffic("1:lo:00:00:00:00:00:00", 2, 60, null),
                traffic("1:lo:00:00:00:00:00:00", 2, 120, null), App.DNS,
                List.of(dnsQuery(4660, "A", "kflow.co"), dnsQuery(4661, "AAAA", "kflow.co")),
                List.of(dnsResponse(4661, "NOERROR"),
                        dnsResponse(4660, "NOERROR", answer("CNAME", "kflow.co", 600, "edge.kflow.co"),
                                answer("A", "edge.kflow.co", 600, "15.197.142.173"))));
        JsonNode e = format(dns);
        assertEquals(4003, e.get("class_uid").asInt());
        assertEquals(6, e.get("activity_id").asInt());
        assertEquals(400306, e.get("type_uid").asLong());
        assertEquals("kflow.co", e.at("/query/hostname").asText());
        assertEquals("A", e.at("/query/type").asText());
        assertEquals(0, e.at("/query/opcode_id").asInt());
        assertEquals(4660, e.at("/query/packet_uid").asInt());
        assertEquals(0, e.get("rcode_id").asInt());
        assertEquals("NoError", e.get("rcode").asText());
        assertEquals(1, e.get("status_id").asInt());
        assertEquals(2, e.get("answers").size());
        assertEquals("15.197.142.173", e.at("/answers/1/rdata").asText());
        assertEquals(600, e.at("/answers/1/ttl").asInt());
        assertEquals("IN", e.at("/answers/1/class").asText());
        assertEquals(4660, e.at("/answers/1/packet_uid").asInt());
        assertEquals(3, e.at("/answers/0/flag_ids/0").asInt());
        assertEquals("DNS", e.get("app_name").asText());
        assertEquals("kflow.co", e.at("/unmapped/AppTxDns/0/ResourceRecords/0/1").asText());
        assertEquals("0.000001177", seconds(e.at("/unmapped/AppTxDns/0/_Timestamp")));
    }

    @Test
    void dnsNxdomainQueryOnlyAndServer() throws IOException {
        SocketRecord nx = socket(Protocol.UDP, Role.CLIENT, "UDP_CLOSE", Family.AF_INET6, "::1", 41234, "::1", 53,
                null, null, App.DNS, List.of(dnsQuery(1, "A", "nope.invalid")), List.of(dnsResponse(1, "NXDOMAIN")));
        JsonNode e = format(nx);
        assertEquals(3, e.get("rcode_id").asInt());
        assertEquals(2, e.get("status_id").asInt());
        assertTrue(e.get("answers") == null);
        JsonNode query = format(socket(Protocol.UDP, Role.CLIENT, "UDP_ESTABLISHED", Family.AF_INET, "10.0.0.5",
                41234, "10.0.0.1", 53, null, null, App.DNS, List.of(dnsQuery(2, "MX", "kflow.co")), List.of()));
        assertEquals(1, query.get("activity_id").asInt());
        assertEquals(0, query.get("status_id").asInt());
        JsonNode server = format(socket(Protocol.TCP, Role.SERVER, "TCP_CLOSE", Family.AF_INET, "10.0.0.1", 53,
                "10.0.0.5", 40000, null, null, App.DNS, List.of(dnsResponse(3, "REFUSED")),
                List.of(dnsQuery(3, "A", "kflow.co"))));
        assertEquals(6, server.get("activity_id").asInt());
        assertEquals(5, server.get("rcode_id").asInt());
        assertEquals("10.0.0.5", server.at("/src_endpoint/ip").asText());
        JsonNode undecoded = format(socket(Protocol.UDP, Role.CLIENT, "UDP_CLOSE", Family.AF_INET, "10.0.0.5",
                41234, "10.0.0.1", 53, null, null, App.DNS, List.of(), List.of()));
        assertEquals(0, undecoded.get("activity_id").asInt());
        assertEquals(24, DnsMapping.rcodeId("13"));
        assertEquals(16, DnsMapping.rcodeId("BADVERS"));
        assertEquals(99, DnsMapping.rcodeId("4000x"));
    }

    // ------------------------------------------------------------------ HTTP

    @Test
    void httpRequestAndResponse() throws IOException {
        SocketRecord http = socket(Protocol.TCP, Role.CLIENT, "TCP_CLOSE", Family.AF_INET, "127.0.0.1", 41000,
                "127.0.0.1", 8080, traffic("1:lo:00:00:00:00:00:00", 5, 120, flags("SYN", 1, "PSH-ACK", 1)),
                traffic("1:lo:00:00:00:00:00:00", 5, 900, flags("SYN-ACK", 1, "PSH-ACK", 1)), App.HTTP,
                List.of(httpRequest("GET", "/index.html?lang=en#top", "localhost:8080", "curl/7.88.1")),
                List.of(httpResponse(404, "Not Found", "<h1>no</h1>")));
        JsonNode e = format(http);
        assertEquals(4002, e.get("class_uid").asInt());
        assertEquals(3, e.get("activity_id").asInt());
        assertEquals("Get", e.get("activity_name").asText());
        assertEquals(400203, e.get("type_uid").asLong());
        assertEquals("GET", e.at("/http_request/http_method").asText());
        assertEquals("HTTP/1.1", e.at("/http_request/version").asText());
        assertEquals("curl/7.88.1", e.at("/http_request/user_agent").asText());
        assertEquals("/index.html", e.at("/http_request/url/path").asText());
        assertEquals("lang=en", e.at("/http_request/url/query_string").asText());
        assertEquals("localhost", e.at("/http_request/url/hostname").asText());
        assertEquals(8080, e.at("/http_request/url/port").asInt());
        assertEquals("http://localhost:8080/index.html?lang=en#top", e.at("/http_request/url/url_string").asText());
        assertEquals("Accept", e.at("/http_request/http_headers/2/name").asText());
        assertEquals(404, e.at("/http_response/code").asInt());
        assertEquals("Not Found", e.at("/http_response/message").asText());
        assertEquals("text/html", e.at("/http_response/content_type").asText());
        assertEquals(11, e.at("/http_response/length").asInt());
        assertEquals(404, e.get("http_status").asInt());
        assertEquals(2, e.get("status_id").asInt());
        assertEquals("<h1>no</h1>", e.at("/unmapped/AppRxHttp/0/_Body").asText());
    }

    @Test
    void httpRequestWithoutResponseOtherMethodsAndAbsoluteUrl() throws IOException {
        JsonNode e = format(socket(Protocol.TCP, Role.CLIENT, "TCP_ESTABLISHED", Family.AF_INET6, "::1", 41000,
                "::1", 3128, null, null, App.HTTP,
                List.of(httpRequest("PATCH", "http://[2001:db8::1]:8443/a/b", "[2001:db8::1]:8443", "x")), List.of()));
        assertEquals(99, e.get("activity_id").asInt());
        assertEquals("PATCH", e.get("activity_name").asText());
        assertEquals("HTTP Activity: Other", e.get("type_name").asText());
        assertTrue(e.at("/http_request/http_method").isMissingNode(), "PATCH is not in the 1.3.0 enum");
        assertEquals(0, e.at("/http_response/code").asInt());
        assertEquals(0, e.get("status_id").asInt());
        assertEquals("2001:db8::1", e.at("/http_request/url/hostname").asText());
        assertEquals(8443, e.at("/http_request/url/port").asInt());
        assertEquals("/a/b", e.at("/http_request/url/path").asText());
        JsonNode connect = format(socket(Protocol.TCP, Role.CLIENT, "TCP_ESTABLISHED", Family.AF_INET, "10.0.0.5",
                41000, "10.0.0.1", 3128, null, null, App.HTTP,
                List.of(httpRequest("CONNECT", "example.org:443", "example.org:443", "x")),
                List.of(httpResponse(200, "Connection established", ""))));
        assertEquals(1, connect.get("activity_id").asInt());
        assertEquals("example.org", connect.at("/http_request/url/hostname").asText());
        assertEquals(443, connect.at("/http_request/url/port").asInt());
        assertEquals(1, connect.get("status_id").asInt());
        JsonNode responseOnly = format(socket(Protocol.TCP, Role.SERVER, "TCP_CLOSE", Family.AF_INET, "10.0.0.1",
                80, "10.0.0.5", 41000, null, null, App.HTTP, List.of(httpResponse(200, "OK", "hi")), List.of()));
        assertEquals(0, responseOnly.get("activity_id").asInt());
        assertEquals(80, responseOnly.at("/dst_endpoint/port").asInt());
    }

    @Test
    void tlsIsNetworkActivityWithMessagesUnmapped() throws IOException {
        AppMessage hello = AppMessage.of(AppMessage.member("_Timestamp", AppMessage.seconds(10)),
                AppMessage.member("Handshake", AppMessage.string("ClientHello")),
                AppMessage.member("ServerName", AppMessage.string("kflow.co")));
        JsonNode e = format(socket(Protocol.TCP, Role.CLIENT, "TCP_ESTABLISHED", Family.AF_INET, "10.0.0.5", 41000,
                "10.0.0.1", 443, null, null, App.TLS, List.of(hello), List.of()));
        assertEquals(4001, e.get("class_uid").asInt());
        assertEquals("TLS", e.get("app_name").asText());
        assertEquals("kflow.co", e.at("/unmapped/AppTxTls/0/ServerName").asText());
    }

    @Test
    void componentServesOcsf() throws IOException {
        try (var in = OcsfFormatter.class.getClassLoader()
                .getResourceAsStream("OSGI-INF/" + OcsfFormatter.class.getName() + ".xml")) {
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(xml.contains("<property name=\"kflowd.format\" type=\"String\" value=\"ocsf\"/>"), xml);
            assertTrue(xml.contains("<property name=\"kflowd.plugin.kind\" type=\"String\" value=\"formatter\"/>"));
            assertTrue(xml.contains("<provide interface=\"io.kflowd.api.RecordFormatter\"/>"), xml);
        }
    }

    @Test
    void secondsText() {
        assertEquals("0", TreeWriter.seconds(0, false));
        assertEquals("0", TreeWriter.seconds(-5, false));
        assertEquals("-0.000000005", TreeWriter.seconds(-5, true));
        assertEquals("9223372036.854775807", TreeWriter.seconds(Long.MAX_VALUE, false));
        assertEquals("-9223372036.854775808", TreeWriter.seconds(Long.MIN_VALUE, true));
    }

    static FileRecord hostileFile(String s) {
        return new FileRecord(Records.info(io.kflowd.api.Info.Monitor.FILESYSTEM, s, s), Records.proc(s, s, s), s,
                s, s, s, s, events(FileEvent.MOVED_TO, 1), -1, -1, -1, s, -1, s, s, -1, -1, -1, Long.MIN_VALUE,
                java.time.Instant.MAX, java.time.Instant.MIN, java.time.Instant.EPOCH, Long.MIN_VALUE, s, s);
    }
}
