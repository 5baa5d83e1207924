package io.kflowd.benchmarks;

import io.kflowd.api.AppDecoder;
import io.kflowd.api.AppMessage;
import io.kflowd.api.AppPayload;
import io.kflowd.api.SocketRecord;
import io.kflowd.decoder.dns.DnsDecoder;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * DNS messages per second through the DNS decoder, one message per operation, on bytes
 * captured from dig (decoder-dns test resources): a query (one question, an OPT record
 * with a cookie) and the response to it (two A records, compressed owner names, OPT); and
 * an AAAA response of three records. The target is 1,000,000 messages/s per core.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class DnsDecoderBenchmark {

    private static final HexFormat HEX = HexFormat.of();
    /** captures/a.query.hex: dig a.test A */
    private static final byte[] QUERY = HEX.parseHex(
            "41c60120000100000000000101610474657374000001000100002904d000000000000c000a0008bae25ad1761f1d23");
    /** captures/a.response.hex */
    private static final byte[] A_RESPONSE = HEX.parseHex(
            "41c685800001000200000001016104746573740000010001c00c000100010000012c0004c0000201c00c000100010000012c"
            + "0004c000020200002904d0000000000000");
    /** captures/aaaa.response.hex */
    private static final byte[] AAAA_RESPONSE = HEX.parseHex(
            "1fa385800001000300000001027636047465737400001c0001c00c001c00010000003c001020010db8000000000000000000"
            + "000001c00c001c00010000003c001000000000000000000000ffffc0000201c00c001c00010000003c001020010db8000000"
            + "00000100000000000100002904d0000000000000");

    private final AppDecoder decoder = new DnsDecoder();
    private final AppPayload query = payload(QUERY, true);
    private final AppPayload aResponse = payload(A_RESPONSE, false);
    private final AppPayload aaaaResponse = payload(AAAA_RESPONSE, false);

    private static AppPayload payload(byte[] data, boolean transmitted) {
        return new AppPayload(SocketRecord.App.DNS, SocketRecord.Protocol.UDP, transmitted, SocketRecord.Role.CLIENT,
                1_234_567L, data, data.length, false, false);
    }

    @Benchmark
    public List<AppMessage> query() {
        return decoder.decode(query);
    }

    @Benchmark
    public List<AppMessage> aResponse() {
        return decoder.decode(aResponse);
    }

    @Benchmark
    public List<AppMessage> aaaaResponse() {
        return decoder.decode(aaaaResponse);
    }
}
