package io.kflowd.core.kernel;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.StructLayout;

/**
 * The layouts of bpf/include/kflowd.h, member for member, in jextract's shape. Offsets are
 * derived from these layouts, never written by hand; KernelLayoutsTest compares them with
 * the BTF of the built kflowd.bpf.o, so a header change that is not mirrored here fails
 * the build.
 */
public final class KernelLayouts {

    private KernelLayouts() {
    }

    public static final int NAME_MAX = 256;
    public static final int PATH_MAX = 4096;
    public static final int COMM_MAX = 16;
    public static final int EXE_MAX = 256;
    public static final int EV_COUNT = 11;

    public static final int MSG_FILE_RECORD = 1;
    public static final int MSG_FILE_PATH = 2;
    public static final int MSG_SOCK_RECORD = 3;
    public static final int MSG_SOCK_PAYLOAD = 4;

    public static final int FILE_NAME_CUT = 1;
    public static final int FILE_ORIGIN_CUT = 1 << 1;
    public static final int FILE_EXE_CUT = 1 << 2;
    public static final int FILE_FLUSHED = 1 << 3;
    public static final int FILE_HARDLINK_NEW = 1 << 4;
    public static final int PATH_CUT = 1;

    public static final int DROP_RING_FULL = 0;
    public static final int DROP_AGG_FULL = 1;
    public static final int DROP_PATH_RING_FULL = 2;
    /** A path-based file syscall succeeded but its file could not be found in the dcache. */
    public static final int DROP_FS_UNRESOLVED = 3;
    /** Per-thread syscall state could not be stored (map full). */
    public static final int DROP_FS_PENDING_FULL = 4;
    /** A socket record could not be stored: sock_records full. */
    public static final int DROP_SOCK_TABLE_FULL = 5;
    /** A final socket record could not be sent: ring full. */
    public static final int DROP_SOCK_RING_FULL = 6;
    public static final int DROP_COUNT = 8;
    public static final int STAT_FILE_EVENTS = 0;
    public static final int STAT_FILE_EXPORTS = 1;
    public static final int STAT_FILE_FILTERED = 2;
    public static final int STAT_SOCK_RECORDS = 4;
    public static final int STAT_SOCK_EXPORTS = 5;
    public static final int STAT_SOCK_PACKETS = 6;
    public static final int STAT_COUNT = 8;

    public static final int PROTO_TCP = 1;
    public static final int PROTO_UDP = 2;
    public static final int PROTO_UNIX = 3;
    public static final int ROLE_CLIENT = 0;
    public static final int ROLE_SERVER = 1;
    public static final int SOCK_CLOSED = 1;
    public static final int SOCK_IGNORED = 1 << 1;
    public static final int SOCK_PREEXISTING = 1 << 2;
    public static final int SOCK_ADDRESS_CUT = 1 << 3;
    public static final int SOCK_APP_FULL = 1 << 4;
    public static final int APP_NONE = 0;
    public static final int APP_DNS = 1;
    public static final int APP_HTTP = 2;
    public static final int APP_SYSLOG = 3;
    public static final int APP_TLS = 4;
    public static final int PAYLOAD_MAX = 4096;
    public static final int PAYLOAD_TX = 1;
    public static final int PAYLOAD_CUT = 1 << 1;
    public static final int PAYLOAD_GAP = 1 << 2;
    public static final int DROP_PAYLOAD_RING_FULL = 7;
    public static final int TCP_FLAG_COMBOS = 64;
    public static final int UNIX_PATH_MAX = 112;

    public static final StructLayout FILE_KEY = structLayout(
            JAVA_LONG.withName("dev"),
            JAVA_LONG.withName("ino"),
            JAVA_INT.withName("tgid"),
            JAVA_INT.withName("pad")).withName("kflowd_file_key");

    public static final StructLayout FILE_RECORD = structLayout(
            JAVA_INT.withName("type"),
            JAVA_INT.withName("flags"),
            JAVA_LONG.withName("record_id"),
            JAVA_LONG.withName("ts_first"),
            JAVA_LONG.withName("ts_last"),
            JAVA_LONG.withName("dev"),
            JAVA_LONG.withName("ino"),
            JAVA_LONG.withName("proc_start"),
            JAVA_INT.withName("tgid"),
            JAVA_INT.withName("tid"),
            JAVA_INT.withName("ppid"),
            JAVA_INT.withName("uid"),
            JAVA_INT.withName("gid"),
            JAVA_INT.withName("mode"),
            JAVA_INT.withName("nlink"),
            JAVA_INT.withName("fuid"),
            JAVA_INT.withName("fgid"),
            JAVA_INT.withName("pad0"),
            JAVA_LONG.withName("size_first"),
            JAVA_LONG.withName("size"),
            JAVA_LONG.withName("atime_sec"),
            JAVA_LONG.withName("atime_nsec"),
            JAVA_LONG.withName("mtime_sec"),
            JAVA_LONG.withName("mtime_nsec"),
            JAVA_LONG.withName("ctime_sec"),
            JAVA_LONG.withName("ctime_nsec"),
            JAVA_LONG.withName("mtime_first_sec"),
            JAVA_LONG.withName("mtime_first_nsec"),
            sequenceLayout(EV_COUNT, JAVA_INT).withName("events"),
            JAVA_INT.withName("name_len"),
            JAVA_INT.withName("origin_len"),
            JAVA_INT.withName("exe_len"),
            JAVA_INT.withName("parent_exe_len"),
            JAVA_INT.withName("pad1"),
            sequenceLayout(COMM_MAX, JAVA_BYTE).withName("comm"),
            sequenceLayout(EXE_MAX, JAVA_BYTE).withName("exe"),
            sequenceLayout(EXE_MAX, JAVA_BYTE).withName("parent_exe"),
            sequenceLayout(NAME_MAX, JAVA_BYTE).withName("name"),
            sequenceLayout(NAME_MAX, JAVA_BYTE).withName("origin")).withName("kflowd_file_record");

    public static final StructLayout FILE_PATH = structLayout(
            JAVA_INT.withName("type"),
            JAVA_INT.withName("flags"),
            JAVA_LONG.withName("record_id"),
            JAVA_INT.withName("len"),
            JAVA_INT.withName("pad"),
            sequenceLayout(PATH_MAX, JAVA_BYTE).withName("path")).withName("kflowd_file_path");

    public static final StructLayout CONFIG = structLayout(
            JAVA_INT.withName("agent_tgid"),
            JAVA_INT.withName("max_events"),
            JAVA_INT.withName("wakeup_every"),
            JAVA_INT.withName("monitor_files"),
            JAVA_INT.withName("debug_mode"),
            sequenceLayout(COMM_MAX, JAVA_BYTE).withName("debug_comm"),
            JAVA_INT.withName("monitor_sockets"),
            JAVA_SHORT.withName("local_port_lo"),
            JAVA_SHORT.withName("local_port_hi"),
            JAVA_INT.withName("syslog_unix"),
            JAVA_INT.withName("app_messages"),
            JAVA_INT.withName("app_bytes")).withName("kflowd_config");

    public static final StructLayout SOCK_TRAFFIC = structLayout(
            JAVA_LONG.withName("packets"),
            JAVA_LONG.withName("data_packets"),
            JAVA_LONG.withName("bytes"),
            JAVA_LONG.withName("ts_first"),
            JAVA_LONG.withName("ts_last"),
            JAVA_LONG.withName("frags"),
            JAVA_LONG.withName("ttl_sum"),
            JAVA_LONG.withName("ttl_packets"),
            JAVA_INT.withName("ifindex"),
            JAVA_INT.withName("combos"),
            sequenceLayout(TCP_FLAG_COMBOS, JAVA_BYTE).withName("combo_order"),
            sequenceLayout(TCP_FLAG_COMBOS, JAVA_INT).withName("flags")).withName("kflowd_sock_traffic");

    public static final StructLayout SOCK_STATS = structLayout(
            JAVA_LONG.withName("bytes_acked"),
            JAVA_LONG.withName("bytes_retrans"),
            JAVA_INT.withName("total_retrans"),
            JAVA_INT.withName("dsack_dups"),
            JAVA_INT.withName("reord_seen"),
            JAVA_INT.withName("drops"),
            JAVA_INT.withName("rto"),
            JAVA_INT.withName("srtt_us"),
            JAVA_INT.withName("queued"),
            JAVA_INT.withName("pad")).withName("kflowd_sock_stats");

    public static final StructLayout SOCK_RECORD = structLayout(
            JAVA_INT.withName("type"),
            JAVA_INT.withName("flags"),
            JAVA_LONG.withName("cookie"),
            JAVA_LONG.withName("ts_first"),
            JAVA_LONG.withName("ts_last"),
            JAVA_LONG.withName("proc_start"),
            JAVA_INT.withName("tgid"),
            JAVA_INT.withName("tid"),
            JAVA_INT.withName("ppid"),
            JAVA_INT.withName("uid"),
            JAVA_INT.withName("gid"),
            JAVA_BYTE.withName("proto"),
            JAVA_BYTE.withName("role"),
            JAVA_BYTE.withName("state"),
            JAVA_BYTE.withName("pad0"),
            JAVA_SHORT.withName("family"),
            JAVA_SHORT.withName("lport"),
            JAVA_SHORT.withName("rport"),
            JAVA_SHORT.withName("pad1"),
            sequenceLayout(16, JAVA_BYTE).withName("laddr"),
            sequenceLayout(16, JAVA_BYTE).withName("raddr"),
            SOCK_TRAFFIC.withName("tx"),
            SOCK_TRAFFIC.withName("rx"),
            SOCK_STATS.withName("base"),
            SOCK_STATS.withName("last"),
            JAVA_INT.withName("exe_len"),
            JAVA_INT.withName("parent_exe_len"),
            JAVA_INT.withName("address_len"),
            JAVA_INT.withName("pad2"),
            sequenceLayout(COMM_MAX, JAVA_BYTE).withName("comm"),
            sequenceLayout(EXE_MAX, JAVA_BYTE).withName("exe"),
            sequenceLayout(EXE_MAX, JAVA_BYTE).withName("parent_exe"),
            sequenceLayout(UNIX_PATH_MAX, JAVA_BYTE).withName("address"),
            JAVA_INT.withName("app"),
            JAVA_INT.withName("app_messages"),
            JAVA_INT.withName("app_tx_seq"),
            JAVA_INT.withName("app_rx_seq"),
            JAVA_INT.withName("app_msg_bytes"),
            JAVA_INT.withName("app_last_dir")).withName("kflowd_sock_record");

    public static final StructLayout SOCK_PAYLOAD = structLayout(
            JAVA_INT.withName("type"),
            JAVA_INT.withName("flags"),
            JAVA_LONG.withName("cookie"),
            JAVA_LONG.withName("ts"),
            JAVA_INT.withName("len"),
            JAVA_INT.withName("captured"),
            JAVA_INT.withName("seq"),
            JAVA_INT.withName("message"),
            JAVA_BYTE.withName("app"),
            JAVA_BYTE.withName("proto"),
            JAVA_SHORT.withName("pad0"),
            JAVA_INT.withName("pad1"),
            sequenceLayout(PAYLOAD_MAX, JAVA_BYTE).withName("data")).withName("kflowd_sock_payload");

    public static final StructLayout APP_PORT = structLayout(
            JAVA_BYTE.withName("proto"),
            JAVA_BYTE.withName("pad"),
            JAVA_SHORT.withName("port")).withName("kflowd_app_port");

    public static final int DEBUG_OFF = 0;
    public static final int DEBUG_COMM = 1;
    public static final int DEBUG_ALL = 2;
    public static final int DEBUG_QUEUE = 3;

    /** Byte offset of a member of a struct layout. */
    public static long offset(StructLayout layout, String member) {
        return layout.byteOffset(groupElement(member));
    }

    /** Byte offset of a member of a nested struct member, e.g. ("tx", "packets"). */
    public static long offset(StructLayout layout, String member, String nested) {
        return layout.byteOffset(groupElement(member), groupElement(nested));
    }

    /** All layouts that KernelLayoutsTest checks against the object's BTF. */
    public static java.util.List<StructLayout> all() {
        return java.util.List.of(FILE_KEY, FILE_RECORD, FILE_PATH, CONFIG, SOCK_TRAFFIC, SOCK_STATS, SOCK_RECORD,
                SOCK_PAYLOAD, APP_PORT);
    }

}
