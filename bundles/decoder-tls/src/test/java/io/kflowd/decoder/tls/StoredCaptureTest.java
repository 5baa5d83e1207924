package io.kflowd.decoder.tls;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The stored captures (OpenSSL 3.0 s_client and s_server on 127.0.0.1), decoded. */
class StoredCaptureTest {

    @ParameterizedTest
    @EnumSource(Scenarios.class)
    void decodesStoredCapture(Scenarios s) {
        TlsDecoder decoder = new TlsDecoder();
        s.client.accept(decoder.decode(Payloads.of(Payloads.capture(s.file() + ".client.bin"))));
        if (s.server != null) {
            s.server.accept(decoder.decode(Payloads.of(Payloads.capture(s.file() + ".server.bin"))));
        }
    }
}
