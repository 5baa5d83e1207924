package io.kflowd.decoder.syslog;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The stored captures (logger from util-linux 2.38 on host "vm"), decoded. */
class StoredCaptureTest {

    @ParameterizedTest
    @EnumSource(Scenarios.class)
    void decodesStoredCapture(Scenarios s) {
        s.check.accept(new SyslogDecoder().decode(Payloads.of(s.protocol(), Payloads.capture(s.file() + ".bin"))));
    }
}
