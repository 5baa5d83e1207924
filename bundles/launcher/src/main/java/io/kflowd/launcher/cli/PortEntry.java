package io.kflowd.launcher.cli;

import java.util.Objects;

/**
 * One capture entry of an application (option {@code -p}): a transport protocol and a port,
 * or the UNIX syslog sockets (which have no port, stored as 0).
 */
public record PortEntry(Proto proto, int port) {

    /** Transport of a capture entry. */
    public enum Proto {
        TCP("tcp"),
        UDP("udp"),
        /** The systemd journal sockets; SYSLOG only. */
        UNIX("unix");

        private final String cliName;

        Proto(String cliName) {
            this.cliName = cliName;
        }

        /** The spelling in a {@code -p} list. */
        public String cliName() {
            return cliName;
        }
    }

    public PortEntry {
        Objects.requireNonNull(proto, "proto");
        if (proto == Proto.UNIX ? port != 0 : port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("invalid port " + port + " for " + proto.cliName());
        }
    }

    public static PortEntry tcp(int port) {
        return new PortEntry(Proto.TCP, port);
    }

    public static PortEntry udp(int port) {
        return new PortEntry(Proto.UDP, port);
    }

    public static PortEntry unix() {
        return new PortEntry(Proto.UNIX, 0);
    }

    /** The entry as written on the command line: {@code tcp/80}, {@code udp/53}, {@code unix}. */
    @Override
    public String toString() {
        return proto == Proto.UNIX ? proto.cliName() : proto.cliName() + "/" + port;
    }
}
