package io.kflowd.api;

import java.util.Objects;

/**
 * One captured application message of a socket (spec 6): the payload bytes of consecutive
 * segments (or one datagram) of one direction, joined by the core, as far as they were
 * captured. A decoder turns it into one or more {@link AppMessage}s.
 *
 * @param app            the application its port is configured for ({@code -p})
 * @param protocol       TCP, UDP or UNIX
 * @param transmitted    sent by the socket of the record (else received)
 * @param role           the role of the socket of the record (a server receives requests)
 * @param sinceStartNanos capture time of the first byte minus the record's first-seen time
 *                       ({@code _Timestamp}, spec 7.1)
 * @param data           the captured bytes (not shared: the decoder may keep them)
 * @param length         the message's length on the wire, {@code >= data.length}
 * @param truncated      bytes of the message were not captured (over the per-message limit)
 * @param gap            TCP: bytes before this message were not captured (the stream
 *                       starts mid-message)
 */
public record AppPayload(SocketRecord.App app, SocketRecord.Protocol protocol, boolean transmitted,
        SocketRecord.Role role, long sinceStartNanos, byte[] data, int length, boolean truncated, boolean gap) {

    public AppPayload {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(data, "data");
    }
}
