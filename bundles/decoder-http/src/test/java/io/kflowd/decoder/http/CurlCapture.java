package io.kflowd.decoder.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A raw HTTP/1.1 server on 127.0.0.1 that records the exact bytes curl sends on one
 * connection and answers with exact, fixed response bytes; then runs curl against it.
 * Used by the live test and, with {@code -Dkflowd.captures=DIR}, to write the stored
 * captures of src/test/resources/captures.
 */
final class CurlCapture {

    /** The two directions of one connection. */
    record Capture(byte[] request, byte[] response) {
    }

    static final String HTML = "<!doctype html>\n<html><head><title>kflowd</title></head>"
            + "<body><p>Hello from the capture server</p></body></html>\n";
    static final String NOT_FOUND = "no such page: /missing\n";
    static final String CREATED = "{\"created\":true,\"id\":42}";

    private CurlCapture() {
    }

    static boolean curlAvailable() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "curl"))) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code curl args...} (capture {@code name}) with {@code URL} replaced by {@code http://127.0.0.1:port}. */
    static Capture run(String name, String... args) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1"))) {
            server.setSoTimeout(15_000);
            List<String> cmd = new ArrayList<>();
            cmd.add("curl");
            cmd.add("-s");
            cmd.add("-o");
            cmd.add("/dev/null");
            cmd.add("--max-time");
            cmd.add("10");
            for (String a : args) {
                cmd.add(a.replace("URL", "http://127.0.0.1:" + server.getLocalPort()));
            }
            Process curl = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (Socket s = server.accept()) {
                s.setSoTimeout(10_000);
                serve(s.getInputStream(), s.getOutputStream(), in, out);
            }
            if (!curl.waitFor(20, TimeUnit.SECONDS)) {
                curl.destroyForcibly();
                throw new IllegalStateException("curl did not finish");
            }
            Capture c = new Capture(in.toByteArray(), out.toByteArray());
            String dir = System.getProperty("kflowd.captures");
            if (dir != null) {
                Files.write(Path.of(dir, name + ".request.bin"), c.request());
                Files.write(Path.of(dir, name + ".response.bin"), c.response());
            }
            return c;
        }
    }

    /** Answers requests until curl closes the connection. */
    private static void serve(InputStream is, OutputStream os, ByteArrayOutputStream in, ByteArrayOutputStream out)
            throws IOException {
        for (int requests = 0; requests < 8; requests++) {
            byte[] head = readHead(is, in);
            if (head == null) {
                return;
            }
            String text = new String(head, StandardCharsets.ISO_8859_1);
            String[] start = text.substring(0, text.indexOf("\r\n")).split(" ");
            String method = start[0];
            String path = start[1];
            int length = 0;
            for (String line : text.split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            byte[] body = is.readNBytes(length);
            in.write(body);
            byte[] response = response(method, path);
            out.write(response);
            os.write(response);
            os.flush();
        }
    }

    private static byte[] readHead(InputStream is, ByteArrayOutputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = is.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            in.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1 : 0;
        }
        return head.toByteArray();
    }

    static byte[] response(String method, String path) {
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        String date = "Date: Wed, 26 Nov 2025 23:00:00 GMT\r\nServer: kflowd-capture/1.0\r\n";
        switch (path) {
            case "/index.html" -> {
                byte[] body = HTML.getBytes(StandardCharsets.UTF_8);
                r.writeBytes(("HTTP/1.1 200 OK\r\n" + date + "Content-Type: text/html; charset=utf-8\r\n"
                        + "Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.UTF_8));
                // a header value with UTF-8 and one with a byte that is not UTF-8
                r.writeBytes("X-Greeting: Grüße\r\nX-Raw: a".getBytes(StandardCharsets.UTF_8));
                r.write(0xFF);
                r.writeBytes("b\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                if (!method.equals("HEAD")) {
                    r.writeBytes(body);
                }
            }
            case "/redirect" -> r.writeBytes(("HTTP/1.1 302 Found\r\n" + date + "Location: /index.html\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            case "/chunked" -> r.writeBytes(("HTTP/1.1 200 OK\r\n" + date + "Content-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n"
                    + "e;part=1\r\n{\"items\":[1,2,\r\n"
                    + "A\r\n3,4,5,6],\"\r\n"
                    + "c\r\nnext\":null}\n\r\n"
                    + "0\r\nX-Checksum: 1234\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            case "/submit" -> {
                byte[] body = CREATED.getBytes(StandardCharsets.US_ASCII);
                r.writeBytes(("HTTP/1.1 201 Created\r\n" + date + "Content-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                r.writeBytes(body);
            }
            case "/image.png" -> {
                byte[] body = new byte[64];
                byte[] sig = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R'};
                System.arraycopy(sig, 0, body, 0, sig.length);
                for (int i = sig.length; i < body.length; i++) {
                    body[i] = (byte) (i * 37);
                }
                r.writeBytes(("HTTP/1.1 200 OK\r\n" + date + "Content-Type: image/png\r\n"
                        + "Content-Length: 64\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                if (!method.equals("HEAD")) {
                    r.writeBytes(body);
                }
            }
            default -> {
                byte[] body = NOT_FOUND.getBytes(StandardCharsets.US_ASCII);
                r.writeBytes(("HTTP/1.1 404 Not Found\r\n" + date + "Content-Type: text/plain\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                if (!method.equals("HEAD")) {
                    r.writeBytes(body);
                }
            }
        }
        return r.toByteArray();
    }
}
