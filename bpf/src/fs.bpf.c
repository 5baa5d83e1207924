// SPDX-License-Identifier: GPL-2.0
/*
 * kflowd file-system monitor: the events of spec section 4, on stable tracepoints only
 * (syscalls:sys_enter_* / sys_exit_*, sched via tp_btf), aggregated per (dev, ino, tgid) in
 * file_records and exported through the ring buffer.
 *
 * Every program's name starts with "fs_": user space switches the whole monitor off with
 * bpf_program__set_autoload(prog, false) for those names.
 *
 * How each event is seen:
 *   fd-based syscalls    the file behind the fd: task->files->fdt->fd[fd]
 *   path-based syscalls  the path string is resolved here against the dentry cache
 *                        (fs_resolve: root/pwd/dirfd, child lists, mounts, inline symlinks);
 *                        after the syscall for what must exist then (chmod, rename target,
 *                        link, symlink), before it for unlink (counted only if it succeeds)
 *   close                sys_enter_close/dup2/dup3/close_range and process exit, when the
 *                        reference dropped is the last one of the struct file
 *   exec                 tp_btf/sched_process_exec: bprm->file
 * bpf/README.md lists what cannot be seen this way.
 */
#include "common.bpf.h"

/* ---- constants the kernel has as macros (not in BTF) ---------------------------------- */

#define FS_S_IFMT               00170000
#define FS_S_IFREG              0100000
#define FS_S_IFLNK              0120000
#define FS_FMODE_WRITE          0x2
#define FS_FMODE_CREATED        0x100000
#define FS_AT_FDCWD             -100
#define FS_AT_SYMLINK_NOFOLLOW  0x100
#define FS_AT_REMOVEDIR         0x200
#define FS_AT_EMPTY_PATH        0x1000
#define FS_RENAME_EXCHANGE      (1 << 1)
#define FS_UTIME_OMIT           ((1L << 30) - 2L)
#define FS_CLOSE_RANGE_UNSHARE  (1U << 1)
#define FS_CLOSE_RANGE_CLOEXEC  (1U << 2)
#define FS_DCACHE_MOUNTED_OLD   0x00010000   /* kernels with #define DCACHE_MOUNTED, no enum */

/* ---- limits: every loop below is bounded by one of these ------------------------------ */

#define FS_PATH_STEPS     256   /* directory levels (and mount crossings) walked for a path */
#define FS_RES_STEPS      4096  /* steps through a path (8 bytes or a component each) */
#define FS_RES_CHILDREN   4096  /* cached entries of one directory searched for a name */
#define FS_RES_MOUNTS     256   /* child mounts of one mount searched for a mount point */
#define FS_RES_LINKS      8     /* symlinks followed in one resolution */
#define FS_MOUNT_STACK    4     /* mounts stacked on one mount point */
#define FS_FD_WORDS       1024  /* 64-fd words of a descriptor table scanned at exit (65536 fds) */

/* ---- CO-RE: older kernel layouts ----------------------------------------------------- */

struct file___old {                     /* before 6.12: atomic_long_t f_count, 1 = one ref */
	atomic_long_t f_count;
} __attribute__((preserve_access_index));

struct dentry___old {                   /* before 6.8: list_head children */
	struct list_head d_child;
	struct list_head d_subdirs;
} __attribute__((preserve_access_index));

struct inode___v67 {                    /* 6.7 - 6.10 */
	struct timespec64 __i_atime;
	struct timespec64 __i_mtime;
	struct timespec64 __i_ctime;
} __attribute__((preserve_access_index));

struct inode___old {                    /* before 6.6 (6.6: i_atime, i_mtime, __i_ctime) */
	struct timespec64 i_atime;
	struct timespec64 i_mtime;
	struct timespec64 i_ctime;
} __attribute__((preserve_access_index));

/* ---- syscall tracepoint records (see /sys/kernel/tracing/events/syscalls/<x>/format) ---
 * Only the arguments listed in a tracepoint's format may be read: args[i] for i below the
 * syscall's argument count. Reading further makes the attach fail with EACCES.
 */
struct fs_sys_enter {
	__u64 common;
	__s32 nr;
	__u32 pad;
	__u64 args[6];
};

struct fs_sys_exit {
	__u64 common;
	__s32 nr;
	__u32 pad;
	__s64 ret;
};

/* ---- maps ---------------------------------------------------------------------------- */

/* Open records. The value is exactly the exported message: user space may flush it as is. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);          /* user space sets it before load */
	__type(key, struct kflowd_file_key);
	__type(value, struct kflowd_file_record);
} file_records SEC(".maps");

/* A new record is built here (1280 bytes: not on the 512-byte stack). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct kflowd_file_record);
} fs_rec_scratch SEC(".maps");

/*
 * The path message is written back to front: the directory names from the file upwards,
 * ending at FS_PATH_END, then the kflowd_file_path header just before the first byte, so
 * one bpf_ringbuf_output sends header + path without a copy.
 */
#define FS_PATH_HDR   24                              /* offsetof(kflowd_file_path, path) */
#define FS_PATH_END   (FS_PATH_HDR + KFLOWD_PATH_MAX) /* one past the last path byte */
#define FS_PATH_MASK  8191
#define FS_PATH_BUF   (FS_PATH_MASK + 1 + KFLOWD_NAME_MAX)

struct fs_path_buf {
	char b[FS_PATH_BUF];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fs_path_buf);
} fs_path_scratch SEC(".maps");

/* Path resolution: the user's path (twice, to splice symlink targets) and name buffers. */
#define FS_RES_PATH_MAX  4096                       /* PATH_MAX */
#define FS_RES_MASK      (2 * FS_RES_PATH_MAX - 1)
#define FS_RES_BUF       (FS_RES_MASK + 1 + KFLOWD_NAME_MAX)

/* What fs_resolve finds. */
struct fs_found {
	__u64 dentry;
	__u64 mnt;
};

struct fs_res {
	__u64 dentry;         /* where the walk is; the result */
	__u64 mnt;
	__u64 root_dentry;    /* the process's root: absolute paths, ".." stops here */
	__u64 root_mnt;
	__u32 pos;            /* next byte of path[cur] */
	__u32 cur;            /* buffer in use (symlink targets are spliced into the other) */
	__u32 flags;          /* FS_RES_* */
	__u32 links;          /* symlinks followed */
	__u32 cstart;         /* the component read last: start and length (0: none) */
	__u32 clen;
	__u32 in_comp;        /* inside a component */
	__u32 spliced;        /* a symlink was spliced: go on at pos 0 of path[cur] */
	__u32 done;
	__s32 err;
	__u32 last_len;
	__u32 missing_last;   /* failed on the last component only: dentry/mnt its directory */
	__u32 pfx_len;        /* the directory prefix: bytes before the last '/' (0: none) */
	__u32 noncanon;       /* "//", "." or ".." seen: the walk is not cached */
	__u64 pfx_dentry;     /* where the walk was when the last component started */
	__u64 pfx_mnt;
};

/*
 * Resolved directories: (start, directory prefix of the path string) -> (dentry, mount).
 * Only a hint: every use first proves it (fs_dir_valid: up from the cached dentry through
 * d_parent and mount points, each name equal to the prefix's component, hashed, nothing
 * mounted on top, ending exactly at the start), so a renamed, removed or covered directory
 * never gives an answer. Only canonical prefixes (no "//", ".", "..", symlinks) are stored.
 */
struct fs_dir_key {
	__u64 start_dentry;
	__u64 start_mnt;
	__u64 hash;           /* of the prefix bytes */
	__u32 len;            /* prefix length */
	__u32 pad;
};

struct fs_dir_val {
	__u64 dentry;
	__u64 mnt;
};

#define FS_DIR_CACHE 4096

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, FS_DIR_CACHE);
	__type(key, struct fs_dir_key);
	__type(value, struct fs_dir_val);
} fs_dir_cache SEC(".maps");

struct fs_res_buf {
	struct fs_res st;             /* the walk's state: here, not on the stack, so that the
	                                 verifier sees no constants and one step converges */
	char path[2][FS_RES_BUF];
	char comp[KFLOWD_NAME_MAX];   /* component searched for */
	char cand[KFLOWD_NAME_MAX];   /* name of a candidate child */
	char last[KFLOWD_NAME_MAX];   /* last component, FS_RES_PARENT */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fs_res_buf);
} fs_res_scratch SEC(".maps");

/* Inode attributes as the record stores them. */
struct fs_attrs {
	__u64 dev;
	__u64 ino;
	__u64 size;
	__s64 atime_sec, atime_nsec;
	__s64 mtime_sec, mtime_nsec;
	__s64 ctime_sec, ctime_nsec;
	__u32 mode;
	__u32 nlink;
	__u32 uid;
	__u32 gid;
};

/*
 * What sys_enter_unlink(at) leaves for its sys_exit, per thread: the victim as it was before
 * the syscall. (Every other syscall is handled at sys_exit alone, its arguments read from
 * the saved user registers.)
 */
enum fs_op {
	FS_OP_NONE = 0,
	FS_OP_UNLINK,
};

struct fs_pending {
	__u32 op;
	__s32 nr;                /* syscall number: the exit must match the enter */
	__u64 dentry;            /* the victim, resolved before the syscall (0: not found yet) */
	__u64 mnt;
	__u64 dir;               /* its directory, when the victim itself is not cached */
	struct fs_attrs attrs;   /* its attributes before the syscall */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);                  /* tid */
	__type(value, struct fs_pending);
} fs_pending SEC(".maps");

/* ---- small readers ------------------------------------------------------------------- */

#define FS_READ(dst, src) bpf_core_read(&(dst), sizeof(dst), &(src))

/*
 * 6.2+: bpf_rdonly_cast turns a kernel address read as a number back into a typed pointer
 * (the verifier makes the call a register move), and fields are then read with plain loads
 * instead of one bpf_probe_read_kernel call each. The hot paths (the file behind a
 * descriptor, the inode attributes) use it when the kernel has it (weak kfunc: NULL if
 * not, and the verifier drops that branch), and read with BPF_CORE_READ otherwise.
 */
extern void *bpf_rdonly_cast(const void *obj__ign, __u32 btf_id__k) __ksym __weak;
#define FS_DIRECT (bpf_rdonly_cast != NULL)
#define FS_CAST(type, p) ((type *)bpf_rdonly_cast((void *)(p), bpf_core_type_id_kernel(type)))

/* One field of a kernel object: a plain load where the kernel has bpf_rdonly_cast, else CO-RE. */
#define FS_GET(type, ptr, field)						\
	(FS_DIRECT ? FS_CAST(type, (ptr))->field : BPF_CORE_READ((type *)(ptr), field))

/* Zero a struct with plain stores (a memset call does not exist in BPF). */
#define FS_ZERO(ptr)								\
	do {									\
		_Pragma("clang loop unroll(full)")				\
		for (int __i = 0; __i < sizeof(*(ptr)) / 8; __i++)		\
			((volatile __u64 *)(ptr))[__i] = 0;			\
	} while (0)

static __always_inline bool fs_mode_ok(__u32 mode)
{
	mode &= FS_S_IFMT;
	return mode == FS_S_IFREG || mode == FS_S_IFLNK;
}

/* new_encode_dev(): st_dev as stat(2) shows it */
static __always_inline __u64 fs_encode_dev(__u32 dev)
{
	__u32 major = dev >> 20, minor = dev & ((1U << 20) - 1);

	return (minor & 0xff) | (major << 8) | ((minor & ~0xffU) << 12);
}

static __always_inline struct inode *fs_dentry_inode(struct dentry *d)
{
	return FS_GET(struct dentry, d, d_inode);
}

static __always_inline __u32 fs_inode_mode(struct inode *ino)
{
	return FS_GET(struct inode, ino, i_mode);
}

static __always_inline void fs_read_attrs(struct inode *ino, struct fs_attrs *a)
{
	__u32 ctime_nsec = 0;

	if (FS_DIRECT) {
		struct inode *i = FS_CAST(struct inode, ino);

		a->dev = fs_encode_dev(i->i_sb->s_dev);
		a->ino = i->i_ino;
		a->size = i->i_size;
		a->mode = i->i_mode;
		a->nlink = i->__i_nlink;
		a->uid = i->i_uid.val;
		a->gid = i->i_gid.val;
		if (bpf_core_field_exists(i->i_atime_sec)) {         /* 6.11+ */
			a->atime_sec = i->i_atime_sec;
			a->atime_nsec = i->i_atime_nsec;
			a->mtime_sec = i->i_mtime_sec;
			a->mtime_nsec = i->i_mtime_nsec;
			a->ctime_sec = i->i_ctime_sec;
			a->ctime_nsec = i->i_ctime_nsec & ~(1U << 31);  /* I_CTIME_QUERIED */
			return;
		}
		/* 6.2 - 6.10: the older layouts below, read with BPF_CORE_READ */
	} else {
		a->dev = fs_encode_dev(BPF_CORE_READ(ino, i_sb, s_dev));
		a->ino = BPF_CORE_READ(ino, i_ino);
		a->size = BPF_CORE_READ(ino, i_size);
		a->mode = fs_inode_mode(ino);
		a->nlink = BPF_CORE_READ(ino, __i_nlink);
		a->uid = BPF_CORE_READ(ino, i_uid.val);
		a->gid = BPF_CORE_READ(ino, i_gid.val);
	}
	if (bpf_core_field_exists(ino->i_atime_sec)) {              /* 6.11+ */
		a->atime_sec = BPF_CORE_READ(ino, i_atime_sec);
		a->atime_nsec = BPF_CORE_READ(ino, i_atime_nsec);
		a->mtime_sec = BPF_CORE_READ(ino, i_mtime_sec);
		a->mtime_nsec = BPF_CORE_READ(ino, i_mtime_nsec);
		a->ctime_sec = BPF_CORE_READ(ino, i_ctime_sec);
		ctime_nsec = BPF_CORE_READ(ino, i_ctime_nsec);
	} else if (bpf_core_field_exists(((struct inode___v67 *)ino)->__i_atime)) {   /* 6.7 - 6.10 */
		struct inode___v67 *v = (void *)ino;

		a->atime_sec = BPF_CORE_READ(v, __i_atime.tv_sec);
		a->atime_nsec = BPF_CORE_READ(v, __i_atime.tv_nsec);
		a->mtime_sec = BPF_CORE_READ(v, __i_mtime.tv_sec);
		a->mtime_nsec = BPF_CORE_READ(v, __i_mtime.tv_nsec);
		a->ctime_sec = BPF_CORE_READ(v, __i_ctime.tv_sec);
		ctime_nsec = BPF_CORE_READ(v, __i_ctime.tv_nsec);
	} else {
		struct inode___old *o = (void *)ino;

		a->atime_sec = BPF_CORE_READ(o, i_atime.tv_sec);
		a->atime_nsec = BPF_CORE_READ(o, i_atime.tv_nsec);
		a->mtime_sec = BPF_CORE_READ(o, i_mtime.tv_sec);
		a->mtime_nsec = BPF_CORE_READ(o, i_mtime.tv_nsec);
		if (bpf_core_field_exists(((struct inode___v67 *)ino)->__i_ctime)) {    /* 6.6 */
			struct inode___v67 *v = (void *)ino;

			a->ctime_sec = BPF_CORE_READ(v, __i_ctime.tv_sec);
			ctime_nsec = BPF_CORE_READ(v, __i_ctime.tv_nsec);
		} else {
			a->ctime_sec = BPF_CORE_READ(o, i_ctime.tv_sec);
			ctime_nsec = BPF_CORE_READ(o, i_ctime.tv_nsec);
		}
	}
	a->ctime_nsec = ctime_nsec & ~(1U << 31);   /* I_CTIME_QUERIED (multigrain, 6.13+) */
}

/* The struct file installed at descriptor fd, or NULL. */
static __always_inline struct file *fs_fd_file(struct task_struct *task, __s64 fd)
{
	struct fdtable *fdt;
	struct file *f = NULL;

	if (fd < 0)
		return NULL;
	fdt = task->files->fdt;            /* task: a BTF pointer, plain loads */
	if (!fdt || fd >= fdt->max_fds)
		return NULL;
	bpf_probe_read_kernel(&f, sizeof(f), &fdt->fd[fd]);
	return f;
}

/* References held on a struct file. */
static __always_inline __s64 fs_file_refs(struct file *f)
{
	if (bpf_core_field_exists(f->f_ref)) {
		/* file_ref_t stores refs - 1: 0 = one reference (FILE_REF_ONEREF) */
		return BPF_CORE_READ(f, f_ref.refcnt.counter) + 1;
	}
	return BPF_CORE_READ((struct file___old *)f, f_count.counter);
}

/* Does dropping one reference release the struct file (__fput)? */
static __always_inline bool fs_file_last_ref(struct file *f)
{
	return fs_file_refs(f) == 1;
}

static __always_inline __u32 fs_dcache_mounted(void)
{
	if (bpf_core_enum_value_exists(enum dentry_flags, DCACHE_MOUNTED))
		return bpf_core_enum_value(enum dentry_flags, DCACHE_MOUNTED);
	return FS_DCACHE_MOUNTED_OLD;
}

static __always_inline struct mount *fs_real_mount(__u64 vfsmnt)
{
	return (struct mount *)(vfsmnt - bpf_core_field_offset(struct mount, mnt));
}

static __always_inline __u64 fs_vfsmount(struct mount *m)
{
	return (__u64)m + bpf_core_field_offset(struct mount, mnt);
}

/* Copy a dentry's name; returns its length. Names are NUL-terminated in the dcache. */
static __always_inline __u32 fs_copy_dname(char *dst, struct dentry *d)
{
	const unsigned char *name = FS_GET(struct dentry, d, d_name.name);
	long n;

	n = bpf_probe_read_kernel_str(dst, KFLOWD_NAME_MAX, name);
	return n > 0 ? n - 1 : 0;
}

static __always_inline __u64 fs_dname_ptr(__u64 dentry)
{
	return (__u64)FS_GET(struct dentry, dentry, d_name.name);
}

static __always_inline bool fs_task_ignored(__u32 tgid)
{
	if (!cfg.monitor_files)
		return true;
	if (kflowd_ignored(tgid)) {
		kflowd_stat(KFLOWD_STAT_FILE_FILTERED);
		return true;
	}
	return false;
}

/* ---- the directory path message ------------------------------------------------------ */

struct fs_walk {
	__u64 dentry;
	__u64 mnt;
	__u32 pos;      /* first byte written so far */
	__u32 flags;    /* KFLOWD_PATH_* */
	__u32 skip;     /* the next name is the file's own: not part of the directory */
	__u32 done;
};

static long fs_walk_step(__u32 i, void *ctx)
{
	struct fs_walk *w = ctx;
	struct dentry *d = (void *)w->dentry;
	struct vfsmount *vm = (void *)w->mnt;
	struct dentry *parent = NULL, *root = NULL;
	const unsigned char *name = NULL;
	struct fs_path_buf *buf;
	__u32 zero = 0, len = 0, pos;

	if (FS_DIRECT) {
		struct dentry *dd = FS_CAST(struct dentry, d);

		parent = dd->d_parent;
		root = FS_CAST(struct vfsmount, vm)->mnt_root;
		len = dd->d_name.len;
		name = dd->d_name.name;
	} else {
		FS_READ(parent, d->d_parent);
		FS_READ(root, vm->mnt_root);
		FS_READ(len, d->d_name.len);
		FS_READ(name, d->d_name.name);
	}
	if (d == root || d == parent) {
		struct mount *m = fs_real_mount(w->mnt);
		struct mount *up = FS_GET(struct mount, m, mnt_parent);

		if (d != root) {                /* a disconnected dentry: no way up */
			w->flags |= KFLOWD_PATH_CUT;
			return 1;
		}
		if (!up || up == m) {           /* the namespace root */
			w->done = 1;
			return 1;
		}
		w->dentry = (__u64)FS_GET(struct mount, m, mnt_mountpoint);
		w->mnt = fs_vfsmount(up);
		return 0;
	}
	if (w->skip) {
		w->skip = 0;
		w->dentry = (__u64)parent;
		return 0;
	}
	pos = w->pos;
	if (len == 0 || len >= KFLOWD_NAME_MAX || pos < FS_PATH_HDR + len + 1) {
		w->flags |= KFLOWD_PATH_CUT;
		return 1;
	}
	buf = bpf_map_lookup_elem(&fs_path_scratch, &zero);
	if (!buf)
		return 1;
	pos -= len;
	bpf_probe_read_kernel(&buf->b[pos & FS_PATH_MASK], len & (KFLOWD_NAME_MAX - 1), name);
	pos -= 1;
	buf->b[pos & FS_PATH_MASK] = '/';
	w->pos = pos;
	w->dentry = (__u64)parent;
	return 0;
}

/*
 * Send the absolute directory of (dentry, mnt) for record_id: up the dentries to the mount
 * root, on in the parent mount from the mount point, to the namespace root. skip: dentry is
 * the file itself, its name is not part of the directory.
 */
__noinline int fs_emit_path(__u64 dentry, __u64 mnt, __u64 record_id, __u32 skip)
{
	struct fs_walk w = {
		.dentry = dentry, .mnt = mnt, .pos = FS_PATH_END - 1, .skip = skip,
	};
	struct kflowd_file_path *msg;
	struct fs_path_buf *buf;
	__u32 zero = 0, pos, len;

	if (!dentry || !mnt)
		return 0;
	buf = bpf_map_lookup_elem(&fs_path_scratch, &zero);
	if (!buf)
		return 0;
	buf->b[FS_PATH_END - 1] = '/';
	bpf_loop(FS_PATH_STEPS, fs_walk_step, &w, 0);
	if (!w.done)
		w.flags |= KFLOWD_PATH_CUT;
	pos = w.pos;
	if (pos < FS_PATH_HDR || pos > FS_PATH_END - 1)
		return 0;
	len = FS_PATH_END - pos;
	msg = (void *)&buf->b[pos - FS_PATH_HDR];
	msg->type = KFLOWD_MSG_FILE_PATH;
	msg->flags = w.flags;
	msg->record_id = record_id;
	msg->len = len;
	msg->pad = 0;
	kflowd_ring_output(msg, FS_PATH_HDR + len, KFLOWD_DROP_PATH_RING_FULL);
	return 0;
}

/* ---- records ------------------------------------------------------------------------- */

/* One event on one file, as the programs hand it to fs_event. Scalars only (global func). */
struct fs_target {
	__u64 dentry;       /* the file: its name */
	__u64 inode;        /* attributes from here; 0: attrs holds a snapshot */
	__u64 dir_dentry;   /* where the directory walk starts */
	__u64 dir_mnt;
	__u32 dir_skip;     /* dir_dentry is the file itself */
	__u32 xflags;       /* KFLOWD_FILE_* to set on the record */
	__u64 name;         /* kernel address of a name to use instead of the dentry's, or 0 */
	__u64 origin;       /* kernel address of the old name of a rename, or 0 */
	__u64 old_dir;      /* MOVED_TO: the directory before; a new one is sent if it differs */
	__u32 rename_to;    /* MOVED_TO: name = dentry's, origin set */
	__u32 export;       /* export after this event (symlink, hard link) */
	__u64 moved_dentry; /* MOVED_FROM of a rename: the moved dentry, at its new name; a record
	                       that starts here takes MOVED_TO at once and is exported (no map
	                       round trip); fs_event returns 1 then */
	__u64 moved_mnt;
	__u32 also_open;    /* CREATE by open(2): OPEN counted in the same call (only without -e,
	                       where CREATE alone never ends a record) */
	__u32 pad2;
	struct fs_attrs a;
};

static __always_inline void fs_apply(struct kflowd_file_record *r, struct fs_attrs *a,
				     __u32 ev, __u64 now, __u32 xflags, bool shared)
{
	r->ts_last = now;
	r->mode = a->mode;
	r->nlink = a->nlink;
	r->fuid = a->uid;
	r->fgid = a->gid;
	r->size = a->size;
	r->atime_sec = a->atime_sec;
	r->atime_nsec = a->atime_nsec;
	r->mtime_sec = a->mtime_sec;
	r->mtime_nsec = a->mtime_nsec;
	r->ctime_sec = a->ctime_sec;
	r->ctime_nsec = a->ctime_nsec;
	r->flags |= xflags;
	barrier_var(ev);        /* keep the bound check next to the access for the verifier */
	if (ev < KFLOWD_EV_COUNT) {
		if (shared)
			__sync_fetch_and_add(&r->events[ev], 1);
		else
			r->events[ev] += 1;
	}
}

static __always_inline bool fs_export_due(struct kflowd_file_record *r, __u32 ev, __u32 export)
{
	__u32 total = 0;

	if (export || ev == KFLOWD_EV_CLOSE_WRITE || ev == KFLOWD_EV_CLOSE_NOWRITE ||
	    ev == KFLOWD_EV_DELETE || ev == KFLOWD_EV_MOVED_TO)
		return true;
	if (!cfg.max_events)
		return false;
#pragma unroll
	for (int i = 0; i < KFLOWD_EV_COUNT; i++)
		total += r->events[i];
	return total >= cfg.max_events;
}

static __always_inline void fs_export(struct kflowd_file_record *r)
{
	if (!kflowd_ring_output(r, sizeof(*r), KFLOWD_DROP_RING_FULL))
		kflowd_stat(KFLOWD_STAT_FILE_EXPORTS);
}

/* The event on a record that exists in the map. */
static __always_inline void fs_update(struct kflowd_file_record *r, struct kflowd_file_key *key,
				      struct fs_target *t, __u32 ev, __u64 now)
{
	fs_apply(r, &t->a, ev, now, t->xflags, true);
	if (t->rename_to) {
		if (t->origin) {
			long n = bpf_probe_read_kernel_str(r->origin, KFLOWD_NAME_MAX, (void *)t->origin);

			r->origin_len = n > 0 ? n - 1 : 0;
		}
		if (t->dentry) {
			struct dentry *d = (void *)t->dentry;
			__u64 dir;

			r->name_len = fs_copy_dname(r->name, d);
			dir = (__u64)FS_GET(struct dentry, d, d_parent);
			/* moved to another directory: user space keeps a record's last path message */
			if (dir != t->old_dir)
				fs_emit_path(t->dir_dentry, t->dir_mnt, r->record_id, t->dir_skip);
		}
	}
	if (fs_export_due(r, ev, t->export)) {
		fs_export(r);
		bpf_map_delete_elem(&file_records, key);
	}
}

/*
 * Count event ev on the file of t for the current process: update its record or start one
 * (process fields, name, directory path message), export it when due.
 */
/*
 * -D: one trace-pipe line per counted event of the traced tasks (spec 10.7). cfg is
 * constant after load, so with -D off the verifier removes all of this. Files on tracefs
 * are skipped, or reading trace_pipe would feed itself.
 */
#define FS_TRACEFS_MAGIC 0x74726163
static __always_inline void fs_debug(struct fs_target *t, __u32 ev, __u64 pid_tgid)
{
	char comm[KFLOWD_COMM_MAX];
	struct inode *inode;

	if (cfg.debug_mode != KFLOWD_DEBUG_COMM && cfg.debug_mode != KFLOWD_DEBUG_ALL)
		return;
	/* a local first: CO-RE must relocate the inode's fields, not fs_target's */
	inode = (struct inode *)t->inode;
	if (inode && BPF_CORE_READ(inode, i_sb, s_magic) == FS_TRACEFS_MAGIC)
		return;
	if (cfg.debug_mode == KFLOWD_DEBUG_COMM) {
		bpf_get_current_comm(comm, sizeof(comm));
#pragma unroll
		for (int i = 0; i < KFLOWD_COMM_MAX; i++) {
			if (comm[i] != cfg.debug_comm[i])
				return;
			if (!comm[i])
				break;
		}
	}
	bpf_printk("kflowd FILE event %u tgid %u", ev, (__u32)(pid_tgid >> 32));
	bpf_printk("kflowd FILE dev %llx ino %llu", t->a.dev, t->a.ino);
}

__noinline int fs_event(struct fs_target *t, __u32 ev)
{
	struct kflowd_file_record *r, *s;
	struct kflowd_file_key key = {};
	__u64 pid_tgid, now;
	__u32 zero = 0;
	bool due;
	long err;

	if (!t || ev >= KFLOWD_EV_COUNT)
		return 0;
	if (t->inode)
		fs_read_attrs((struct inode *)t->inode, &t->a);
	if (!fs_mode_ok(t->a.mode) || !t->a.ino) {
		kflowd_stat(KFLOWD_STAT_FILE_FILTERED);
		return 0;
	}
	kflowd_stat(KFLOWD_STAT_FILE_EVENTS);
	pid_tgid = bpf_get_current_pid_tgid();
	fs_debug(t, ev, pid_tgid);
	now = bpf_ktime_get_ns();
	key.dev = t->a.dev;
	key.ino = t->a.ino;
	key.tgid = pid_tgid >> 32;

	r = bpf_map_lookup_elem(&file_records, &key);
	if (r) {
		fs_update(r, &key, t, ev, now);
		if (t->also_open && !cfg.max_events) {
			kflowd_stat(KFLOWD_STAT_FILE_EVENTS);
			fs_debug(t, KFLOWD_EV_OPEN, pid_tgid);
			fs_apply(r, &t->a, KFLOWD_EV_OPEN, now, 0, true);
		}
		return 0;
	}

	s = bpf_map_lookup_elem(&fs_rec_scratch, &zero);
	if (!s)
		return 0;
	FS_ZERO(s);
	s->type = KFLOWD_MSG_FILE_RECORD;
	s->record_id = kflowd_next_record_id();
	s->ts_first = now;
	s->dev = t->a.dev;
	s->ino = t->a.ino;
	kflowd_fill_proc(s, pid_tgid);
	s->size_first = t->a.size;
	s->mtime_first_sec = t->a.mtime_sec;
	s->mtime_first_nsec = t->a.mtime_nsec;
	if (t->name) {
		err = bpf_probe_read_kernel_str(s->name, KFLOWD_NAME_MAX, (void *)t->name);
		s->name_len = err > 0 ? err - 1 : 0;
	} else if (t->dentry) {
		s->name_len = fs_copy_dname(s->name, (void *)t->dentry);
	}
	if (t->origin) {
		err = bpf_probe_read_kernel_str(s->origin, KFLOWD_NAME_MAX, (void *)t->origin);
		s->origin_len = err > 0 ? err - 1 : 0;
	}
	fs_apply(s, &t->a, ev, now, t->xflags, false);
	if (t->also_open && !cfg.max_events) {
		kflowd_stat(KFLOWD_STAT_FILE_EVENTS);
		fs_debug(t, KFLOWD_EV_OPEN, pid_tgid);
		fs_apply(s, &t->a, KFLOWD_EV_OPEN, now, 0, false);
	}
	kflowd_stat(KFLOWD_STAT_FILE_RECORDS);

	/*
	 * The path message goes out before the record can: a record's path always precedes it
	 * in the ring (also when another CPU exports the record right after the insert).
	 */
	fs_emit_path(t->dir_dentry, t->dir_mnt, s->record_id, t->dir_skip);
	due = fs_export_due(s, ev, t->export);
	if (!due && t->moved_dentry) {
		/* what fs_update does for the MOVED_TO that follows, on the record being built */
		struct dentry *d = (void *)t->moved_dentry;
		__u64 dir;

		fs_apply(s, &t->a, KFLOWD_EV_MOVED_TO, now, 0, false);
		__builtin_memcpy(s->origin, s->name, KFLOWD_NAME_MAX);
		s->origin_len = s->name_len;
		s->name_len = fs_copy_dname(s->name, d);
		dir = (__u64)FS_GET(struct dentry, d, d_parent);
		if (dir != t->dir_dentry)
			fs_emit_path(t->moved_dentry, t->moved_mnt, s->record_id, 1);
		kflowd_stat(KFLOWD_STAT_FILE_EVENTS);
		fs_debug(t, KFLOWD_EV_MOVED_TO, pid_tgid);
		fs_export(s);
		return 1;
	}
	if (!due) {
		err = bpf_map_update_elem(&file_records, &key, s, BPF_NOEXIST);
		if (err == -17 /* EEXIST: another thread of this process was first */) {
			/* its record gets the event; the path message sent above has no record */
			r = bpf_map_lookup_elem(&file_records, &key);
			if (r)
				fs_update(r, &key, t, ev, now);
			return 0;
		}
		if (err) {
			/* map full: the event still goes out, as a record of its own */
			kflowd_drop(KFLOWD_DROP_AGG_FULL);
			due = true;
		}
	}
	if (due)
		fs_export(s);
	return 0;
}

/* Fill t from an open file; false if the file is not a regular file or symlink. */
static __always_inline bool fs_target_file(struct fs_target *t, struct file *f)
{
	struct inode *ino = NULL;
	struct dentry *d = NULL;
	struct vfsmount *m = NULL;
	__u32 mode;

	if (!f)
		return false;
	if (FS_DIRECT) {
		struct file *ff = FS_CAST(struct file, f);

		ino = ff->f_inode;
		mode = ino ? ino->i_mode : 0;
		d = ff->f_path.dentry;
		m = ff->f_path.mnt;
	} else {
		FS_READ(ino, f->f_inode);
		mode = ino ? fs_inode_mode(ino) : 0;
		FS_READ(d, f->f_path.dentry);
		FS_READ(m, f->f_path.mnt);
	}
	if (!fs_mode_ok(mode)) {
		kflowd_stat(KFLOWD_STAT_FILE_FILTERED);
		return false;
	}
	t->dentry = (__u64)d;
	t->inode = (__u64)ino;
	t->dir_dentry = (__u64)d;
	t->dir_mnt = (__u64)m;
	t->dir_skip = 1;
	return true;
}

static __always_inline void fs_file_event(struct file *f, __u32 ev)
{
	struct fs_target t = {};

	if (fs_target_file(&t, f))
		fs_event(&t, ev);
}

/* The last reference of f goes away: CLOSE_WRITE / CLOSE_NOWRITE. */
static __always_inline void fs_close_file(struct file *f)
{
	fmode_t mode;

	if (!f || !fs_file_last_ref(f))
		return;
	mode = FS_GET(struct file, f, f_mode);
	fs_file_event(f, (mode & FS_FMODE_WRITE) ? KFLOWD_EV_CLOSE_WRITE : KFLOWD_EV_CLOSE_NOWRITE);
}

/* ---- closing a range of descriptors (close_range, exit) ------------------------------ */

struct fs_fds {
	__u64 fds;        /* struct file ** */
	__u64 open_fds;   /* unsigned long * */
	__u32 lo, hi;     /* inclusive */
	__u64 word;       /* bits of the current word still to close */
	__u32 base;
};

static long fs_fds_bit(__u32 i, void *ctx)
{
	struct fs_fds *c = ctx;
	struct file *f = NULL;

	if (!c->word)
		return 1;
	if (c->word & (1ULL << (i & 63))) {
		c->word &= ~(1ULL << (i & 63));
		bpf_probe_read_kernel(&f, sizeof(f), (void *)(c->fds + 8ULL * (c->base + i)));
		fs_close_file(f);
	}
	return 0;
}

static long fs_fds_word(__u32 i, void *ctx)
{
	struct fs_fds *c = ctx;
	__u32 base = (c->lo & ~63U) + i * 64;
	__u64 word = 0;

	if (base > c->hi)
		return 1;
	bpf_probe_read_kernel(&word, sizeof(word), (void *)(c->open_fds + 8ULL * (base / 64)));
	if (base < c->lo)
		word &= ~0ULL << (c->lo - base);
	if (c->hi - base < 63)
		word &= ~0ULL >> (63 - (c->hi - base));
	if (!word)
		return 0;
	c->word = word;
	c->base = base;
	bpf_loop(64, fs_fds_bit, c, 0);
	return 0;
}

static __always_inline void fs_close_fds(struct task_struct *task, __u32 lo, __u32 hi)
{
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct fs_fds c = {};
	unsigned int max;

	if (!fdt)
		return;
	max = BPF_CORE_READ(fdt, max_fds);
	if (!max || lo >= max)
		return;
	if (hi >= max)
		hi = max - 1;
	c.fds = (__u64)BPF_CORE_READ(fdt, fd);
	c.open_fds = (__u64)BPF_CORE_READ(fdt, open_fds);
	c.lo = lo;
	c.hi = hi;
	bpf_loop(FS_FD_WORDS, fs_fds_word, &c, 0);
}

/* ---- path resolution against the dentry cache ----------------------------------------- */

#define FS_RES_FOLLOW  1   /* follow a symlink in the last component */
#define FS_RES_PARENT  2   /* stop at the directory of the last component; name in ->last */

#define FS_CMP_COMP  0xffffffff   /* fs_word_eq: the name searched for is in sb->comp */

/*
 * Bytes [o, o + 8) of the name searched for and sb->cand equal, counting only bytes below
 * len? The name is sb->comp, or (at != FS_CMP_COMP) read in place from the path at byte at
 * (unaligned loads from a map value: one bpf_probe_read_kernel less per component).
 */
static __always_inline bool fs_word_eq(struct fs_res_buf *sb, __u32 at, __u32 o, __u32 len)
{
	__u64 x = at == FS_CMP_COMP ? *(__u64 *)&sb->comp[o & (KFLOWD_NAME_MAX - 8)]
				     : *(__u64 *)&sb->path[0][(at + o) & FS_RES_MASK];
	__u64 y = *(__u64 *)&sb->cand[o & (KFLOWD_NAME_MAX - 8)];
	__u32 rem = len - o;

	if (rem < 8) {
		__u64 m = (1ULL << (rem * 8)) - 1;

		x &= m;
		y &= m;
	}
	return x == y;
}

struct fs_cmp {
	__u32 len;
	__u32 eq;
	__u32 at;       /* FS_CMP_COMP, or where the name starts in sb->path[0] */
	__u32 pad;
};

static long fs_cmp_step(__u32 i, void *ctx)
{
	struct fs_cmp *c = ctx;
	struct fs_res_buf *sb;
	__u32 zero = 0, o = (i + 1) * 8;

	sb = bpf_map_lookup_elem(&fs_res_scratch, &zero);
	if (!sb || o >= c->len)
		return 1;
	if (!fs_word_eq(sb, c->at, o, c->len)) {
		c->eq = 0;
		return 1;
	}
	return 0;
}

/*
 * The name searched for (sb->comp, or the path at byte at) == sb->cand over len bytes
 * (1..255). The first word inline (most names differ
 * there), the rest in a bpf_loop: an unrolled 32-word loop cost the verifier 40000
 * instructions in every program that resolves paths.
 */
static __always_inline bool fs_name_eq_at(struct fs_res_buf *sb, __u32 at, __u32 len)
{
	struct fs_cmp c = { .len = len, .eq = 1, .at = at };

	if (!fs_word_eq(sb, at, 0, len))
		return false;
	if (len > 8)
		bpf_loop(KFLOWD_NAME_MAX / 8 - 1, fs_cmp_step, &c, 0);
	return c.eq;
}

static __always_inline bool fs_name_eq(struct fs_res_buf *sb, __u32 len)
{
	return fs_name_eq_at(sb, FS_CMP_COMP, len);
}

struct fs_child {
	__u64 node;     /* current list node (hlist_node / list_head) */
	__u64 end;      /* list end: 0 (hlist) or the list head's address */
	__u64 off;      /* offset of the node in struct dentry */
	__u64 found;
	__u32 len;
	__u32 pad;
};

static long fs_child_step(__u32 i, void *ctx)
{
	struct fs_child *c = ctx;
	struct dentry *d;
	struct fs_res_buf *sb;
	const unsigned char *name = NULL;
	__u32 zero = 0, len = 0;
	__u64 pprev = 0, next = 0;

	if (!c->node || c->node == c->end)
		return 1;
	if (FS_DIRECT) {
		/* plain loads: this loop runs over every cached entry of a directory */
		struct dentry *dd = FS_CAST(struct dentry, c->node - c->off);

		len = dd->d_name.len;
		pprev = (__u64)dd->d_hash.pprev;
		name = dd->d_name.name;
		next = (__u64)FS_CAST(struct hlist_node, c->node)->next;  /* list_head: next too */
		d = (void *)(c->node - c->off);
	} else {
		d = (void *)(c->node - c->off);
		FS_READ(len, d->d_name.len);
		if (len == c->len) {
			FS_READ(pprev, d->d_hash.pprev);
			FS_READ(name, d->d_name.name);
		}
		bpf_probe_read_kernel(&next, sizeof(next), (void *)c->node);
	}
	/* unhashed (pprev NULL): deleted, or still being looked up */
	if (len == c->len && pprev) {
		sb = bpf_map_lookup_elem(&fs_res_scratch, &zero);
		if (!sb)
			return 1;
		bpf_probe_read_kernel(sb->cand, len & (KFLOWD_NAME_MAX - 1), name);
		if (fs_name_eq(sb, len)) {
			c->found = (__u64)d;
			return 1;
		}
	}
	c->node = next;
	return 0;
}

/* The cached child of dir named sb->comp (len bytes), or 0. */
static __always_inline __u64 fs_lookup_child(__u64 dir, __u32 len)
{
	struct fs_child c = { .len = len };

	if (bpf_core_field_exists(struct dentry, d_children)) {       /* 6.8+: hlist */
		c.node = (__u64)FS_GET(struct dentry, dir, d_children.first);
		c.off = bpf_core_field_offset(struct dentry, d_sib);
	} else {
		struct dentry___old *d = (void *)dir;

		FS_READ(c.node, d->d_subdirs.next);
		c.end = dir + bpf_core_field_offset(struct dentry___old, d_subdirs);
		c.off = bpf_core_field_offset(struct dentry___old, d_child);
	}
	bpf_loop(FS_RES_CHILDREN, fs_child_step, &c, 0);
	return c.found;
}

struct fs_mnt_child {
	__u64 node;
	__u64 end;
	__u64 mountpoint;
	__u64 found;
};

static long fs_mnt_step(__u32 i, void *ctx)
{
	struct fs_mnt_child *c = ctx;
	struct mount *m;
	__u64 mp = 0;

	if (!c->node || c->node == c->end)
		return 1;
	m = (void *)(c->node - bpf_core_field_offset(struct mount, mnt_child));
	FS_READ(mp, m->mnt_mountpoint);
	if (mp == c->mountpoint) {
		c->found = (__u64)m;
		return 1;
	}
	bpf_probe_read_kernel(&c->node, sizeof(c->node), (void *)c->node);
	return 0;
}

/* Step from a mount point into what is mounted on it (*dentry, *mnt updated). */
static __always_inline void fs_cross_mounts(__u64 *dentry, __u64 *mnt)
{
	__u32 mounted = fs_dcache_mounted();

	for (int i = 0; i < FS_MOUNT_STACK; i++) {
		struct fs_mnt_child c = {};
		struct dentry *d = (void *)*dentry;
		struct mount *parent, *found;
		unsigned int flags = 0;

		FS_READ(flags, d->d_flags);
		if (!(flags & mounted))
			return;
		parent = fs_real_mount(*mnt);
		c.end = (__u64)parent + bpf_core_field_offset(struct mount, mnt_mounts);
		FS_READ(c.node, parent->mnt_mounts.next);
		c.mountpoint = *dentry;
		bpf_loop(FS_RES_MOUNTS, fs_mnt_step, &c, 0);
		if (!c.found)
			return;          /* mounted in another namespace */
		found = (void *)c.found;
		*mnt = fs_vfsmount(found);
		FS_READ(*dentry, found->mnt.mnt_root);
	}
}

/* "..": up one directory, leaving mount roots through their mount points. */
static __always_inline void fs_dotdot(struct fs_res *r)
{
	for (int i = 0; i < FS_MOUNT_STACK; i++) {
		struct vfsmount *vm = (void *)r->mnt;
		struct mount *m;
		struct mount *up = NULL;
		__u64 root = 0;

		if (r->dentry == r->root_dentry && r->mnt == r->root_mnt)
			return;
		FS_READ(root, vm->mnt_root);
		if (r->dentry != root)
			break;
		m = fs_real_mount(r->mnt);
		FS_READ(up, m->mnt_parent);
		if (!up || up == m)
			return;
		FS_READ(r->dentry, m->mnt_mountpoint);
		r->mnt = fs_vfsmount(up);
	}
	{
		struct dentry *d = (void *)r->dentry;

		FS_READ(r->dentry, d->d_parent);
	}
}

/*
 * The component r->cstart/r->clen of buf is complete; last: nothing follows it. rest: where
 * the path goes on after it (spliced after a symlink's target).
 */
static __noinline void fs_res_component(struct fs_res *r, __u32 last, __u32 rest)
{
	struct fs_res_buf *sb;
	__u32 zero = 0, start = r->cstart, len = r->clen;
	__u64 child, mnt;
	struct inode *ino;
	char *buf, c0, c1;

	r->clen = 0;
	sb = bpf_map_lookup_elem(&fs_res_scratch, &zero);
	if (!sb || len == 0 || len >= KFLOWD_NAME_MAX) {
		r->err = -36;    /* ENAMETOOLONG */
		return;
	}
	buf = r->cur ? sb->path[1] : sb->path[0];
	if (last && (r->flags & FS_RES_PARENT)) {
		bpf_probe_read_kernel(sb->last, len & (KFLOWD_NAME_MAX - 1), buf + (start & FS_RES_MASK));
		sb->last[len & (KFLOWD_NAME_MAX - 1)] = 0;
		r->last_len = len;
		r->done = 1;
		return;
	}
	c0 = buf[start & FS_RES_MASK];
	c1 = buf[(start + 1) & FS_RES_MASK];
	if (len == 1 && c0 == '.') {
		r->noncanon = 1;
		r->done = last;
		return;
	}
	if (len == 2 && c0 == '.' && c1 == '.') {
		r->noncanon = 1;
		fs_dotdot(r);
		r->done = last;
		return;
	}

	bpf_probe_read_kernel(sb->comp, len & (KFLOWD_NAME_MAX - 1), buf + (start & FS_RES_MASK));
	child = fs_lookup_child(r->dentry, len);
	if (!child) {
		r->err = -2;     /* ENOENT: not in the dentry cache */
		r->missing_last = last;   /* r->dentry/mnt: the directory it would be in */
		return;
	}
	mnt = r->mnt;
	fs_cross_mounts(&child, &mnt);
	ino = fs_dentry_inode((struct dentry *)child);
	if (!ino) {
		r->err = -2;     /* a negative dentry */
		return;
	}
	if ((fs_inode_mode(ino) & FS_S_IFMT) == FS_S_IFLNK && (!last || (r->flags & FS_RES_FOLLOW))) {
		/* go on with target + "/" + the rest of the path, in the other buffer */
		const char *target = NULL;
		char *nb = r->cur ? sb->path[0] : sb->path[1];
		long n;

		FS_READ(target, ino->i_link);
		if (!target || ++r->links > FS_RES_LINKS) {
			r->err = -40;  /* not an inline symlink, or ELOOP */
			return;
		}
		n = bpf_probe_read_kernel_str(nb, FS_RES_PATH_MAX, target);
		if (n <= 1 || n >= FS_RES_PATH_MAX - 1) {
			r->err = -40;
			return;
		}
		nb[(n - 1) & FS_RES_MASK] = '/';
		if (last)
			nb[n & FS_RES_MASK] = 0;
		else
			bpf_probe_read_kernel_str(nb + (n & (FS_RES_PATH_MAX - 1)), FS_RES_PATH_MAX,
						  buf + (rest & FS_RES_MASK));
		r->cur = !r->cur;
		r->pos = 0;
		r->in_comp = 0;
		r->spliced = 1;
		if (nb[0] == '/') {
			r->dentry = r->root_dentry;
			r->mnt = r->root_mnt;
		}
		return;
	}
	r->dentry = child;
	r->mnt = mnt;
	r->done = last;
}

/* 0x80 in each byte of w that is zero (exact, no false positives) */
static __always_inline __u64 fs_zero_bytes(__u64 w)
{
	const __u64 lo7 = 0x7f7f7f7f7f7f7f7fULL;

	return ~(((w & lo7) + lo7) | w | lo7);
}

/* index of the first byte flagged in a non-zero fs_zero_bytes() mask */
static __always_inline __u32 fs_first_byte(__u64 m)
{
	/* branch-free (fewer verifier states): bytes below the lowest flag, counted by a multiply */
	__u64 below = ((m & -m) - 1) & 0x0101010101010101ULL;

	return ((below * 0x0101010101010101ULL) >> 56) - 1;
}

/*
 * One step through the path: eight bytes at a time, up to the next component boundary. A
 * component is resolved when the next one starts (or the path ends), so that it is known
 * whether it is the last one. No loops in here: the verifier sees one small step, bpf_loop
 * repeats it.
 */
static long fs_res_step(__u32 i, void *ctx)
{
	const __u64 slashes = 0x2f2f2f2f2f2f2f2fULL;
	struct fs_res_buf *sb;
	struct fs_res *r;
	__u32 zero = 0, pos;
	__u64 w, m;
	char *buf, c;

	sb = bpf_map_lookup_elem(&fs_res_scratch, &zero);
	if (!sb)
		return 1;
	r = &sb->st;
	pos = r->pos;
	if (pos > FS_RES_MASK) {
		r->err = -36;
		return 1;
	}
	buf = r->cur ? sb->path[1] : sb->path[0];
	w = *(__u64 *)(buf + (pos & FS_RES_MASK));
	if (r->in_comp) {
		/* inside a component: to the next '/' or the end */
		m = fs_zero_bytes(w ^ slashes) | fs_zero_bytes(w);
		if (!m) {
			r->pos = pos + 8;
			return 0;
		}
		pos += fs_first_byte(m);
		r->in_comp = 0;
		r->clen = pos - r->cstart;
		c = buf[pos & FS_RES_MASK];
		if (c == '/') {
			r->pos = pos + 1;
			return 0;
		}
	} else {
		/* between components: skip slashes */
		m = ~fs_zero_bytes(w ^ slashes) & 0x8080808080808080ULL;
		if (!m) {
			r->pos = pos + 8;
			return 0;
		}
		pos += fs_first_byte(m);
		c = buf[pos & FS_RES_MASK];
	}
	/* the path ends (c == 0), or a component starts at pos: resolve the one before */
	if (r->clen) {
		fs_res_component(r, c == 0, pos);
		if (r->err || r->done)
			return 1;
		if (r->spliced) {
			r->spliced = 0;
			return 0;
		}
	}
	if (c == 0) {
		r->done = 1;   /* nothing after the last component ("/", "dir/.") */
		return 1;
	}
	/* a canonical path has exactly one '/' before a component (or none before the first) */
	if (pos >= 2 && buf[(pos - 2) & FS_RES_MASK] == '/')
		r->noncanon = 1;
	/* the last component starts: the walk is at its directory, a cacheable one? */
	if (r->pfx_len && pos == r->pfx_len + 1 && !r->noncanon && !r->links && !r->cur) {
		r->pfx_dentry = r->dentry;
		r->pfx_mnt = r->mnt;
	}
	r->in_comp = 1;
	r->cstart = pos;
	r->pos = pos + 1;
	return 0;
}

/* ---- the directory cache ---------------------------------------------------------------- */

static __always_inline __u64 fs_mix(__u64 h, __u64 w)
{
	h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 32);
}

/* index of the last byte flagged in a non-zero fs_zero_bytes() mask */
static __always_inline __u32 fs_last_byte(__u64 m)
{
	/* flag every byte below the highest flagged one, then count the flags */
	m |= m >> 8;
	m |= m >> 16;
	m |= m >> 32;
	return ((((m >> 7) & 0x0101010101010101ULL) * 0x0101010101010101ULL) >> 56) - 1;
}

struct fs_pfx {
	__u64 h;        /* hash of the whole words so far */
	__u64 hl;       /* hash of the bytes before the last '/' seen */
	__u32 n;        /* path length */
	__u32 l;        /* position of the last '/' seen (0: none, or only at 0) */
};

/* one word of path[0]: the hash of everything before its last '/' */
static long fs_pfx_step(__u32 i, void *ctx)
{
	const __u64 slashes = 0x2f2f2f2f2f2f2f2fULL;
	struct fs_pfx *p = ctx;
	struct fs_res_buf *sb;
	__u32 zero = 0, o = i * 8, rem;
	__u64 w, m;

	sb = bpf_map_lookup_elem(&fs_res_scratch, &zero);
	if (!sb || o >= p->n)
		return 1;
	w = *(__u64 *)&sb->path[0][o & FS_RES_MASK];
	rem = p->n - o;
	if (rem < 8)
		w &= (1ULL << (rem * 8)) - 1;     /* the NUL and what follows it: 0, not '/' */
	m = fs_zero_bytes(w ^ slashes);
	if (m) {
		__u32 j = fs_last_byte(m) & 7;

		p->l = o + j;
		p->hl = fs_mix(p->h, w & ((1ULL << (j * 8)) - 1));
	}
	p->h = fs_mix(p->h, w);
	return 0;
}

struct fs_val {
	__u64 dentry;         /* where the walk up is */
	__u64 mnt;
	__u64 start_dentry;
	__u64 start_mnt;
	__u32 pos;            /* prefix bytes not matched yet */
	__u32 crossed;        /* dentry was reached by leaving a mount (its mount point) */
	__u32 ok;
	__u32 mounted;        /* DCACHE_MOUNTED */
};

/*
 * One step up from v->dentry: either out of a mount (to its mount point) or to d_parent,
 * after matching the dentry's name with the end of the unmatched prefix.
 */
static long fs_val_step(__u32 i, void *ctx)
{
	struct fs_val *v = ctx;
	struct dentry *d = (void *)v->dentry;
	struct vfsmount *vm = (void *)v->mnt;
	struct dentry *parent = NULL, *root = NULL;
	const unsigned char *name = NULL;
	struct fs_res_buf *sb;
	__u32 zero = 0, len = 0, flags = 0, start;
	__u64 pprev = 0;

	if (v->dentry == v->start_dentry && v->mnt == v->start_mnt) {
		/* the walk from the start does not cross mounts on the start itself */
		v->ok = v->pos == 0 && !v->crossed;
		return 1;
	}
	if (v->pos == 0)
		return 1;
	if (FS_DIRECT) {
		struct dentry *dd = FS_CAST(struct dentry, d);

		parent = dd->d_parent;
		root = FS_CAST(struct vfsmount, vm)->mnt_root;
		len = dd->d_name.len;
		name = dd->d_name.name;
		pprev = (__u64)dd->d_hash.pprev;
		flags = dd->d_flags;
	} else {
		FS_READ(parent, d->d_parent);
		FS_READ(root, vm->mnt_root);
		FS_READ(len, d->d_name.len);
		FS_READ(name, d->d_name.name);
		FS_READ(pprev, d->d_hash.pprev);
		FS_READ(flags, d->d_flags);
	}
	/* reached from below: a mount on it would have been entered on the way down */
	if (!v->crossed && (flags & v->mounted))
		return 1;
	if (d == root) {
		struct mount *m = fs_real_mount(v->mnt);
		struct mount *up = FS_GET(struct mount, m, mnt_parent);

		if (!up || up == m)       /* the namespace root (or a detached mount) */
			return 1;
		v->dentry = (__u64)FS_GET(struct mount, m, mnt_mountpoint);
		v->mnt = fs_vfsmount(up);
		v->crossed = 1;
		return 0;
	}
	/* disconnected, unhashed (deleted, moved away), or longer than what is left */
	if (d == parent || !pprev || len == 0 || len >= KFLOWD_NAME_MAX || len > v->pos)
		return 1;
	start = v->pos - len;
	sb = bpf_map_lookup_elem(&fs_res_scratch, &zero);
	if (!sb)
		return 1;
	if (start && sb->path[0][(start - 1) & FS_RES_MASK] != '/')
		return 1;
	bpf_probe_read_kernel(sb->cand, len & (KFLOWD_NAME_MAX - 1), name);
	if (!fs_name_eq_at(sb, start & FS_RES_MASK, len))
		return 1;
	v->pos = start ? start - 1 : 0;
	v->dentry = (__u64)parent;
	v->crossed = 0;
	return 0;
}

/*
 * Is (dentry, mnt) what the walk from (start_dentry, start_mnt) through the first len bytes
 * of path[0] (canonical) arrives at? Proven from the dentry upwards, no child lists read.
 */
static __always_inline bool fs_dir_valid(struct fs_res *r, struct fs_dir_val *c, __u32 len)
{
	struct fs_val v = {
		.dentry = c->dentry, .mnt = c->mnt, .start_dentry = r->dentry,
		.start_mnt = r->mnt, .pos = len, .mounted = fs_dcache_mounted(),
	};
	struct inode *ino;

	if (!v.dentry || !v.mnt)
		return false;
	ino = fs_dentry_inode((struct dentry *)v.dentry);
	if (!ino || (fs_inode_mode(ino) & FS_S_IFMT) != 0040000 /* S_IFDIR */)
		return false;
	bpf_loop(FS_PATH_STEPS, fs_val_step, &v, 0);
	return v.ok;
}

/*
 * Find the dentry a path names, like the kernel's lookup, but only in the dentry cache:
 * from the process's root (absolute), its cwd (dirfd AT_FDCWD) or the dirfd's directory.
 * On success out->dentry/mnt are the file (FS_RES_PARENT: its directory, the last
 * component in fs_res_scratch.last). -2: only the last component is not cached,
 * out->dentry/mnt are its directory. Names that are not cached, slow symlinks (target not
 * inline in the inode) and directories with more than FS_RES_CHILDREN cached entries fail.
 */
__noinline int fs_resolve(struct fs_found *out, __s64 dirfd, __u64 upath, __u32 flags)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fs_dir_key dkey = {};
	struct fs_res_buf *sb;
	struct fs_struct *fs;
	struct fs_res *r;
	__u32 zero = 0;
	long n;

	if (!out)
		return -1;
	sb = bpf_map_lookup_elem(&fs_res_scratch, &zero);
	if (!sb || !upath)
		return -1;
	r = &sb->st;
	FS_ZERO(r);
	r->flags = flags;
	n = bpf_probe_read_user_str(sb->path[0], FS_RES_PATH_MAX, (void *)upath);
	if (n <= 1)
		return -1;
	fs = task->fs;          /* task: a BTF pointer, plain loads */
	r->root_dentry = (__u64)fs->root.dentry;
	r->root_mnt = (__u64)fs->root.mnt;
	if (sb->path[0][0] == '/') {
		r->dentry = r->root_dentry;
		r->mnt = r->root_mnt;
	} else if (dirfd == FS_AT_FDCWD) {
		r->dentry = (__u64)fs->pwd.dentry;
		r->mnt = (__u64)fs->pwd.mnt;
	} else {
		struct file *f = fs_fd_file(task, dirfd);

		if (!f)
			return -1;
		r->dentry = (__u64)FS_GET(struct file, f, f_path.dentry);
		r->mnt = (__u64)FS_GET(struct file, f, f_path.mnt);
	}
	/*
	 * The directory of the last component from the cache: the walk starts after the
	 * prefix. Else the whole walk, which stores the prefix's directory if it is canonical.
	 */
	{
		struct fs_pfx p = { .n = n - 1 };
		struct fs_dir_val *c;

		bpf_loop(FS_RES_PATH_MAX / 8, fs_pfx_step, &p, 0);
		if (p.l && p.l + 1 < p.n) {       /* a prefix, and something after its '/' */
			dkey.start_dentry = r->dentry;
			dkey.start_mnt = r->mnt;
			dkey.hash = p.hl;
			dkey.len = p.l;
			c = bpf_map_lookup_elem(&fs_dir_cache, &dkey);
			if (c && fs_dir_valid(r, c, p.l)) {
				r->dentry = c->dentry;
				r->mnt = c->mnt;
				r->pos = p.l + 1;
			} else {
				r->pfx_len = p.l;
			}
		}
	}
	bpf_loop(FS_RES_STEPS, fs_res_step, NULL, 0);
	if (r->pfx_dentry) {
		struct fs_dir_val c = { .dentry = r->pfx_dentry, .mnt = r->pfx_mnt };

		bpf_map_update_elem(&fs_dir_cache, &dkey, &c, BPF_ANY);
	}
	if (r->missing_last && r->dentry && r->mnt) {
		out->dentry = r->dentry;
		out->mnt = r->mnt;
		return -2;
	}
	if (!r->done || r->err || !r->dentry || !r->mnt)
		return -1;
	out->dentry = r->dentry;
	out->mnt = r->mnt;
	return 0;
}

/* ---- per-thread syscall state --------------------------------------------------------- */

/* The per-thread state of a syscall is built here, not on the stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fs_pending);
} fs_pend_scratch SEC(".maps");

static __always_inline struct fs_pending *fs_pend_new(__s32 nr, __u32 op)
{
	__u32 zero = 0;
	struct fs_pending *p = bpf_map_lookup_elem(&fs_pend_scratch, &zero);

	if (!p)
		return NULL;
	FS_ZERO(p);
	p->nr = nr;
	p->op = op;
	return p;
}

static __always_inline void fs_pend_commit(struct fs_pending *p)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (bpf_map_update_elem(&fs_pending, &tid, p, BPF_ANY))
		kflowd_drop(KFLOWD_DROP_FS_PENDING_FULL);
}

/* What the matching sys_enter left for this thread, or NULL. fs_pend_done() when used. */
static __always_inline struct fs_pending *fs_pend_get(__s32 nr)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct fs_pending *p = bpf_map_lookup_elem(&fs_pending, &tid);

	if (p && p->nr != nr) {          /* left by an enter whose exit we missed */
		bpf_map_delete_elem(&fs_pending, &tid);
		return NULL;
	}
	return p;
}

static __always_inline void fs_pend_done(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	bpf_map_delete_elem(&fs_pending, &tid);
}

/* ---- syscall arguments at sys_exit ---------------------------------------------------- */

/*
 * A sys_exit tracepoint has only the return value, but the arguments are still in the
 * user registers saved at syscall entry (task_pt_regs): no per-thread state, no sys_enter
 * program is needed to see a syscall's arguments once it has succeeded. 64-bit syscalls
 * only: the syscalls:* tracepoints do not fire for 32-bit (compat) syscalls on x86.
 */
static __always_inline struct pt_regs *fs_regs(void)
{
	return (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
}

/* regs is a BTF pointer (bpf_task_pt_regs): plain loads */
#define FS_ARG1(regs) PT_REGS_PARM1_SYSCALL(regs)
#define FS_ARG2(regs) PT_REGS_PARM2_SYSCALL(regs)
#define FS_ARG3(regs) PT_REGS_PARM3_SYSCALL(regs)
#define FS_ARG4(regs) PT_REGS_PARM4_SYSCALL(regs)
#define FS_ARG5(regs) PT_REGS_PARM5_SYSCALL(regs)

/* ---- OPEN / CREATE -------------------------------------------------------------------- */

#define FS_O_TRUNC 01000

/*
 * A new descriptor: OPEN, CREATE before it if this open created the file (FMODE_CREATED),
 * MODIFY after it if O_TRUNC truncated an existing file (the kernel's do_truncate ->
 * notify_change -> fsnotify FS_MODIFY, in that order).
 */
static __always_inline int fs_on_open(__s64 ret, __u64 oflags)
{
	struct task_struct *task;
	struct fs_target t = {};
	struct file *f;
	fmode_t mode;

	if (ret < 0 || fs_task_ignored(bpf_get_current_pid_tgid() >> 32))
		return 0;
	task = bpf_get_current_task_btf();
	f = fs_fd_file(task, ret);
	if (!fs_target_file(&t, f))
		return 0;
	mode = FS_GET(struct file, f, f_mode);
	if (mode & FS_FMODE_CREATED) {
		/* CREATE and OPEN in one call (one map lookup), unless -e N may end a record between them */
		t.also_open = !cfg.max_events;
		fs_event(&t, KFLOWD_EV_CREATE);
		if (!t.also_open)
			fs_event(&t, KFLOWD_EV_OPEN);
	} else {
		fs_event(&t, KFLOWD_EV_OPEN);
	}
	if ((oflags & FS_O_TRUNC) && !(mode & FS_FMODE_CREATED) &&
	    (t.a.mode & FS_S_IFMT) == FS_S_IFREG)
		fs_event(&t, KFLOWD_EV_MODIFY);
	return 0;
}

/* the open flags: from the saved user registers */
SEC("tp/syscalls/sys_exit_open")
int fs_open_x(struct fs_sys_exit *ctx)
{
	return fs_on_open(ctx->ret, ctx->ret >= 0 ? FS_ARG2(fs_regs()) : 0);
}

SEC("tp/syscalls/sys_exit_openat")
int fs_openat_x(struct fs_sys_exit *ctx)
{
	return fs_on_open(ctx->ret, ctx->ret >= 0 ? FS_ARG3(fs_regs()) : 0);
}

SEC("tp/syscalls/sys_exit_openat2")
int fs_openat2_x(struct fs_sys_exit *ctx)
{
	__u64 how, oflags = 0;

	if (ctx->ret >= 0) {
		how = FS_ARG3(fs_regs());                 /* struct open_how: flags first */
		bpf_probe_read_user(&oflags, sizeof(oflags), (void *)how);
	}
	return fs_on_open(ctx->ret, oflags);
}

SEC("tp/syscalls/sys_exit_creat")
int fs_creat_x(struct fs_sys_exit *ctx) { return fs_on_open(ctx->ret, FS_O_TRUNC); }

SEC("tp/syscalls/sys_exit_open_by_handle_at")
int fs_openbh_x(struct fs_sys_exit *ctx)
{
	return fs_on_open(ctx->ret, ctx->ret >= 0 ? FS_ARG3(fs_regs()) : 0);
}

/* ---- OPEN_EXEC ------------------------------------------------------------------------ */

SEC("tp_btf/sched_process_exec")
int BPF_PROG(fs_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	if (fs_task_ignored(bpf_get_current_pid_tgid() >> 32))
		return 0;
	fs_file_event(BPF_CORE_READ(bprm, file), KFLOWD_EV_OPEN_EXEC);
	return 0;
}

/*
 * The event ev on the file behind descriptor fd of the current process. The file type is
 * checked first: most reads and writes are on pipes and sockets, which end here cheaply.
 */
static __always_inline void fs_fd_event(__s64 fd, __u32 ev)
{
	struct fs_target t = {};

	if (!fs_target_file(&t, fs_fd_file(bpf_get_current_task_btf(), fd)))
		return;
	if (fs_task_ignored(bpf_get_current_pid_tgid() >> 32))
		return;
	fs_event(&t, ev);
}

/* ---- ACCESS / MODIFY / ATTRIB on a descriptor ------------------------------------------ */

/* read family: ACCESS if ret > 0 (fsnotify_access); write family: MODIFY if ret > 0 */
#define FS_RW_PROG(name, sc, ev)						\
SEC("tp/syscalls/sys_exit_" #sc)						\
int fs_##name##_x(struct fs_sys_exit *ctx)					\
{										\
	if (ctx->ret > 0)							\
		fs_fd_event((__s32)FS_ARG1(fs_regs()), ev);			\
	return 0;								\
}

/* fd calls that report on success (ret == 0) */
#define FS_FD0_PROG(name, sc, ev)						\
SEC("tp/syscalls/sys_exit_" #sc)						\
int fs_##name##_x(struct fs_sys_exit *ctx)					\
{										\
	if (ctx->ret == 0)							\
		fs_fd_event((__s32)FS_ARG1(fs_regs()), ev);			\
	return 0;								\
}

FS_RW_PROG(read,      read,      KFLOWD_EV_ACCESS)
FS_RW_PROG(pread,     pread64,   KFLOWD_EV_ACCESS)
FS_RW_PROG(readv,     readv,     KFLOWD_EV_ACCESS)
FS_RW_PROG(preadv,    preadv,    KFLOWD_EV_ACCESS)
FS_RW_PROG(preadv2,   preadv2,   KFLOWD_EV_ACCESS)
FS_RW_PROG(write,     write,     KFLOWD_EV_MODIFY)
FS_RW_PROG(pwrite,    pwrite64,  KFLOWD_EV_MODIFY)
FS_RW_PROG(writev,    writev,    KFLOWD_EV_MODIFY)
FS_RW_PROG(pwritev,   pwritev,   KFLOWD_EV_MODIFY)
FS_RW_PROG(pwritev2,  pwritev2,  KFLOWD_EV_MODIFY)
FS_FD0_PROG(ftrunc,   ftruncate, KFLOWD_EV_MODIFY)
FS_FD0_PROG(falloc,   fallocate, KFLOWD_EV_MODIFY)
FS_FD0_PROG(fchmod,   fchmod,    KFLOWD_EV_ATTRIB)
FS_FD0_PROG(fsetxattr, fsetxattr, KFLOWD_EV_ATTRIB)
FS_FD0_PROG(frmxattr, fremovexattr, KFLOWD_EV_ATTRIB)

/* fchown(fd, -1, -1) changes nothing: no event (fsnotify_change gets no ATTR_UID/GID). */
SEC("tp/syscalls/sys_exit_fchown")
int fs_fchown_x(struct fs_sys_exit *ctx)
{
	struct pt_regs *regs;

	if (ctx->ret != 0)
		return 0;
	regs = fs_regs();
	if ((__u32)FS_ARG2(regs) == (__u32)-1 && (__u32)FS_ARG3(regs) == (__u32)-1)
		return 0;
	fs_fd_event((__s32)FS_ARG1(regs), KFLOWD_EV_ATTRIB);
	return 0;
}

/* sendfile, copy_file_range, splice: ACCESS on the input, MODIFY on the output, if ret > 0 */
static __always_inline int fs_on_xfer(__s64 ret, __s64 fd_in, __s64 fd_out)
{
	if (ret <= 0)
		return 0;
	fs_fd_event(fd_in, KFLOWD_EV_ACCESS);
	fs_fd_event(fd_out, KFLOWD_EV_MODIFY);
	return 0;
}

SEC("tp/syscalls/sys_exit_sendfile64")
int fs_sendfile_x(struct fs_sys_exit *ctx)
{
	struct pt_regs *regs = fs_regs();

	return fs_on_xfer(ctx->ret, (__s32)FS_ARG2(regs), (__s32)FS_ARG1(regs));
}

SEC("tp/syscalls/sys_exit_copy_file_range")
int fs_copyfr_x(struct fs_sys_exit *ctx)
{
	struct pt_regs *regs = fs_regs();

	return fs_on_xfer(ctx->ret, (__s32)FS_ARG1(regs), (__s32)FS_ARG3(regs));
}

SEC("tp/syscalls/sys_exit_splice")
int fs_splice_x(struct fs_sys_exit *ctx)
{
	struct pt_regs *regs = fs_regs();

	return fs_on_xfer(ctx->ret, (__s32)FS_ARG1(regs), (__s32)FS_ARG3(regs));
}

/* ---- CLOSE_WRITE / CLOSE_NOWRITE ------------------------------------------------------ */
/* At sys_enter: the descriptor still names the file. */

SEC("tp/syscalls/sys_enter_close")
int fs_close_e(struct fs_sys_enter *ctx)
{
	if (fs_task_ignored(bpf_get_current_pid_tgid() >> 32))
		return 0;
	fs_close_file(fs_fd_file(bpf_get_current_task_btf(), (__s32)ctx->args[0]));
	return 0;
}

/* dup2/dup3 close what newfd held, if oldfd is valid and different */
static __always_inline int fs_on_dup(__s64 oldfd, __s64 newfd)
{
	struct task_struct *task;
	struct file *old, *victim;

	if (oldfd == newfd || fs_task_ignored(bpf_get_current_pid_tgid() >> 32))
		return 0;
	task = bpf_get_current_task_btf();
	old = fs_fd_file(task, oldfd);
	victim = fs_fd_file(task, newfd);
	if (old && victim && victim != old)
		fs_close_file(victim);
	return 0;
}

SEC("tp/syscalls/sys_enter_dup2")
int fs_dup2_e(struct fs_sys_enter *ctx)
{ return fs_on_dup((__s32)ctx->args[0], (__s32)ctx->args[1]); }

SEC("tp/syscalls/sys_enter_dup3")
int fs_dup3_e(struct fs_sys_enter *ctx)
{ return fs_on_dup((__s32)ctx->args[0], (__s32)ctx->args[1]); }

SEC("tp/syscalls/sys_enter_close_range")
int fs_closerng_e(struct fs_sys_enter *ctx)
{
	struct task_struct *task;
	__u32 flags = ctx->args[2];

	if ((flags & FS_CLOSE_RANGE_CLOEXEC) || fs_task_ignored(bpf_get_current_pid_tgid() >> 32))
		return 0;
	task = bpf_get_current_task_btf();
	/* UNSHARE on a shared table closes in a private copy: the shared refs stay */
	if ((flags & FS_CLOSE_RANGE_UNSHARE) && BPF_CORE_READ(task, files, count.counter) > 1)
		return 0;
	fs_close_fds(task, ctx->args[0], ctx->args[1]);
	return 0;
}

/*
 * munmap of whole file mappings whose references are all these mappings: the struct file
 * goes (ld.so maps /etc/ld.so.cache, closes the descriptor, unmaps the cache later).
 */
#define FS_UNMAP_VMAS 8   /* consecutive mappings of one file looked at */

struct fs_unmap {
	__u64 start, end;   /* the range unmapped */
	__u64 file;         /* the file of the mappings, all the same */
	__u64 next;         /* where the next mapping would start */
	__u32 count;        /* mappings of file wholly inside the range */
	__u32 more;
};

static long fs_unmap_vma(struct task_struct *task, struct vm_area_struct *vma, void *ctx)
{
	struct fs_unmap *u = ctx;
	__u64 f = (__u64)vma->vm_file;

	u->more = 0;
	if (!f || vma->vm_start < u->start || vma->vm_end > u->end || (u->file && f != u->file))
		return 0;
	u->file = f;
	u->count++;
	u->next = vma->vm_end;
	u->more = vma->vm_end < u->end;
	return 0;
}

SEC("tp/syscalls/sys_enter_munmap")
int fs_munmap_e(struct fs_sys_enter *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	/* the kernel rounds the length up to whole pages (4 KiB on x86) */
	struct fs_unmap u = { .start = ctx->args[0],
			      .end = (ctx->args[0] + ctx->args[1] + 4095) & ~4095ULL };
	struct file *f;
	fmode_t mode = 0;

	u.next = u.start;
	for (int i = 0; i < FS_UNMAP_VMAS; i++) {
		if (bpf_find_vma(task, u.next, fs_unmap_vma, &u, 0) || !u.more)
			break;
	}
	f = (struct file *)u.file;
	if (!f || fs_file_refs(f) != u.count || fs_task_ignored(bpf_get_current_pid_tgid() >> 32))
		return 0;
	FS_READ(mode, f->f_mode);
	fs_file_event(f, (mode & FS_FMODE_WRITE) ? KFLOWD_EV_CLOSE_WRITE : KFLOWD_EV_CLOSE_NOWRITE);
	return 0;
}

/* 6.7+: open-coded iterator over a task's memory mappings (weak: NULL where missing) */
extern int bpf_iter_task_vma_new(struct bpf_iter_task_vma *it, struct task_struct *task,
				 __u64 addr) __ksym __weak;
extern struct vm_area_struct *bpf_iter_task_vma_next(struct bpf_iter_task_vma *it) __ksym __weak;
extern void bpf_iter_task_vma_destroy(struct bpf_iter_task_vma *it) __ksym __weak;

/*
 * Files the process still maps go with its memory: ld.so and locale files are opened,
 * mapped and closed, so close(2) never drops their last reference, the mapping does. For
 * each mapped file that has an open record of this process: CLOSE_*, which exports it. (A
 * mapping shared with another process after fork keeps the file open longer than this.)
 */
static __always_inline void fs_close_mapped(struct task_struct *p)
{
	struct bpf_iter_task_vma it;
	struct vm_area_struct *vma;
	__u32 tgid = p->tgid;
	__u64 prev = 0;

	if (!bpf_iter_task_vma_new || !FS_DIRECT || !p->mm || p->mm->mm_users.counter != 1)
		return;
	bpf_iter_task_vma_new(&it, p, 0);
	/* bounded by the iterator: the verifier knows it ends (no counter: it must converge) */
	while ((vma = bpf_iter_task_vma_next(&it))) {
		struct file *f = vma->vm_file;
		struct kflowd_file_key key = {};
		struct inode *ino;

		if (!f || (__u64)f == prev)   /* a library's mappings follow each other */
			continue;
		prev = (__u64)f;
		ino = f->f_inode;
		if (!ino)
			continue;
		key.dev = fs_encode_dev(ino->i_sb->s_dev);
		key.ino = ino->i_ino;
		key.tgid = tgid;
		if (bpf_map_lookup_elem(&file_records, &key))
			fs_file_event((struct file *)(__u64)f, (f->f_mode & FS_FMODE_WRITE) ?
				      KFLOWD_EV_CLOSE_WRITE : KFLOWD_EV_CLOSE_NOWRITE);
	}
	bpf_iter_task_vma_destroy(&it);
}

/*
 * The last thread of a process exits: its descriptor table is closed and its memory
 * unmapped after this tracepoint (6.16+: also before exit_mm).
 */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(fs_proc_exit, struct task_struct *p)
{
	struct files_struct *files;

	if (fs_task_ignored(bpf_get_current_pid_tgid() >> 32))
		return 0;
	files = BPF_CORE_READ(p, files);
	if (files && BPF_CORE_READ(files, count.counter) == 1)
		fs_close_fds(p, 0, ~0U);
	fs_close_mapped(p);
	return 0;
}

/* ---- path-based syscalls: ATTRIB / MODIFY / ACCESS after success ------------------------- */

/*
 * The file a successful syscall named by (dirfd, path): resolved now in the dentry cache,
 * where the syscall's own lookup left it. NULL path (utimensat, futimesat) or "" with
 * AT_EMPTY_PATH: the dirfd's own file.
 */
static __noinline void fs_path_event(__s64 dirfd, __u64 path, __u32 follow, __u32 empty_ok, __u32 ev)
{
	struct fs_found r = {};
	struct fs_target t = {};
	struct inode *ino;
	char c = 0;

	if (fs_task_ignored(bpf_get_current_pid_tgid() >> 32))
		return;
	if (path)
		bpf_probe_read_user(&c, 1, (void *)path);
	if (!path || (!c && empty_ok)) {
		fs_file_event(fs_fd_file(bpf_get_current_task_btf(), dirfd), ev);
		return;
	}
	if (fs_resolve(&r, dirfd, path, follow ? FS_RES_FOLLOW : 0)) {
		kflowd_drop(KFLOWD_DROP_FS_UNRESOLVED);
		return;
	}
	ino = fs_dentry_inode((struct dentry *)r.dentry);
	if (!ino)
		return;
	t.dentry = r.dentry;
	t.inode = (__u64)ino;
	t.dir_dentry = r.dentry;
	t.dir_mnt = r.mnt;
	t.dir_skip = 1;
	fs_event(&t, ev);
}

/* (path) syscalls: chmod(path, ...), truncate(path, ...), ... */
#define FS_PATH_PROG(name, sc, follow, ev)					\
SEC("tp/syscalls/sys_exit_" #sc)						\
int fs_##name##_x(struct fs_sys_exit *ctx)					\
{										\
	if (ctx->ret == 0)							\
		fs_path_event(FS_AT_FDCWD, FS_ARG1(fs_regs()), follow, 0, ev);	\
	return 0;								\
}

/* (dirfd, path) syscalls without flags */
#define FS_PATHAT_PROG(name, sc, ev)						\
SEC("tp/syscalls/sys_exit_" #sc)						\
int fs_##name##_x(struct fs_sys_exit *ctx)					\
{										\
	struct pt_regs *regs;							\
										\
	if (ctx->ret != 0)							\
		return 0;							\
	regs = fs_regs();							\
	fs_path_event((__s32)FS_ARG1(regs), FS_ARG2(regs), 1, 0, ev);		\
	return 0;								\
}

FS_PATH_PROG(chmod,     chmod,        1, KFLOWD_EV_ATTRIB)
FS_PATH_PROG(truncate,  truncate,     1, KFLOWD_EV_MODIFY)
FS_PATH_PROG(utime,     utime,        1, KFLOWD_EV_ATTRIB)   /* both times set */
FS_PATH_PROG(utimes,    utimes,       1, KFLOWD_EV_ATTRIB)
FS_PATH_PROG(setxattr,  setxattr,     1, KFLOWD_EV_ATTRIB)
FS_PATH_PROG(lsetxattr, lsetxattr,    0, KFLOWD_EV_ATTRIB)
FS_PATH_PROG(rmxattr,   removexattr,  1, KFLOWD_EV_ATTRIB)
FS_PATH_PROG(lrmxattr,  lremovexattr, 0, KFLOWD_EV_ATTRIB)
FS_PATHAT_PROG(fchmodat,  fchmodat,   KFLOWD_EV_ATTRIB)
FS_PATHAT_PROG(futimesat, futimesat,  KFLOWD_EV_ATTRIB)

SEC("tp/syscalls/sys_exit_fchmodat2")
int fs_fchmodat2_x(struct fs_sys_exit *ctx)
{
	struct pt_regs *regs;
	__u32 fl;

	if (ctx->ret != 0)
		return 0;
	regs = fs_regs();
	fl = FS_ARG4(regs);
	fs_path_event((__s32)FS_ARG1(regs), FS_ARG2(regs), !(fl & FS_AT_SYMLINK_NOFOLLOW),
		      fl & FS_AT_EMPTY_PATH, KFLOWD_EV_ATTRIB);
	return 0;
}

/* setxattrat/removexattrat (6.13+): (dirfd, path, at_flags, ...) */
#define FS_XATTRAT_PROG(name, sc)						\
SEC("tp/syscalls/sys_exit_" #sc)						\
int fs_##name##_x(struct fs_sys_exit *ctx)					\
{										\
	struct pt_regs *regs;							\
	__u32 fl;								\
										\
	if (ctx->ret != 0)							\
		return 0;							\
	regs = fs_regs();							\
	fl = FS_ARG3(regs);							\
	fs_path_event((__s32)FS_ARG1(regs), FS_ARG2(regs),			\
		      !(fl & FS_AT_SYMLINK_NOFOLLOW), fl & FS_AT_EMPTY_PATH,	\
		      KFLOWD_EV_ATTRIB);					\
	return 0;								\
}

FS_XATTRAT_PROG(setxattrat, setxattrat)
FS_XATTRAT_PROG(rmxattrat,  removexattrat)

/* chown family: ATTRIB unless both ids are -1 */
static __always_inline bool fs_chown_noop(__u64 uid, __u64 gid)
{
	return (__u32)uid == (__u32)-1 && (__u32)gid == (__u32)-1;
}

SEC("tp/syscalls/sys_exit_chown")
int fs_chown_x(struct fs_sys_exit *ctx)
{
	struct pt_regs *regs;

	if (ctx->ret != 0)
		return 0;
	regs = fs_regs();
	if (!fs_chown_noop(FS_ARG2(regs), FS_ARG3(regs)))
		fs_path_event(FS_AT_FDCWD, FS_ARG1(regs), 1, 0, KFLOWD_EV_ATTRIB);
	return 0;
}

SEC("tp/syscalls/sys_exit_lchown")
int fs_lchown_x(struct fs_sys_exit *ctx)
{
	struct pt_regs *regs;

	if (ctx->ret != 0)
		return 0;
	regs = fs_regs();
	if (!fs_chown_noop(FS_ARG2(regs), FS_ARG3(regs)))
		fs_path_event(FS_AT_FDCWD, FS_ARG1(regs), 0, 0, KFLOWD_EV_ATTRIB);
	return 0;
}

SEC("tp/syscalls/sys_exit_fchownat")
int fs_fchownat_x(struct fs_sys_exit *ctx)
{
	struct pt_regs *regs;
	__u32 fl;

	if (ctx->ret != 0)
		return 0;
	regs = fs_regs();
	fl = FS_ARG5(regs);
	if (!fs_chown_noop(FS_ARG3(regs), FS_ARG4(regs)))
		fs_path_event((__s32)FS_ARG1(regs), FS_ARG2(regs), !(fl & FS_AT_SYMLINK_NOFOLLOW),
			      fl & FS_AT_EMPTY_PATH, KFLOWD_EV_ATTRIB);
	return 0;
}

/*
 * utimensat: as notify_change/fsnotify_change map the times: both -> ATTRIB, atime only ->
 * ACCESS, mtime only -> MODIFY, neither (both UTIME_OMIT) -> nothing.
 */
SEC("tp/syscalls/sys_exit_utimensat")
int fs_utimensat_x(struct fs_sys_exit *ctx)
{
	struct __kernel_timespec ts[2] = {};
	struct pt_regs *regs;
	__u32 fl, ev = KFLOWD_EV_ATTRIB;
	__u64 times;

	if (ctx->ret != 0)
		return 0;
	regs = fs_regs();
	times = FS_ARG3(regs);
	fl = FS_ARG4(regs);
	if (times) {
		bool a, m;

		if (bpf_probe_read_user(ts, sizeof(ts), (void *)times))
			return 0;
		a = ts[0].tv_nsec != FS_UTIME_OMIT;
		m = ts[1].tv_nsec != FS_UTIME_OMIT;
		if (!a && !m)
			return 0;
		ev = a && m ? KFLOWD_EV_ATTRIB : a ? KFLOWD_EV_ACCESS : KFLOWD_EV_MODIFY;
	}
	fs_path_event((__s32)FS_ARG1(regs), FS_ARG2(regs), !(fl & FS_AT_SYMLINK_NOFOLLOW),
		      fl & FS_AT_EMPTY_PATH, ev);
	return 0;
}

/* ---- DELETE --------------------------------------------------------------------------- */

/*
 * The victim is resolved and its attributes taken before the syscall (link count still the
 * old one, spec 4.7); the event is counted only if the unlink succeeds. This is the one
 * place that needs per-thread state between sys_enter and sys_exit.
 */
static __always_inline int fs_on_unlink_enter(__s32 nr, __s64 dirfd, __u64 path)
{
	struct fs_pending *p;
	struct fs_found r = {};
	struct inode *ino = NULL;
	int err;

	if (fs_task_ignored(bpf_get_current_pid_tgid() >> 32))
		return 0;
	err = fs_resolve(&r, dirfd, path, 0);
	if (!err) {
		ino = fs_dentry_inode((struct dentry *)r.dentry);
		if (!ino || !fs_mode_ok(fs_inode_mode(ino)))
			return 0;
	}
	p = fs_pend_new(nr, FS_OP_UNLINK);
	if (!p)
		return 0;
	if (ino) {
		fs_read_attrs(ino, &p->attrs);
		p->dentry = r.dentry;
		p->mnt = r.mnt;
	} else if (err == -2) {
		/* not cached yet: the file system's own hook (fs_ext4_unlink) fills it in */
		p->dir = r.dentry;
		p->mnt = r.mnt;
	}
	fs_pend_commit(p);     /* unresolved: counted as such if the unlink succeeds */
	return 0;
}

/*
 * ext4 looks the victim up itself when it is not in the dentry cache: its unlink tracepoint
 * hands over the dentry, before anything changed (link count still the old one).
 */
SEC("tp_btf/ext4_unlink_enter")
int BPF_PROG(fs_ext4_unlink, struct inode *dir, struct dentry *dentry)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct fs_pending *p = bpf_map_lookup_elem(&fs_pending, &tid);
	struct inode *ino;
	__u64 parent = 0;

	if (!p || p->op != FS_OP_UNLINK || p->dentry || !p->dir)
		return 0;
	FS_READ(parent, dentry->d_parent);
	ino = fs_dentry_inode(dentry);
	if (parent != p->dir || !ino || !fs_mode_ok(fs_inode_mode(ino)))
		return 0;
	fs_read_attrs(ino, &p->attrs);
	p->dentry = (__u64)dentry;
	return 0;
}

static __always_inline int fs_on_unlink_exit(__s32 nr, __s64 ret)
{
	struct fs_pending *p = fs_pend_get(nr);
	struct fs_target t = {};

	if (!p)
		return 0;
	if (p->op != FS_OP_UNLINK || ret != 0) {
		fs_pend_done();
		return 0;
	}
	if (!p->dentry) {
		fs_pend_done();
		kflowd_drop(KFLOWD_DROP_FS_UNRESOLVED);
		return 0;
	}
	t.dentry = p->dentry;          /* negative or unhashed now, name and parent intact */
	t.dir_dentry = p->dentry;
	t.dir_mnt = p->mnt;
	t.dir_skip = 1;
	__builtin_memcpy(&t.a, &p->attrs, sizeof(t.a));
	fs_pend_done();
	fs_event(&t, KFLOWD_EV_DELETE);
	return 0;
}

SEC("tp/syscalls/sys_enter_unlink")
int fs_unlink_e(struct fs_sys_enter *ctx)
{ return fs_on_unlink_enter(ctx->nr, FS_AT_FDCWD, ctx->args[0]); }

SEC("tp/syscalls/sys_exit_unlink")
int fs_unlink_x(struct fs_sys_exit *ctx) { return fs_on_unlink_exit(ctx->nr, ctx->ret); }

SEC("tp/syscalls/sys_enter_unlinkat")
int fs_unlinkat_e(struct fs_sys_enter *ctx)
{
	if ((__u32)ctx->args[2] & FS_AT_REMOVEDIR)
		return 0;
	return fs_on_unlink_enter(ctx->nr, (__s32)ctx->args[0], ctx->args[1]);
}

SEC("tp/syscalls/sys_exit_unlinkat")
int fs_unlinkat_x(struct fs_sys_exit *ctx) { return fs_on_unlink_exit(ctx->nr, ctx->ret); }

/* ---- MOVED_FROM / MOVED_TO ------------------------------------------------------------ */

/*
 * Both events on the moved inode, in one record: MOVED_FROM (old name, old directory for a
 * record that starts here), then MOVED_TO (new name, FileOrigin the old name, the new
 * directory sent again if it differs), which exports the record.
 */
static __noinline void fs_moved(__u64 dentry, __u64 mnt, __u64 old_dir, __u64 old_mnt,
				__u64 old_name)
{
	struct fs_target t = {};
	struct inode *ino = fs_dentry_inode((struct dentry *)dentry);

	if (!ino)
		return;
	t.dentry = dentry;
	t.inode = (__u64)ino;
	t.name = old_name;
	t.dir_dentry = old_dir;
	t.dir_mnt = old_mnt;
	t.dir_skip = 0;
	t.moved_dentry = dentry;
	t.moved_mnt = mnt;
	if (fs_event(&t, KFLOWD_EV_MOVED_FROM) == 1)
		return;         /* a new record: MOVED_TO applied and exported with it */

	__builtin_memset(&t, 0, sizeof(t));
	t.dentry = dentry;
	t.inode = (__u64)ino;
	t.origin = old_name;
	t.old_dir = old_dir;
	t.rename_to = 1;
	t.dir_dentry = dentry;
	t.dir_mnt = mnt;
	t.dir_skip = 1;
	fs_event(&t, KFLOWD_EV_MOVED_TO);
}

/*
 * After a rename the moved dentry sits at the new name: the new path resolves to it, the
 * old path's directory is still there. A replaced target gets no event (spec 4.7).
 */
static __always_inline int fs_on_rename(__s64 ret, __s64 fd1, __u64 p1, __s64 fd2, __u64 p2,
					__u32 flags)
{
	struct fs_found a = {}, b = {};
	struct fs_res_buf *sb;
	__u64 pa = 0, pb = 0;
	__u32 zero = 0;

	if (ret != 0 || fs_task_ignored(bpf_get_current_pid_tgid() >> 32))
		return 0;
	sb = bpf_map_lookup_elem(&fs_res_scratch, &zero);
	if (!sb)
		return 0;
	if (flags & FS_RENAME_EXCHANGE) {
		/* both names stay, the inodes swap: each moved from the other's place */
		struct dentry *da, *db;

		if (fs_resolve(&a, fd1, p1, 0) || fs_resolve(&b, fd2, p2, 0)) {
			kflowd_drop(KFLOWD_DROP_FS_UNRESOLVED);
			return 0;
		}
		da = (void *)a.dentry;
		db = (void *)b.dentry;
		FS_READ(pa, da->d_parent);
		FS_READ(pb, db->d_parent);
		/* the inode at b came from a's place: its old name is a's name */
		fs_moved(b.dentry, b.mnt, pa, a.mnt, fs_dname_ptr(a.dentry));
		fs_moved(a.dentry, a.mnt, pb, b.mnt, fs_dname_ptr(b.dentry));
		return 0;
	}
	/* a: the old name's directory (name in sb->last), b: the moved file */
	if (fs_resolve(&a, fd1, p1, FS_RES_PARENT) || fs_resolve(&b, fd2, p2, 0)) {
		kflowd_drop(KFLOWD_DROP_FS_UNRESOLVED);
		return 0;
	}
	fs_moved(b.dentry, b.mnt, a.dentry, a.mnt, (__u64)sb->last);
	return 0;
}

SEC("tp/syscalls/sys_exit_rename")
int fs_rename_x(struct fs_sys_exit *ctx)
{
	struct pt_regs *regs = fs_regs();

	return fs_on_rename(ctx->ret, FS_AT_FDCWD, FS_ARG1(regs), FS_AT_FDCWD, FS_ARG2(regs), 0);
}

SEC("tp/syscalls/sys_exit_renameat")
int fs_renameat_x(struct fs_sys_exit *ctx)
{
	struct pt_regs *regs = fs_regs();

	return fs_on_rename(ctx->ret, (__s32)FS_ARG1(regs), FS_ARG2(regs), (__s32)FS_ARG3(regs),
			    FS_ARG4(regs), 0);
}

SEC("tp/syscalls/sys_exit_renameat2")
int fs_renameat2_x(struct fs_sys_exit *ctx)
{
	struct pt_regs *regs = fs_regs();

	return fs_on_rename(ctx->ret, (__s32)FS_ARG1(regs), FS_ARG2(regs), (__s32)FS_ARG3(regs),
			    FS_ARG4(regs), FS_ARG5(regs));
}

/* ---- CREATE: hard links and symlinks ---------------------------------------------------- */

/*
 * After link/symlink the new name resolves to the (existing, for a hard link) inode:
 * CREATE under the new name, exported at once. A hard link's nlink is the new count.
 */
static __always_inline int fs_on_newname(__s64 ret, __s64 fd, __u64 path, __u32 hardlink)
{
	struct fs_target t = {};
	struct fs_found r = {};
	struct inode *ino;

	if (ret != 0 || fs_task_ignored(bpf_get_current_pid_tgid() >> 32))
		return 0;
	if (fs_resolve(&r, fd, path, 0)) {
		kflowd_drop(KFLOWD_DROP_FS_UNRESOLVED);
		return 0;
	}
	ino = fs_dentry_inode((struct dentry *)r.dentry);
	if (!ino)
		return 0;
	t.dentry = r.dentry;
	t.inode = (__u64)ino;
	t.dir_dentry = r.dentry;
	t.dir_mnt = r.mnt;
	t.dir_skip = 1;
	t.export = 1;
	t.xflags = hardlink ? KFLOWD_FILE_HARDLINK_NEW : 0;
	fs_event(&t, KFLOWD_EV_CREATE);
	return 0;
}

SEC("tp/syscalls/sys_exit_link")
int fs_link_x(struct fs_sys_exit *ctx)
{ return fs_on_newname(ctx->ret, FS_AT_FDCWD, FS_ARG2(fs_regs()), 1); }

SEC("tp/syscalls/sys_exit_linkat")
int fs_linkat_x(struct fs_sys_exit *ctx)
{
	struct pt_regs *regs = fs_regs();

	return fs_on_newname(ctx->ret, (__s32)FS_ARG3(regs), FS_ARG4(regs), 1);
}

SEC("tp/syscalls/sys_exit_symlink")
int fs_symlink_x(struct fs_sys_exit *ctx)
{ return fs_on_newname(ctx->ret, FS_AT_FDCWD, FS_ARG2(fs_regs()), 0); }

SEC("tp/syscalls/sys_exit_symlinkat")
int fs_symlinkat_x(struct fs_sys_exit *ctx)
{
	struct pt_regs *regs = fs_regs();

	return fs_on_newname(ctx->ret, (__s32)FS_ARG2(regs), FS_ARG3(regs), 0);
}
