package io.kflowd.sink.udp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * A collector address from the configuration: {@code 127.0.0.1:2056}, {@code [::1]:2056}
 * (the launcher's form) or {@code ::1:2056} (the {@code -u} form: split at the last colon).
 * The address must be a literal; nothing is ever resolved.
 */
record Collector(InetAddress address, int port) {

    /** Largest UDP payload over IPv4: 65535 - 20 (IP header) - 8 (UDP header). */
    static final int MAX_PAYLOAD_IPV4 = 65_507;
    /** Largest UDP payload over IPv6 without jumbograms: 65535 - 8 (the IPv6 payload length excludes its header). */
    static final int MAX_PAYLOAD_IPV6 = 65_527;

    static Optional<Collector> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String value = text.strip();
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            return Optional.empty();
        }
        String host = value.substring(0, colon);
        String portText = value.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (portText.length() > 5 || !portText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        int port = Integer.parseInt(portText);
        if (port < 1 || port > 0xFFFF || host.isEmpty()) {
            return Optional.empty();
        }
        try {
            // ofLiteral never looks a name up
            InetAddress address = host.indexOf(':') >= 0 ? Inet6Address.ofLiteral(host) : Inet4Address.ofLiteral(host);
            return Optional.of(new Collector(address, port));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    boolean ipv6() {
        // an IPv4-mapped literal (::ffff:1.2.3.4) comes back as an Inet4Address: sent over IPv4
        return address instanceof Inet6Address;
    }

    /** The largest datagram this collector's address family can carry. */
    int maxPayload() {
        return ipv6() ? MAX_PAYLOAD_IPV6 : MAX_PAYLOAD_IPV4;
    }

    InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }

    /** {@code 127.0.0.1:2056} or {@code [::1]:2056}. */
    @Override
    public String toString() {
        return (ipv6() ? "[" + ipv6Text(address.getAddress()) + "]" : address.getHostAddress()) + ":" + port;
    }

    /** The RFC 5952 form ({@code ::1}, {@code fd00::1}), as the launcher writes it; Java's is {@code 0:0:0:0:0:0:0:1}. */
    static String ipv6Text(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xFF) << 8 | bytes[2 * i + 1] & 0xFF;
        }
        // the longest run of two or more zero groups, the first of equal ones, becomes "::"
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8;) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
