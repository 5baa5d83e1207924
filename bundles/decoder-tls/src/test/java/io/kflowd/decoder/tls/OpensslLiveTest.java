package io.kflowd.decoder.tls;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** openssl s_client / s_server on 127.0.0.1 now, and the decoder on the recorded bytes. */
class OpensslLiveTest {

    @BeforeAll
    static void openssl() {
        assumeTrue(TlsCapture.opensslAvailable(), "openssl is not installed");
    }

    @ParameterizedTest
    @EnumSource(Scenarios.class)
    void decodesWhatOpensslSent(Scenarios s) throws Exception {
        TlsDecoder decoder = new TlsDecoder();
        if (s.server == null) {
            s.client.accept(decoder.decode(Payloads.of(TlsCapture.clientHello(s.file(), s.clientArgs))));
        } else {
            TlsCapture.Capture c = TlsCapture.relay(s.file(), s.serverArgs, s.clientArgs);
            s.client.accept(decoder.decode(Payloads.of(c.client())));
            s.server.accept(decoder.decode(Payloads.of(c.server())));
        }
    }
}
