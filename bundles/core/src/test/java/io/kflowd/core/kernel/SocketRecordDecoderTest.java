package io.kflowd.core.kernel;

import static io.kflowd.core.kernel.KernelLayouts.SOCK_RECORD;
import static io.kflowd.core.kernel.KernelLayouts.offset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kflowd.api.Info;
import io.kflowd.api.SocketRecord;
import io.kflowd.core.kernel.SocketRecordDecoder.Reason;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kernel socket records (cumulative counters) -> records with what happened since the previous export. */
class SocketRecordDecoderTest {

    private final Arena arena = Arena.ofAuto();
    private final SocketRecordDecoder decoder = new SocketRecordDecoder(new SocketRecordDecoder.Context() {
        long sequence;

        @Override
        public long nextSequenceNumber() {
            return ++sequence;
        }

        @Override
        public Info info(long sequenceNumber, Info.Monitor monitor) {
            return new Info(sequenceNumber, Instant.EPOCH, monitor, "h", "", null, "Linux", "6.18", "kflowd-v0.1.0", 0);
        }

        @Override
        public String userName(long uid) {
            return uid == 1000 ? "alice" : "u" + uid;
        }

        @Override
        public String groupName(long gid) {
            return gid == 1000 ? "staff" : "g" + gid;
        }

        @Override
        public String interfaceName(int ifindex) {
            return ifindex == 1 ? "1:lo:00:00:00:00:00:00" : "";
        }

        @Override
        public boolean versions() {
            return false;
        }
    });

    private MemorySegment tcpClient() {
        MemorySegment s = arena.allocate(SOCK_RECORD);
        s.set(ValueLayout.JAVA_INT, offset(SOCK_RECORD, "type"), KernelLayouts.MSG_SOCK_RECORD);
        s.set(ValueLayout.JAVA_LONG, offset(SOCK_RECORD, "cookie"), 4711);
        s.set(ValueLayout.JAVA_LONG, offset(SOCK_RECORD, "ts_first"), 1_000_000_000L);
        s.set(ValueLayout.JAVA_LONG, offset(SOCK_RECORD, "ts_last"), 3_000_000_000L);
        s.set(ValueLayout.JAVA_LONG, offset(SOCK_RECORD, "proc_start"), 500_000_000L);
        s.set(ValueLayout.JAVA_INT, offset(SOCK_RECORD, "tgid"), 42);
        s.set(ValueLayout.JAVA_INT, offset(SOCK_RECORD, "tid"), 43);
        s.set(ValueLayout.JAVA_INT, offset(SOCK_RECORD, "ppid"), 1);
        s.set(ValueLayout.JAVA_INT, offset(SOCK_RECORD, "uid"), 1000);
        s.set(ValueLayout.JAVA_INT, offset(SOCK_RECORD, "gid"), 1000);
        s.set(ValueLayout.JAVA_BYTE, offset(SOCK_RECORD, "proto"), (byte) KernelLayouts.PROTO_TCP);
        s.set(ValueLayout.JAVA_BYTE, offset(SOCK_RECORD, "role"), (byte) KernelLayouts.ROLE_CLIENT);
        s.set(ValueLayout.JAVA_BYTE, offset(SOCK_RECORD, "state"), (byte) 1);
        s.set(ValueLayout.JAVA_SHORT, offset(SOCK_RECORD, "family"), (short) 2);
        s.set(ValueLayout.JAVA_SHORT, offset(SOCK_RECORD, "lport"), (short) 50000);
        s.set(ValueLayout.JAVA_SHORT, offset(SOCK_RECORD, "rport"), (short) 80);
        s.asSlice(offset(SOCK_RECORD, "laddr"), 4).copyFrom(MemorySegment.ofArray(new byte[] {127, 0, 0, 1}));
        s.asSlice(offset(SOCK_RECORD, "raddr"), 4).copyFrom(MemorySegment.ofArray(new byte[] {127, 0, 0, 2}));
        put(s, "comm", "curl");
        put(s, "exe", "curl");
        s.set(ValueLayout.JAVA_INT, offset(SOCK_RECORD, "exe_len"), 4);
        put(s, "parent_exe", "bash");
        s.set(ValueLayout.JAVA_INT, offset(SOCK_RECORD, "parent_exe_len"), 4);
        // kernel counters before the record started: not this record's
        s.set(ValueLayout.JAVA_LONG, offset(SOCK_RECORD, "base", "bytes_acked"), 100);
        s.set(ValueLayout.JAVA_INT, offset(SOCK_RECORD, "base", "total_retrans"), 2);
        return s;
    }

    private static void put(MemorySegment s, String member, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(MemorySegment.ofArray(b), 0, s, offset(SOCK_RECORD, member), b.length);
    }

    /** Adds packets to one direction as the kernel does: cumulative, combos in order of first appearance. */
    private static void packets(MemorySegment s, String dir, int combo, long count, long payload, long ts) {
        long base = offset(SOCK_RECORD, dir);
        add(s, base + offset(KernelLayouts.SOCK_TRAFFIC, "packets"), count);
        add(s, base + offset(KernelLayouts.SOCK_TRAFFIC, "bytes"), payload);
        if (payload > 0) {
            add(s, base + offset(KernelLayouts.SOCK_TRAFFIC, "data_packets"), count);
        }
        long first = base + offset(KernelLayouts.SOCK_TRAFFIC, "ts_first");
        if (s.get(ValueLayout.JAVA_LONG, first) == 0) {
            s.set(ValueLayout.JAVA_LONG, first, ts);
            s.set(ValueLayout.JAVA_INT, base + offset(KernelLayouts.SOCK_TRAFFIC, "ifindex"), 1);
        }
        s.set(ValueLayout.JAVA_LONG, base + offset(KernelLayouts.SOCK_TRAFFIC, "ts_last"), ts);
        long flag = base + offset(KernelLayouts.SOCK_TRAFFIC, "flags") + 4L * combo;
        if (s.get(ValueLayout.JAVA_INT, flag) == 0) {
            long combos = base + offset(KernelLayouts.SOCK_TRAFFIC, "combos");
            int n = s.get(ValueLayout.JAVA_INT, combos);
            s.set(ValueLayout.JAVA_BYTE, base + offset(KernelLayouts.SOCK_TRAFFIC, "combo_order") + n, (byte) combo);
            s.set(ValueLayout.JAVA_INT, combos, n + 1);
        }
        s.set(ValueLayout.JAVA_INT, flag, s.get(ValueLayout.JAVA_INT, flag) + (int) count);
        if (dir.equals("rx")) {
            add(s, base + offset(KernelLayouts.SOCK_TRAFFIC, "ttl_sum"), 64 * count);
            add(s, base + offset(KernelLayouts.SOCK_TRAFFIC, "ttl_packets"), count);
        }
    }

    private static void add(MemorySegment s, long at, long value) {
        s.set(ValueLayout.JAVA_LONG, at, s.get(ValueLayout.JAVA_LONG, at) + value);
    }

    private static final int SYN = 0x02;
    private static final int ACK = 0x10;
    private static final int SYN_ACK = SYN | ACK;
    private static final int PSH_ACK = 0x08 | ACK;
    private static final int FIN_ACK = 0x01 | ACK;

    @Test
    void firstRecordCountsFromZeroWithFlagsInOrderOfFirstAppearance() {
        MemorySegment s = tcpClient();
        packets(s, "tx", SYN, 1, 0, 1_000_000_000L);
        packets(s, "rx", SYN_ACK, 1, 0, 1_000_100_000L);
        packets(s, "tx", ACK, 1, 0, 1_000_200_000L);
        packets(s, "tx", PSH_ACK, 1, 77, 1_000_300_000L);
        packets(s, "rx", PSH_ACK, 2, 1000, 1_000_900_000L);
        packets(s, "tx", FIN_ACK, 1, 0, 1_001_000_000L);
        s.set(ValueLayout.JAVA_BYTE, offset(SOCK_RECORD, "state"), (byte) 7);
        s.set(ValueLayout.JAVA_LONG, offset(SOCK_RECORD, "last", "bytes_acked"), 179);
        s.set(ValueLayout.JAVA_INT, offset(SOCK_RECORD, "last", "total_retrans"), 3);
        s.set(ValueLayout.JAVA_INT, offset(SOCK_RECORD, "last", "srtt_us"), 42);
        s.set(ValueLayout.JAVA_INT, offset(SOCK_RECORD, "last", "rto"), 51);

        SocketRecord r = decoder.export(s, 0, Reason.CLOSED, 9_000_000_000L, false);

        assertEquals(SocketRecord.Protocol.TCP, r.protocol());
        assertEquals(SocketRecord.Role.CLIENT, r.role());
        assertEquals("TCP_CLOSE", r.state());
        assertEquals("127.0.0.1", r.localIp());
        assertEquals(50000, r.localPort());
        assertEquals("127.0.0.2", r.remoteIp());
        assertEquals(80, r.remotePort());
        assertEquals(4, r.tx().packets());
        assertEquals(1, r.tx().dataPackets());
        assertEquals(77, r.tx().bytes());
        assertEquals(List.of("SYN", "ACK", "PSH-ACK", "FIN-ACK"), List.copyOf(r.tx().flags().keySet()));
        assertEquals(Map.of("SYN-ACK", 1L, "PSH-ACK", 2L), r.rx().flags());
        assertEquals(1_000_000L, r.tx().durationNanos());
        assertEquals(79, r.tx().bytesAcked(), "kernel counter since the record started");
        assertEquals(1, r.tx().packetsRetrans());
        assertEquals(51, r.tx().rto());
        assertEquals(42_000, r.rx().rttNanos());
        assertEquals(64, r.rx().ttl());
        assertEquals("1:lo:00:00:00:00:00:00", r.rx().interfaceName());
        // the age of a closed socket's record ends at its close, not when user space reads it
        assertEquals(2_000_000_000L, r.ageNanos());
        assertEquals("curl", r.proc().name());
        assertEquals("alice", r.proc().user());
        assertEquals(42, r.proc().pid());
    }

    @Test
    void laterRecordsCarryOnlyWhatHappenedSinceTheExportBefore() {
        MemorySegment s = tcpClient();
        packets(s, "tx", SYN, 1, 0, 1_000_000_000L);
        packets(s, "rx", SYN_ACK, 1, 0, 1_000_100_000L);
        packets(s, "tx", PSH_ACK, 3, 300, 1_500_000_000L);
        s.set(ValueLayout.JAVA_INT, offset(SOCK_RECORD, "last", "total_retrans"), 5);
        SocketRecord first = decoder.export(s, 0, Reason.ACTIVE, 2_000_000_000L, true);
        assertEquals(4, first.tx().packets());
        assertEquals(3, first.tx().packetsRetrans());
        assertFalse(decoder.hasNews(s, 0), "nothing new since the export");

        packets(s, "tx", PSH_ACK, 2, 200, 2_500_000_000L);
        s.set(ValueLayout.JAVA_LONG, offset(SOCK_RECORD, "ts_last"), 2_500_000_000L);
        assertTrue(decoder.hasNews(s, 0));
        SocketRecord second = decoder.export(s, 0, Reason.ACTIVE, 4_000_000_000L, true);
        assertEquals(2, second.tx().packets());
        assertEquals(200, second.tx().bytes());
        assertEquals(Map.of("PSH-ACK", 2L), second.tx().flags(), "the handshake is not repeated");
        assertEquals(0, second.tx().packetsRetrans(), "kernel deltas are cleared after an export");
        assertNull(second.rx(), "no packet received since: no Rx block");
        assertEquals(3_000_000_000L, second.ageNanos(), "SockAge from the first sight of the socket (spec 3.7)");

        s.set(ValueLayout.JAVA_BYTE, offset(SOCK_RECORD, "state"), (byte) 7);
        SocketRecord last = decoder.export(s, 0, Reason.CLOSED, 5_000_000_000L, false);
        assertNull(last.tx());
        assertEquals("TCP_CLOSE", last.state());
        assertEquals(0, decoder.baselines(), "an ended socket is forgotten");
    }

    @Test
    void ownSocketsAreNeverExported() {
        MemorySegment s = tcpClient();
        s.set(ValueLayout.JAVA_INT, offset(SOCK_RECORD, "flags"), KernelLayouts.SOCK_IGNORED);
        assertNull(decoder.export(s, 0, Reason.CLOSED, 1, false));
        assertEquals(1, decoder.ignored());
    }

    @Test
    void udpRecordEndedByIdleTimeoutIsClosedAndServerConnectionsWithoutProcessHaveEmptyNames() {
        MemorySegment s = tcpClient();
        s.set(ValueLayout.JAVA_BYTE, offset(SOCK_RECORD, "proto"), (byte) KernelLayouts.PROTO_UDP);
        s.set(ValueLayout.JAVA_BYTE, offset(SOCK_RECORD, "role"), (byte) KernelLayouts.ROLE_SERVER);
        s.set(ValueLayout.JAVA_INT, offset(SOCK_RECORD, "tgid"), 0);
        s.set(ValueLayout.JAVA_SHORT, offset(SOCK_RECORD, "family"), (short) 10);
        byte[] loopback6 = new byte[16];
        loopback6[15] = 1;
        s.asSlice(offset(SOCK_RECORD, "laddr"), 16).copyFrom(MemorySegment.ofArray(loopback6));
        s.asSlice(offset(SOCK_RECORD, "raddr"), 16).copyFrom(MemorySegment.ofArray(loopback6));
        packets(s, "rx", 0, 1, 12, 1_100_000_000L);
        SocketRecord r = decoder.export(s, 0, Reason.IDLE, 20_000_000_000L, false);
        assertEquals("UDP_CLOSE", r.state());
        assertEquals(SocketRecord.Family.AF_INET6, r.family());
        assertEquals("::1", r.localIp());
        assertEquals(12, r.rx().bytes());
        assertEquals("", r.proc().name());
        assertEquals("", r.proc().user());
        assertEquals(0, r.proc().pid());
    }

    @Test
    void unixRecordCarriesThePeerPathAndBytes() {
        MemorySegment s = tcpClient();
        s.set(ValueLayout.JAVA_BYTE, offset(SOCK_RECORD, "proto"), (byte) KernelLayouts.PROTO_UNIX);
        s.set(ValueLayout.JAVA_SHORT, offset(SOCK_RECORD, "family"), (short) 1);
        put(s, "address", "/dev/log");
        s.set(ValueLayout.JAVA_INT, offset(SOCK_RECORD, "address_len"), 8);
        packets(s, "tx", 0, 2, 90, 1_100_000_000L);
        SocketRecord r = decoder.export(s, 0, Reason.IDLE, 20_000_000_000L, false);
        assertEquals(SocketRecord.Protocol.UNIX, r.protocol());
        assertEquals("/dev/log", r.address());
        assertEquals(SocketRecord.Family.AF_UNIX, r.family());
        assertEquals(90, r.tx().bytes());
        assertNull(r.state());
    }
}
