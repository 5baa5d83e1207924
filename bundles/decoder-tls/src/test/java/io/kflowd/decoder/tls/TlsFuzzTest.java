package io.kflowd.decoder.tls;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Jazzer: coverage-guided fuzzing, seeded by the openssl captures; any exception or hang is a finding. */
class TlsFuzzTest {

    private final TlsDecoder decoder = new TlsDecoder();

    @FuzzTest(maxDuration = "5s")
    void decode(byte[] data) {
        decoder.decode(Payloads.of(data));
        decoder.decode(Payloads.gap(data));
    }
}
