/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kflowd: the records the kernel programs hand to user space, and the configuration user
 * space hands to them. One header shared by every BPF source; the Java reader
 * (io.kflowd.core.kernel) mirrors these layouts, and a test compares both against the
 * BTF of the built object, so a change here that is not mirrored fails the build.
 *
 * Rules: fixed-width types only, every struct 8-byte aligned with explicit padding, no
 * bitfields, strings NUL-terminated inside their arrays with their byte length stored.
 */
#ifndef KFLOWD_H
#define KFLOWD_H

#define KFLOWD_NAME_MAX   256   /* a file name: NAME_MAX 255 + NUL */
#define KFLOWD_PATH_MAX   4096  /* a directory path: PATH_MAX */
#define KFLOWD_COMM_MAX   16    /* task->comm */
#define KFLOWD_EXE_MAX    256   /* basename of an executable */

/* Message types: the first u32 of every ring-buffer message. */
#define KFLOWD_MSG_FILE_RECORD  1   /* an exported file record (struct kflowd_file_record) */
#define KFLOWD_MSG_FILE_PATH    2   /* the directory of a file record (struct kflowd_file_path) */
#define KFLOWD_MSG_SOCK_RECORD  3   /* a socket record at the socket's end (struct kflowd_sock_record) */
#define KFLOWD_MSG_SOCK_PAYLOAD 4   /* captured application payload of a socket (struct kflowd_sock_payload) */

/* File event kinds: index into kflowd_file_record.events, in FileEvents output order. */
#define KFLOWD_EV_CREATE         0
#define KFLOWD_EV_OPEN           1
#define KFLOWD_EV_OPEN_EXEC      2
#define KFLOWD_EV_ACCESS         3
#define KFLOWD_EV_ATTRIB         4
#define KFLOWD_EV_MODIFY         5
#define KFLOWD_EV_CLOSE_WRITE    6
#define KFLOWD_EV_CLOSE_NOWRITE  7
#define KFLOWD_EV_MOVED_FROM     8
#define KFLOWD_EV_MOVED_TO       9
#define KFLOWD_EV_DELETE        10
#define KFLOWD_EV_COUNT         11

/* kflowd_file_record.flags */
#define KFLOWD_FILE_NAME_CUT     (1u << 0)  /* name longer than the buffer */
#define KFLOWD_FILE_ORIGIN_CUT   (1u << 1)
#define KFLOWD_FILE_EXE_CUT      (1u << 2)
#define KFLOWD_FILE_FLUSHED      (1u << 3)  /* exported by the idle/shutdown flush, not by an event */
#define KFLOWD_FILE_HARDLINK_NEW (1u << 4)  /* CREATE was a hard-link creation (nlink already counts it) */

/* kflowd_file_path.flags */
#define KFLOWD_PATH_CUT          (1u << 0)  /* the walk stopped before the root: leading part missing */

/* Why a message could not be sent: index into the drop counter map (per CPU). */
#define KFLOWD_DROP_RING_FULL        0   /* bpf_ringbuf_reserve/output failed */
#define KFLOWD_DROP_AGG_FULL         1   /* aggregation map update failed (map full) */
#define KFLOWD_DROP_PATH_RING_FULL   2   /* a path message could not be sent */
#define KFLOWD_DROP_FS_UNRESOLVED    3   /* a path-based file syscall succeeded but its file was not
                                            found in the dentry cache (see bpf/README.md) */
#define KFLOWD_DROP_FS_PENDING_FULL  4   /* per-thread syscall state could not be stored */
#define KFLOWD_DROP_SOCK_TABLE_FULL  5   /* a socket record could not be stored (sock_records full) */
#define KFLOWD_DROP_SOCK_RING_FULL   6   /* a final socket record could not be sent */
#define KFLOWD_DROP_PAYLOAD_RING_FULL 7  /* a payload message could not be sent */
#define KFLOWD_DROP_COUNT            8

/* Statistics counters (per CPU array), index: */
#define KFLOWD_STAT_FILE_EVENTS      0   /* events counted into records */
#define KFLOWD_STAT_FILE_EXPORTS     1   /* records exported by the kernel programs */
#define KFLOWD_STAT_FILE_FILTERED    2   /* events ignored (self, not a regular file, ...) */
#define KFLOWD_STAT_FILE_RECORDS     3   /* records started (= path messages attempted) */
#define KFLOWD_STAT_SOCK_RECORDS     4   /* socket records started */
#define KFLOWD_STAT_SOCK_EXPORTS     5   /* final socket records sent by the kernel programs */
#define KFLOWD_STAT_SOCK_PACKETS     6   /* packets, datagrams and UNIX messages counted into records */
#define KFLOWD_STAT_COUNT            8

/* The aggregation key: one record per (file, process). */
struct kflowd_file_key {
	__u64 dev;      /* st_dev as user space sees it: new_encode_dev(sb->s_dev) */
	__u64 ino;
	__u32 tgid;
	__u32 pad;
};

/*
 * A file record: the aggregation map's value and, unchanged, the exported message.
 * Times are CLOCK_MONOTONIC ns unless named *_sec/_nsec (wall-clock inode times).
 */
struct kflowd_file_record {
	__u32 type;               /* KFLOWD_MSG_FILE_RECORD */
	__u32 flags;              /* KFLOWD_FILE_* */
	__u64 record_id;          /* unique per record; links the kflowd_file_path message */
	__u64 ts_first;
	__u64 ts_last;
	__u64 dev;
	__u64 ino;
	__u64 proc_start;         /* task start time (monotonic ns): ProcAge = ts_last - proc_start */
	__u32 tgid;
	__u32 tid;
	__u32 ppid;
	__u32 uid;                /* process real uid/gid, init user namespace */
	__u32 gid;
	__u32 mode;               /* i_mode */
	__u32 nlink;
	__u32 fuid;               /* file owner */
	__u32 fgid;
	__u32 pad0;
	__u64 size_first;
	__u64 size;
	__s64 atime_sec;
	__s64 atime_nsec;
	__s64 mtime_sec;
	__s64 mtime_nsec;
	__s64 ctime_sec;
	__s64 ctime_nsec;
	__s64 mtime_first_sec;
	__s64 mtime_first_nsec;
	__u32 events[KFLOWD_EV_COUNT];
	__u32 name_len;
	__u32 origin_len;
	__u32 exe_len;
	__u32 parent_exe_len;
	__u32 pad1;
	char comm[KFLOWD_COMM_MAX];
	char exe[KFLOWD_EXE_MAX];
	char parent_exe[KFLOWD_EXE_MAX];
	char name[KFLOWD_NAME_MAX];
	char origin[KFLOWD_NAME_MAX];
};

/*
 * The directory of a file record, sent once when the record starts and again after a
 * rename into another directory. Variable size: only `len` bytes of `path` are sent.
 * The path is absolute, starts and ends with '/', without the file name.
 */
struct kflowd_file_path {
	__u32 type;               /* KFLOWD_MSG_FILE_PATH */
	__u32 flags;              /* KFLOWD_PATH_* */
	__u64 record_id;
	__u32 len;                /* bytes in path, no NUL */
	__u32 pad;
	char path[KFLOWD_PATH_MAX];
};

/* ---- sockets ---------------------------------------------------------------------------- */

/* kflowd_sock_record.proto */
#define KFLOWD_PROTO_TCP   1
#define KFLOWD_PROTO_UDP   2
#define KFLOWD_PROTO_UNIX  3

/* kflowd_sock_record.role */
#define KFLOWD_ROLE_CLIENT 0
#define KFLOWD_ROLE_SERVER 1

/* kflowd_sock_record.flags */
#define KFLOWD_SOCK_CLOSED      (1u << 0)  /* final record: the socket ended (TCP_CLOSE, UDP release) */
#define KFLOWD_SOCK_IGNORED     (1u << 1)  /* the monitor's own socket (self filter): never exported */
#define KFLOWD_SOCK_PREEXISTING (1u << 2)  /* TCP connection open before the monitor started: first
                                              seen at a later packet, role from the port range */
#define KFLOWD_SOCK_ADDRESS_CUT (1u << 3)  /* UNIX path longer than address[] */
#define KFLOWD_SOCK_APP_FULL    (1u << 4)  /* UDP/UNIX: ended because it holds cfg.app_messages
                                              messages (spec 6.2); the next datagram starts a new one */

/* TCP header flag bits (byte 13 & 0x3f) index kflowd_sock_traffic.flags */
#define KFLOWD_TCP_FIN  0x01
#define KFLOWD_TCP_SYN  0x02
#define KFLOWD_TCP_RST  0x04
#define KFLOWD_TCP_PSH  0x08
#define KFLOWD_TCP_ACK  0x10
#define KFLOWD_TCP_URG  0x20
#define KFLOWD_TCP_FLAG_COMBOS 64

#define KFLOWD_UNIX_PATH_MAX 112  /* sun_path 108, rounded up to 8 */

/* Applications of captured payload (-p): kflowd_sock_record.app, kflowd_sock_payload.app */
#define KFLOWD_APP_NONE    0
#define KFLOWD_APP_DNS     1
#define KFLOWD_APP_HTTP    2
#define KFLOWD_APP_SYSLOG  3
#define KFLOWD_APP_TLS     4

/* Bytes of one payload message the kernel can copy (-p limits it further, cfg.app_bytes) */
#define KFLOWD_PAYLOAD_MAX 4096

/* kflowd_sock_payload.flags */
#define KFLOWD_PAYLOAD_TX   (1u << 0)  /* sent by the socket (else received) */
#define KFLOWD_PAYLOAD_CUT  (1u << 1)  /* len > captured: the rest of the segment was not copied */
#define KFLOWD_PAYLOAD_GAP  (1u << 2)  /* TCP: bytes before this segment were not captured */

/* Key of app_ports: which application a port belongs to (user space fills it, also at run time) */
struct kflowd_app_port {
	__u8  proto;              /* KFLOWD_PROTO_TCP / _UDP */
	__u8  pad;
	__u16 port;               /* host byte order */
};

/*
 * One direction of a socket record. Every counter is cumulative since the record started
 * and only ever grows: user space exports the difference to what it exported before, so
 * the kernel never resets anything and no update can be lost between read and reset.
 */
struct kflowd_sock_traffic {
	__u64 packets;            /* TCP segments / UDP datagrams (GSO-scaled), UNIX messages */
	__u64 data_packets;       /* TCP: segments with payload */
	__u64 bytes;              /* payload bytes (TCP/UDP headers excluded) */
	__u64 ts_first;           /* first packet of this direction, monotonic ns; 0 = none yet */
	__u64 ts_last;
	__u64 frags;              /* rx: skb paged fragments (nr_frags) */
	__u64 ttl_sum;            /* rx: TTL / hop limit summed over ttl_packets */
	__u64 ttl_packets;        /* rx: packets whose TTL is in ttl_sum */
	__u32 ifindex;            /* tx: output device of the first packet; rx: its ingress device */
	__u32 combos;             /* entries used in combo_order */
	__u8  combo_order[KFLOWD_TCP_FLAG_COMBOS]; /* flag combinations in order of first appearance */
	__u32 flags[KFLOWD_TCP_FLAG_COMBOS];       /* TCP: packets per combination (index: flag bits) */
};

/* The kernel's own counters of a socket, as sampled (cumulative since the socket exists). */
struct kflowd_sock_stats {
	__u64 bytes_acked;        /* TCP tcp_sock.bytes_acked */
	__u64 bytes_retrans;      /* TCP tcp_sock.bytes_retrans */
	__u32 total_retrans;      /* TCP tcp_sock.total_retrans */
	__u32 dsack_dups;         /* TCP tcp_sock.dsack_dups */
	__u32 reord_seen;         /* TCP tcp_sock.reord_seen */
	__u32 drops;              /* sk_drops (TCP and UDP) */
	__u32 rto;                /* TCP icsk_rto, jiffies (spec 5.4) */
	__u32 srtt_us;            /* TCP smoothed RTT, microseconds (tcp_sock.srtt_us >> 3) */
	__u32 queued;             /* rx bytes not yet read: TCP rcv_nxt - copied_seq (listener: accept
	                             backlog), UDP sk_rmem_alloc */
	__u32 pad;
};

/*
 * A socket record: the value of sock_records (key: the socket cookie, u64) and, at the
 * socket's end, the ring message. User space reads open records from the map for the idle
 * and active timeouts (timer-driven, spec 5.2 fixed) and gets the final one from the ring.
 */
struct kflowd_sock_record {
	__u32 type;               /* KFLOWD_MSG_SOCK_RECORD */
	__u32 flags;              /* KFLOWD_SOCK_* */
	__u64 cookie;             /* socket cookie (bpf_get_socket_cookie): the record's identity */
	__u64 ts_first;           /* record start: connect, handshake completion, first datagram */
	__u64 ts_last;            /* latest packet, message or state change */
	__u64 proc_start;         /* task start time (monotonic ns) of the attributed process */
	__u32 tgid;               /* attributed process: connect()/accept()/first send or receive */
	__u32 tid;
	__u32 ppid;
	__u32 uid;
	__u32 gid;
	__u8  proto;              /* KFLOWD_PROTO_* */
	__u8  role;               /* KFLOWD_ROLE_* */
	__u8  state;              /* TCP state number (spec 3.5); UDP: 1 connected, 7 not */
	__u8  pad0;
	__u16 family;             /* AF_INET 2, AF_INET6 10, AF_UNIX 1 (the socket's family) */
	__u16 lport;              /* host byte order */
	__u16 rport;
	__u16 pad1;
	__u8  laddr[16];          /* network byte order; IPv4 in the first 4 bytes */
	__u8  raddr[16];
	struct kflowd_sock_traffic tx;
	struct kflowd_sock_traffic rx;
	struct kflowd_sock_stats base;  /* the kernel counters when the record started */
	struct kflowd_sock_stats last;  /* the kernel counters at the latest packet */
	__u32 exe_len;
	__u32 parent_exe_len;
	__u32 address_len;        /* UNIX: bytes in address */
	__u32 pad2;
	char comm[KFLOWD_COMM_MAX];
	char exe[KFLOWD_EXE_MAX];
	char parent_exe[KFLOWD_EXE_MAX];
	char address[KFLOWD_UNIX_PATH_MAX]; /* UNIX: the peer's bound path */
	__u32 app;                /* KFLOWD_APP_* of the first captured payload, 0 = none */
	__u32 app_messages;       /* payload messages started (cumulative; a message: consecutive
	                             captured segments of one direction) */
	__u32 app_tx_seq;         /* TCP: next expected sequence number, tx (duplicates skipped) */
	__u32 app_rx_seq;         /* TCP: next expected sequence number, rx */
	__u32 app_msg_bytes;      /* bytes captured of the current message; bit 31: its cut was
	                             signalled (bpf/README.md, payload capture) */
	__u32 app_last_dir;       /* KFLOWD_PAYLOAD_TX or 0 of the last payload segment seen on the
	                             app port (captured, or not for lack of a message slot); ~0 none */
};

/*
 * One captured segment, datagram or UNIX message of a socket with an application port.
 * Variable size: the header and `captured` bytes of data. User space joins consecutive
 * segments of one direction into messages and splits what holds several.
 */
struct kflowd_sock_payload {
	__u32 type;               /* KFLOWD_MSG_SOCK_PAYLOAD */
	__u32 flags;              /* KFLOWD_PAYLOAD_* */
	__u64 cookie;             /* the socket record */
	__u64 ts;                 /* capture time, monotonic ns */
	__u32 len;                /* payload bytes of the segment */
	__u32 captured;           /* bytes in data */
	__u32 seq;                /* TCP: sequence number of the first byte; 0 otherwise */
	__u32 message;            /* index of the message it belongs to (app_messages - 1) */
	__u8  app;                /* KFLOWD_APP_* */
	__u8  proto;              /* KFLOWD_PROTO_* */
	__u16 pad0;
	__u32 pad1;
	__u8  data[KFLOWD_PAYLOAD_MAX];
};

/* Configuration written into .rodata before load (const volatile globals). */
struct kflowd_config {
	__u32 agent_tgid;         /* the monitor itself: its events are not recorded */
	__u32 max_events;         /* -e N: export after N events; 0 = off */
	__u32 wakeup_every;       /* force a ring wakeup every N messages (others: BPF_RB_NO_WAKEUP) */
	__u32 monitor_files;      /* 1 when -m file */
	__u32 debug_mode;         /* -D: KFLOWD_DEBUG_* */
	char debug_comm[KFLOWD_COMM_MAX]; /* -D NAME: the task comm to trace, NUL-padded */
	__u32 monitor_sockets;    /* 1 when -m socket */
	__u16 local_port_lo;      /* net.ipv4.ip_local_port_range: a TCP connection seen first mid-way */
	__u16 local_port_hi;      /* is a CLIENT when its local port lies in it */
	__u32 syslog_unix;        /* 1 when -p syslog includes unix: UNIX records for the syslog paths */
	__u32 app_messages;       /* payload messages captured per socket record (default 4) */
	__u32 app_bytes;          /* bytes captured per message (default 1400, at most KFLOWD_PAYLOAD_MAX) */
};

/* kflowd_config.debug_mode (-D): events are printed to the kernel trace pipe */
#define KFLOWD_DEBUG_OFF    0
#define KFLOWD_DEBUG_COMM   1   /* -D NAME: tasks whose comm equals NAME */
#define KFLOWD_DEBUG_ALL    2   /* -D '*' */
#define KFLOWD_DEBUG_QUEUE  3   /* -D q: the expiry queue, which is in user space here: no kernel output */

#endif /* KFLOWD_H */
