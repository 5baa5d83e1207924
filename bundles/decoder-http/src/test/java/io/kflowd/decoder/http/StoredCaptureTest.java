package io.kflowd.decoder.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The stored captures (curl 7.88 against CurlCapture's server), decoded. */
class StoredCaptureTest {

    @ParameterizedTest
    @EnumSource(Scenarios.class)
    void decodesStoredCapture(Scenarios s) {
        HttpDecoder decoder = new HttpDecoder();
        s.request.accept(decoder.decode(Payloads.of(Payloads.capture(s.file() + ".request.bin"), true)));
        s.response.accept(decoder.decode(Payloads.of(Payloads.capture(s.file() + ".response.bin"), false)));
    }
}
