package io.kflowd.decoder.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kflowd.api.AppMessage;
import java.util.List;
import java.util.function.Consumer;

/**
 * The curl scenarios: the curl arguments and what the decoder must make of the request and
 * the response bytes. Shared by the live test (curl now) and the stored-capture test.
 */
enum Scenarios {
    GET(new String[] {"URL/index.html"}, req -> {
        assertEquals(1, req.size());
        assertStart(req.get(0), "{\"_Timestamp\": 1.250000000, \"_Method\": \"GET\", \"_Url\": \"/index.html\","
                + " \"_Version\": \"HTTP/1.1\", \"Host\": \"127.0.0.1:");
        assertTrue(Json.of(req.get(0)).contains("\"User-Agent\": \"curl/"));
        assertTrue(Json.of(req.get(0)).endsWith("\"Accept\": \"*/*\"}"), Json.of(req.get(0)));
    }, resp -> {
        assertEquals(1, resp.size());
        assertEquals("{\"_Timestamp\": 1.250000000, \"_Version\": \"HTTP/1.1\", \"_Status\": 200, \"_Reason\": \"OK\","
                + " \"Date\": \"Wed, 26 Nov 2025 23:00:00 GMT\", \"Server\": \"kflowd-capture/1.0\","
                + " \"Content-Type\": \"text/html; charset=utf-8\", \"Content-Length\": \"" + CurlCapture.HTML.length()
                + "\", \"X-Greeting\": \"Grüße\", \"X-Raw\": \"a\\\\xFFb\", \"_Body\": \""
                + CurlCapture.HTML.replace("\n", "\\n").replace("\"", "\\\"") + "\"}", Json.of(resp.get(0)));
    }),
    HEAD(new String[] {"-I", "URL/index.html"}, req -> {
        assertEquals(1, req.size());
        assertStart(req.get(0), "{\"_Timestamp\": 1.250000000, \"_Method\": \"HEAD\", \"_Url\": \"/index.html\"");
    }, resp -> {
        assertEquals(1, resp.size());
        assertEquals(200, number(resp.get(0), "_Status"));
        assertEquals(null, get(resp.get(0), "_Body"));
    }),
    POST_FORM(new String[] {"-d", "name=kflowd&value=1", "URL/submit"}, req -> {
        assertEquals(1, req.size());
        assertEquals("POST", text(req.get(0), "_Method"));
        assertEquals("application/x-www-form-urlencoded", text(req.get(0), "Content-Type"));
        assertEquals("name=kflowd&value=1", text(req.get(0), "_Body"));
        assertLast(req.get(0), "_Body");
    }, resp -> {
        assertEquals(1, resp.size());
        assertEquals(201, number(resp.get(0), "_Status"));
        assertEquals("Created", text(resp.get(0), "_Reason"));
        assertEquals(CurlCapture.CREATED, text(resp.get(0), "_Body"));
    }),
    POST_JSON(new String[] {"-H", "Content-Type: application/json", "--data-binary", "{\"x\":[1,2],\"y\":\"z\"}",
        "URL/submit"}, req -> {
            assertEquals(1, req.size());
            assertEquals("{\"x\":[1,2],\"y\":\"z\"}", text(req.get(0), "_Body"));
        }, resp -> assertEquals(CurlCapture.CREATED, text(resp.get(0), "_Body"))),
    NOT_FOUND(new String[] {"URL/missing"}, req -> assertEquals("/missing", text(req.get(0), "_Url")), resp -> {
        assertEquals(1, resp.size());
        assertEquals(404, number(resp.get(0), "_Status"));
        assertEquals("Not Found", text(resp.get(0), "_Reason"));
        assertEquals(CurlCapture.NOT_FOUND, text(resp.get(0), "_Body"));
    }),
    REDIRECT(new String[] {"-L", "URL/redirect"}, req -> {
        assertEquals(2, req.size(), Json.of(req));
        assertEquals("/redirect", text(req.get(0), "_Url"));
        assertEquals("/index.html", text(req.get(1), "_Url"));
    }, resp -> {
        assertEquals(2, resp.size(), Json.of(resp));
        assertEquals(302, number(resp.get(0), "_Status"));
        assertEquals("/index.html", text(resp.get(0), "Location"));
        assertEquals(null, get(resp.get(0), "_Body"));
        assertEquals(200, number(resp.get(1), "_Status"));
        assertEquals(CurlCapture.HTML, text(resp.get(1), "_Body"));
    }),
    CHUNKED(new String[] {"URL/chunked"}, req -> assertEquals("/chunked", text(req.get(0), "_Url")), resp -> {
        assertEquals(1, resp.size());
        assertEquals("chunked", text(resp.get(0), "Transfer-Encoding"));
        assertEquals("{\"items\":[1,2,3,4,5,6],\"next\":null}\n", text(resp.get(0), "_Body"));
        assertLast(resp.get(0), "_Body");
    }),
    KEEP_ALIVE(new String[] {"URL/index.html", "URL/missing"}, req -> {
        assertEquals(2, req.size(), Json.of(req));
        assertEquals("/index.html", text(req.get(0), "_Url"));
        assertEquals("/missing", text(req.get(1), "_Url"));
    }, resp -> {
        assertEquals(2, resp.size(), Json.of(resp));
        assertEquals(CurlCapture.HTML, text(resp.get(0), "_Body"));
        assertEquals(404, number(resp.get(1), "_Status"));
        assertEquals(CurlCapture.NOT_FOUND, text(resp.get(1), "_Body"));
    }),
    BINARY(new String[] {"URL/image.png"}, req -> assertEquals("/image.png", text(req.get(0), "_Url")), resp -> {
        assertEquals(1, resp.size());
        assertEquals("image/png", text(resp.get(0), "Content-Type"));
        assertEquals(null, get(resp.get(0), "_Body"));
        assertEquals(64, number(resp.get(0), "_BodyBytes"));
    }),
    HEAD_KEEP_ALIVE(new String[] {"-I", "URL/index.html", "URL/image.png"}, req -> {
        assertEquals(2, req.size(), Json.of(req));
        assertEquals("HEAD", text(req.get(1), "_Method"));
    }, resp -> {
        // two HEAD responses with Content-Length and no body, one after the other
        assertEquals(2, resp.size(), Json.of(resp));
        assertEquals(null, get(resp.get(0), "_Body"));
        assertEquals("image/png", text(resp.get(1), "Content-Type"));
        assertEquals(null, get(resp.get(1), "_BodyBytes"));
    });

    final String[] args;
    final Consumer<List<AppMessage>> request;
    final Consumer<List<AppMessage>> response;

    Scenarios(String[] args, Consumer<List<AppMessage>> request, Consumer<List<AppMessage>> response) {
        this.args = args;
        this.request = request;
        this.response = response;
    }

    String file() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
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
        AppMessage.Value v = get(m, key);
        return v instanceof AppMessage.StringValue s ? s.text() : null;
    }

    static long number(AppMessage m, String key) {
        AppMessage.Value v = get(m, key);
        return v instanceof AppMessage.NumberValue n ? n.value() : Long.MIN_VALUE;
    }

    static void assertStart(AppMessage m, String prefix) {
        String json = Json.of(m);
        assertTrue(json.startsWith(prefix), json);
    }

    static void assertLast(AppMessage m, String key) {
        assertEquals(key, m.members().getLast().key(), Json.of(m));
    }
}
