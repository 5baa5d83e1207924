package io.kflowd.decoder.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * openssl s_client and s_server on 127.0.0.1 with a relay between them that records both
 * directions, or s_client against a raw socket that records its ClientHello. With
 * {@code -Dkflowd.captures=DIR} the bytes are also written there (the stored captures).
 */
final class TlsCapture {

    /** The two directions of one connection. */
    record Capture(byte[] client, byte[] server) {
    }

    private TlsCapture() {
    }

    static boolean opensslAvailable() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "openssl"))) {
                return true;
            }
        }
        return false;
    }

    /** s_client's first flight against a socket that answers nothing. */
    static byte[] clientHello(String name, String... clientArgs) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            server.setSoTimeout(10_000);
            Process client = sClient(server.getLocalPort(), clientArgs);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (Socket s = server.accept()) {
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                byte[] header = in.readNBytes(5);
                out.write(header);
                out.write(in.readNBytes(((header[3] & 0xFF) << 8) | (header[4] & 0xFF)));
            }
            client.destroyForcibly();
            client.waitFor(10, TimeUnit.SECONDS);
            save(name + ".client.bin", out.toByteArray());
            return out.toByteArray();
        }
    }

    /** A whole handshake through a recording relay; s_client closes once it is done. */
    static Capture relay(String name, String[] serverArgs, String... clientArgs) throws Exception {
        Path dir = Files.createTempDirectory("kflowd-tls");
        try {
            run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-subj", "/CN=x", "-days", "1", "-keyout", "key.pem", "-out", "cert.pem");
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                port = probe.getLocalPort();
            }
            List<String> cmd = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port,
                    "-cert", "cert.pem", "-key", "key.pem", "-naccept", "1"));
            cmd.addAll(List.of(serverArgs));
            Process server = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            Capture capture;
            try (ServerSocket relay = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                relay.setSoTimeout(10_000);
                awaitAccept(server);
                Process client = sClient(relay.getLocalPort(), clientArgs);
                ByteArrayOutputStream fromClient = new ByteArrayOutputStream();
                ByteArrayOutputStream fromServer = new ByteArrayOutputStream();
                try (Socket c = relay.accept(); Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
                    c.setSoTimeout(5_000);
                    s.setSoTimeout(5_000);
                    Thread up = Thread.ofVirtual().start(() -> pump(c, s, fromClient));
                    pump(s, c, fromServer);
                    up.join(10_000);
                }
                client.waitFor(10, TimeUnit.SECONDS);
                client.destroyForcibly();
                capture = new Capture(fromClient.toByteArray(), fromServer.toByteArray());
            } finally {
                server.destroyForcibly();
                server.waitFor(10, TimeUnit.SECONDS);
            }
            save(name + ".client.bin", capture.client());
            save(name + ".server.bin", capture.server());
            return capture;
        } finally {
            for (String f : new String[] {"key.pem", "cert.pem"}) {
                Files.deleteIfExists(dir.resolve(f));
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void pump(Socket from, Socket to, ByteArrayOutputStream record) {
        byte[] buf = new byte[16384];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buf)) > 0;) {
                synchronized (record) {
                    record.write(buf, 0, n);
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (SocketTimeoutException e) {
            // quiet: the handshake is over
        } catch (IOException e) {
            // the other side closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    private static Process sClient(int port, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    }

    /** s_server prints ACCEPT once it listens; the rest of its output is drained and dropped. */
    private static void awaitAccept(Process server) throws Exception {
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream()))) {
                for (String line; (line = r.readLine()) != null;) {
                    if (line.startsWith("ACCEPT")) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                // the server is gone
            }
        });
        if (!ready.await(15, TimeUnit.SECONDS)) {
            throw new IllegalStateException("s_server did not start");
        }
    }

    private static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("failed: " + String.join(" ", cmd));
        }
    }

    private static void save(String file, byte[] bytes) throws IOException {
        String dir = System.getProperty("kflowd.captures");
        if (dir != null) {
            Files.write(Path.of(dir, file), bytes);
        }
    }
}
