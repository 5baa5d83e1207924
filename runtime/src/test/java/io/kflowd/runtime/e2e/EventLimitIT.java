package io.kflowd.runtime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** -e N: a file record is exported after N events (spec 4.4); -e 1 = one record per event. */
class EventLimitIT {

    @Test
    void eventLimitOneGivesOneRecordPerEvent() throws Exception {
        Path dir = KflowdProcess.tempDir("kflowd-e1-");
        KflowdProcess kflowd = KflowdProcess.start(KflowdProcess.newRunDir(), List.of("-m", "file", "-o", "json-min", "-e", "1"));
        long pid;
        try {
            kflowd.awaitRunning();
            Process p = new ProcessBuilder("sh", "-c", "echo data > " + dir.resolve("f")).start();
            pid = p.pid();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            // -e 1 exports at each event: the records come while the monitor runs, not from
            // the flush at stop (a loaded machine may take long to stop)
            long deadline = System.nanoTime() + KflowdProcess.BOUND.toNanos();
            while (System.nanoTime() < deadline
                    && kflowd.out.stream().filter(l -> l.contains("\"ProcPID\": " + p.pid() + ",") || l.contains("\"ProcPID\":" + p.pid() + ",")).count() < 4) {
                Thread.sleep(100);
            }
            kflowd.signal("TERM");
            assertEquals(0, kflowd.awaitExit(), kflowd.stderr());
        } finally {
            kflowd.close();
        }
        List<JsonNode> records = new ArrayList<>();
        for (String line : kflowd.out) {
            JsonNode r = new ObjectMapper().readTree(line);
            if (r.path("FilePath").asText().equals(dir + "/") && r.path("ProcPID").asLong() == pid) {
                records.add(r);
            }
        }
        // CREATE, OPEN, MODIFY, CLOSE_WRITE: four events, four records of one event each
        // on failure say everything this process got, whatever its path, and what the monitor said
        long processId = pid;
        List<String> ofProcess = kflowd.out.stream().filter(l -> l.contains("\"ProcPID\": " + processId + ",")).toList();
        assertEquals(4, records.size(), "records in " + dir + ": " + records + "\nall records of pid " + pid + ":\n"
                + String.join("\n", ofProcess) + "\nstderr:\n" + kflowd.stderr());
        assertTrue(records.stream().allMatch(r -> r.path("FileEventCount").asInt() == 1), records.toString());
        List<String> order = records.stream().map(r -> r.path("FileEvents").fieldNames().next()).toList();
        assertEquals(List.of("CREATE", "OPEN", "MODIFY", "CLOSE_WRITE"), order);
    }
}
