// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Test program for the libbpf bundle's integration tests (RingBufferKernelTest).
 *
 * Every getppid() of the test's own process (tgid from .rodata, written through
 * BpfObject.rodata() before load) reserves one ring-buffer record of a varying size,
 * writes a sequence number into it and submits it without a wakeup, except every 64th
 * record, which forces one (ARCHITECTURE.md section 4: batch wakeups, edge-triggered
 * epoll in user space). Failed reserves are counted, never hidden.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define WAKEUP_EVERY 64

/* The only .rodata variable: it sits at offset 0, where the test writes its tgid. */
const volatile __u32 target_tgid = 0;

/* The test sets the real size with BpfObject.setMaxEntries before load. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 * 1024);
} events SEC(".maps");

enum counter { COUNTER_HITS = 0, COUNTER_DROPS = 1, COUNTER_MAX };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, COUNTER_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* Hits again, per CPU: the test sums it to check per-CPU lookups. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} percpu_hits SEC(".maps");

/* What user space reads from each record; the record is longer (see emit). */
struct record {
	__u64 seq;
	__u32 size;	/* bytes reserved; the last one holds (__u8)seq */
	__u32 tgid;
};

static __always_inline void count(__u32 index)
{
	__u64 *value = bpf_map_lookup_elem(&counters, &index);

	if (value)
		__sync_fetch_and_add(value, 1);
}

/* size must be a compile-time constant for bpf_ringbuf_reserve: always inlined per case */
static __always_inline void emit(__u64 seq, __u32 tgid, const __u32 size)
{
	__u64 flags = (seq % WAKEUP_EVERY == WAKEUP_EVERY - 1) ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
	struct record *rec = bpf_ringbuf_reserve(&events, size, 0);

	if (!rec) {
		count(COUNTER_DROPS);
		return;
	}
	rec->seq = seq;
	rec->size = size;
	rec->tgid = tgid;
	((__u8 *)rec)[size - 1] = (__u8)seq;
	bpf_ringbuf_submit(rec, flags);
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int rb_test_getppid(void *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	__u32 hits_index = COUNTER_HITS, zero = 0;
	__u64 *hits, *percpu, seq;

	if (tgid != target_tgid)
		return 0;
	hits = bpf_map_lookup_elem(&counters, &hits_index);
	if (!hits)
		return 0;
	/* one calling thread: the plain read-modify-write numbers hits 0, 1, 2, ... */
	seq = *hits;
	*hits = seq + 1;
	percpu = bpf_map_lookup_elem(&percpu_hits, &zero);
	if (percpu)
		*percpu += 1;

	/* 24..200 bytes, several not multiples of 8 */
	switch (seq & 7) {
	case 0: emit(seq, tgid, 24); break;
	case 1: emit(seq, tgid, 33); break;
	case 2: emit(seq, tgid, 52); break;
	case 3: emit(seq, tgid, 64); break;
	case 4: emit(seq, tgid, 100); break;
	case 5: emit(seq, tgid, 127); break;
	case 6: emit(seq, tgid, 161); break;
	default: emit(seq, tgid, 200); break;
	}
	return 0;
}

/*
 * Not loaded unless asked ("?" prefix): the verifier always rejects it (the first 8 bytes
 * of a tracepoint context, the common fields, are not readable), so the tests can check
 * setAutoload and how a load failure is reported.
 */
SEC("?tracepoint/syscalls/sys_enter_getppid")
int rejected_by_verifier(void *ctx)
{
	return *(volatile long *)ctx;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
