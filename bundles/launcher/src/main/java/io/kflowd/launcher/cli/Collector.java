package io.kflowd.launcher.cli;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/** A UDP collector that receives every record (option {@code -u}). */
public record Collector(InetAddress address, int port) {

    public Collector {
        Objects.requireNonNull(address, "address");
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("invalid collector port " + port);
        }
    }

    /** {@code 1.2.3.4:2056} or, for IPv6, {@code [::1]:2056} as kflowd shows it at start-up. */
    @Override
    public String toString() {
        String host = IpLiteral.format(address);
        return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
    }
}
