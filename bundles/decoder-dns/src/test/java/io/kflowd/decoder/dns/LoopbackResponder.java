package io.kflowd.decoder.dns;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.function.Function;

/**
 * A DNS responder on 127.0.0.1, UDP and TCP on the same free port. It keeps the last query
 * it got and the bytes it answered (for TCP the streams as sent, length prefixes included).
 */
final class LoopbackResponder implements AutoCloseable {

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Thread udpThread;
    private final Thread tcpThread;
    /** Query (without TCP prefix) to the response messages (without prefixes). */
    volatile Function<byte[], byte[][]> handler;
    volatile byte[] lastQuery;
    volatile byte[] lastQueryStream;
    volatile byte[] lastResponse;

    LoopbackResponder() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        DatagramSocket u = null;
        ServerSocket t = null;
        for (int attempt = 0; t == null; attempt++) {
            u = new DatagramSocket(0, loopback);
            try {
                t = new ServerSocket(u.getLocalPort(), 5, loopback);
            } catch (BindException e) {
                u.close();
                if (attempt == 20) {
                    throw e;
                }
            }
        }
        udp = u;
        tcp = t;
        udpThread = Thread.ofPlatform().daemon().name("dns-udp").start(this::serveUdp);
        tcpThread = Thread.ofPlatform().daemon().name("dns-tcp").start(this::serveTcp);
    }

    int port() {
        return udp.getLocalPort();
    }

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!udp.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                byte[] query = Arrays.copyOf(packet.getData(), packet.getLength());
                lastQuery = query;
                byte[] response = handler.apply(query)[0];
                lastResponse = response;
                udp.send(new DatagramPacket(response, response.length, packet.getSocketAddress()));
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try (Socket s = tcp.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                int length = in.readUnsignedShort();
                byte[] query = in.readNBytes(length);
                lastQuery = query;
                lastQueryStream = DnsWire.tcp(query);
                byte[] stream = DnsWire.tcp(handler.apply(query));
                lastResponse = stream;
                OutputStream out = s.getOutputStream();
                out.write(stream);
                out.flush();
                s.shutdownOutput();
                // let dig read and close first
                s.getInputStream().readAllBytes();
            } catch (SocketException closed) {
                if (tcp.isClosed()) {
                    return;
                }
            } catch (IOException e) {
                if (tcp.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        udp.close();
        tcp.close();
    }

    static String run(int port, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 5];
        command[0] = "dig";
        command[1] = "-p";
        command[2] = Integer.toString(port);
        command[3] = "@127.0.0.1";
        command[4] = "+tries=1";
        System.arraycopy(args, 0, command, 5, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
