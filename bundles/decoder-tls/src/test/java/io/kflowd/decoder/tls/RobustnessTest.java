package io.kflowd.decoder.tls;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kflowd.api.AppPayload;
import io.kflowd.api.SocketRecord;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every prefix and bounded seeded mutations of each real capture, plain, truncated, after a gap. */
class RobustnessTest {

    private final TlsDecoder decoder = new TlsDecoder();

    @ParameterizedTest
    @EnumSource(Scenarios.class)
    void everyPrefix(Scenarios s) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (String file : s.files()) {
                byte[] capture = Payloads.capture(file);
                for (int n = 0; n <= capture.length; n++) {
                    decodeAllWays(Arrays.copyOf(capture, n));
                }
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Scenarios.class)
    void seededMutations(Scenarios s) {
        Random random = new Random(4711L + s.ordinal());
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (String file : s.files()) {
                byte[] capture = Payloads.capture(file);
                for (int round = 0; round < 3000; round++) {
                    decodeAllWays(Mutations.mutate(capture, random));
                }
            }
        });
    }

    private void decodeAllWays(byte[] data) {
        for (int mode = 0; mode < 4; mode++) {
            boolean truncated = (mode & 1) != 0;
            Mutations.checkShape(decoder.decode(new AppPayload(SocketRecord.App.TLS, SocketRecord.Protocol.TCP, false,
                    SocketRecord.Role.SERVER, 0, data, data.length + (truncated ? 1 : 0), truncated, (mode & 2) != 0)),
                    data.length);
        }
    }
}
