package io.kflowd.decoder.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kflowd.api.AppMessage;
import java.util.List;
import java.util.function.Consumer;

/** The openssl scenarios and what the decoder must find in each direction. */
enum Scenarios {
    /** s_client (OpenSSL 3.0) against a raw socket: its ClientHello alone. */
    CLIENT_HELLO(null, new String[] {"-servername", "example.test", "-alpn", "h2,http/1.1"}, client -> {
        assertEquals(1, client.size(), Json.of(client));
        assertStart(client.get(0), "{\"_Timestamp\": 0.002000500, \"Handshake\": \"ClientHello\", \"ServerName\":"
                + " \"example.test\", \"ALPN\": [\"h2\", \"http/1.1\"], \"SupportedVersions\": [\"TLS 1.3\", \"TLS 1.2\"");
        assertTrue(number(client.get(0), "CipherSuites") > 3);
    }, null),
    /** TLS 1.3 through the relay: ServerHello, then only ChangeCipherSpec and ApplicationData. */
    TLS13(new String[] {"-alpn", "h2"}, new String[] {"-servername", "example.test", "-alpn", "h2,http/1.1"},
        client -> {
            assertEquals("ClientHello", text(client.get(0), "Handshake"));
            assertEquals("example.test", text(client.get(0), "ServerName"));
            assertEquals("ChangeCipherSpec", text(client.get(1), "Record"));
            assertEquals("ApplicationData", text(client.get(2), "Record"));
            assertEquals(3, client.size(), Json.of(client));
        }, server -> {
            assertEquals("{\"_Timestamp\": 0.002000500, \"Handshake\": \"ServerHello\", \"Version\": \"TLS 1.3\","
                    + " \"CipherSuite\": \"TLS_AES_256_GCM_SHA384\"}", Json.of(server.get(0)));
            assertEquals("ChangeCipherSpec", text(server.get(1), "Record"));
            assertEquals("ApplicationData", text(server.get(2), "Record"));
            assertTrue(number(server.get(2), "Records") >= 2, Json.of(server));
            assertEquals(3, server.size(), Json.of(server));
        }),
    /** TLS 1.2: the server's ALPN is in the clear; Certificate etc. are not shown. */
    TLS12(new String[] {"-alpn", "h2"}, new String[] {"-tls1_2", "-servername", "example.test", "-alpn",
        "h2,http/1.1"}, client -> {
            assertEquals("[\"TLS 1.2\"]", Json.of(AppMessage.of(client.get(0).members().stream()
                    .filter(m -> m.key().equals("SupportedVersions")).toArray(AppMessage.Member[]::new)))
                    .replace("{\"SupportedVersions\": ", "").replace("}", ""));
        }, server -> {
            assertEquals("{\"_Timestamp\": 0.002000500, \"Handshake\": \"ServerHello\", \"Version\": \"TLS 1.2\","
                    + " \"CipherSuite\": \"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384\", \"ALPN\": \"h2\"}",
                    Json.of(server.get(0)));
            assertTrue(Json.of(server).contains("\"Record\": \"ChangeCipherSpec\""), Json.of(server));
            assertTrue(Json.of(server).contains("\"Record\": \"EncryptedHandshake\""), Json.of(server));
        });

    final String[] serverArgs;
    final String[] clientArgs;
    final Consumer<List<AppMessage>> client;
    final Consumer<List<AppMessage>> server;

    Scenarios(String[] serverArgs, String[] clientArgs, Consumer<List<AppMessage>> client,
            Consumer<List<AppMessage>> server) {
        this.serverArgs = serverArgs;
        this.clientArgs = clientArgs;
        this.client = client;
        this.server = server;
    }

    String file() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    List<String> files() {
        return server == null ? List.of(file() + ".client.bin") : List.of(file() + ".client.bin", file() + ".server.bin");
    }

    static AppMessage.Value get(AppMessage m, String key) {
        for (AppMessage.Member member : m.members()) {
            if (member.key().equals(key)) {
                return member.value();
            }
        }
        return null;
    }

    static String text(AppMessage m, String key) {
        return get(m, key) instanceof AppMessage.StringValue s ? s.text() : null;
    }

    static long number(AppMessage m, String key) {
        return get(m, key) instanceof AppMessage.NumberValue n ? n.value() : Long.MIN_VALUE;
    }

    static void assertStart(AppMessage m, String prefix) {
        assertTrue(Json.of(m).startsWith(prefix), Json.of(m));
    }
}
