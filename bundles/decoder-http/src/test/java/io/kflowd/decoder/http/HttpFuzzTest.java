package io.kflowd.decoder.http;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Jazzer: coverage-guided fuzzing of the decoder; any exception or hang is a finding. */
class HttpFuzzTest {

    private final HttpDecoder decoder = new HttpDecoder();

    @FuzzTest(maxDuration = "5s")
    void decode(byte[] data) {
        decoder.decode(Payloads.of(data));
        decoder.decode(Payloads.gap(data));
    }
}
