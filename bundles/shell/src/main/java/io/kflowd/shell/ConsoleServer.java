package io.kflowd.shell;

import io.kflowd.api.ConfigurationPids;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Serves Gogo sessions on a root-only UNIX-domain socket, for {@code kflowd --attach}.
 *
 * <p>Protocol: the client sends one hello line, {@value #HELLO_TTY} or {@value #HELLO_PIPE},
 * then command lines. The server answers each with the command's output, and, for a
 * terminal client, a prompt. {@code exit} or the end of input ends the session, never the
 * service. Only configured (the launcher always configures it), so tests can pick a path.
 */
@Component(immediate = true, configurationPid = ConfigurationPids.CONSOLE, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ConsoleConfig.class)
public final class ConsoleServer {

    static final String HELLO_TTY = "kflowd-attach/1 tty";
    static final String HELLO_PIPE = "kflowd-attach/1 pipe";
    static final String PROMPT = "kflowd> ";
    private static final Logger LOG = Logger.getLogger(ConsoleServer.class.getName());
    private static final int MAX_LINE = 64 * 1024;

    private final CommandProcessor processor;
    private final Path socketPath;
    /** Null when the console could not be opened; the monitor runs on without it. */
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();

    @Activate
    public ConsoleServer(@Reference CommandProcessor processor, ConsoleConfig config) {
        this.processor = processor;
        this.socketPath = Path.of(config.path()).toAbsolutePath();
        ServerSocketChannel bound = null;
        try {
            bound = bindPrivately(socketPath);
        } catch (IOException e) {
            LOG.severe("console disabled: " + e.getMessage());
        }
        this.server = bound;
        this.acceptor = bound == null ? null
                : Thread.ofPlatform().daemon().name("kflowd-console-accept").start(this::acceptLoop);
    }

    @Deactivate
    void deactivate() throws IOException {
        if (server == null) {
            return;
        }
        server.close();
        for (SocketChannel client : clients) {
            client.close();
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(socketPath);
    }

    /**
     * Binds in a fresh 0700 directory, sets the socket to 0600 and only then renames it to
     * its public path, so there is no moment at which another user could connect.
     */
    private static ServerSocketChannel bindPrivately(Path path) throws IOException {
        Path dir = path.getParent();
        Files.createDirectories(dir);
        refuseIfServed(path);
        Path staging = Files.createTempDirectory(dir, ".console-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path staged = staging.resolve("sock");
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(staged));
            Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("rw-------"));
            Files.move(staged, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        } finally {
            Files.deleteIfExists(staged);
            Files.deleteIfExists(staging);
        }
    }

    /** A live socket at the path belongs to another instance: do not steal it. */
    private static void refuseIfServed(Path path) throws IOException {
        if (Files.exists(path) && someoneListens(path)) {
            throw new IOException("another kflowd instance serves the console at " + path);
        }
        // Otherwise a stale socket of a crashed run, if any, is replaced by the move.
    }

    private static boolean someoneListens(Path path) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                clients.add(client);
                Thread.ofPlatform().daemon().name("kflowd-console-session").start(() -> serve(client));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "console: accept failed: " + e.getMessage());
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
            if (!"root".equals(peer.user().getName())) {
                // The socket is 0600 root already; this only guards a mis-set mode.
                throw new AccessDeniedException("console: refused user " + peer.user().getName());
            }
            InputStream in = Channels.newInputStream(client);
            OutputStream rawOut = Channels.newOutputStream(client);
            PrintStream out = new PrintStream(rawOut, true, StandardCharsets.UTF_8);
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String hello = lines.readLine();
            if (!HELLO_TTY.equals(hello) && !HELLO_PIPE.equals(hello)) {
                out.println("Error: not a kflowd console client");
                return;
            }
            boolean interactive = HELLO_TTY.equals(hello);
            try (CommandSession session = processor.createSession(InputStream.nullInputStream(), out, out)) {
                if (interactive) {
                    out.print("kflowd console; type 'help' for commands, 'exit' to leave (the service keeps running)\n" + PROMPT);
                }
                String line;
                while ((line = lines.readLine()) != null) {
                    String command = line.strip();
                    if (command.equals("exit") || command.equals("quit")) {
                        break;
                    }
                    if (!command.isEmpty()) {
                        execute(session, command.length() > MAX_LINE ? command.substring(0, MAX_LINE) : command, out);
                    }
                    if (interactive) {
                        out.print(PROMPT);
                    }
                    out.flush();
                }
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "console session ended: " + e.getMessage());
        } finally {
            clients.remove(client);
        }
    }

    private static void execute(CommandSession session, String command, PrintStream out) {
        try {
            Object result = session.execute(command);
            if (result != null) {
                CharSequence text = session.format(result, Converter.INSPECT);
                out.print(text);
                if (text.length() > 0 && text.charAt(text.length() - 1) != '\n') {
                    out.println();
                }
            }
        } catch (Exception e) {
            // A failing command is the user's error to read, not a reason to end the session.
            out.println("Error: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
        }
    }
}
