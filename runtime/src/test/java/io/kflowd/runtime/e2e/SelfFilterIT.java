package io.kflowd.runtime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ARCHITECTURE 6: the monitor's own activity and the reader of its stdout pipe are not
 * recorded (no feedback loop in {@code kflowd | cat > file}), but everything else is,
 * including siblings started by the same shell.
 */
class SelfFilterIT {

    @Test
    void thePipeReaderIsFilteredAndASiblingIsNot() throws Exception {
        Path dir = KflowdProcess.tempDir("kflowd-self-");
        Path out = dir.resolve("records.ndjson");
        Path run = KflowdProcess.newRunDir();
        String pipeline = "KFLOWD_JAVA_OPTS=-Dkflowd.rundir=" + run + " " + KflowdProcess.script()
                + " -m file -o json-min 2>" + dir.resolve("stderr") + " | cat > " + out;
        Process shell = new ProcessBuilder("sh", "-c", pipeline).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            long deadline = System.nanoTime() + KflowdProcess.BOUND.toNanos();
            while (System.nanoTime() < deadline
                    && !(Files.exists(dir.resolve("stderr")) && Files.readString(dir.resolve("stderr")).contains(" running, pid "))) {
                Thread.sleep(100);
            }
            assertTrue(Files.readString(dir.resolve("stderr")).contains(" running, pid "), "monitor did not start");
            Process sibling = new ProcessBuilder("sh", "-c", "echo sibling > " + dir.resolve("sibling.txt")).start();
            assertTrue(sibling.waitFor(30, TimeUnit.SECONDS));
            Thread.sleep(500); // let a few records flow through cat into the file
        } finally {
            // TERM to the monitor (the java process), the pipeline ends when it exits
            KflowdProcess.exec(List.of("pkill", "-TERM", "-f", "^\\S*/java .*-Dkflowd.rundir=" + run + " "), "");
            assertTrue(shell.waitFor(KflowdProcess.BOUND.toSeconds(), TimeUnit.SECONDS), "pipeline did not end");
        }
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            records.add(new ObjectMapper().readTree(line));
        }
        assertTrue(records.stream().anyMatch(r -> r.path("File").asText().equals("sibling.txt")),
                "the sibling's write is recorded");
        assertFalse(records.stream().anyMatch(r -> r.path("File").asText().equals("records.ndjson")),
                "cat's writes of our own output are not recorded (no feedback loop)");
        assertEquals(0, shell.exitValue());
    }
}
