package io.kflowd.decoder.syslog;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs logger(1) against a receiver on 127.0.0.1 (UDP, TCP) or on a UNIX datagram socket
 * in a temp directory and returns the exact bytes that arrived. With
 * {@code -Dkflowd.captures=DIR} also writes them there (the stored captures).
 */
final class LoggerCapture {

    enum Transport {
        UDP, TCP, UNIX
    }

    private LoggerCapture() {
    }

    static boolean available(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    static byte[] run(String name, Transport transport, String stdin, String... args) throws Exception {
        byte[] bytes = switch (transport) {
            case UDP -> udp(stdin, args);
            case TCP -> tcp(stdin, args);
            case UNIX -> unix(stdin, args);
        };
        String dir = System.getProperty("kflowd.captures");
        if (dir != null) {
            Files.write(Path.of(dir, name + ".bin"), bytes);
        }
        return bytes;
    }

    private static byte[] udp(String stdin, String... args) throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            s.setSoTimeout(10_000);
            Process p = logger(stdin, args, "-d", "-n", "127.0.0.1", "-P", Integer.toString(s.getLocalPort()));
            DatagramPacket packet = new DatagramPacket(new byte[65536], 65536);
            s.receive(packet);
            finish(p);
            return java.util.Arrays.copyOf(packet.getData(), packet.getLength());
        }
    }

    private static byte[] tcp(String stdin, String... args) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            server.setSoTimeout(10_000);
            Process p = logger(stdin, args, "-T", "-n", "127.0.0.1", "-P", Integer.toString(server.getLocalPort()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (Socket c = server.accept()) {
                c.setSoTimeout(10_000);
                try (InputStream in = c.getInputStream()) {
                    in.transferTo(out); // until logger closes
                } catch (SocketTimeoutException e) {
                    // what arrived is what we have
                }
            }
            finish(p);
            return out.toByteArray();
        }
    }

    /** Java has no UNIX datagram sockets: a python3 receiver prints the datagram in hex. */
    private static byte[] unix(String stdin, String... args) throws Exception {
        Path dir = Files.createTempDirectory("kflowd-syslog");
        Path sock = dir.resolve("log.sock");
        Path ready = dir.resolve("ready");
        String script = "import socket,sys\n"
                + "s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\n"
                + "s.bind(sys.argv[1]); open(sys.argv[2],'w').close(); s.settimeout(10)\n"
                + "sys.stdout.write(s.recv(65536).hex()); sys.stdout.flush()\n";
        Process rx = new ProcessBuilder("python3", "-c", script, sock.toString(), ready.toString()).start();
        try {
            for (int i = 0; i < 200 && !Files.exists(ready); i++) {
                Thread.sleep(25);
            }
            Process p = logger(stdin, args, "-u", sock.toString());
            finish(p);
            if (!rx.waitFor(15, TimeUnit.SECONDS)) {
                throw new IllegalStateException("receiver did not finish");
            }
            String hex = new String(rx.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return HexFormat.of().parseHex(hex);
        } finally {
            rx.destroyForcibly();
            Files.deleteIfExists(sock);
            Files.deleteIfExists(ready);
            Files.deleteIfExists(dir);
        }
    }

    private static Process logger(String stdin, String[] args, String... transport) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("logger"));
        cmd.addAll(List.of(transport));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (var os = p.getOutputStream()) {
            if (stdin != null) {
                os.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        return p;
    }

    private static void finish(Process p) throws Exception {
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("logger did not finish");
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("logger failed: " + output);
        }
    }
}
