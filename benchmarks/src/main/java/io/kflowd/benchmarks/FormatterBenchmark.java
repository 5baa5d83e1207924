package io.kflowd.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.kflowd.api.FileEvent;
import io.kflowd.api.FileRecord;
import io.kflowd.api.Info;
import io.kflowd.api.Proc;
import io.kflowd.api.RecordFormatter;
import io.kflowd.format.json.JsonFormatter;
import io.kflowd.format.json.JsonMinFormatter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
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
 * Filesystem records per second through the two formatters of format-json, one record per
 * operation into a reused ByteArrayOutputStream (what the bus does before handing the bytes
 * to the sinks). Beside them, in the same run, the baseline: plain Jackson, a new default
 * compact generator per record writing the same keys with the values as Java gives them
 * (numbers as long/double, Instant.toString(), mode as int), no kflowd layout or
 * encodings.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class FormatterBenchmark {

    private final RecordFormatter json = new JsonFormatter();
    private final RecordFormatter jsonMin = new JsonMinFormatter();
    private final JsonFactory jackson = new JsonFactory();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    private FileRecord record;

    @Setup
    public void setUp() {
        Instant now = Instant.parse("2025-11-03T09:41:27.120387455Z");
        Info info = new Info(184_467, now, Info.Monitor.FILESYSTEM, "build-07.example.net", "10.20.30.47", null,
                "Linux", "6.18.0-1-amd64", "kflowd-v0.1.0", 86_412_773_004_118L);
        Proc proc = new Proc("bash", "vim", null, "user", "user", 20_113, 20_187, 20_187, 1000, 1000,
                412_006_218_339L);
        Map<FileEvent, Integer> events = new EnumMap<>(FileEvent.class);
        events.put(FileEvent.OPEN, 1);
        events.put(FileEvent.MODIFY, 3);
        events.put(FileEvent.CLOSE_WRITE, 1);
        record = new FileRecord(info, proc, "/home/user/projects/kflowd/bundles/core/src/main/java/io/kflowd/core/",
                "RecordBus.java", null, null, "regular", events, 1_822_417L, 3_932_161, 1,
                "fe01h:/dev/mapper/vg0-home:/home:ext4", 0100644, "user", "user", 1000, 1000, 18_244, 312,
                now.minusMillis(3_201), now.minusNanos(41_118_209), now.minusNanos(41_118_209), 3_160_066_812L, null,
                null);
    }

    @Benchmark
    public int jsonMin() throws IOException {
        out.reset();
        jsonMin.format(record, out);
        return out.size();
    }

    @Benchmark
    public int json() throws IOException {
        out.reset();
        json.format(record, out);
        return out.size();
    }

    @Benchmark
    public int baselineJacksonDefault() throws IOException {
        out.reset();
        FileRecord r = record;
        try (JsonGenerator g = jackson.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("InfoSequenceNumber", r.info().sequenceNumber());
            g.writeStringField("InfoTimestamp", r.info().timestamp().toString());
            g.writeStringField("InfoMonitor", r.info().monitor().key());
            g.writeStringField("InfoHostName", r.info().hostName());
            g.writeStringField("InfoHostIP", r.info().hostIp());
            g.writeStringField("InfoSystem", r.info().system());
            g.writeStringField("InfoKernel", r.info().kernel());
            g.writeStringField("InfoVersion", r.info().version());
            g.writeNumberField("InfoUptime", r.info().uptimeNanos() / 1e9);
            g.writeStringField("ProcParent", r.proc().parent());
            g.writeStringField("Proc", r.proc().name());
            g.writeStringField("ProcUser", r.proc().user());
            g.writeStringField("ProcGroup", r.proc().group());
            g.writeNumberField("ProcPPID", r.proc().ppid());
            g.writeNumberField("ProcPID", r.proc().pid());
            g.writeNumberField("ProcTID", r.proc().tid());
            g.writeNumberField("ProcUID", r.proc().uid());
            g.writeNumberField("ProcGID", r.proc().gid());
            g.writeNumberField("ProcAge", r.proc().ageNanos() / 1e9);
            g.writeStringField("FilePath", r.path());
            g.writeStringField("File", r.name());
            g.writeStringField("FileMode", r.mode());
            g.writeNumberField("FileEventCount", r.eventCount());
            g.writeObjectFieldStart("FileEvents");
            for (Map.Entry<FileEvent, Integer> event : r.events().entrySet()) {
                g.writeNumberField(event.getKey().name(), event.getValue());
            }
            g.writeEndObject();
            g.writeNumberField("FileEventsDuration", r.eventsDurationNanos() / 1e9);
            g.writeNumberField("FileInode", r.inode());
            g.writeNumberField("FileInodeLinkCount", r.linkCount());
            g.writeStringField("FileDevice", r.device());
            g.writeNumberField("FilePermissions", r.permissions());
            g.writeStringField("FileUser", r.user());
            g.writeStringField("FileGroup", r.group());
            g.writeNumberField("FileUID", r.uid());
            g.writeNumberField("FileGID", r.gid());
            g.writeNumberField("FileSize", r.size());
            g.writeNumberField("FileSizeChange", r.sizeChange());
            g.writeStringField("FileAccessTime", r.accessTime().toString());
            g.writeStringField("FileStatusChangeTime", r.statusChangeTime().toString());
            g.writeStringField("FileModificationTime", r.modificationTime().toString());
            g.writeNumberField("FileModificationTimeChange", r.modificationTimeChangeNanos() / 1e9);
            g.writeEndObject();
        }
        return out.size();
    }
}
