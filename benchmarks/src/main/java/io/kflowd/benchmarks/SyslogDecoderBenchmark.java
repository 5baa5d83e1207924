package io.kflowd.benchmarks;

import io.kflowd.api.AppDecoder;
import io.kflowd.api.AppMessage;
import io.kflowd.api.AppPayload;
import io.kflowd.api.SocketRecord.App;
import io.kflowd.api.SocketRecord.Protocol;
import io.kflowd.decoder.syslog.SyslogDecoder;
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
 * Syslog messages per second through decoder-syslog: the lines logger(1) sends (RFC 3164 to
 * /dev/log, RFC 5424 with structured data over UDP), four octet-counted frames in one TCP
 * payload (per message), a journald native datagram.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class SyslogDecoderBenchmark {

    private final AppDecoder decoder = new SyslogDecoder();
    private AppPayload rfc3164;
    private AppPayload rfc5424;
    private AppPayload octetCounted;
    private AppPayload journald;

    @Setup
    public void setUp() {
        rfc3164 = Captures.payload(App.SYSLOG, Protocol.UNIX, "<133>Nov 26 23:21:36 mytag[77]: hello via a unix socket");
        String line = "<133>1 2026-11-26T23:21:35.156931+00:00 vm mytag 4242 ID47 [timeQuality tzKnown=\"1\" "
                + "isSynced=\"0\"][meta@32473 k=\"v\"] hello rfc5424";
        rfc5424 = Captures.payload(App.SYSLOG, Protocol.UDP, line);
        octetCounted = Captures.payload(App.SYSLOG, Protocol.TCP, (line.length() + " " + line).repeat(4));
        journald = Captures.payload(App.SYSLOG, Protocol.UNIX, "PRIORITY=6\nSYSLOG_FACILITY=3\nCODE_FILE=main.c\n"
                + "CODE_LINE=42\nSYSLOG_IDENTIFIER=myservice\nSYSLOG_PID=1234\nMESSAGE=Started the service.\n");
        if (decoder.decode(octetCounted).size() != 4) {
            throw new IllegalStateException("octet-counted payload is not four messages");
        }
    }

    @Benchmark
    public List<AppMessage> rfc3164() {
        return decoder.decode(rfc3164);
    }

    @Benchmark
    public List<AppMessage> rfc5424() {
        return decoder.decode(rfc5424);
    }

    @Benchmark
    @OperationsPerInvocation(4)
    public List<AppMessage> octetCountedTcp() {
        return decoder.decode(octetCounted);
    }

    @Benchmark
    public List<AppMessage> journald() {
        return decoder.decode(journald);
    }
}
