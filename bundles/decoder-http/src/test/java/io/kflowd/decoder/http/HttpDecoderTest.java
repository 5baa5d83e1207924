package io.kflowd.decoder.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kflowd.api.AppMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Framing, keys and markers on hand-written messages (the wire forms curl does not produce). */
class HttpDecoderTest {

    private final HttpDecoder decoder = new HttpDecoder();

    private String json(String wire) {
        return Json.of(decoder.decode(Payloads.text(wire)));
    }

    @Test
    void pipelinedRequestsAreOneMessageEach() {
        assertEquals("[{\"_Timestamp\": 1.250000000, \"_Method\": \"GET\", \"_Url\": \"/a\", \"_Version\": \"HTTP/1.1\","
                + " \"Host\": \"x\"}, {\"_Timestamp\": 1.250000000, \"_Method\": \"POST\", \"_Url\": \"/b?q=1\","
                + " \"_Version\": \"HTTP/1.1\", \"Host\": \"x\", \"Content-Length\": \"3\", \"_Body\": \"abc\"},"
                + " {\"_Timestamp\": 1.250000000, \"_Method\": \"DELETE\", \"_Url\": \"/c\", \"_Version\": \"HTTP/1.0\"}]",
                json("GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b?q=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                        + "DELETE /c HTTP/1.0\r\n\r\n"));
    }

    @Test
    void responseWithoutFramingRunsToTheEnd() {
        assertEquals("[{\"_Timestamp\": 1.250000000, \"_Version\": \"HTTP/1.0\", \"_Status\": 200, \"_Reason\": \"OK\","
                + " \"Content-Type\": \"text/plain\", \"_Body\": \"all of it\\nHTTP/1.1 200 OK\\r\\n\"}]",
                json("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it\nHTTP/1.1 200 OK\r\n"));
    }

    @Test
    void noBodyFor1xx204And304ThenTheNextResponse() {
        List<AppMessage> m = decoder.decode(Payloads.text("HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n"
                + "HTTP/1.1 304 Not Modified\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        assertEquals(4, m.size(), Json.of(m));
        assertEquals("{\"_Timestamp\": 1.250000000, \"_Version\": \"HTTP/1.1\", \"_Status\": 100, \"_Reason\": \"Continue\"}",
                Json.of(m.get(0)));
        assertEquals("ok", Scenarios.text(m.get(3), "_Body"));
    }

    @Test
    void afterSwitchingProtocolsNothingIsDecoded() {
        List<AppMessage> m = decoder.decode(Payloads.text("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\n\r\n\u0081\u0005hello"));
        assertEquals(1, m.size());
        assertEquals("websocket", Scenarios.text(m.get(0), "Upgrade"));
    }

    @Test
    void chunkedWithExtensionsUpperCaseHexAndTrailers() {
        assertEquals("[{\"_Timestamp\": 1.250000000, \"_Version\": \"HTTP/1.1\", \"_Status\": 200, \"_Reason\": \"OK\","
                + " \"Transfer-Encoding\": \"gzip, chunked\", \"Content-Type\": \"text/plain\","
                + " \"_BodyBytes\": 26}, {\"_Timestamp\": 1.250000000, \"_Version\": \"HTTP/1.1\", \"_Status\": 200,"
                + " \"_Reason\": \"OK\", \"Transfer-Encoding\": \"chunked\", \"_Body\": \"0123456789abcdefghijklmnop\"}]",
                json("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\nContent-Type: text/plain\r\n\r\n"
                        + "1A\r\n0123456789abcdefghijklmnop\r\n0\r\n\r\n"
                        + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "a;name=\"v\"\r\n0123456789\r\n10\r\nabcdefghijklmnop\r\n0\r\nX-Trailer: 1\r\n\r\n"));
    }

    @Test
    void chunkedBodyCutByTheCaptureIsDecodedAsFarAsCaptured() {
        byte[] wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n100\r\n<html><body>"
                .getBytes(StandardCharsets.US_ASCII);
        List<AppMessage> m = decoder.decode(Payloads.truncated(wire, 400));
        assertEquals("<html><body>", Scenarios.text(m.get(0), "_Body"));
        Scenarios.assertLast(m.get(0), "_Truncated");
    }

    @Test
    void contentLengthBodyCutByTheCapture() {
        byte[] wire = "POST /upload HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"a\":"
                .getBytes(StandardCharsets.US_ASCII);
        assertEquals("[{\"_Timestamp\": 1.250000000, \"_Method\": \"POST\", \"_Url\": \"/upload\", \"_Version\": \"HTTP/1.1\","
                + " \"Content-Type\": \"application/json\", \"Content-Length\": \"1000\", \"_Body\": \"{\\\"a\\\":\","
                + " \"_Truncated\": true}]", Json.of(decoder.decode(Payloads.truncated(wire, 1080))));
    }

    @Test
    void continuationAfterAGapThenTheNextResponse() {
        byte[] wire = "tail of the previous body</html>\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        assertEquals("[{\"_Timestamp\": 1.250000000, \"_Body\": \"tail of the previous body</html>\\n\"},"
                + " {\"_Timestamp\": 1.250000000, \"_Version\": \"HTTP/1.1\", \"_Status\": 404, \"_Reason\": \"Not Found\","
                + " \"Content-Length\": \"0\"}]", Json.of(decoder.decode(Payloads.gap(wire))));
    }

    @Test
    void gapBeforeAWholeStartLineIsNotAContinuation() {
        List<AppMessage> m = decoder.decode(Payloads.gap("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("GET", Scenarios.text(m.get(0), "_Method"));
    }

    @Test
    void noStartLineIsAContinuationWithoutException() {
        assertEquals("[{\"_Timestamp\": 1.250000000, \"_Body\": \"ody text\"}]", json("ody text"));
        List<AppMessage> binary = decoder.decode(Payloads.of(new byte[] {0, 1, 2, 3, (byte) 0xFF, 5}));
        assertEquals("[{\"_Timestamp\": 1.250000000, \"_BodyBytes\": 6}]", Json.of(binary));
    }

    @Test
    void invalidUtf8IsWrittenAsHexEscapes() {
        byte[] wire = {'G', 'E', 'T', ' ', '/', (byte) 0xC3, (byte) 0xA9, (byte) 0xC3, ' ', 'H', 'T', 'T', 'P', '/', '1',
            '.', '1', '\r', '\n', 'X', ':', ' ', (byte) 0xED, (byte) 0xA0, (byte) 0x80, (byte) 0xF0, (byte) 0x9F,
            (byte) 0x98, (byte) 0x80, '\r', '\n', '\r', '\n'};
        assertEquals("[{\"_Timestamp\": 1.250000000, \"_Method\": \"GET\", \"_Url\": \"/é\\\\xC3\", \"_Version\": \"HTTP/1.1\","
                + " \"X\": \"\\\\xED\\\\xA0\\\\x80\uD83D\uDE00\"}]", Json.of(decoder.decode(Payloads.of(wire))));
    }

    @Test
    void obsFoldJoinsTheValueAndBareLfIsAccepted() {
        assertEquals("[{\"_Timestamp\": 1.250000000, \"_Method\": \"GET\", \"_Url\": \"/\", \"_Version\": \"HTTP/1.1\","
                + " \"X-Long\": \"one two\", \"Host\": \"h\"}]", json("GET / HTTP/1.1\nX-Long: one\n   two\nHost: h\n\n"));
    }

    @Test
    void moreThan64HeadersAreCutAndMarked() {
        StringBuilder sb = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < 70; i++) {
            sb.append("H").append(i).append(": ").append(i).append("\r\n");
        }
        sb.append("Content-Length: 2\r\n\r\nokGET /next HTTP/1.1\r\n\r\n");
        List<AppMessage> m = decoder.decode(Payloads.text(sb.toString()));
        assertEquals(2, m.size());
        // _Timestamp, 3 start-line keys, 64 headers, the body (framing still read), the marker
        assertEquals(1 + 3 + 64 + 2, m.get(0).members().size());
        assertEquals("ok", Scenarios.text(m.get(0), "_Body"));
        Scenarios.assertLast(m.get(0), "_Truncated");
        assertEquals("/next", Scenarios.text(m.get(1), "_Url"));
    }

    @Test
    void malformedInputGivesPartialResultAndReason() {
        assertEquals("[{\"_Timestamp\": 1.250000000, \"_Version\": \"HTTP/1.1\", \"_Status\": 2,"
                + " \"_Malformed\": \"status code is not three digits\"}]", json("HTTP/1.1 2x0 OK\r\n\r\n"));
        assertEquals("[{\"_Timestamp\": 1.250000000, \"_Method\": \"GET\", \"_Url\": \"/\", \"_Version\": \"HTTP/1.1\","
                + " \"A\": \"1\", \"_Malformed\": \"header line without colon\"}]",
                json("GET / HTTP/1.1\r\nA: 1\r\nnot a header\r\n\r\n"));
        assertEquals("[{\"_Timestamp\": 1.250000000, \"_Version\": \"HTTP/1.1\", \"_Status\": 200, \"_Reason\": \"OK\","
                + " \"Transfer-Encoding\": \"chunked\", \"_Body\": \"abc\", \"_Malformed\": \"bad chunk size\"}]",
                json("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n"));
        assertEquals("[{\"_Timestamp\": 1.250000000, \"_Method\": \"POST\", \"_Url\": \"/\", \"_Version\": \"HTTP/1.1\","
                + " \"Content-Length\": \"-1\", \"_Malformed\": \"bad Content-Length\"}]",
                json("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"));
    }

    @Test
    void emptyAndBlankPayloadsGiveNothing() {
        assertTrue(decoder.decode(Payloads.of(new byte[0])).isEmpty());
        assertTrue(decoder.decode(Payloads.text("\r\n\r\n")).isEmpty());
    }
}
