package io.kflowd.benchmarks;

import io.kflowd.api.AppDecoder;
import io.kflowd.api.AppMessage;
import io.kflowd.api.AppPayload;
import io.kflowd.api.SocketRecord.App;
import io.kflowd.api.SocketRecord.Protocol;
import io.kflowd.decoder.http.HttpDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * HTTP messages per second through decoder-http, one thread: curl's GET request, the
 * server's 200 response with body (real captures), a chunked response, and four pipelined
 * requests in one payload (scored per message). Beside them the baseline of the same run:
 * the request as a String split into lines and headers with String.split/indexOf, the
 * least any text-based decoder does.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class HttpDecoderBenchmark {

    private final AppDecoder decoder = new HttpDecoder();
    private AppPayload request;
    private AppPayload response;
    private AppPayload chunked;
    private AppPayload pipelined;
    private byte[] requestBytes;

    @Setup
    public void setUp() {
        requestBytes = Captures.bytes("http-get-request.bin");
        request = Captures.payload(App.HTTP, Protocol.TCP, requestBytes);
        response = Captures.payload(App.HTTP, Protocol.TCP, Captures.bytes("http-get-response.bin"));
        chunked = Captures.payload(App.HTTP, Protocol.TCP, Captures.bytes("http-chunked-response.bin"));
        String one = new String(requestBytes, StandardCharsets.ISO_8859_1);
        pipelined = Captures.payload(App.HTTP, Protocol.TCP, one.repeat(4));
        if (decoder.decode(pipelined).size() != 4) {
            throw new IllegalStateException("pipelined payload is not four messages");
        }
    }

    @Benchmark
    public List<AppMessage> request() {
        return decoder.decode(request);
    }

    @Benchmark
    public List<AppMessage> response() {
        return decoder.decode(response);
    }

    @Benchmark
    public List<AppMessage> chunkedResponse() {
        return decoder.decode(chunked);
    }

    @Benchmark
    @OperationsPerInvocation(4)
    public List<AppMessage> pipelinedRequests() {
        return decoder.decode(pipelined);
    }

    @Benchmark
    public List<String[]> baselineStringSplitRequest() {
        String text = new String(requestBytes, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n");
        List<String[]> out = new ArrayList<>(lines.length);
        out.add(lines[0].split(" "));
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                out.add(new String[] {lines[i].substring(0, colon), lines[i].substring(colon + 1).trim()});
            }
        }
        return out;
    }
}
