package io.kflowd.decoder.syslog;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** logger(1) now, to receivers on 127.0.0.1 and a UNIX socket, and the decoder on what arrived. */
class LoggerLiveTest {

    @BeforeAll
    static void logger() throws Exception {
        assumeTrue(LoggerCapture.available("logger"), "logger is not installed");
        System.setProperty("kflowd.test.hostname",
                Files.readString(Path.of("/proc/sys/kernel/hostname")).trim().split("\\.")[0]);
    }

    @AfterAll
    static void clear() {
        System.clearProperty("kflowd.test.hostname");
    }

    @ParameterizedTest
    @EnumSource(Scenarios.class)
    void decodesWhatLoggerSent(Scenarios s) throws Exception {
        if (s.transport == LoggerCapture.Transport.UNIX) {
            assumeTrue(LoggerCapture.available("python3"), "the UNIX datagram receiver needs python3");
        }
        byte[] bytes = LoggerCapture.run(s.file(), s.transport, s.stdin, s.args);
        s.check.accept(new SyslogDecoder().decode(Payloads.of(s.protocol(), bytes)));
    }
}
