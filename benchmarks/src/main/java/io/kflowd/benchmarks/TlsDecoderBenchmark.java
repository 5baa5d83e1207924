package io.kflowd.benchmarks;

import io.kflowd.api.AppDecoder;
import io.kflowd.api.AppMessage;
import io.kflowd.api.AppPayload;
import io.kflowd.api.SocketRecord.App;
import io.kflowd.api.SocketRecord.Protocol;
import io.kflowd.decoder.tls.TlsDecoder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Payloads per second through decoder-tls, real captures: openssl s_client's ClientHello
 * (SNI, ALPN, 31 suites) and s_server's TLS 1.2 flight (ServerHello, Certificate,
 * ServerKeyExchange, ServerHelloDone, then ChangeCipherSpec and an encrypted Finished).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class TlsDecoderBenchmark {

    private final AppDecoder decoder = new TlsDecoder();
    private AppPayload clientHello;
    private AppPayload serverFlight;

    @Setup
    public void setUp() {
        clientHello = Captures.payload(App.TLS, Protocol.TCP, Captures.bytes("tls-client-hello.bin"));
        serverFlight = Captures.payload(App.TLS, Protocol.TCP, Captures.bytes("tls12-server-flight.bin"));
    }

    @Benchmark
    public List<AppMessage> clientHello() {
        return decoder.decode(clientHello);
    }

    @Benchmark
    public List<AppMessage> serverFlight() {
        return decoder.decode(serverFlight);
    }
}
