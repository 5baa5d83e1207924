package io.kflowd.decoder.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real queries: dig asks a responder on 127.0.0.1 (UDP, and TCP for an AXFR of two
 * messages), the responder answers each case; dig must show the answers (so it accepted
 * the response), and the decoder must render both the query dig really sent and the
 * response. Skipped when dig is not installed. With {@code -Ddns.captures.write=DIR} the
 * bytes are saved as hex (how src/test/resources/captures was made).
 */
class DigCaptureTest {

    private static LoopbackResponder responder;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(digInstalled(), "dig is not installed");
        responder = new LoopbackResponder();
    }

    @AfterAll
    static void stop() throws IOException {
        if (responder != null) {
            responder.close();
        }
    }

    private static boolean digInstalled() {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, "dig")));
    }

    static Stream<Cases.Case> cases() {
        return Cases.ALL.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void udp(Cases.Case c) throws Exception {
        responder.handler = q -> new byte[][] {Cases.respond(c, q)};
        responder.lastQuery = null;
        String out = LoopbackResponder.run(responder.port(), "+time=2", c.qname(), c.qtype());
        for (String sees : c.digSees()) {
            assertTrue(out.contains(sees), "dig does not show <" + sees + ">:\n" + out);
        }
        assertTrue(out.contains(";; MSG SIZE  rcvd: " + responder.lastResponse.length), out);
        byte[] query = responder.lastQuery;
        byte[] response = responder.lastResponse;
        Expect.query(Expect.DECODER.decode(Expect.udp(query, true)).getFirst(), query,
                c.qtype().startsWith("TYPE") ? c.qtype().substring(4) : c.qtype(), c.qname());
        Expect.response(c, Expect.DECODER.decode(Expect.udp(response, false)).getFirst(), query);
        save(c.id() + ".query", query);
        save(c.id() + ".response", response);
    }

    @Test
    void tcpZoneTransferOfTwoMessages() throws Exception {
        responder.handler = Cases::axfr;
        String out = LoopbackResponder.run(responder.port(), "+time=2", "+tcp", "test", "AXFR");
        assertTrue(out.contains("www.test.\t\t3600\tIN\tAAAA\t2001:db8::10"), out);
        assertTrue(out.contains("www.test.\t\t3600\tIN\tA\t192.0.2.10"), out);
        assertTrue(out.contains("XFR size: 4 records (messages 2"), out);
        byte[] query = responder.lastQuery;
        List<io.kflowd.api.AppMessage> q = Expect.DECODER.decode(Expect.tcp(responder.lastQueryStream, true));
        assertEquals(1, q.size());
        Expect.axfrQuery(q.getFirst(), query);
        Expect.axfrResponse(Expect.DECODER.decode(Expect.tcp(responder.lastResponse, false)), query);
        save("axfr.query.tcp", responder.lastQueryStream);
        save("axfr.response.tcp", responder.lastResponse);
    }

    private static void save(String name, byte[] bytes) throws IOException {
        String dir = System.getProperty("dns.captures.write");
        if (dir != null) {
            Files.createDirectories(Path.of(dir));
            Files.writeString(Path.of(dir, name + ".hex"), HexFormat.of().formatHex(bytes) + "\n",
                    StandardCharsets.US_ASCII);
        }
    }
}
