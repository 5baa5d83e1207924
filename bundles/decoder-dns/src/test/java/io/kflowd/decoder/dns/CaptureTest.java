package io.kflowd.decoder.dns;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The decoder on the bytes DigCaptureTest saved: dig's real queries and the responses dig accepted. */
class CaptureTest {

    static Stream<Cases.Case> cases() {
        return Cases.ALL.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void udpQueryAndResponse(Cases.Case c) {
        byte[] query = Captures.load(c.id() + ".query");
        byte[] response = Captures.load(c.id() + ".response");
        Expect.query(Expect.DECODER.decode(Expect.udp(query, true)).getFirst(), query,
                c.qtype().startsWith("TYPE") ? c.qtype().substring(4) : c.qtype(), c.qname());
        Expect.response(c, Expect.DECODER.decode(Expect.udp(response, false)).getFirst(), query);
    }

    @Test
    void tcpZoneTransferOfTwoMessages() {
        byte[] queryStream = Captures.load("axfr.query.tcp");
        byte[] query = java.util.Arrays.copyOfRange(queryStream, 2, queryStream.length);
        Expect.axfrQuery(Expect.DECODER.decode(Expect.tcp(queryStream, true)).getFirst(), query);
        Expect.axfrResponse(Expect.DECODER.decode(Expect.tcp(Captures.load("axfr.response.tcp"), false)), query);
    }
}
