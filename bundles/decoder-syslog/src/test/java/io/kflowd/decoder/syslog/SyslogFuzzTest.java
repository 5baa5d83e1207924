package io.kflowd.decoder.syslog;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kflowd.api.SocketRecord;

/** Jazzer: coverage-guided fuzzing, seeded by the logger captures; any exception or hang is a finding. */
class SyslogFuzzTest {

    private final SyslogDecoder decoder = new SyslogDecoder();

    @FuzzTest(maxDuration = "5s")
    void decode(byte[] data) {
        decoder.decode(Payloads.of(SocketRecord.Protocol.TCP, data));
        decoder.decode(Payloads.of(SocketRecord.Protocol.UNIX, data));
    }
}
