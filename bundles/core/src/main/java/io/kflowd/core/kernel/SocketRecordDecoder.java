package io.kflowd.core.kernel;

import static io.kflowd.core.kernel.KernelLayouts.SOCK_RECORD;
import static io.kflowd.core.kernel.KernelLayouts.SOCK_STATS;
import static io.kflowd.core.kernel.KernelLayouts.SOCK_TRAFFIC;
import static io.kflowd.core.kernel.KernelLayouts.offset;

import io.kflowd.api.Info;
import io.kflowd.api.Proc;
import io.kflowd.api.SocketRecord;
import io.kflowd.core.enrich.ProcessNames;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the kernel's socket records into {@link SocketRecord}s. The kernel's counters are
 * cumulative for the life of a socket record and never reset (so no update is lost
 * between a read and a reset); each exported record carries what happened since the
 * previous export of the same socket, which this decoder remembers per socket cookie
 * (ARCHITECTURE 6: every record starts from zero, counters are never repeated). One
 * instance per reader thread (not thread-safe).
 */
public final class SocketRecordDecoder {

    /** Why a record is exported. */
    public enum Reason {
        /** The socket ended (final record from the kernel). */
        CLOSED,
        /** UDP/UNIX: the record holds the message limit (spec 6.2); the socket goes on. */
        APP_FULL,
        /** No activity for the idle timeout. */
        IDLE,
        /** Open longer than the active timeout since its start or last export. */
        ACTIVE,
        /** The monitor stops. */
        SHUTDOWN
    }

    /** Where the decoder gets what the kernel does not send. */
    public interface Context {
        long nextSequenceNumber();

        Info info(long sequenceNumber, Info.Monitor monitor);

        String userName(long uid);

        String groupName(long gid);

        String interfaceName(int ifindex);

        boolean versions();
    }

    static final long SIZE = SOCK_RECORD.byteSize();
    private static final long O_FLAGS = offset(SOCK_RECORD, "flags");
    private static final long O_COOKIE = offset(SOCK_RECORD, "cookie");
    private static final long O_TS_FIRST = offset(SOCK_RECORD, "ts_first");
    private static final long O_TS_LAST = offset(SOCK_RECORD, "ts_last");
    private static final long O_PROC_START = offset(SOCK_RECORD, "proc_start");
    private static final long O_TGID = offset(SOCK_RECORD, "tgid");
    private static final long O_TID = offset(SOCK_RECORD, "tid");
    private static final long O_PPID = offset(SOCK_RECORD, "ppid");
    private static final long O_UID = offset(SOCK_RECORD, "uid");
    private static final long O_GID = offset(SOCK_RECORD, "gid");
    private static final long O_PROTO = offset(SOCK_RECORD, "proto");
    private static final long O_ROLE = offset(SOCK_RECORD, "role");
    private static final long O_STATE = offset(SOCK_RECORD, "state");
    private static final long O_FAMILY = offset(SOCK_RECORD, "family");
    private static final long O_LPORT = offset(SOCK_RECORD, "lport");
    private static final long O_RPORT = offset(SOCK_RECORD, "rport");
    private static final long O_LADDR = offset(SOCK_RECORD, "laddr");
    private static final long O_RADDR = offset(SOCK_RECORD, "raddr");
    private static final long O_TX = offset(SOCK_RECORD, "tx");
    private static final long O_RX = offset(SOCK_RECORD, "rx");
    private static final long O_BASE = offset(SOCK_RECORD, "base");
    private static final long O_LAST = offset(SOCK_RECORD, "last");
    private static final long O_EXE_LEN = offset(SOCK_RECORD, "exe_len");
    private static final long O_PARENT_EXE_LEN = offset(SOCK_RECORD, "parent_exe_len");
    private static final long O_ADDRESS_LEN = offset(SOCK_RECORD, "address_len");
    private static final long O_COMM = offset(SOCK_RECORD, "comm");
    private static final long O_EXE = offset(SOCK_RECORD, "exe");
    private static final long O_PARENT_EXE = offset(SOCK_RECORD, "parent_exe");
    private static final long O_ADDRESS = offset(SOCK_RECORD, "address");
    private static final long O_APP_MESSAGES = offset(SOCK_RECORD, "app_messages");

    private static final long T_PACKETS = offset(SOCK_TRAFFIC, "packets");
    private static final long T_DATA_PACKETS = offset(SOCK_TRAFFIC, "data_packets");
    private static final long T_BYTES = offset(SOCK_TRAFFIC, "bytes");
    private static final long T_TS_FIRST = offset(SOCK_TRAFFIC, "ts_first");
    private static final long T_TS_LAST = offset(SOCK_TRAFFIC, "ts_last");
    private static final long T_FRAGS = offset(SOCK_TRAFFIC, "frags");
    private static final long T_TTL_SUM = offset(SOCK_TRAFFIC, "ttl_sum");
    private static final long T_TTL_PACKETS = offset(SOCK_TRAFFIC, "ttl_packets");
    private static final long T_IFINDEX = offset(SOCK_TRAFFIC, "ifindex");
    private static final long T_COMBOS = offset(SOCK_TRAFFIC, "combos");
    private static final long T_COMBO_ORDER = offset(SOCK_TRAFFIC, "combo_order");
    private static final long T_FLAGS = offset(SOCK_TRAFFIC, "flags");

    private static final long S_BYTES_ACKED = offset(SOCK_STATS, "bytes_acked");
    private static final long S_BYTES_RETRANS = offset(SOCK_STATS, "bytes_retrans");
    private static final long S_TOTAL_RETRANS = offset(SOCK_STATS, "total_retrans");
    private static final long S_DSACK_DUPS = offset(SOCK_STATS, "dsack_dups");
    private static final long S_REORD_SEEN = offset(SOCK_STATS, "reord_seen");
    private static final long S_DROPS = offset(SOCK_STATS, "drops");
    private static final long S_RTO = offset(SOCK_STATS, "rto");
    private static final long S_SRTT_US = offset(SOCK_STATS, "srtt_us");
    private static final long S_QUEUED = offset(SOCK_STATS, "queued");

    private static final String[] TCP_STATES = {"TCP_NONE", "TCP_ESTABLISHED", "TCP_SYN_SENT", "TCP_SYN_RECV",
        "TCP_FIN_WAIT1", "TCP_FIN_WAIT2", "TCP_TIME_WAIT", "TCP_CLOSE", "TCP_CLOSE_WAIT", "TCP_LAST_ACK",
        "TCP_LISTEN", "TCP_CLOSING", "TCP_NEW_SYN_RECV", "TCP_MAX_STATES"};
    private static final String[] FLAG_NAMES = {"FIN", "SYN", "RST", "PSH", "ACK", "URG"};
    private static final String[] COMBO_NAMES = new String[KernelLayouts.TCP_FLAG_COMBOS];

    static {
        for (int combo = 0; combo < COMBO_NAMES.length; combo++) {
            StringBuilder name = new StringBuilder();
            for (int bit = 0; bit < FLAG_NAMES.length; bit++) {
                if ((combo & (1 << bit)) != 0) {
                    name.append(name.isEmpty() ? "" : "-").append(FLAG_NAMES[bit]);
                }
            }
            COMBO_NAMES[combo] = name.isEmpty() ? "NONE" : name.toString();
        }
    }

    /** The record as exported last, and when: the baseline of the next export. */
    private record Exported(byte[] record, long atNanos) {
    }

    private final Context context;
    private final Map<Long, Exported> exported = new HashMap<>();
    private long ignored;

    public SocketRecordDecoder(Context context) {
        this.context = context;
    }

    public static long cookie(MemorySegment data, long offset) {
        return data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + O_COOKIE);
    }

    public static long lastActivity(MemorySegment data, long offset) {
        return data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + O_TS_LAST);
    }

    public static long firstSeen(MemorySegment data, long offset) {
        return data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + O_TS_FIRST);
    }

    public static int flags(MemorySegment data, long offset) {
        return data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + O_FLAGS);
    }

    /** Payload messages the kernel captured for this socket so far (cumulative). */
    public static int appMessages(MemorySegment data, long offset) {
        return data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + O_APP_MESSAGES);
    }

    public static int protocol(MemorySegment data, long offset) {
        return Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, offset + O_PROTO));
    }

    /** When the record was exported last (monotonic ns), or its start if never. */
    public long periodStart(MemorySegment data, long offset) {
        Exported previous = exported.get(cookie(data, offset));
        return previous == null ? firstSeen(data, offset) : previous.atNanos();
    }

    /** Whether anything happened since the last export (always true for a record never exported). */
    public boolean hasNews(MemorySegment data, long offset) {
        Exported previous = exported.get(cookie(data, offset));
        if (previous == null) {
            return true;
        }
        MemorySegment prev = MemorySegment.ofArray(previous.record());
        return lastActivity(data, offset) != prev.get(ValueLayout.JAVA_LONG_UNALIGNED, O_TS_LAST)
                || data.get(ValueLayout.JAVA_BYTE, offset + O_STATE) != prev.get(ValueLayout.JAVA_BYTE, O_STATE);
    }

    /** Forgets a socket whose record ended without news (nothing to export). */
    public void forget(long cookie) {
        exported.remove(cookie);
    }

    /** Open sockets exported by a timeout at least once (their baselines are kept). */
    public int baselines() {
        return exported.size();
    }

    /** Records of the monitor's own sockets, never exported (spec 5.8). */
    public long ignored() {
        return ignored;
    }

    /**
     * The record for what happened since the socket's previous export; null for the
     * monitor's own sockets. {@code nowNanos}: the export instant (monotonic). A record that
     * stays open (TCP after a timeout) keeps its baseline; an ended one forgets it.
     */
    public SocketRecord export(MemorySegment data, long offset, Reason reason, long nowNanos, boolean stays) {
        long cookie = cookie(data, offset);
        if ((flags(data, offset) & KernelLayouts.SOCK_IGNORED) != 0) {
            exported.remove(cookie);
            ignored++;
            return null;
        }
        Exported previous = stays ? exported.get(cookie) : exported.remove(cookie);
        MemorySegment prev = previous == null ? null : MemorySegment.ofArray(previous.record());
        if (stays) {
            byte[] copy = new byte[(int) SIZE];
            MemorySegment.copy(data, offset, MemorySegment.ofArray(copy), 0, SIZE);
            exported.put(cookie, new Exported(copy, nowNanos));
        }
        long periodStart = previous == null ? 0 : previous.atNanos();

        int proto = protocol(data, offset);
        SocketRecord.Protocol protocol = switch (proto) {
            case KernelLayouts.PROTO_TCP -> SocketRecord.Protocol.TCP;
            case KernelLayouts.PROTO_UDP -> SocketRecord.Protocol.UDP;
            default -> SocketRecord.Protocol.UNIX;
        };
        SocketRecord.Role role = data.get(ValueLayout.JAVA_BYTE, offset + O_ROLE) == KernelLayouts.ROLE_SERVER
                ? SocketRecord.Role.SERVER : SocketRecord.Role.CLIENT;
        int state = Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, offset + O_STATE));
        int familyNumber = Short.toUnsignedInt(data.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset + O_FAMILY));
        SocketRecord.Family family = switch (familyNumber) {
            case 10 -> SocketRecord.Family.AF_INET6;
            case 1 -> SocketRecord.Family.AF_UNIX;
            default -> SocketRecord.Family.AF_INET;
        };
        long tsFirst = firstSeen(data, offset);
        long tsLast = lastActivity(data, offset);
        long exportAt = reason == Reason.CLOSED || reason == Reason.APP_FULL ? tsLast : nowNanos;

        long sequence = context.nextSequenceNumber();
        Info info = context.info(sequence, Info.Monitor.SOCKET);
        Proc proc = proc(data, offset, exportAt);

        long statsBefore = prev == null ? offset + O_BASE : O_LAST;
        MemorySegment statsSegment = prev == null ? data : prev;
        SocketRecord.Traffic tx = traffic(data, offset + O_TX, prev, O_TX, periodStart, protocol, true,
                data, offset + O_LAST, statsSegment, statsBefore);
        SocketRecord.Traffic rx = traffic(data, offset + O_RX, prev, O_RX, periodStart, protocol, false,
                data, offset + O_LAST, statsSegment, statsBefore);
        long age = Math.max(0, exportAt - tsFirst);
        if (protocol == SocketRecord.Protocol.UNIX) {
            int len = Math.clamp(data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + O_ADDRESS_LEN), 0, KernelLayouts.UNIX_PATH_MAX);
            String address = KernelStrings.decode(data, offset + O_ADDRESS, len);
            return new SocketRecord(info, proc, protocol, role, null, family, null, 0, null, 0, address, tx, rx, age,
                    null, List.of(), List.of());
        }
        String stateName = protocol == SocketRecord.Protocol.TCP
                ? (state < TCP_STATES.length ? TCP_STATES[state] : "TCP_" + state)
                : state == 1 && reason != Reason.IDLE && reason != Reason.CLOSED ? "UDP_ESTABLISHED" : "UDP_CLOSE";
        boolean v4 = family == SocketRecord.Family.AF_INET;
        return new SocketRecord(info, proc, protocol, role, stateName, family,
                IpAddresses.format(data, offset + O_LADDR, v4),
                Short.toUnsignedInt(data.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset + O_LPORT)),
                IpAddresses.format(data, offset + O_RADDR, v4),
                Short.toUnsignedInt(data.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset + O_RPORT)),
                null, tx, rx, age, null, List.of(), List.of());
    }

    private Proc proc(MemorySegment data, long offset, long exportAt) {
        long tgid = u32(data, offset + O_TGID);
        if (tgid == 0) {
            // no process has touched the socket yet (a server connection not accepted)
            return new Proc("", "", context.versions() ? "" : null, "", "", 0, 0, 0, 0, 0, 0);
        }
        long uid = u32(data, offset + O_UID);
        long gid = u32(data, offset + O_GID);
        String exe = string(data, offset + O_EXE, offset + O_EXE_LEN, KernelLayouts.EXE_MAX);
        String comm = KernelStrings.decode(data, offset + O_COMM, KernelLayouts.COMM_MAX);
        String parentExe = string(data, offset + O_PARENT_EXE, offset + O_PARENT_EXE_LEN, KernelLayouts.EXE_MAX);
        long procStart = data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + O_PROC_START);
        return new Proc(parentExe, ProcessNames.procName(exe, comm), context.versions() ? "" : null,
                context.userName(uid), context.groupName(gid), u32(data, offset + O_PPID), tgid,
                u32(data, offset + O_TID), uid, gid, Math.max(0, exportAt - procStart));
    }

    /**
     * One direction since the previous export. {@code prev} null: the record's first export,
     * counters from zero and kernel statistics from the record's base.
     */
    private SocketRecord.Traffic traffic(MemorySegment cur, long at, MemorySegment prev, long prevAt, long periodStart,
            SocketRecord.Protocol protocol, boolean isTx, MemorySegment stats, long statsAt,
            MemorySegment statsBefore, long statsBeforeAt) {
        long packets = delta(cur, at + T_PACKETS, prev, prevAt + T_PACKETS);
        if (packets <= 0) {
            return null;
        }
        long bytes = delta(cur, at + T_BYTES, prev, prevAt + T_BYTES);
        if (protocol == SocketRecord.Protocol.UNIX) {
            return new SocketRecord.Traffic("", 0, packets, 0, 0, null, 0, bytes, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        long tsLast = cur.get(ValueLayout.JAVA_LONG_UNALIGNED, at + T_TS_LAST);
        long tsFirst = cur.get(ValueLayout.JAVA_LONG_UNALIGNED, at + T_TS_FIRST);
        // after an export the first packet of the new period is not known to the kernel:
        // the period starts at the export at the earliest
        long first = prev == null ? tsFirst : Math.max(tsFirst, periodStart);
        long duration = Math.max(0, tsLast - first);
        String iface = context.interfaceName(cur.get(ValueLayout.JAVA_INT_UNALIGNED, at + T_IFINDEX));
        long dataPackets = delta(cur, at + T_DATA_PACKETS, prev, prevAt + T_DATA_PACKETS);
        Map<String, Long> flags = protocol == SocketRecord.Protocol.TCP ? flags(cur, at, prev, prevAt) : null;
        long drops = statDelta32(stats, statsAt + S_DROPS, statsBefore, statsBeforeAt + S_DROPS);
        long queued = u32(stats, statsAt + S_QUEUED);
        if (isTx) {
            return new SocketRecord.Traffic(iface, dataPackets, packets,
                    statDelta32(stats, statsAt + S_TOTAL_RETRANS, statsBefore, statsBeforeAt + S_TOTAL_RETRANS),
                    statDelta32(stats, statsAt + S_DSACK_DUPS, statsBefore, statsBeforeAt + S_DSACK_DUPS),
                    flags, duration, bytes,
                    statDelta64(stats, statsAt + S_BYTES_ACKED, statsBefore, statsBeforeAt + S_BYTES_ACKED),
                    statDelta64(stats, statsAt + S_BYTES_RETRANS, statsBefore, statsBeforeAt + S_BYTES_RETRANS),
                    u32(stats, statsAt + S_RTO), 0, 0, 0, 0, 0, 0);
        }
        long ttlPackets = delta(cur, at + T_TTL_PACKETS, prev, prevAt + T_TTL_PACKETS);
        long ttl = ttlPackets > 0 ? delta(cur, at + T_TTL_SUM, prev, prevAt + T_TTL_SUM) / ttlPackets : 0;
        return new SocketRecord.Traffic(iface, dataPackets, packets, 0, 0, flags, duration, bytes, 0, 0, 0,
                queued, drops, statDelta32(stats, statsAt + S_REORD_SEEN, statsBefore, statsBeforeAt + S_REORD_SEEN),
                delta(cur, at + T_FRAGS, prev, prevAt + T_FRAGS), ttl,
                u32(stats, statsAt + S_SRTT_US) * 1_000L);
    }

    /** Flag combinations with packets in this period, in order of first appearance. */
    private static Map<String, Long> flags(MemorySegment cur, long at, MemorySegment prev, long prevAt) {
        Map<String, Long> flags = new LinkedHashMap<>();
        int combos = Math.clamp(cur.get(ValueLayout.JAVA_INT_UNALIGNED, at + T_COMBOS), 0, KernelLayouts.TCP_FLAG_COMBOS);
        for (int i = 0; i < combos; i++) {
            int combo = cur.get(ValueLayout.JAVA_BYTE, at + T_COMBO_ORDER + i) & (KernelLayouts.TCP_FLAG_COMBOS - 1);
            long count = Integer.toUnsignedLong(cur.get(ValueLayout.JAVA_INT_UNALIGNED, at + T_FLAGS + 4L * combo))
                    - (prev == null ? 0 : Integer.toUnsignedLong(prev.get(ValueLayout.JAVA_INT_UNALIGNED, prevAt + T_FLAGS + 4L * combo)));
            if (count > 0) {
                flags.putIfAbsent(COMBO_NAMES[combo], count);
            }
        }
        return flags;
    }

    private static long delta(MemorySegment cur, long at, MemorySegment prev, long prevAt) {
        long now = cur.get(ValueLayout.JAVA_LONG_UNALIGNED, at);
        return prev == null ? now : Math.max(0, now - prev.get(ValueLayout.JAVA_LONG_UNALIGNED, prevAt));
    }

    /** Kernel u32 counters wrap: the difference modulo 2^32. */
    private static long statDelta32(MemorySegment cur, long at, MemorySegment before, long beforeAt) {
        return Integer.toUnsignedLong(cur.get(ValueLayout.JAVA_INT_UNALIGNED, at) - before.get(ValueLayout.JAVA_INT_UNALIGNED, beforeAt));
    }

    private static long statDelta64(MemorySegment cur, long at, MemorySegment before, long beforeAt) {
        return Math.max(0, cur.get(ValueLayout.JAVA_LONG_UNALIGNED, at) - before.get(ValueLayout.JAVA_LONG_UNALIGNED, beforeAt));
    }

    private static String string(MemorySegment data, long at, long lengthAt, int max) {
        int len = data.get(ValueLayout.JAVA_INT_UNALIGNED, lengthAt);
        return KernelStrings.decode(data, at, Math.clamp(len, 0, max));
    }

    private static long u32(MemorySegment data, long at) {
        return Integer.toUnsignedLong(data.get(ValueLayout.JAVA_INT_UNALIGNED, at));
    }
}
