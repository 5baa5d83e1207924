package io.kflowd.format.table;

import io.kflowd.api.SocketRecord;
import io.kflowd.api.SocketRecord.Protocol;
import io.kflowd.api.SocketRecord.Traffic;
import java.util.List;

/** The columns of socket rows, at 160 and at 80 columns. */
final class SocketColumns {

    private SocketColumns() {
    }

    /** 160 columns. */
    static Table<SocketRecord> wide() {
        return new Table<>(List.of(
                Column.left("TIME UTC", 12, (r, w) -> Times.timeOfDay(r.info().timestamp())),
                Column.left("PROTO", 5, (r, w) -> r.protocol().name()),
                Column.left("ROLE", 6, (r, w) -> r.role().name()),
                Column.left("STATE", 6, (r, w) -> state(r, w)),
                Column.left("LOCAL", 25, (r, w) -> r.protocol() == Protocol.UNIX ? "-"
                        : endpoint(r.localIp(), r.localPort(), w)),
                Column.left("REMOTE", 29, SocketColumns::remote),
                Column.right("TX BYTES/PKTS", 14, (r, w) -> bytesAndPackets(r.tx(), w)),
                Column.right("RX BYTES/PKTS", 14, (r, w) -> bytesAndPackets(r.rx(), w)),
                Column.left("APP", 6, (r, w) -> r.app() == null ? "-" : r.app().name()),
                Column.left("PROCESS", 15, (r, w) -> Cells.text(r.proc().name(), w)),
                Column.right("PID", 7, (r, w) -> Cells.number(r.proc().pid(), w)),
                Column.left("#", 10, (r, w) -> Cells.number(r.info().sequenceNumber(), w))));
    }

    /**
     * 80 columns: STATE, APP, PID and # are left out, the local endpoint is only its port
     * (LPORT; the address is the host's own), ROLE is {@code CLI} or {@code SRV}, TX and RX
     * are bytes without packets.
     */
    static Table<SocketRecord> narrow() {
        return new Table<>(List.of(
                Column.left("TIME UTC", 12, (r, w) -> Times.timeOfDay(r.info().timestamp())),
                Column.left("PROTO", 5, (r, w) -> r.protocol().name()),
                Column.left("ROLE", 4, (r, w) -> r.role() == SocketRecord.Role.CLIENT ? "CLI" : "SRV"),
                Column.right("LPORT", 5, (r, w) -> r.protocol() == Protocol.UNIX ? "-"
                        : Cells.number(r.localPort(), w)),
                Column.left("REMOTE", 21, SocketColumns::remote),
                Column.right("TX", 6, (r, w) -> Cells.number(r.tx() == null ? 0 : r.tx().bytes(), w)),
                Column.right("RX", 6, (r, w) -> Cells.number(r.rx() == null ? 0 : r.rx().bytes(), w)),
                Column.left("PROCESS", 14, (r, w) -> Cells.text(r.proc().name(), w))));
    }

    /** The remote endpoint; for UNIX the socket path, cut at its start (the end names the socket). */
    private static String remote(SocketRecord record, int width) {
        if (record.protocol() == Protocol.UNIX) {
            return Cells.cutStart(Cells.visible(record.address()), width);
        }
        return endpoint(record.remoteIp(), record.remotePort(), width);
    }

    /**
     * {@code address:port}, an IPv6 address in brackets. Too long: the address is cut, the
     * port kept ({@code [2001:db8:85a3:…]:443}).
     */
    static String endpoint(String ip, int port, int width) {
        String address = Cells.visible(ip);
        boolean v6 = address.indexOf(':') >= 0;
        String suffix = (v6 ? "]:" : ":") + Integer.toUnsignedString(port);
        String prefix = v6 ? "[" : "";
        int room = width - prefix.length() - suffix.length();
        return prefix + Cells.cutEnd(address, Math.max(room, 1)) + suffix;
    }

    /**
     * {@code bytes/packets}; a direction without traffic (no block in the JSON) is
     * {@code 0/0}. The packets get up to 6 columns, the bytes what is left.
     */
    static String bytesAndPackets(Traffic traffic, int width) {
        long bytes = traffic == null ? 0 : traffic.bytes();
        long packets = traffic == null ? 0 : traffic.packets();
        String packetText = Cells.number(packets, Math.min(6, width / 2));
        return Cells.number(bytes, width - 1 - packetText.length()) + "/" + packetText;
    }

    /** {@code SockState} shortened to at most 6 letters; {@code -} for UNIX (no state). */
    static String state(SocketRecord record, int width) {
        String state = record.state();
        if (state == null) {
            return "-";
        }
        String shortName = switch (state) {
            case "TCP_NONE" -> "NONE";
            case "TCP_ESTABLISHED", "UDP_ESTABLISHED" -> "ESTAB";
            case "TCP_SYN_SENT" -> "SYN-S";
            case "TCP_SYN_RECV" -> "SYN-R";
            case "TCP_FIN_WAIT1" -> "FIN-W1";
            case "TCP_FIN_WAIT2" -> "FIN-W2";
            case "TCP_TIME_WAIT" -> "TIME-W";
            case "TCP_CLOSE", "UDP_CLOSE" -> "CLOSE";
            case "TCP_CLOSE_WAIT" -> "CLOS-W";
            case "TCP_LAST_ACK" -> "LAST-A";
            case "TCP_LISTEN" -> "LISTEN";
            case "TCP_CLOSING" -> "CLOSNG";
            case "TCP_NEW_SYN_RECV" -> "NSYN-R";
            case "TCP_MAX_STATES" -> "MAX";
            default -> state.startsWith("TCP_") || state.startsWith("UDP_") ? state.substring(4) : state;
        };
        return Cells.text(shortName, width);
    }
}
