package io.kflowd.decoder.syslog;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kflowd.api.AppPayload;
import io.kflowd.api.SocketRecord;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every prefix and bounded seeded mutations of each real capture, over every protocol. */
class RobustnessTest {

    private final SyslogDecoder decoder = new SyslogDecoder();

    @ParameterizedTest
    @EnumSource(Scenarios.class)
    void everyPrefix(Scenarios s) {
        byte[] capture = Payloads.capture(s.file() + ".bin");
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int n = 0; n <= capture.length; n++) {
                decodeAllWays(Arrays.copyOf(capture, n));
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Scenarios.class)
    void seededMutations(Scenarios s) {
        byte[] capture = Payloads.capture(s.file() + ".bin");
        Random random = new Random(4711L + s.ordinal());
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int round = 0; round < 3000; round++) {
                decodeAllWays(Mutations.mutate(capture, random));
            }
        });
    }

    private void decodeAllWays(byte[] data) {
        for (SocketRecord.Protocol p : SocketRecord.Protocol.values()) {
            for (boolean truncated : new boolean[] {false, true}) {
                Mutations.checkShape(decoder.decode(new AppPayload(SocketRecord.App.SYSLOG, p, false,
                        SocketRecord.Role.SERVER, 0, data, data.length + (truncated ? 1 : 0), truncated, false)),
                        data.length);
            }
        }
    }
}
