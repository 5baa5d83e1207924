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
import org.junit.jupiter.api.Test;
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
    static final int HTTP_PORT = 20080;
    static final int SYSLOG_PORT = 20514;
    static final int TLS_PORT = 20443;
    private static KflowdProcess kflowd;
    private static Path work;
    private static Path runDir;

    @BeforeAll
    static void start() throws Exception {
        work = KflowdProcess.tempDir("kflowd-apps-");
        runDir = KflowdProcess.newRunDir();
        kflowd = KflowdProcess.start(runDir, List.of("-m", "socket", "-o", "json-min", "-t", "2",
                "-p", "dns=udp/" + DNS_PORT + ",tcp/" + DNS_PORT, "-p", "http=tcp/" + HTTP_PORT,
                "-p", "syslog=udp/" + SYSLOG_PORT + ",tcp/" + SYSLOG_PORT, "-p", "tls=tcp/" + TLS_PORT));
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

    /** The record of a client process with captured payload of the given application. */
    static JsonNode clientRecord(Process client, String app) throws InterruptedException {
        return awaitRecord("of " + client.info().command().orElse("?") + " " + client.pid() + " with App " + app,
                n -> n.path("ProcPID").asLong() == client.pid() && app.equals(n.path("App").asText()));
    }

    static Process server(String script, int port) throws Exception {
        Process server = start(List.of("python3", "-u", resource(script).toString(), Integer.toString(port)));
        assertEquals("ready", firstLine(server));
        return server;
    }

    static Process run(List<String> command) throws Exception {
        Process p = start(command);
        p.getInputStream().readAllBytes();
        finish(p);
        return p;
    }

    static List<String> texts(JsonNode messages, String key) {
        List<String> values = new ArrayList<>();
        messages.forEach(m -> values.add(m.path(key).asText(null)));
        return values;
    }

    @Test
    void curlRequestsAndResponsesAreDecoded() throws Exception {
        Process server = server("http_server.py", HTTP_PORT);
        try {
            String base = "http://127.0.0.1:" + HTTP_PORT;
            Process get = run(List.of("curl", "-s", base + "/ok"));
            Process head = run(List.of("curl", "-s", "-I", base + "/ok"));
            Process post = run(List.of("curl", "-s", "-d", "name=kflowd&x=1", base + "/echo"));
            Process redirect = run(List.of("curl", "-s", "-L", base + "/redirect"));
            Process missing = run(List.of("curl", "-s", base + "/missing"));
            Process chunked = run(List.of("curl", "-s", base + "/chunked"));
            Process keepAlive = run(List.of("curl", "-s", base + "/ok", base + "/missing"));

            JsonNode r = clientRecord(get, "HTTP");
            JsonNode request = r.path("AppTxHttp").path(0);
            JsonNode response = r.path("AppRxHttp").path(0);
            assertEquals("GET", request.path("_Method").asText(), r.toString());
            assertEquals("/ok", request.path("_Url").asText(), r.toString());
            assertEquals("HTTP/1.1", request.path("_Version").asText(), r.toString());
            assertEquals("127.0.0.1:" + HTTP_PORT, request.path("Host").asText(), r.toString());
            assertTrue(request.path("User-Agent").asText().startsWith("curl/"), r.toString());
            assertEquals(200, response.path("_Status").asInt(), r.toString());
            assertEquals("OK", response.path("_Reason").asText(), r.toString());
            assertEquals("text/plain", response.path("Content-Type").asText(), r.toString());
            assertEquals("hello from kflowd test", response.path("_Body").asText(), r.toString());

            r = clientRecord(head, "HTTP");
            assertEquals("HEAD", r.path("AppTxHttp").path(0).path("_Method").asText(), r.toString());
            assertEquals(200, r.path("AppRxHttp").path(0).path("_Status").asInt(), r.toString());
            assertTrue(r.path("AppRxHttp").path(0).path("_Body").isMissingNode(), "a HEAD response has no body: " + r);

            r = clientRecord(post, "HTTP");
            assertEquals("POST", r.path("AppTxHttp").path(0).path("_Method").asText(), r.toString());
            assertEquals("name=kflowd&x=1", r.path("AppTxHttp").path(0).path("_Body").asText(), r.toString());
            assertEquals("got 15 bytes", r.path("AppRxHttp").path(0).path("_Body").asText(), r.toString());

            r = clientRecord(redirect, "HTTP");
            assertEquals(List.of("/redirect", "/ok"), texts(r.path("AppTxHttp"), "_Url"), r.toString());
            assertEquals(List.of("302", "200"), texts(r.path("AppRxHttp"), "_Status"), r.toString());
            assertEquals("/ok", r.path("AppRxHttp").path(0).path("Location").asText(), r.toString());

            r = clientRecord(missing, "HTTP");
            assertEquals(404, r.path("AppRxHttp").path(0).path("_Status").asInt(), r.toString());
            assertEquals("Not Found", r.path("AppRxHttp").path(0).path("_Reason").asText(), r.toString());

            r = clientRecord(chunked, "HTTP");
            assertEquals("chunked", r.path("AppRxHttp").path(0).path("Transfer-Encoding").asText(), r.toString());
            assertEquals("first part, second part", r.path("AppRxHttp").path(0).path("_Body").asText(), r.toString());

            r = clientRecord(keepAlive, "HTTP");
            assertEquals(List.of("/ok", "/missing"), texts(r.path("AppTxHttp"), "_Url"), "two requests, one connection: " + r);
            assertEquals(List.of("200", "404"), texts(r.path("AppRxHttp"), "_Status"), r.toString());

            // the server's side of the first exchange: the request received, the answer sent
            JsonNode srv = awaitRecord("of the HTTP server for curl " + get.pid(), n -> n.path("ProcPID").asLong() == server.pid()
                    && n.path("SockRole").asText().equals("SERVER") && n.path("AppRxHttp").path(0).path("_Method").asText().equals("GET")
                    && n.path("AppRxHttp").path(0).path("_Url").asText().equals("/ok"));
            assertEquals(200, srv.path("AppTxHttp").path(0).path("_Status").asInt(), srv.toString());
        } finally {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void loggerMessagesAreDecodedOverUdpAndTcpInBothFormats() throws Exception {
        Process server = server("syslog_server.py", SYSLOG_PORT);
        try {
            Process udp3164 = run(List.of("logger", "--rfc3164", "-d", "-n", "127.0.0.1", "-P", Integer.toString(SYSLOG_PORT),
                    "-t", "kflowdtag", "-p", "local0.notice", "hello rfc3164"));
            Process tcp5424 = run(List.of("logger", "--rfc5424", "-T", "--octet-count", "-n", "127.0.0.1", "-P",
                    Integer.toString(SYSLOG_PORT), "-t", "kflowdtag", "--id=4242", "--msgid", "ID47", "-p", "auth.err",
                    "hello rfc5424"));
            Process udp5424 = run(List.of("logger", "--rfc5424", "-d", "-n", "127.0.0.1", "-P", Integer.toString(SYSLOG_PORT),
                    "-t", "kflowdtag", "-p", "user.debug", "hello again"));

            JsonNode r = clientRecord(udp3164, "SYSLOG");
            JsonNode m = r.path("AppTxSyslog").path(0);
            assertEquals("Local0", m.path("Facility").asText(), r.toString());
            assertEquals("Notice (5)", m.path("Severity").asText(), r.toString());
            assertEquals(133, m.path("Priority").asInt(), r.toString());
            assertEquals(0, m.path("Version").asInt(), r.toString());
            assertEquals("kflowdtag", m.path("Appname").asText(), r.toString());
            assertEquals("hello rfc3164", m.path("Message").asText(), r.toString());

            r = clientRecord(tcp5424, "SYSLOG");
            m = r.path("AppTxSyslog").path(0);
            assertEquals("TCP", r.path("SockProtocol").asText(), r.toString());
            assertEquals("Security/Authorization", m.path("Facility").asText(), r.toString());
            assertEquals("Error (3)", m.path("Severity").asText(), r.toString());
            assertEquals(35, m.path("Priority").asInt(), r.toString());
            assertEquals(1, m.path("Version").asInt(), r.toString());
            assertEquals("kflowdtag", m.path("Appname").asText(), r.toString());
            assertEquals("4242", m.path("ProcId").asText(), r.toString());
            assertEquals("ID47", m.path("MsgId").asText(), r.toString());
            assertEquals("hello rfc5424", m.path("Message").asText(), r.toString());

            r = clientRecord(udp5424, "SYSLOG");
            m = r.path("AppTxSyslog").path(0);
            assertEquals("User", m.path("Facility").asText(), r.toString());
            assertEquals("Debug (7)", m.path("Severity").asText(), r.toString());
            assertEquals("hello again", m.path("Message").asText(), r.toString());
        } finally {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void tlsClientHelloAndServerHelloAreDecoded() throws Exception {
        Path key = work.resolve("tls.key");
        Path cert = work.resolve("tls.crt");
        run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-subj", "/CN=example.test", "-days", "1", "-keyout", key.toString(), "-out", cert.toString()));
        Process server = start(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + TLS_PORT, "-key", key.toString(),
                "-cert", cert.toString(), "-alpn", "h2", "-naccept", "1", "-quiet"));
        try {
            Process client = null;
            // s_server needs a moment to listen; a refused attempt is simply repeated (bounded)
            for (int attempt = 0; attempt < 50; attempt++) {
                client = start(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + TLS_PORT, "-servername",
                        "example.test", "-alpn", "h2,http/1.1", "-brief"));
                client.getOutputStream().close();
                String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                finish(client);
                if (!out.contains("connect:errno") && !out.contains("Connection refused")) {
                    break;
                }
                Thread.sleep(100);
            }
            JsonNode r = clientRecord(client, "TLS");
            JsonNode hello = r.path("AppTxTls").path(0);
            assertEquals("ClientHello", hello.path("Handshake").asText(), r.toString());
            assertEquals("example.test", hello.path("ServerName").asText(), r.toString());
            assertEquals(JSON.readTree("[\"h2\",\"http/1.1\"]"), hello.path("ALPN"), r.toString());
            assertTrue(hello.path("SupportedVersions").toString().contains("TLS 1.3"), r.toString());
            JsonNode answer = r.path("AppRxTls").path(0);
            assertEquals("ServerHello", answer.path("Handshake").asText(), r.toString());
            assertEquals("TLS 1.3", answer.path("Version").asText(), r.toString());
            assertTrue(answer.path("CipherSuite").asText().startsWith("TLS_"), r.toString());
        } finally {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void portsChangedWhileRunningAreCapturedAtOnce() throws Exception {
        int newPort = DNS_PORT + 200;
        KflowdProcess.Result set = KflowdProcess.run(runDir, List.of("--attach"),
                "kflowd:ports dns udp/" + DNS_PORT + ",tcp/" + DNS_PORT + ",udp/" + newPort + "\nkflowd:decoders\n");
        assertTrue(set.stdout().contains("udp/" + newPort), "kflowd:ports and kflowd:decoders answered:\n" + set.stdout()
                + set.stderr());
        KflowdProcess.Result bad = KflowdProcess.run(runDir, List.of("--attach"), "kflowd:ports dns udp/99999\n");
        assertTrue(bad.stdout().contains("out of range"), "an invalid list is refused with the reason:\n" + bad.stdout());
        Process server = start(List.of("python3", "-u", resource("dns_server.py").toString(), Integer.toString(newPort), "1"));
        try {
            assertEquals("ready", firstLine(server));
            Process dig = run(List.of("dig", "@127.0.0.1", "-p", Integer.toString(newPort), "a.test", "A", "+tries=1",
                    "+time=5", "+noedns"));
            JsonNode r = clientRecord(dig, "DNS");
            assertEquals(JSON.readTree("[[\"A\",\"a.test\",300,\"IN\",\"192.0.2.1\"]]"),
                    r.path("AppRxDns").path(0).path("ResourceRecords"), r.toString());
        } finally {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
