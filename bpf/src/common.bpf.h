/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every kflowd BPF source shares: the configuration user space writes before load,
 * the ring buffer, the drop and statistics counters, the self filter.
 *
 * Every src/<concern>.bpf.c is compiled on its own and the objects are linked into one
 * (bpftool gen object). Shared maps and globals must therefore exist exactly once:
 * common.bpf.c defines them (KFLOWD_COMMON_DEFINE), every other source sees them
 * as extern declarations of the same type, which the BPF linker resolves.
 */
#ifndef KFLOWD_COMMON_BPF_H
#define KFLOWD_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "kflowd.h"

#ifdef KFLOWD_COMMON_DEFINE
#define KFLOWD_SHARED
#else
#define KFLOWD_SHARED extern
#endif

/* bpf_printk only in debug builds: clang ... -DKFLOWD_DEBUG */
#ifdef KFLOWD_DEBUG
#define kflowd_debug(fmt, ...) bpf_printk(fmt, ##__VA_ARGS__)
#else
#define kflowd_debug(fmt, ...) do { } while (0)
#endif

/*
 * The configuration, in .rodata: user space writes it before load (the only variable in
 * .rodata, at offset 0; look the offset up in the BTF DATASEC ".rodata" all the same), the
 * verifier then sees constants and removes dead branches.
 */
#ifdef KFLOWD_COMMON_DEFINE
const volatile struct kflowd_config cfg = {
	.agent_tgid = 0,
	.max_events = 0,
	.wakeup_every = 64,
	.monitor_files = 1,
};
#else
extern const volatile struct kflowd_config cfg;
#endif

/* Every message to user space. Size: user space sets max_entries before load. */
KFLOWD_SHARED struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 << 20);
} events SEC(".maps");

/* Why a message was lost: KFLOWD_DROP_*, per CPU, user space sums. */
KFLOWD_SHARED struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, KFLOWD_DROP_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

/* KFLOWD_STAT_*, per CPU, user space sums. */
KFLOWD_SHARED struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, KFLOWD_STAT_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

/*
 * Processes whose activity is not recorded besides the agent itself: the readers of the
 * agent's stdout pipe (`kflowd | tee log`). Filled by user space at run time.
 */
KFLOWD_SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u8);
} ignored_tgids SEC(".maps");

/* .bss */
KFLOWD_SHARED __u64 next_record_id;   /* last record id handed out; ids start at 1 */
KFLOWD_SHARED __u64 ring_messages;    /* messages submitted, for the forced wakeups */

static __always_inline void kflowd_count(void *map, __u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(map, &idx);

	if (v)
		*v += 1;        /* per-CPU value: no atomic needed */
}

static __always_inline void kflowd_drop(__u32 idx)
{
	kflowd_count(&drops, idx);
}

static __always_inline void kflowd_stat(__u32 idx)
{
	kflowd_count(&stats, idx);
}

/* Self filter (ARCHITECTURE 6): the agent's threads and the readers of its stdout pipe. */
static __always_inline bool kflowd_ignored(__u32 tgid)
{
	if (tgid == cfg.agent_tgid)
		return true;
	return bpf_map_lookup_elem(&ignored_tgids, &tgid) != NULL;
}

static __always_inline __u64 kflowd_next_record_id(void)
{
	return __sync_fetch_and_add(&next_record_id, 1) + 1;
}

/*
 * Wakeups cost the monitored workload an interrupt each (ARCHITECTURE 4): submit without
 * one and force one every cfg.wakeup_every messages; user space also polls every 100 ms.
 * wakeup_every 0: never force.
 */
static __always_inline __u64 kflowd_ring_flags(void)
{
	__u64 every = cfg.wakeup_every;
	__u64 n;

	if (!every)
		return BPF_RB_NO_WAKEUP;
	n = __sync_fetch_and_add(&ring_messages, 1) + 1;
	return (n % every) == 0 ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

/* Copy a message into the ring; a failure is counted under drop_idx. */
static __always_inline long kflowd_ring_output(void *data, __u64 size, __u32 drop_idx)
{
	long err = bpf_ringbuf_output(&events, data, size, kflowd_ring_flags());

	if (err)
		kflowd_drop(drop_idx);
	return err;
}

/* Basename of a task's executable. task: a BTF pointer (current or its real parent): plain
 * loads, NULL-safe. */
static __always_inline __u32 kflowd_exe_name(struct task_struct *task, char *dst)
{
	const unsigned char *name = task->mm->exe_file->f_path.dentry->d_name.name;
	long n;

	if (!name)
		return 0;
	n = bpf_probe_read_kernel_str(dst, KFLOWD_EXE_MAX, name);
	return n > 0 ? n - 1 : 0;
}

/*
 * The process identity of a record (spec 8.1), from the current task: file and socket
 * records name these fields alike, kflowd_fill_proc(record, pid_tgid) fills either.
 * proc_start is the thread group leader's start time; uid/gid the real ones.
 */
static __always_inline void kflowd_proc_identity(__u64 pid_tgid, __u64 *proc_start, __u32 *tgid,
						 __u32 *tid, __u32 *ppid, __u32 *uid, __u32 *gid,
						 char *comm, char *exe, __u32 *exe_len,
						 char *parent_exe, __u32 *parent_exe_len)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct task_struct *parent = task->real_parent;   /* trusted task: plain loads */

	*proc_start = task->group_leader->start_time;
	*tgid = pid_tgid >> 32;
	*tid = (__u32)pid_tgid;
	*ppid = parent->tgid;
	*uid = task->real_cred->uid.val;
	*gid = task->real_cred->gid.val;
	bpf_get_current_comm(comm, KFLOWD_COMM_MAX);
	*exe_len = kflowd_exe_name(task, exe);
	*parent_exe_len = kflowd_exe_name(parent, parent_exe);
}

#define kflowd_fill_proc(r, pid_tgid)							\
	kflowd_proc_identity(pid_tgid, &(r)->proc_start, &(r)->tgid, &(r)->tid, &(r)->ppid,	\
			     &(r)->uid, &(r)->gid, (r)->comm, (r)->exe, &(r)->exe_len,		\
			     (r)->parent_exe, &(r)->parent_exe_len)

#endif /* KFLOWD_COMMON_BPF_H */
