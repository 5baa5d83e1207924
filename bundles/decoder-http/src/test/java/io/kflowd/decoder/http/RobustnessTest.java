package io.kflowd.decoder.http;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kflowd.api.AppMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every prefix of every real capture, and bounded seeded mutations of it, in all four
 * capture states (plain, truncated, gap, both): no exception, no hang, sane output.
 */
class RobustnessTest {

    private final HttpDecoder decoder = new HttpDecoder();

    @ParameterizedTest
    @EnumSource(Scenarios.class)
    void everyPrefix(Scenarios s) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (String dir : new String[] {".request.bin", ".response.bin"}) {
                byte[] capture = Payloads.capture(s.file() + dir);
                for (int n = 0; n <= capture.length; n++) {
                    decodeAllWays(Arrays.copyOf(capture, n), capture.length);
                }
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Scenarios.class)
    void seededMutations(Scenarios s) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (String dir : new String[] {".request.bin", ".response.bin"}) {
                byte[] capture = Payloads.capture(s.file() + dir);
                Random random = new Random(s.ordinal() * 31L + dir.length());
                for (int round = 0; round < 2000; round++) {
                    decodeAllWays(Mutations.mutate(capture, random), capture.length);
                }
            }
        });
    }

    private void decodeAllWays(byte[] data, int wireLength) {
        for (int mode = 0; mode < 4; mode++) {
            List<AppMessage> out = decoder.decode(new io.kflowd.api.AppPayload(io.kflowd.api.SocketRecord.App.HTTP,
                    io.kflowd.api.SocketRecord.Protocol.TCP, false, io.kflowd.api.SocketRecord.Role.CLIENT, 7,
                    data, Math.max(wireLength, data.length), (mode & 1) != 0, (mode & 2) != 0));
            Mutations.checkShape(out, data.length);
        }
    }
}
