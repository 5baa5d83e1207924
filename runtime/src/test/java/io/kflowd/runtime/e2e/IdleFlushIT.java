package io.kflowd.runtime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A file that stays open produces no closing event; its record is exported by the idle
 * timer (-t IDLE) while the process still holds the file, not only at shutdown.
 */
class IdleFlushIT {

    @Test
    void aFileHeldOpenIsExportedAfterTheIdleTimeout() throws Exception {
        Path dir = KflowdProcess.tempDir("kflowd-idle-");
        Path file = dir.resolve("held-open");
        KflowdProcess kflowd = KflowdProcess.start(KflowdProcess.newRunDir(), List.of("-m", "file", "-o", "json-min", "-t", "2"));
        Process holder = null;
        try {
            kflowd.awaitRunning();
            // writes once, then keeps the file open for a long time
            holder = new ProcessBuilder("sh", "-c", "exec 3>>'" + file + "'; echo x >&3; exec sleep 60").start();
            long pid = holder.pid();
            JsonNode record = null;
            long deadline = System.nanoTime() + KflowdProcess.BOUND.toNanos();
            while (record == null && System.nanoTime() < deadline) {
                for (String line : kflowd.out) {
                    JsonNode r = new ObjectMapper().readTree(line);
                    if (r.path("File").asText().equals("held-open") && r.path("ProcPID").asLong() == pid) {
                        record = r;
                    }
                }
                Thread.sleep(200);
            }
            assertTrue(record != null, "no idle export of the held-open file within " + KflowdProcess.BOUND);
            assertTrue(holder.isAlive(), "exported while the file is still open");
            assertEquals(1, record.path("FileEvents").path("MODIFY").asInt(), record.toString());
            assertEquals(0, record.path("FileEvents").path("CLOSE_WRITE").asInt(), record.toString());
        } finally {
            if (holder != null) {
                holder.destroyForcibly();
                holder.waitFor(10, TimeUnit.SECONDS);
            }
            kflowd.close();
        }
    }
}
