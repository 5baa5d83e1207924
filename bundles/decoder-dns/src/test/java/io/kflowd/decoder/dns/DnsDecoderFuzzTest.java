package io.kflowd.decoder.dns;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer, coverage guided, seeded with the dig captures in
 * {@code DnsDecoderFuzzTestInputs/fuzz}. Every input is decoded both as a UDP datagram and
 * as a TCP stream; nothing may throw, and {@link Invariants} must hold. {@code mvn test}
 * fuzzes for 10 s (JAZZER_FUZZ=1 in the surefire configuration); longer:
 * {@code mvn -o test -pl bundles/decoder-dns -Dtest=DnsDecoderFuzzTest -Djazzer.max_duration=10m}.
 * Without JAZZER_FUZZ (e.g. {@code -Ddns.fuzz=0}) it only replays the seeds and any crash
 * inputs found earlier.
 */
class DnsDecoderFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        Invariants.check(data, Expect.DECODER.decode(Expect.udp(data, false)));
        Invariants.check(data, Expect.DECODER.decode(Expect.tcp(data, false)));
    }
}
