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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * An output that stops taking records (a stalled reader of stdout): the monitor leaves the
 * backlog in the kernel ring instead of growing its heap or dropping records, and delivers
 * all of it, in order, once the output moves again.
 */
class OutputBackpressureIT {

    private static final int FILES = 3000;
    /** create + write 4 KiB + close, rename, unlink per file: three records (spec 4.4) */
    private static final String CHURN = """
            import os, sys
            d, n = sys.argv[1], int(sys.argv[2])
            buf = b'x' * 4096
            for i in range(n):
                a = os.path.join(d, 'f%d' % i)
                b = os.path.join(d, 'g%d' % i)
                fd = os.open(a, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
                os.write(fd, buf)
                os.close(fd)
                os.rename(a, b)
                os.unlink(b)
            """;
    private static final Pattern WAITED = Pattern.compile("reader waited for output \\(ms\\) (\\d+)");
    private static final Pattern LOST = Pattern.compile("(bus queue full|kernel ring full) (\\d+)");

    @Test
    void aStalledOutputLosesNothingWhileTheRingHoldsTheBacklog() throws Exception {
        Path dir = KflowdProcess.tempDir("kflowd-stall-");
        Path files = Files.createDirectory(dir.resolve("files"));
        Path out = dir.resolve("records.ndjson");
        Path go = dir.resolve("go");
        Path run = KflowdProcess.newRunDir();
        // the reader of the monitor's stdout takes nothing until "go" exists (60 s at most):
        // the pipe fills, the stdout sink blocks, the bus queue fills
        String pipeline = "KFLOWD_JAVA_OPTS=-Dkflowd.rundir=" + run + " " + KflowdProcess.script()
                + " -m file -o json-min 2>" + dir.resolve("stderr")
                + " | { i=0; while [ ! -e " + go + " ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; cat; } > " + out;
        Process shell = new ProcessBuilder("sh", "-c", pipeline)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        long pid;
        String stalled;
        String released;
        try {
            long deadline = System.nanoTime() + KflowdProcess.BOUND.toNanos();
            while (System.nanoTime() < deadline && !stderr(dir).contains(" running, pid ")) {
                Thread.sleep(100);
            }
            assertTrue(stderr(dir).contains(" running, pid "), "monitor did not start:\n" + stderr(dir));
            Process churn = new ProcessBuilder("python3", "-c", CHURN, files.toString(), Integer.toString(FILES))
                    .redirectErrorStream(true).start();
            pid = churn.pid();
            assertTrue(churn.waitFor(KflowdProcess.BOUND.toSeconds(), TimeUnit.SECONDS), "churn did not end");
            assertEquals(0, churn.exitValue(), new String(churn.getInputStream().readAllBytes()));
            Thread.sleep(500);
            stalled = status(run);
            Files.createFile(go);
            long processId = pid;
            deadline = System.nanoTime() + KflowdProcess.BOUND.toNanos();
            while (System.nanoTime() < deadline && records(out, files, processId).size() < 3 * FILES) {
                Thread.sleep(200);
            }
            released = status(run);
        } finally {
            KflowdProcess.exec(List.of("pkill", "-TERM", "-f", "^\\S*/java .*-Dkflowd.rundir=" + run + " "), "");
            assertTrue(shell.waitFor(KflowdProcess.BOUND.toSeconds(), TimeUnit.SECONDS), "pipeline did not end");
        }
        long waited = number(WAITED, stalled);
        assertTrue(waited > 0, "while stdout was stalled the reader waited for the output: " + stalled);
        Matcher lost = LOST.matcher(released);
        int reasons = 0;
        while (lost.find()) {
            assertEquals("0", lost.group(2), lost.group(1) + " after the stall:\n" + released);
            reasons++;
        }
        assertEquals(2, reasons, released);

        List<JsonNode> mine = records(out, files, pid);
        assertEquals(3 * FILES, mine.size(), "every record of the churn, once; status after:\n" + released);
        int closed = 0;
        int moved = 0;
        int deleted = 0;
        for (JsonNode r : mine) {
            JsonNode events = r.path("FileEvents");
            closed += events.has("CLOSE_WRITE") ? 1 : 0;
            moved += events.has("MOVED_TO") ? 1 : 0;
            deleted += events.has("DELETE") ? 1 : 0;
        }
        assertEquals(List.of(FILES, FILES, FILES), List.of(closed, moved, deleted), "CLOSE_WRITE, MOVED_TO, DELETE records");
        // in order: the file of iteration i is deleted before the one of i + 1 is created
        List<String> deletedNames = mine.stream().filter(r -> r.path("FileEvents").has("DELETE"))
                .map(r -> r.path("File").asText()).toList();
        for (int i = 0; i < FILES; i++) {
            assertEquals("g" + i, deletedNames.get(i), "DELETE records in the order of the deletions");
        }
    }

    private static String stderr(Path dir) throws java.io.IOException {
        Path file = dir.resolve("stderr");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static String status(Path run) throws Exception {
        KflowdProcess.Result r = KflowdProcess.run(run, List.of("--attach"), "kflowd:status\n");
        assertEquals(0, r.exitCode(), r.stderr());
        return r.stdout();
    }

    private static long number(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertTrue(m.find(), pattern + " not in:\n" + text);
        return Long.parseLong(m.group(1));
    }

    private static List<JsonNode> records(Path out, Path dir, long pid) throws java.io.IOException {
        List<JsonNode> records = new ArrayList<>();
        if (!Files.exists(out)) {
            return records;
        }
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode r;
            try {
                r = json.readTree(line);
            } catch (com.fasterxml.jackson.core.JsonProcessingException partialLastLine) {
                continue;
            }
            if (r.path("FilePath").asText().equals(dir + "/") && r.path("ProcPID").asLong() == pid) {
                records.add(r);
            }
        }
        return records;
    }
}
