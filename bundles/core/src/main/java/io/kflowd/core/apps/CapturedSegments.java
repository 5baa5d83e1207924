package io.kflowd.core.apps;

import io.kflowd.api.AppPayload;
import io.kflowd.api.SocketRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The payload segments the kernel captured, per socket cookie, until the socket's record is
 * exported: then {@link #take} joins them into messages (consecutive segments of one
 * direction, as the kernel numbered them) up to the per-message byte limit. Bounded: at
 * most {@code maxSockets} sockets (oldest dropped first) and {@code maxSegments} per socket;
 * whatever is dropped is counted. One instance per reader thread (not thread-safe).
 */
public final class CapturedSegments {

    /** One captured segment as the kernel sent it. */
    public record Segment(int message, boolean transmitted, long ts, int length, byte[] data, int seq, boolean cut,
            boolean gap, SocketRecord.App app, SocketRecord.Protocol protocol) {
    }

    private final int maxSockets;
    private final int maxSegments;
    private final int messageBytes;
    private final Map<Long, List<Segment>> bySocket;
    private long dropped;

    public CapturedSegments(int maxSockets, int maxSegments, int messageBytes) {
        this.maxSockets = maxSockets;
        this.maxSegments = maxSegments;
        this.messageBytes = messageBytes;
        this.bySocket = new LinkedHashMap<>(256, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, List<Segment>> eldest) {
                if (size() > CapturedSegments.this.maxSockets) {
                    dropped += eldest.getValue().size();
                    return true;
                }
                return false;
            }
        };
    }

    public void add(long cookie, Segment segment) {
        List<Segment> segments = bySocket.computeIfAbsent(cookie, c -> new ArrayList<>(4));
        if (segments.size() >= maxSegments) {
            dropped++;
            return;
        }
        segments.add(segment);
    }

    /** Segments dropped: too many sockets with captures pending, or too many segments of one. */
    public long dropped() {
        return dropped;
    }

    /** Sockets with captured segments not yet exported. */
    public int pending() {
        return bySocket.size();
    }

    /**
     * The captured messages of a socket, in capture order, and forgets them.
     * {@code firstSeen}: the record's first-seen time, the origin of {@code _Timestamp}.
     */
    public List<AppPayload> take(long cookie, SocketRecord.Role role, long firstSeen) {
        List<Segment> segments = bySocket.remove(cookie);
        if (segments == null || segments.isEmpty()) {
            return List.of();
        }
        List<AppPayload> messages = new ArrayList<>();
        int i = 0;
        while (i < segments.size()) {
            Segment first = segments.get(i);
            int j = i;
            int bytes = 0;
            int length = 0;
            boolean cut = false;
            while (j < segments.size() && segments.get(j).message() == first.message()
                    && segments.get(j).transmitted() == first.transmitted()) {
                Segment s = segments.get(j);
                bytes += s.data().length;
                length += s.length();
                cut |= s.cut() || s.data().length < s.length();
                j++;
            }
            byte[] data = new byte[Math.min(bytes, messageBytes)];
            int at = 0;
            for (int k = i; k < j && at < data.length; k++) {
                byte[] part = segments.get(k).data();
                int n = Math.min(part.length, data.length - at);
                System.arraycopy(part, 0, data, at, n);
                at += n;
            }
            messages.add(new AppPayload(first.app(), first.protocol(), first.transmitted(), role,
                    Math.max(0, first.ts() - firstSeen), data, Math.max(length, data.length), cut || bytes > data.length,
                    first.gap()));
            i = j;
        }
        return messages;
    }
}
