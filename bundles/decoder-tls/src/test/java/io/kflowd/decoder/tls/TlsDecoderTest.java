package io.kflowd.decoder.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kflowd.api.AppMessage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Record and handshake layouts openssl does not produce on its own. */
class TlsDecoderTest {

    private final TlsDecoder decoder = new TlsDecoder();

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** A record of the given type around {@code body}. */
    private static byte[] record(int type, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        out.write(3);
        out.write(3);
        out.write(body.length >> 8);
        out.write(body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A TLS 1.2 ServerHello handshake message with the given random and extensions. */
    private static byte[] serverHello(String random, String extensions) {
        byte[] ext = hex(extensions);
        byte[] body = concat(hex("0303"), hex(random), hex("00"), hex("c02f"), hex("00"),
                new byte[] {(byte) (ext.length >> 8), (byte) ext.length}, ext);
        return concat(new byte[] {2, 0, (byte) (body.length >> 8), (byte) body.length}, body);
    }

    private static final String RANDOM = "11".repeat(32);

    @Test
    void handshakeMessagesSpanningRecordsAndSharingOne() {
        // ServerHello split over two records, the second also holding ServerHelloDone
        byte[] hello = serverHello(RANDOM, "0010 0005 0003 026832");
        byte[] done = hex("0e000000");
        byte[] wire = concat(record(22, Arrays.copyOfRange(hello, 0, 20)),
                record(22, concat(Arrays.copyOfRange(hello, 20, hello.length), done)));
        assertEquals("[{\"_Timestamp\": 0.002000500, \"Handshake\": \"ServerHello\", \"Version\": \"TLS 1.2\","
                + " \"CipherSuite\": \"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\", \"ALPN\": \"h2\"}]",
                Json.of(decoder.decode(Payloads.of(wire))));
    }

    @Test
    void helloRetryRequestAndGreaseFree() {
        String hrr = "CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C";
        byte[] wire = record(22, serverHello(hrr, "002b 0002 0304"));
        assertEquals("[{\"_Timestamp\": 0.002000500, \"Handshake\": \"HelloRetryRequest\", \"Version\": \"TLS 1.3\","
                + " \"CipherSuite\": \"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\"}]",
                Json.of(decoder.decode(Payloads.of(wire))));
    }

    @Test
    void otherRecordsAreOneSummaryPerTypeAndPayload() {
        byte[] wire = concat(record(20, hex("01")), record(23, new byte[100]), record(23, new byte[50]),
                record(21, hex("0100")), record(23, new byte[10]));
        assertEquals("[{\"_Timestamp\": 0.002000500, \"Record\": \"ChangeCipherSpec\", \"Length\": 1},"
                + " {\"_Timestamp\": 0.002000500, \"Record\": \"ApplicationData\", \"Length\": 160, \"Records\": 3},"
                + " {\"_Timestamp\": 0.002000500, \"Record\": \"Alert\", \"Length\": 2}]",
                Json.of(decoder.decode(Payloads.of(wire))));
    }

    @Test
    void clientHelloCutByTheCaptureIsPartialAndMarked() {
        byte[] hello = Payloads.capture("client-hello.client.bin");
        List<AppMessage> m = decoder.decode(Payloads.truncated(Arrays.copyOf(hello, 60)));
        assertEquals(1, m.size());
        assertEquals("{\"_Timestamp\": 0.002000500, \"Handshake\": \"ClientHello\", \"SupportedVersions\": [\"TLS 1.2\"],"
                + " \"_Truncated\": true}", Json.of(m.get(0)));
        List<AppMessage> more = decoder.decode(Payloads.of(Arrays.copyOf(hello, 200)));
        assertTrue(Json.of(more).contains("\"CipherSuites\": 31"), Json.of(more));
        assertEquals("_Truncated", more.get(0).members().getLast().key());
    }

    @Test
    void sslv2CompatibleClientHello() {
        // 2-byte header, type 1, version 3.1, 3 cipher specs, no session id, 16-byte challenge
        byte[] wire = hex("8022 01 0301 0009 0000 0010 010080 c02f00 00002f" + "ab".repeat(16));
        assertEquals("[{\"_Timestamp\": 0.002000500, \"Handshake\": \"ClientHello\", \"Format\": \"SSLv2\","
                + " \"SupportedVersions\": [\"TLS 1.0\"], \"CipherSuites\": 3}]", Json.of(decoder.decode(Payloads.of(wire))));
    }

    @Test
    void afterAGapTheNextRecordBoundaryIsFound() {
        byte[] wire = concat(hex("deadbeef0102"), record(23, new byte[40]), record(23, new byte[8]));
        assertEquals("[{\"_Timestamp\": 0.002000500, \"Record\": \"ApplicationData\", \"Length\": 48, \"Records\": 2}]",
                Json.of(decoder.decode(Payloads.gap(wire))));
        assertEquals("[{\"_Timestamp\": 0.002000500, \"Record\": \"Continuation\", \"Length\": 4}]",
                Json.of(decoder.decode(Payloads.gap(hex("00010203")))));
    }

    @Test
    void notTlsAndBadHeaders() {
        assertEquals("[{\"_Timestamp\": 0.002000500, \"Record\": \"Unknown\", \"Length\": 16,"
                + " \"_Malformed\": \"not a TLS record\"}]", Json.of(decoder.decode(Payloads.of(
                        "GET / HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))));
        byte[] wire = concat(record(23, new byte[4]), hex("4142434445"));
        assertTrue(Json.of(decoder.decode(Payloads.of(wire))).endsWith("\"_Malformed\": \"bad record header\"}]"));
    }

    @Test
    void badExtensionLengthIsMalformed() {
        byte[] hello = serverHello(RANDOM, "0010 00ff 0003 026832");
        assertTrue(Json.of(decoder.decode(Payloads.of(record(22, hello)))).contains("bad extension length"));
    }

    @Test
    void namesOfVersionsAndSuites() {
        assertEquals("TLS 1.3 (draft 28)", TlsDecoder.versionName(0x7F1C));
        assertEquals("0x0A0A", TlsDecoder.versionName(0x0A0A));
        assertEquals("TLS_CHACHA20_POLY1305_SHA256", CipherSuites.name(0x1303));
        assertEquals("0xABCD", CipherSuites.name(0xABCD));
    }

    @Test
    void emptyGivesNothing() {
        assertTrue(decoder.decode(Payloads.of(new byte[0])).isEmpty());
    }
}
