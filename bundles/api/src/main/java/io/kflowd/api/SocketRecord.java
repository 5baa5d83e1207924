package io.kflowd.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A socket record (spec 3.5-3.8, 5): the traffic of one socket of one process, aggregated
 * until export. Which keys a formatter writes depends on the protocol (spec 3.6, 3.9): the
 * record carries every counter, UNIX records leave the IP fields unused and TCP/UDP records
 * the address.
 *
 * @param info        the Info block ({@code InfoMonitor} "socket")
 * @param proc        the Proc block
 * @param protocol    {@code SockProtocol} (not written for UNIX)
 * @param role        {@code SockRole}; decides whether Tx or Rx comes first
 * @param state       {@code SockState}, e.g. "TCP_ESTABLISHED", "UDP_CLOSE"; null for UNIX (not written)
 * @param family      {@code SockFamily}
 * @param localIp     {@code SockLocalIP}; null for UNIX
 * @param localPort   {@code SockLocalPort}
 * @param remoteIp    {@code SockRemoteIP}; null for UNIX
 * @param remotePort  {@code SockRemotePort}
 * @param address     {@code SockAddress}, the socket path; UNIX only, null otherwise
 * @param tx          the {@code SockTx*} block; null, or a packet count of 0, means no block
 * @param rx          the {@code SockRx*} block (and {@code SockRTT}); null, or a packet count of 0, means no block
 * @param ageNanos    {@code SockAge}: export instant minus first-seen instant
 * @param app         {@code App}: the application of the captured payload, null when none was captured
 * @param txMessages  decoded sent messages ({@code AppTxDns}, {@code AppTxHttp}, ...), in capture order
 * @param rxMessages  decoded received messages ({@code AppRxDns}, ...), in capture order
 */
public record SocketRecord(Info info, Proc proc, Protocol protocol, Role role, String state, Family family,
        String localIp, int localPort, String remoteIp, int remotePort, String address, Traffic tx, Traffic rx,
        long ageNanos, App app, List<AppMessage> txMessages, List<AppMessage> rxMessages) implements MonitorRecord {

    public SocketRecord {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(proc, "proc");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(family, "family");
        if (protocol == Protocol.UNIX) {
            Objects.requireNonNull(address, "address");
        } else {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(localIp, "localIp");
            Objects.requireNonNull(remoteIp, "remoteIp");
        }
        txMessages = txMessages == null ? List.of() : List.copyOf(txMessages);
        rxMessages = rxMessages == null ? List.of() : List.copyOf(rxMessages);
        if (app == null && !(txMessages.isEmpty() && rxMessages.isEmpty())) {
            throw new IllegalArgumentException("app messages without an app");
        }
    }

    @Override
    public SocketRecord withProc(Proc newProc) {
        return new SocketRecord(info, newProc, protocol, role, state, family, localIp, localPort, remoteIp, remotePort,
                address, tx, rx, ageNanos, app, txMessages, rxMessages);
    }

    /** {@code SockProtocol}. */
    public enum Protocol {
        TCP, UDP, UNIX
    }

    /** {@code SockRole}. */
    public enum Role {
        CLIENT, SERVER
    }

    /** {@code SockFamily}. */
    public enum Family {
        AF_INET, AF_INET6, AF_UNIX
    }

    /**
     * {@code App}, and the suffix of the message arrays ({@code AppTxDns}, {@code AppRxHttp},
     * ...). TLS is ours, kflowd has no TLS decoder.
     */
    public enum App {
        DNS("Dns"), HTTP("Http"), SYSLOG("Syslog"), TLS("Tls");

        private final String arraySuffix;

        App(String arraySuffix) {
            this.arraySuffix = arraySuffix;
        }

        /** "Dns", "Http", "Syslog", "Tls". */
        public String arraySuffix() {
            return arraySuffix;
        }
    }

    /**
     * One direction's counters (spec 3.6, 5.4-5.6), true counts of what the kernel did. Each
     * key is written only for the protocols spec 3.6 lists it for; "Tx"/"Rx" in the keys
     * below is the direction the block is used for. Fields of the other direction are unused
     * (0).
     *
     * @param interfaceName       {@code Sock?xInterface}: "ifindex:ifname:mac", "" if unknown
     * @param dataPackets         {@code Sock?xDataPackets} (TCP)
     * @param packets             {@code Sock?xPackets}; for UNIX the message count. 0 means no block
     * @param packetsRetrans      {@code SockTxPacketsRetrans} (TCP)
     * @param packetsDups         {@code SockTxPacketsDups} (TCP)
     * @param flags               {@code Sock?xFlags} (TCP): flag combination ("SYN-ACK") to packet count, in order of first appearance
     * @param durationNanos       {@code Sock?xDuration}
     * @param bytes               {@code Sock?xBytes}
     * @param bytesAcked          {@code SockTxBytesAcked} (TCP)
     * @param bytesRetrans        {@code SockTxBytesRetrans} (TCP)
     * @param rto                 {@code SockTxRTO} (TCP)
     * @param packetsQueued       {@code SockRxPacketsQueued} (TCP, UDP)
     * @param packetsDrop         {@code SockRxPacketsDrop} (TCP, UDP)
     * @param packetsReorder      {@code SockRxPacketsReorder} (TCP)
     * @param packetsFrag         {@code SockRxPacketsFrag} (TCP, UDP)
     * @param ttl                 {@code SockRxTTL} (TCP, UDP)
     * @param rttNanos            {@code SockRTT} (TCP, written in the Rx block)
     */
    public record Traffic(String interfaceName, long dataPackets, long packets, long packetsRetrans,
            long packetsDups, Map<String, Long> flags, long durationNanos, long bytes, long bytesAcked,
            long bytesRetrans, long rto, long packetsQueued, long packetsDrop, long packetsReorder, long packetsFrag,
            long ttl, long rttNanos) {

        public Traffic {
            Objects.requireNonNull(interfaceName, "interfaceName");
            if (flags != null) {
                flags.forEach((combination, count) -> {
                    Objects.requireNonNull(combination, "flag combination");
                    Objects.requireNonNull(count, "flag count");
                });
            }
            flags = flags == null || flags.isEmpty() ? Map.of()
                    : Collections.unmodifiableMap(new LinkedHashMap<>(flags));
        }
    }
}
