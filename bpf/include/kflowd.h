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
#define KFLOWD_DROP_COUNT            8

/* Statistics counters (per CPU array), index: */
#define KFLOWD_STAT_FILE_EVENTS      0   /* events counted into records */
#define KFLOWD_STAT_FILE_EXPORTS     1   /* records exported by the kernel programs */
#define KFLOWD_STAT_FILE_FILTERED    2   /* events ignored (self, not a regular file, ...) */
#define KFLOWD_STAT_FILE_RECORDS     3   /* records started (= path messages attempted) */
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

/* Configuration written into .rodata before load (const volatile globals). */
struct kflowd_config {
	__u32 agent_tgid;         /* the monitor itself: its events are not recorded */
	__u32 max_events;         /* -e N: export after N events; 0 = off */
	__u32 wakeup_every;       /* force a ring wakeup every N messages (others: BPF_RB_NO_WAKEUP) */
	__u32 monitor_files;      /* 1 when -m file */
	__u32 debug_mode;         /* -D: KFLOWD_DEBUG_* */
	char debug_comm[KFLOWD_COMM_MAX]; /* -D NAME: the task comm to trace, NUL-padded */
	__u32 pad;
};

/* kflowd_config.debug_mode (-D): events are printed to the kernel trace pipe */
#define KFLOWD_DEBUG_OFF    0
#define KFLOWD_DEBUG_COMM   1   /* -D NAME: tasks whose comm equals NAME */
#define KFLOWD_DEBUG_ALL    2   /* -D '*' */
#define KFLOWD_DEBUG_QUEUE  3   /* -D q: the expiry queue, which is in user space here: no kernel output */

#endif /* KFLOWD_H */
