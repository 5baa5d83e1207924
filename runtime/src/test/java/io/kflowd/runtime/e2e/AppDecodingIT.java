package io.kflowd.runtime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Captured payload decoded end to end: real clients (dig) against servers started by the
 * test on 127.0.0.1, with the application ports moved to unprivileged ones by -p. The
 * decoded fields are compared with what the client asked and the server answered.
 */
class AppDecodingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int DNS_PORT = 20053;
    private static KflowdProcess kflowd;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        work = KflowdProcess.tempDir("kflowd-apps-");
        kflowd = KflowdProcess.start(KflowdProcess.newRunDir(), List.of("-m", "socket", "-o", "json-min", "-t", "2",
                "-p", "dns=udp/" + DNS_PORT + ",tcp/" + DNS_PORT));
        kflowd.awaitRunning();
    }

    @AfterAll
    static void stop() {
        if (kflowd != null) {
            kflowd.close();
        }
    }

    static Path resource(String name) throws IOException {
        Path file = work.resolve(name);
        if (!Files.exists(file)) {
            try (InputStream in = AppDecodingIT.class.getResourceAsStream("/apps/" + name)) {
                Files.copy(in, file);
            }
        }
        return file;
    }

    static String firstLine(Process p) throws Exception {
        var line = new java.util.concurrent.CompletableFuture<String>();
        Thread.ofVirtual().start(() -> {
            try {
                line.complete(new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8)).readLine());
            } catch (IOException e) {
                line.complete("<" + e + ">");
            }
        });
        return line.get(KflowdProcess.BOUND.toSeconds(), TimeUnit.SECONDS);
    }

    static JsonNode awaitRecord(String what, Predicate<JsonNode> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + KflowdProcess.BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : List.copyOf(kflowd.out)) {
                try {
                    JsonNode r = JSON.readTree(line);
                    if (wanted.test(r)) {
                        return r;
                    }
                } catch (IOException e) {
                    throw new AssertionError("not JSON: " + line, e);
                }
            }
            Thread.sleep(100);
        }
        List<String> apps = new ArrayList<>();
        for (String line : List.copyOf(kflowd.out)) {
            if (line.contains("\"App\"")) {
                apps.add(line);
            }
        }
        throw new AssertionError("no record " + what + " within " + KflowdProcess.BOUND + "; records with App:\n"
                + String.join("\n", apps) + "\nstderr:\n" + kflowd.stderr());
    }

    static Process start(List<String> command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    static void finish(Process p) throws InterruptedException {
        if (!p.waitFor(KflowdProcess.BOUND.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("process did not finish: " + p.info().commandLine().orElse("?"));
        }
    }

    @ParameterizedTest(name = "dig {1} {0} over {3}")
    @CsvSource(delimiter = '|', value = {
        "a.test|A|NOERROR|udp|[[\"A\",\"a.test\",300,\"IN\",\"192.0.2.1\"]]",
        "aaaa.test|AAAA|NOERROR|udp|[[\"AAAA\",\"aaaa.test\",300,\"IN\",\"2001:db8::1\"]]",
        "cname.test|A|NOERROR|udp|[[\"CNAME\",\"cname.test\",300,\"IN\",\"a.test\"],[\"A\",\"a.test\",300,\"IN\",\"192.0.2.1\"]]",
        "mx.test|MX|NOERROR|udp|[[\"MX\",\"mx.test\",300,\"IN\",\"10 mail.test\"]]",
        "txt.test|TXT|NOERROR|udp|[[\"TXT\",\"txt.test\",300,\"IN\",\"\\\"hello\\\" \\\"world\\\"\"]]",
        "soa.test|SOA|NOERROR|udp|[[\"SOA\",\"soa.test\",300,\"IN\",\"ns.test admin.test 7 1800 900 604800 86400\"]]",
        "srv.test|SRV|NOERROR|udp|[[\"SRV\",\"srv.test\",300,\"IN\",\"1 2 5060 sip.test\"]]",
        "caa.test|CAA|NOERROR|udp|[[\"CAA\",\"caa.test\",300,\"IN\",\"0 issue \\\"ca.test\\\"\"]]",
        "https.test|HTTPS|NOERROR|udp|[[\"HTTPS\",\"https.test\",300,\"IN\",\"1 . alpn=h2\"]]",
        "ns.test|NS|NOERROR|udp|[[\"NS\",\"ns.test\",300,\"IN\",\"ns1.test\"]]",
        "1.2.0.192.in-addr.arpa|PTR|NOERROR|udp|[[\"PTR\",\"1.2.0.192.in-addr.arpa\",300,\"IN\",\"a.test\"]]",
        "nx.test|A|NXDOMAIN|udp|[]",
        "refused.test|A|REFUSED|udp|[]",
        "a.test|A|NOERROR|tcp|[[\"A\",\"a.test\",300,\"IN\",\"192.0.2.1\"]]",
        "mx.test|MX|NOERROR|tcp|[[\"MX\",\"mx.test\",300,\"IN\",\"10 mail.test\"]]"})
    void digQueriesAndAnswersAreDecoded(String qname, String qtype, String rcode, String transport, String answers)
            throws Exception {
        Process server = start(List.of("python3", "-u", resource("dns_server.py").toString(), Integer.toString(DNS_PORT), "1"));
        try {
            assertEquals("ready", firstLine(server));
            List<String> dig = new ArrayList<>(List.of("dig", "@127.0.0.1", "-p", Integer.toString(DNS_PORT), qname, qtype,
                    "+tries=1", "+time=5", "+noedns"));
            if (transport.equals("tcp")) {
                dig.add("+tcp");
            }
            Process client = start(dig);
            String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            finish(client);
            assertTrue(out.contains("status: " + rcode), "dig itself saw " + rcode + ":\n" + out);

            JsonNode r = awaitRecord("of dig " + client.pid(), n -> n.path("ProcPID").asLong() == client.pid()
                    && n.path("SockRemotePort").asInt() == DNS_PORT && n.has("App"));
            String all = r.toString();
            assertEquals("DNS", r.path("App").asText(), all);
            assertEquals(transport.toUpperCase(java.util.Locale.ROOT), r.path("SockProtocol").asText(), all);
            JsonNode query = r.path("AppTxDns").path(0);
            JsonNode response = r.path("AppRxDns").path(0);
            assertEquals("QUERY", query.path("OpCode").asText(), all);
            assertEquals(JSON.readTree("[[\"" + qtype + "\",\"" + qname + "\"]]"), query.path("ResourceRecords"), all);
            assertEquals(query.path("TransactionId"), response.path("TransactionId"), all);
            assertEquals(rcode, response.path("ResponseCode").asText(), all);
            assertEquals(JSON.readTree(answers), response.path("ResourceRecords"), all);
            assertTrue(response.path("Flags").toString().contains("\"QR\""), all);
        } finally {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
