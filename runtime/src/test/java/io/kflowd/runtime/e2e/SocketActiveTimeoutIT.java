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

/**
 * -t IDLE,ACTIVE: a connection with traffic every second across an active timeout of 2 s
 * is exported several times while it lasts, each record with only its own period's
 * counters (never repeated), and once more at its end.
 */
class SocketActiveTimeoutIT {

    static final String CHATTY = """
            import socket, time
            srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen(1)
            c = socket.create_connection(srv.getsockname())
            a, _ = srv.accept()
            print(c.getsockname()[1], flush=True)
            for i in range(7):
                c.sendall(b'0123456789'); a.recv(10)
                time.sleep(1)
            c.close(); a.close(); srv.close()
            """;

    @Test
    void aLongConnectionIsExportedAtEachActiveTimeoutWithoutRepeatingCounters() throws Exception {
        Path dir = KflowdProcess.tempDir("kflowd-active-");
        Path script = dir.resolve("chatty.py");
        Files.writeString(script, CHATTY);
        try (KflowdProcess kflowd = KflowdProcess.start(KflowdProcess.newRunDir(),
                List.of("-m", "socket", "-o", "json-min", "-t", "30,2"))) {
            kflowd.awaitRunning();
            Process p = new ProcessBuilder("python3", "-u", script.toString()).redirectErrorStream(true).start();
            String first = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
            int clientPort = Integer.parseInt(first.trim());
            assertTrue(p.waitFor(KflowdProcess.BOUND.toSeconds(), TimeUnit.SECONDS));
            ObjectMapper json = new ObjectMapper();
            List<JsonNode> records = new ArrayList<>();
            long deadline = System.nanoTime() + KflowdProcess.BOUND.toNanos();
            while (System.nanoTime() < deadline) {
                records.clear();
                for (String line : List.copyOf(kflowd.out)) {
                    JsonNode r = json.readTree(line);
                    if (r.path("ProcPID").asLong() == p.pid() && r.path("SockLocalPort").asInt() == clientPort) {
                        records.add(r);
                    }
                }
                if (records.stream().anyMatch(r -> r.path("SockState").asText().equals("TCP_CLOSE"))) {
                    break;
                }
                Thread.sleep(200);
            }
            String all = String.join("\n", records.stream().map(JsonNode::toString).toList());
            assertTrue(records.size() >= 3, "several records for a 7 s connection with a 2 s active timeout:\n" + all);
            assertEquals("TCP_CLOSE", records.getLast().path("SockState").asText(), all);
            long bytes = records.stream().mapToLong(r -> r.path("SockTxBytes").asLong()).sum();
            assertEquals(70, bytes, "every byte sent counted exactly once over all records:\n" + all);
            long syns = records.stream().mapToLong(r -> r.path("SockTxFlags").path("SYN").asLong()).sum();
            assertEquals(1, syns, "the handshake counted once:\n" + all);
            for (JsonNode r : records.subList(0, records.size() - 1)) {
                assertEquals("TCP_ESTABLISHED", r.path("SockState").asText(), all);
            }
        }
    }
}
