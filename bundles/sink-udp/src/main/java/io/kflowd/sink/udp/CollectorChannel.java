package io.kflowd.sink.udp;

import java.io.IOException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One collector: its socket, its counters and its complaints.
 *
 * <p>The socket is a non-blocking {@link DatagramChannel} of the collector's own address
 * family (IPv4 collectors never go through an IPv4-mapped IPv6 socket, so a host with IPv6
 * disabled or {@code bindv6only} set still reaches them: quirk Q28 fixed), opened once and
 * kept for every record. It is <em>connected</em> to the collector: Linux reports an ICMP
 * port unreachable (or host unreachable) only to a connected UDP socket, as the error of
 * the next send ({@link PortUnreachableException}); an unconnected socket shared by several
 * collectors would never learn that one of them is gone. Hence one socket per collector (at
 * most 7), not one per address family.
 *
 * <p>A send never blocks: a full socket buffer makes {@code write} return 0, which counts as
 * a dropped record. Every failure is counted by reason and logged at most once a minute.
 */
final class CollectorChannel implements AutoCloseable {

    /** Why a datagram did not leave. */
    enum Failure {
        /** ICMP port unreachable: nothing listens at the collector's port. */
        REFUSED,
        /** No route, network or host unreachable (at connect or reported by ICMP). */
        UNREACHABLE,
        /** The socket's send buffer is full (the sink never waits for room). */
        BUFFER_FULL,
        /** The socket cannot be opened (e.g. IPv6 disabled on this host). */
        NO_SOCKET,
        /** Anything else the kernel said. */
        OTHER;

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** How long a socket that cannot be opened or connected is left alone before the next try. */
    static final long REOPEN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final Logger LOG = Logger.getLogger(UdpSink.LOGGER);

    private final Collector collector;
    private final LongSupplier nanoTime;
    private DatagramChannel channel;
    /** Why the socket is not open, while it is not (null when it is or was never tried). */
    private Failure closedBecause;
    private String closedDetail;
    private long reopenAt;

    private long sent;
    private final Map<Failure, Long> failed = new EnumMap<>(Failure.class);
    private long lastLog;
    private boolean everLogged;
    private long failedSinceLog;

    CollectorChannel(Collector collector, LongSupplier nanoTime) {
        this.collector = collector;
        this.nanoTime = nanoTime;
    }

    Collector collector() {
        return collector;
    }

    /** Sends one datagram; false (counted, maybe logged) when it did not leave. */
    boolean send(byte[] datagram) {
        if (channel == null && !open()) {
            fail(closedBecause, closedDetail);
            return false;
        }
        try {
            if (channel.write(ByteBuffer.wrap(datagram)) == 0) {
                fail(Failure.BUFFER_FULL, "send buffer full");
                return false;
            }
            sent++;
            return true;
        } catch (IOException e) {
            Failure failure = classify(e);
            if (!channel.isOpen()) {
                // closed under us (interrupt): open a new one next time
                channel = null;
            }
            fail(failure, e.getMessage());
            return false;
        }
    }

    private boolean open() {
        long now = nanoTime.getAsLong();
        if (closedBecause != null && now - reopenAt < 0) {
            return false;
        }
        DatagramChannel opened = null;
        try {
            opened = DatagramChannel.open(collector.ipv6() ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            opened.configureBlocking(false);
            opened.connect(collector.socketAddress());
            channel = opened;
            closedBecause = null;
            closedDetail = null;
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            closeQuietly(opened);
            closedBecause = e instanceof UnsupportedOperationException ? Failure.NO_SOCKET : classify(e);
            closedDetail = e.getMessage();
            reopenAt = now + REOPEN_INTERVAL_NANOS;
            return false;
        }
    }

    static Failure classify(Throwable e) {
        if (e instanceof PortUnreachableException) {
            return Failure.REFUSED;
        }
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (e instanceof NoRouteToHostException || message.contains("unreachable") || message.contains("no route")) {
            return Failure.UNREACHABLE;
        }
        if (message.contains("address family not supported") || message.contains("protocol not available")) {
            return Failure.NO_SOCKET;
        }
        return Failure.OTHER;
    }

    private void fail(Failure failure, String detail) {
        failed.merge(failure, 1L, Long::sum);
        failedSinceLog++;
        long now = nanoTime.getAsLong();
        if (!everLogged || now - lastLog >= LOG_INTERVAL_NANOS) {
            LOG.log(Level.WARNING, "UDP collector {0}: {1} ({2}); {3} record(s) not sent since the last report, "
                    + "{4} in all; further failures are counted and reported at most once a minute",
                    new Object[] {collector, failure.label(), detail, failedSinceLog, failedTotal()});
            everLogged = true;
            lastLog = now;
            failedSinceLog = 0;
        }
    }

    long sent() {
        return sent;
    }

    long failed(Failure failure) {
        return failed.getOrDefault(failure, 0L);
    }

    long failedTotal() {
        return failed.values().stream().mapToLong(Long::longValue).sum();
    }

    /** {@code 127.0.0.1:2056: 1000 sent, 3 failed (refused 3)}. */
    String summary() {
        StringBuilder text = new StringBuilder().append(collector).append(": ").append(sent).append(" sent, ")
                .append(failedTotal()).append(" failed");
        if (!failed.isEmpty()) {
            StringBuilder reasons = new StringBuilder();
            failed.forEach((reason, count) -> reasons.append(reasons.isEmpty() ? "" : ", ")
                    .append(reason.label()).append(' ').append(count));
            text.append(" (").append(reasons).append(')');
        }
        return text.toString();
    }

    @Override
    public void close() {
        closeQuietly(channel);
        channel = null;
    }

    private static void closeQuietly(DatagramChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing was buffered: a datagram socket has nothing to lose on close
            }
        }
    }
}
