package io.kflowd.decoder.http;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** curl against a raw server on 127.0.0.1 now, and the decoder on what went over the wire. */
class CurlLiveTest {

    @BeforeAll
    static void curl() {
        assumeTrue(CurlCapture.curlAvailable(), "curl is not installed");
    }

    @ParameterizedTest
    @EnumSource(Scenarios.class)
    void decodesWhatCurlSentAndGot(Scenarios s) throws Exception {
        CurlCapture.Capture c = CurlCapture.run(s.file(), s.args);
        HttpDecoder decoder = new HttpDecoder();
        s.request.accept(decoder.decode(Payloads.of(c.request(), true)));
        s.response.accept(decoder.decode(Payloads.of(c.response(), false)));
    }
}
