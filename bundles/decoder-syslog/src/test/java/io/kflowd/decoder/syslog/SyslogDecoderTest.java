package io.kflowd.decoder.syslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kflowd.api.AppMessage;
import io.kflowd.api.SocketRecord.Protocol;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Formats, framings and edge cases on hand-written messages. */
class SyslogDecoderTest {

    private final SyslogDecoder decoder = new SyslogDecoder();

    private String json(Protocol protocol, String wire) {
        return Json.of(decoder.decode(Payloads.of(protocol, wire)));
    }

    @Test
    void rfc3164AsLoggerSendsToDevLog() {
        assertEquals("[{\"Facility\": \"User\", \"Severity\": \"Notice (5)\", \"Priority\": 13, \"Version\": 0,"
                + " \"Timestamp\": \"Nov 26 23:00:00\", \"Appname\": \"tag\", \"Message\": \"msg\"}]",
                json(Protocol.UNIX, "<13>Nov 26 23:00:00 tag: msg"));
    }

    @Test
    void rfc3164ReadmeExampleWithHostAndPid() {
        assertEquals("[{\"Facility\": \"Security/Authorization\", \"Severity\": \"Notice (5)\", \"Priority\": 85,"
                + " \"Version\": 0, \"Timestamp\": \"Sep  6 14:30:01\", \"Hostname\": \"web-1\", \"Appname\": \"CRON\","
                + " \"ProcId\": \"2122368\", \"Message\": \"pam_unix(cron:session): session opened\"}]",
                json(Protocol.UDP, "<85>Sep  6 14:30:01 web-1 CRON[2122368]: pam_unix(cron:session): session opened\n"));
    }

    @Test
    void rfc3164WithoutTagOrTimestamp() {
        assertEquals("[{\"Facility\": \"Kernel\", \"Severity\": \"Emergency (0)\", \"Priority\": 0, \"Version\": 0,"
                + " \"Appname\": \"\", \"Message\": \"just text: here\"}]", json(Protocol.UDP, "<0>just text: here"));
        assertEquals("[{\"Facility\": \"User\", \"Severity\": \"Notice (5)\", \"Priority\": 13, \"Version\": 0,"
                + " \"Appname\": \"\", \"Message\": \"no pri at all\", \"_Malformed\": \"no PRI\"}]",
                json(Protocol.UDP, "no pri at all"));
    }

    @Test
    void rfc5424NilValuesOmittedAndBomStripped() {
        assertEquals("[{\"Facility\": \"Local4\", \"Severity\": \"Informational (6)\", \"Priority\": 166, \"Version\": 1,"
                + " \"Timestamp\": \"2025-11-26T23:00:00.003Z\", \"Appname\": \"evntslog\", \"Message\": \"An application"
                + " event\"}]", json(Protocol.UDP, "<166>1 2025-11-26T23:00:00.003Z - evntslog - - - \uFEFFAn application event"));
    }

    @Test
    void rfc5424StructuredDataWithEscapesIsKeptAsText() {
        List<AppMessage> m = decoder.decode(Payloads.of(Protocol.UDP,
                "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\" "
                        + "eventSource=\"App\\\"li]cation\" eventID=\"1011\"][examplePriority@32473 class=\"high\"]"));
        assertEquals("[exampleSDID@32473 iut=\"3\" eventSource=\"App\\\"li]cation\" eventID=\"1011\"]"
                + "[examplePriority@32473 class=\"high\"]", Scenarios.text(m.get(0), "Data"));
        assertEquals("", Scenarios.text(m.get(0), "Message"));
        assertEquals("mymachine.example.com", Scenarios.text(m.get(0), "Hostname"));
        assertEquals("ID47", Scenarios.text(m.get(0), "MsgId"));
    }

    @Test
    void priorityAbove191IsUnknownFacilityQ21Fixed() {
        List<AppMessage> m = decoder.decode(Payloads.of(Protocol.UDP, "<197>Nov 26 23:00:00 tag: x"));
        assertEquals("Unknown (24)", Scenarios.text(m.get(0), "Facility"));
        assertEquals("Notice (5)", Scenarios.text(m.get(0), "Severity"));
        assertEquals(197, Scenarios.number(m.get(0), "Priority"));
        assertEquals("Unknown (124)", Scenarios.text(decoder.decode(Payloads.of(Protocol.UDP, "<999>x")).get(0),
                "Facility"));
    }

    @Test
    void everyFacilityAndSeverityName() {
        String[] facilities = {"Kernel", "User", "Mail System", "System Daemon", "Security/Authorization", "Internal",
            "Line Printer", "Network News", "UUCP", "Clock Daemon", "Security/Authorization", "FTP Daemon", "NTP",
            "Log Audit", "Log Alert", "Clock Daemon", "Local0", "Local1", "Local2", "Local3", "Local4", "Local5",
            "Local6", "Local7"};
        String[] severities = {"Emergency (0)", "Alert (1)", "Critical (2)", "Error (3)", "Warning (4)", "Notice (5)",
            "Informational (6)", "Debug (7)"};
        for (int pri = 0; pri < 192; pri++) {
            AppMessage m = decoder.decode(Payloads.of(Protocol.UDP, "<" + pri + ">t: m")).get(0);
            assertEquals(facilities[pri / 8], Scenarios.text(m, "Facility"));
            assertEquals(severities[pri % 8], Scenarios.text(m, "Severity"));
        }
    }

    @Test
    void octetCountingSeveralFramesLastOneCut() {
        byte[] wire = "26 <13>Nov 26 23:00:00 a: one19 <14>1 - - b - - - t30 <15>Nov 26 23:00:00 c: thr"
                .getBytes(StandardCharsets.US_ASCII);
        List<AppMessage> m = decoder.decode(Payloads.truncated(Protocol.TCP, wire));
        assertEquals(3, m.size(), Json.of(m));
        assertEquals("one", Scenarios.text(m.get(0), "Message"));
        assertEquals("b", Scenarios.text(m.get(1), "Appname"));
        assertEquals("t", Scenarios.text(m.get(1), "Message"));
        assertEquals("thr", Scenarios.text(m.get(2), "Message"));
        assertEquals("_Truncated", m.get(2).members().getLast().key());
    }

    @Test
    void newlineAndNulDelimitedOverTcp() {
        List<AppMessage> m = decoder.decode(Payloads.of(Protocol.TCP, "<13>a: 1\r\n<13>b: 2\0<13>c: 3\n\n"));
        assertEquals(3, m.size());
        assertEquals("c", Scenarios.text(m.get(2), "Appname"));
        assertEquals("3", Scenarios.text(m.get(2), "Message"));
    }

    @Test
    void aDatagramIsOneMessageWithTrailingLineEndsAndNulStripped() {
        List<AppMessage> m = decoder.decode(Payloads.of(Protocol.UNIX, "<13>a: two\nlines\r\n\0"));
        assertEquals(1, m.size());
        assertEquals("two\nlines", Scenarios.text(m.get(0), "Message"));
    }

    @Test
    void journaldTextForm() {
        assertEquals("[{\"Facility\": \"Local3\", \"Severity\": \"Error (3)\", \"Priority\": 155, \"Version\": 0,"
                + " \"Appname\": \"myservice\", \"ProcId\": \"1234\", \"Message\": \"disk almost full\"}]",
                json(Protocol.UNIX, "MESSAGE=disk almost full\nPRIORITY=3\nSYSLOG_FACILITY=19\n"
                        + "SYSLOG_IDENTIFIER=myservice\nSYSLOG_PID=1234\nCODE_FILE=main.c\nCODE_LINE=42\n"));
    }

    @Test
    void journaldBinaryFormAndDefaults() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("SYSLOG_IDENTIFIER=python3\nMESSAGE\n".getBytes(StandardCharsets.US_ASCII));
        byte[] value = "two\nlines ü\n".getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value.length).array());
        out.writeBytes(value);
        out.writeBytes("\nDOC=x\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("[{\"Facility\": \"User\", \"Severity\": \"Informational (6)\", \"Priority\": 14, \"Version\": 0,"
                + " \"Appname\": \"python3\", \"Message\": \"two\\nlines ü\"}]",
                Json.of(decoder.decode(Payloads.of(Protocol.UNIX, out.toByteArray()))));
    }

    @Test
    void journaldMalformed() {
        String json = json(Protocol.UNIX, "MESSAGE=x\nPRIORITY=high\nlower=1\n");
        assertTrue(json.contains("\"Message\": \"x\", \"_Malformed\": \"bad PRIORITY\""), json);
        byte[] cut = "MESSAGE\n\u0010\0\0".getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(Json.of(decoder.decode(Payloads.of(Protocol.UNIX, cut))).contains("cut short"));
    }

    @Test
    void malformedPriAndShortHeader() {
        assertEquals("[{\"Facility\": \"User\", \"Severity\": \"Notice (5)\", \"Priority\": 13, \"Version\": 0,"
                + " \"Appname\": \"\", \"Message\": \"<abc> x\", \"_Malformed\": \"bad PRI\"}]",
                json(Protocol.UDP, "<abc> x"));
        assertEquals("[{\"Facility\": \"User\", \"Severity\": \"Notice (5)\", \"Priority\": 13, \"Version\": 1,"
                + " \"Timestamp\": \"2025-01-01T00:00:00Z\", \"Hostname\": \"host\", \"Appname\": \"\", \"Message\": \"\","
                + " \"_Malformed\": \"RFC 5424 header cut short\"}]", json(Protocol.UDP, "<13>1 2025-01-01T00:00:00Z host"));
        assertTrue(json(Protocol.UDP, "<13>1 - - - - - [a x=\"]").contains("unterminated structured data"));
    }

    @Test
    void invalidUtf8AsHexEscapes() {
        byte[] wire = {'<', '1', '3', '>', 't', ':', ' ', 'a', (byte) 0xC0, (byte) 0xAF, 'b'};
        assertEquals("a\\xC0\\xAFb", Scenarios.text(decoder.decode(Payloads.of(Protocol.UDP, wire)).get(0), "Message"));
    }

    @Test
    void emptyGivesNothing() {
        assertTrue(decoder.decode(Payloads.of(Protocol.TCP, "\n\0\r\n")).isEmpty());
        assertTrue(decoder.decode(Payloads.of(Protocol.UDP, new byte[0])).isEmpty());
    }
}
