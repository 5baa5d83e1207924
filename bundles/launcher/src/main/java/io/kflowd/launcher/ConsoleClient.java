package io.kflowd.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code kflowd --attach}: a Gogo session on a running instance's console socket.
 * Interactive when stdin is a terminal; otherwise the commands are read from stdin, so
 * {@code echo kflowd:status | kflowd --attach} works in scripts.
 */
final class ConsoleClient {

    /** Must match io.kflowd.shell.ConsoleServer's hello lines. */
    private static final String HELLO_TTY = "kflowd-attach/1 tty";
    private static final String HELLO_PIPE = "kflowd-attach/1 pipe";

    private ConsoleClient() {
    }

    /** Returns the exit status: 0 after a session, 1 when there is nothing to attach to. */
    static int attach(Path socket, boolean interactive) {
        if (!Files.exists(socket)) {
            System.err.println("kflowd: no running kflowd console at " + socket + " (is the monitor running?)");
            return 1;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            OutputStream toServer = Channels.newOutputStream(channel);
            InputStream fromServer = Channels.newInputStream(channel);
            toServer.write(((interactive ? HELLO_TTY : HELLO_PIPE) + "\n").getBytes(StandardCharsets.UTF_8));
            toServer.flush();
            Thread input = Thread.ofPlatform().daemon().name("kflowd-attach-stdin").start(() -> {
                try {
                    System.in.transferTo(toServer);
                    toServer.flush();
                    channel.shutdownOutput();
                } catch (IOException e) {
                    // the server closed the session (exit): nothing more to send
                }
            });
            fromServer.transferTo(System.out);
            System.out.flush();
            input.interrupt();
            return 0;
        } catch (IOException e) {
            System.err.println("kflowd: cannot attach to " + socket + ": " + e.getMessage());
            return 1;
        }
    }
}
