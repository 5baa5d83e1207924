package io.kflowd.runtime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The output plugins end to end: -o table and -o ocsf on stdout, -u to two UDP collectors with -q. */
class OutputsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    static void touch(Path file) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "echo data > '" + file + "'").start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    }

    static String awaitLine(KflowdProcess kflowd, String contained) throws InterruptedException {
        long deadline = System.nanoTime() + KflowdProcess.BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : List.copyOf(kflowd.out)) {
                if (line.contains(contained)) {
                    return line;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no output line with " + contained + ":\n" + String.join("\n", kflowd.out)
                + "\nstderr:\n" + kflowd.stderr());
    }

    @Test
    void tableRowsUnderTheirHeader() throws Exception {
        Path dir = KflowdProcess.tempDir("kflowd-table-");
        try (KflowdProcess kflowd = KflowdProcess.start(KflowdProcess.newRunDir(), List.of("-m", "file", "-o", "table"))) {
            kflowd.awaitRunning();
            touch(dir.resolve("table-row-file"));
            String row = awaitLine(kflowd, "table-row-file");
            assertTrue(kflowd.out.getFirst().startsWith("TIME"), "the header comes first:\n" + String.join("\n", kflowd.out));
            assertTrue(row.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*"), "TIME is the time of day with ms: " + row);
            assertTrue(row.contains("F,CR,OP,MO,CW"), row);
            assertTrue(row.length() <= 160, row);
            assertTrue(kflowd.out.stream().noneMatch(l -> l.startsWith("{") || l.startsWith("\u001e")), "no JSON among the rows");
        }
    }

    @Test
    void ocsfEventsOnePerLine() throws Exception {
        Path dir = KflowdProcess.tempDir("kflowd-ocsf-");
        try (KflowdProcess kflowd = KflowdProcess.start(KflowdProcess.newRunDir(), List.of("-m", "file", "-o", "ocsf"))) {
            kflowd.awaitRunning();
            touch(dir.resolve("ocsf-file"));
            JsonNode event = JSON.readTree(awaitLine(kflowd, "ocsf-file"));
            assertEquals(1001, event.path("class_uid").asInt(), event.toString());
            assertEquals(100100 + event.path("activity_id").asInt(), event.path("type_uid").asInt(), event.toString());
            assertEquals("ocsf-file", event.path("file").path("name").asText(), event.toString());
            assertEquals("1.3.0", event.path("metadata").path("version").asText(), event.toString());
        }
    }

    @Test
    void twoCollectorsReceiveEveryRecordOnceAndAClosedPortDisturbsNothing() throws Exception {
        Path dir = KflowdProcess.tempDir("kflowd-udp-");
        try (DatagramChannel v4 = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress("127.0.0.1", 0));
                DatagramChannel v6 = DatagramChannel.open(StandardProtocolFamily.INET6).bind(new InetSocketAddress("::1", 0))) {
            int closed;
            try (DatagramChannel gone = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
                closed = ((InetSocketAddress) gone.getLocalAddress()).getPort();
            }
            String collectors = "127.0.0.1:" + closed + ",127.0.0.1:" + ((InetSocketAddress) v4.getLocalAddress()).getPort()
                    + ",::1:" + ((InetSocketAddress) v6.getLocalAddress()).getPort();
            try (KflowdProcess kflowd = KflowdProcess.start(KflowdProcess.newRunDir(),
                    List.of("-m", "file", "-o", "json-min", "-q", "-u", collectors))) {
                kflowd.awaitRunning();
                for (int i = 0; i < 5; i++) {
                    touch(dir.resolve("udp-file-" + i));
                }
                for (DatagramChannel collector : List.of(v4, v6)) {
                    collector.configureBlocking(false);
                    List<String> names = new ArrayList<>();
                    long deadline = System.nanoTime() + KflowdProcess.BOUND.toNanos();
                    ByteBuffer buffer = ByteBuffer.allocate(65536);
                    while (System.nanoTime() < deadline && names.size() < 5) {
                        buffer.clear();
                        if (collector.receive(buffer) == null) {
                            Thread.sleep(50);
                            continue;
                        }
                        buffer.flip();
                        JsonNode r = JSON.readTree(StandardCharsets.UTF_8.decode(buffer).toString());
                        if (r.path("FilePath").asText().equals(dir + "/")) {
                            names.add(r.path("File").asText());
                        }
                    }
                    assertEquals(List.of("udp-file-0", "udp-file-1", "udp-file-2", "udp-file-3", "udp-file-4"), names,
                            "every record once, in order, at " + collector.getLocalAddress());
                }
                assertTrue(kflowd.out.isEmpty(), "-q: nothing on stdout: " + kflowd.out);
            }
        }
    }

    @Test
    void switchingTheFormatWhileRunningLosesAndDoublesNothing() throws Exception {
        Path dir = KflowdProcess.tempDir("kflowd-switch-");
        Path runDir = KflowdProcess.newRunDir();
        int files = 150;
        try (KflowdProcess kflowd = KflowdProcess.start(runDir, List.of("-m", "file", "-o", "json-min"))) {
            kflowd.awaitRunning();
            Process writer = new ProcessBuilder("sh", "-c", "for i in $(seq 1 " + files + "); do echo x > '" + dir
                    + "'/sw-$i; sleep 0.02; done").start();
            Thread.sleep(1000);
            KflowdProcess.Result switched = KflowdProcess.run(runDir, List.of("--attach"), "kflowd:output json\n");
            assertTrue(switched.stdout().contains("format: json"), switched.stdout() + switched.stderr());
            KflowdProcess.Result refused = KflowdProcess.run(runDir, List.of("--attach"), "kflowd:output yaml\n");
            assertTrue(refused.stdout().contains("no formatter serves 'yaml'"), refused.stdout());
            assertTrue(writer.waitFor(KflowdProcess.BOUND.toSeconds(), TimeUnit.SECONDS));
            awaitLine(kflowd, "\"sw-" + files + "\"");
            kflowd.signal("TERM");
            assertEquals(0, kflowd.awaitExit(), kflowd.stderr());
            // split the output into records: json-min lines, then RS-framed pretty records
            List<JsonNode> records = new ArrayList<>();
            StringBuilder pretty = null;
            int compact = 0;
            for (String line : List.copyOf(kflowd.out)) {
                if (line.startsWith("\u001e")) {
                    if (pretty != null) {
                        records.add(JSON.readTree(pretty.toString()));
                    }
                    pretty = new StringBuilder(line.substring(1)).append('\n');
                } else if (pretty != null) {
                    pretty.append(line).append('\n');
                } else {
                    records.add(JSON.readTree(line));
                    compact++;
                }
            }
            if (pretty != null) {
                records.add(JSON.readTree(pretty.toString()));
            }
            java.util.Map<String, Integer> seen = new java.util.HashMap<>();
            for (JsonNode r : records) {
                if (r.path("FilePath").asText().equals(dir + "/")) {
                    seen.merge(r.path("File").asText(), 1, Integer::sum);
                }
            }
            assertEquals(files, seen.size(), "every file has its record: " + seen.keySet());
            assertTrue(seen.values().stream().allMatch(n -> n == 1), "no record twice: " + seen);
            assertTrue(compact > 0 && records.size() > compact, "records before the switch compact, after it pretty");
        }
    }
}
