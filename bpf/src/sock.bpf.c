// SPDX-License-Identifier: GPL-2.0
/*
 * kflowd socket monitor: TCP and UDP sockets (spec section 5) and the sending side of UNIX
 * datagram sockets to the syslog paths, one record per kernel socket in sock_records (key:
 * the socket cookie), exported through the ring buffer when the socket ends; user space
 * reads the open records from the map for its timeouts.
 *
 * Every program's name starts with "sock_": user space loads and attaches them only with
 * -m socket, and they do nothing unless cfg.monitor_sockets.
 *
 * How each thing is seen:
 *   packets      cgroup_skb egress/ingress on the root cgroup: every IPv4/IPv6 packet of a
 *                full TCP/UDP socket, headers parsed here; the SYN, SYN-ACK and final ACK
 *                of a passive open belong to the listener (sock_handshakes)
 *   TCP states   tp_btf/inet_sock_set_state: connect (CLIENT record), handshake completion
 *                (SERVER record), every other transition
 *   TCP end      tp_btf/tcp_destroy_sock: the final record. The kernel enters TCP_CLOSE
 *                before it sends the RST of an abortive close (SO_LINGER 0, unread data),
 *                so exporting at TCP_CLOSE would lose that RST
 *   UDP end      cgroup/sock_release (close of the descriptor)
 *   process      tp_btf/sock_send_length and sock_recv_length, the sending/receiving task
 *   UNIX         tp_btf/sock_send_length of AF_UNIX datagram sockets connected to a syslog path;
 *                their payload from tp_btf/sk_data_ready of the receiving socket (the datagram
 *                just queued), sent at sock_send_length
 * bpf/README.md lists what cannot be seen this way.
 */
#include "common.bpf.h"
#include <bpf/bpf_endian.h>

/* ---- constants the kernel has as macros (not in BTF) ---------------------------------- */

#define SOCK_AF_UNIX         1
#define SOCK_AF_INET         2
#define SOCK_AF_INET6        10
#define SOCK_ETH_P_IP        0x0800
#define SOCK_ETH_P_IPV6      0x86DD
#define SOCK_BINDPORT_LOCK   8
#define SOCK_RCV_SHUTDOWN    1
#define SOCK_IP6_HOPOPTS     0
#define SOCK_IP6_ROUTING     43
#define SOCK_IP6_FRAGMENT    44
#define SOCK_IP6_AH          51
#define SOCK_IP6_DSTOPTS     60
#define SOCK_UDP_OPEN        1    /* record state of a connected UDP socket */
#define SOCK_UDP_CLOSED      7

/* ---- limits: every loop below is bounded by one of these ------------------------------ */

#define SOCK_IP6_EXT_HDRS    4    /* IPv6 extension headers skipped before TCP/UDP */
#define SOCK_UNIX_CMP_WORDS  4    /* syslog paths are compared in 8-byte words: < 32 bytes */

/* ---- maps ---------------------------------------------------------------------------- */

/* Open records, key: socket cookie. The value is exactly the exported message. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 65536);          /* user space may set it before load */
	__type(key, __u64);
	__type(value, struct kflowd_sock_record);
} sock_records SEC(".maps");

/* A passive open's 4-tuple: addresses as IPv6 (IPv4 as ::ffff:a.b.c.d), ports host order. */
struct sock_tuple {
	__u8  laddr[16];
	__u8  raddr[16];
	__u16 lport;
	__u16 rport;
	__u32 pad;
};

struct sock_handshake {
	struct kflowd_sock_traffic tx;    /* SYN-ACK (and its retransmissions) */
	struct kflowd_sock_traffic rx;    /* SYN, final ACK */
};

/*
 * The packets of a passive open until the child socket exists: the SYN and the final ACK
 * arrive, and the SYN-ACK leaves, on the listener. Merged into the SERVER record at
 * SYN_RECV -> ESTABLISHED. LRU: handshakes that never complete are evicted.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct sock_tuple);
	__type(value, struct sock_handshake);
} sock_handshakes SEC(".maps");

/*
 * All zero, never written (BPF_F_RDONLY_PROG): the initial value of every new record and
 * handshake entry. A new record is inserted zeroed and filled in place instead of being
 * built in a per-CPU scratch buffer: the packet hooks run in process and softirq context,
 * and a softirq (or a preempting task) creating a record on the same CPU would overwrite a
 * half-built scratch record. The record's type is written last: an entry whose type is
 * still 0 is being built (user space skips it).
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_RDONLY_PROG);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct kflowd_sock_record);
} sock_zero SEC(".maps");

/* ---- kernel functions ---------------------------------------------------------------- */

/*
 * 6.2+ (weak: NULL before, and the branches using it are dropped): the kernel sk_buff behind
 * the context, for what struct __sk_buff and struct bpf_sock lack (nr_frags, the socket's
 * sk_userlocks, drops and receive queue). bpf_rdonly_cast would do for the socket, but the
 * libbpf 1.1 linker cannot link one weak kfunc declared in two objects (fs.bpf.c has it).
 */
extern void *bpf_cast_to_kern_ctx(void *obj) __ksym __weak;

/* ---- helpers ------------------------------------------------------------------------- */

/* One packet as the headers describe it. */
struct sock_pkt {
	__u64 segs;          /* GSO segments, >= 1 */
	__u64 payload;       /* TCP/UDP payload bytes of the whole (GSO) packet */
	__u32 saddr[4];      /* IPv4: saddr[0] */
	__u32 daddr[4];
	__u16 sport;         /* host order */
	__u16 dport;
	__u8  v4;            /* IPv4 on the wire (also IPv4-mapped traffic of AF_INET6 sockets) */
	__u8  l4;            /* IPPROTO_TCP / IPPROTO_UDP */
	__u8  tcp_flags;     /* byte 13 & 0x3f */
	__u8  ttl;
	__u32 poff;          /* offset of the payload from the network header */
	__u32 seq;           /* TCP: sequence number of the first payload byte */
};

static __always_inline bool sock_inet(__u32 family)
{
	return family == SOCK_AF_INET || family == SOCK_AF_INET6;
}

/* States in which a TCP socket without a record is a connection older than the monitor. */
static __always_inline bool sock_tcp_connected(__u32 state)
{
	return state == TCP_ESTABLISHED || state == TCP_FIN_WAIT1 || state == TCP_FIN_WAIT2 ||
	       state == TCP_CLOSE_WAIT || state == TCP_LAST_ACK || state == TCP_CLOSING;
}

/* The TCP/UDP header fields of a packet; t: its first 8 (UDP) or 14 (TCP) bytes at off. */
static __always_inline void sock_parse_l4(struct sock_pkt *p, const __u8 *t, __u32 l4len,
					  __u32 off)
{
	if (p->l4 == IPPROTO_TCP) {
		__u32 doff = (t[12] >> 4) * 4;

		p->tcp_flags = t[13] & 0x3f;
		p->payload = l4len > doff ? l4len - doff : 0;
		p->poff = off + doff;
		p->seq = ((__u32)t[4] << 24) | ((__u32)t[5] << 16) | ((__u32)t[6] << 8) | t[7];
		if (p->tcp_flags & KFLOWD_TCP_SYN)      /* data on a SYN (Fast Open) follows it */
			p->seq++;
	} else {
		/* from the IP length, not the UDP one: the same for a datagram, right for UDP GSO */
		p->payload = l4len > 8 ? l4len - 8 : 0;
		p->poff = off + 8;
	}
	p->sport = ((__u16)t[0] << 8) | t[1];
	p->dport = ((__u16)t[2] << 8) | t[3];
}

/*
 * Parse the IP and TCP/UDP headers. In cgroup_skb offset 0 is the network header at both
 * hooks. The IP version comes from skb->protocol, not from the socket: an AF_INET6 socket
 * talks IPv4 to IPv4-mapped peers. Fragments never reach these hooks (egress runs before
 * fragmentation, ingress after reassembly), so a non-first fragment is not parsed.
 * This one copies the headers out (bpf_skb_load_bytes: headers outside the linear data,
 * IPv6 extension headers); sock_parse() below reads them in place where it can.
 */
static __always_inline bool sock_parse_copy(struct __sk_buff *skb, struct sock_pkt *p)
{
	__u8 h[40], e[2], t[20];
	__u32 off, l4len, len = skb->len;

	if (skb->protocol == bpf_htons(SOCK_ETH_P_IP)) {
		if (bpf_skb_load_bytes(skb, 0, h, 20))
			return false;
		off = (h[0] & 0x0f) * 4;
		if (off < 20 || (h[6] & 0x1f) || h[7])
			return false;
		l4len = ((__u32)h[2] << 8) | h[3];
		if (!l4len)                             /* BIG TCP: tot_len 0, skb->len counts */
			l4len = len;
		if (l4len < off)
			return false;
		l4len -= off;
		p->v4 = 1;
		p->ttl = h[8];
		p->l4 = h[9];
		__builtin_memcpy(p->saddr, &h[12], 4);
		__builtin_memcpy(p->daddr, &h[16], 4);
	} else if (skb->protocol == bpf_htons(SOCK_ETH_P_IPV6)) {
		__u8 next;

		if (bpf_skb_load_bytes(skb, 0, h, 40))
			return false;
		l4len = ((__u32)h[4] << 8) | h[5];
		if (!l4len)                             /* jumbogram / BIG TCP */
			l4len = len > 40 ? len - 40 : 0;
		next = h[6];
		p->ttl = h[7];
		__builtin_memcpy(p->saddr, &h[8], 16);
		__builtin_memcpy(p->daddr, &h[24], 16);
		off = 40;
		for (int i = 0; i < SOCK_IP6_EXT_HDRS; i++) {
			__u32 hl;

			if (next != SOCK_IP6_HOPOPTS && next != SOCK_IP6_ROUTING &&
			    next != SOCK_IP6_DSTOPTS && next != SOCK_IP6_FRAGMENT && next != SOCK_IP6_AH)
				break;
			if (bpf_skb_load_bytes(skb, off, e, 2))
				return false;
			if (next == SOCK_IP6_FRAGMENT)
				hl = 8;
			else if (next == SOCK_IP6_AH)
				hl = ((__u32)e[1] + 2) * 4;
			else
				hl = ((__u32)e[1] + 1) * 8;
			if (l4len < hl)
				return false;
			l4len -= hl;
			off += hl;
			next = e[0];
		}
		p->l4 = next;
	} else {
		return false;
	}

	if (p->l4 == IPPROTO_TCP) {
		if (bpf_skb_load_bytes(skb, off, t, 14))
			return false;
	} else if (p->l4 == IPPROTO_UDP) {
		if (bpf_skb_load_bytes(skb, off, t, 8))
			return false;
	} else {
		return false;
	}
	sock_parse_l4(p, t, l4len, off);
	p->segs = skb->gso_segs > 1 ? skb->gso_segs : 1;
	return true;
}

/*
 * The same, reading the headers in place (direct packet access: a helper call per header
 * costs ~30 ns, the parse was a quarter of a packet's cost). IPv4, and IPv6 with TCP/UDP
 * right after the fixed header, in the linear data: every packet on loopback and almost
 * every other; the rest goes to sock_parse_copy().
 */
static __always_inline bool sock_parse(struct __sk_buff *skb, struct sock_pkt *p)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	const __u8 *h = data, *t;
	__u32 off, l4len, len = skb->len;

	if (skb->protocol == bpf_htons(SOCK_ETH_P_IP)) {
		if (data + 20 > end)
			return sock_parse_copy(skb, p);
		off = (h[0] & 0x0f) * 4;
		if (off < 20 || (h[6] & 0x1f) || h[7])
			return false;
		l4len = ((__u32)h[2] << 8) | h[3];
		if (!l4len)                             /* BIG TCP: tot_len 0, skb->len counts */
			l4len = len;
		if (l4len < off)
			return false;
		l4len -= off;
		p->v4 = 1;
		p->ttl = h[8];
		p->l4 = h[9];
		__builtin_memcpy(p->saddr, &h[12], 4);
		__builtin_memcpy(p->daddr, &h[16], 4);
	} else if (skb->protocol == bpf_htons(SOCK_ETH_P_IPV6)) {
		if (data + 40 > end)
			return sock_parse_copy(skb, p);
		p->l4 = h[6];
		if (p->l4 != IPPROTO_TCP && p->l4 != IPPROTO_UDP)
			return sock_parse_copy(skb, p);  /* extension headers */
		l4len = ((__u32)h[4] << 8) | h[5];
		if (!l4len)                             /* jumbogram / BIG TCP */
			l4len = len > 40 ? len - 40 : 0;
		off = 40;
		p->ttl = h[7];
		__builtin_memcpy(p->saddr, &h[8], 16);
		__builtin_memcpy(p->daddr, &h[24], 16);
	} else {
		return false;
	}
	t = data + off;
	if (p->l4 == IPPROTO_TCP) {
		if ((void *)t + 14 > end)
			return sock_parse_copy(skb, p);
	} else if (p->l4 == IPPROTO_UDP) {
		if ((void *)t + 8 > end)
			return sock_parse_copy(skb, p);
	} else {
		return false;
	}
	sock_parse_l4(p, t, l4len, off);
	p->segs = skb->gso_segs > 1 ? skb->gso_segs : 1;
	return true;
}

/* An address into a record: IPv4 in the first 4 bytes, or as ::ffff:a.b.c.d when the
 * socket is AF_INET6 (its own addresses are IPv4-mapped then). */
static __always_inline void sock_addr_put(__u8 *dst, const __u32 *a, bool v4, __u32 family)
{
	__u32 *d = (__u32 *)dst;

	if (!v4) {
		d[0] = a[0];
		d[1] = a[1];
		d[2] = a[2];
		d[3] = a[3];
	} else if (family == SOCK_AF_INET6) {
		d[0] = 0;
		d[1] = 0;
		d[2] = bpf_htonl(0xffff);
		d[3] = a[0];
	} else {
		d[0] = a[0];
	}
}

/* The record's tuple from the socket as the packet hooks see it. */
static __always_inline void sock_tuple_bpf(struct kflowd_sock_record *r, struct bpf_sock *sk)
{
	__u32 *l = (__u32 *)r->laddr, *d = (__u32 *)r->raddr;

	r->family = sk->family;
	if (sk->family == SOCK_AF_INET) {
		l[0] = sk->src_ip4;
		d[0] = sk->dst_ip4;
	} else {
		l[0] = sk->src_ip6[0];
		l[1] = sk->src_ip6[1];
		l[2] = sk->src_ip6[2];
		l[3] = sk->src_ip6[3];
		d[0] = sk->dst_ip6[0];
		d[1] = sk->dst_ip6[1];
		d[2] = sk->dst_ip6[2];
		d[3] = sk->dst_ip6[3];
	}
	r->lport = sk->src_port;
	r->rport = bpf_ntohs(sk->dst_port);
}

/* The record's tuple from a kernel socket (tracing programs: plain loads). */
static __always_inline void sock_tuple_sk(struct kflowd_sock_record *r, const struct sock *sk)
{
	__u32 *l = (__u32 *)r->laddr, *d = (__u32 *)r->raddr;

	r->family = sk->__sk_common.skc_family;
	if (r->family == SOCK_AF_INET) {
		l[0] = sk->__sk_common.skc_rcv_saddr;
		d[0] = sk->__sk_common.skc_daddr;
	} else {
		l[0] = sk->__sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32[0];
		l[1] = sk->__sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32[1];
		l[2] = sk->__sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32[2];
		l[3] = sk->__sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32[3];
		d[0] = sk->__sk_common.skc_v6_daddr.in6_u.u6_addr32[0];
		d[1] = sk->__sk_common.skc_v6_daddr.in6_u.u6_addr32[1];
		d[2] = sk->__sk_common.skc_v6_daddr.in6_u.u6_addr32[2];
		d[3] = sk->__sk_common.skc_v6_daddr.in6_u.u6_addr32[3];
	}
	r->lport = sk->__sk_common.skc_num;
	r->rport = bpf_ntohs(sk->__sk_common.skc_dport);
}

/* The handshake key of a record's tuple (the child socket's). */
static __always_inline void sock_tuple_of(struct sock_tuple *k, struct kflowd_sock_record *r)
{
	bool v4 = r->family == SOCK_AF_INET;

	sock_addr_put(k->laddr, (__u32 *)r->laddr, v4, SOCK_AF_INET6);
	sock_addr_put(k->raddr, (__u32 *)r->raddr, v4, SOCK_AF_INET6);
	k->lport = r->lport;
	k->rport = r->rport;
}

/* sk_drops: 6.18+ keeps UDP's (and raw's) in per-NUMA counters (sk_drop_counters). */
static __always_inline __u32 sock_drops(struct sock *sk)
{
	if (bpf_core_field_exists(sk->sk_drop_counters)) {
		struct numa_drop_counters *ndc = sk->sk_drop_counters;

		if (ndc)
			return ndc->drops0.counter + ndc->drops1.counter;
	}
	return sk->sk_drops.counter;
}

/* The kernel's counters of a TCP socket. tp: bpf_skc_to_tcp_sock(), plain loads. */
static __always_inline void sock_tcp_stats(struct tcp_sock *tp, struct kflowd_sock_stats *st)
{
	st->bytes_acked = tp->bytes_acked;
	st->bytes_retrans = tp->bytes_retrans;
	st->total_retrans = tp->total_retrans;
	st->dsack_dups = tp->dsack_dups;
	st->reord_seen = tp->reord_seen;
	st->rto = tp->inet_conn.icsk_rto;
	st->srtt_us = tp->srtt_us >> 3;
	st->queued = tp->rcv_nxt - tp->copied_seq;
	/* a received FIN takes a sequence number that is never read */
	if (st->queued && (tp->inet_conn.icsk_inet.sk.sk_shutdown & SOCK_RCV_SHUTDOWN))
		st->queued--;
	st->drops = sock_drops(&tp->inet_conn.icsk_inet.sk);
}

/* The kernel's counters of a UDP socket: receive queue bytes as udp_rqueue_get() has them.
 * sk: a BTF pointer (plain loads); the udp_sock part by probe read (a cast loses the type). */
static __always_inline void sock_udp_stats(struct sock *sk, struct kflowd_sock_stats *st)
{
	st->drops = sock_drops(sk);
	st->queued = sk->sk_backlog.rmem_alloc.counter -
		     BPF_CORE_READ((struct udp_sock *)sk, forward_deficit);
}

/* The kernel socket of a packet hook's skb; NULL before 6.2. */
static __always_inline struct sock *sock_kern_sk(struct __sk_buff *skb)
{
	struct sk_buff *kskb;

	if (!bpf_cast_to_kern_ctx)
		return NULL;
	kskb = bpf_cast_to_kern_ctx(skb);
	return kskb->sk;
}

/* Sample the kernel's counters of the packet's socket. */
static __always_inline void sock_sample_skb(struct __sk_buff *skb, bool tcp,
					    struct kflowd_sock_stats *st)
{
	struct bpf_sock *skc = skb->sk;

	if (!skc)
		return;
	if (tcp) {
		struct tcp_sock *tp = bpf_skc_to_tcp_sock(skc);

		if (tp)
			sock_tcp_stats(tp, st);
	} else {
		struct sock *ksk = sock_kern_sk(skb);

		if (ksk)
			sock_udp_stats(ksk, st);
	}
}

static __always_inline void sock_sample_sk(struct sock *sk, struct kflowd_sock_stats *st)
{
	struct tcp_sock *tp = bpf_skc_to_tcp_sock(sk);

	if (tp)
		sock_tcp_stats(tp, st);
}

/* Paged fragments of a received skb (skb_shinfo(skb)->nr_frags); 0 before 6.2. */
static __always_inline __u32 sock_nr_frags(struct __sk_buff *skb)
{
	struct sk_buff *kskb;
	__u8 nr = 0;

	if (!bpf_cast_to_kern_ctx)
		return 0;
	kskb = bpf_cast_to_kern_ctx(skb);
	if (!kskb->data_len)             /* all data linear: no paged fragment (saves a probe read) */
		return 0;
	/* skb_shinfo(): head + end (an offset on 64-bit kernels) */
	bpf_probe_read_kernel(&nr, sizeof(nr), (void *)kskb->head + kskb->end +
			      bpf_core_field_offset(struct skb_shared_info, nr_frags));
	return nr;
}

/*
 * Count one packet into one direction. Ingress (softirq) and egress (process context) may
 * update one record on two CPUs at once: counters are atomic adds. The first packet of a
 * flag combination appends it to combo_order with plain loads and stores (a 32-bit
 * fetch-add needs -mcpu=v3): packets of one direction of one TCP socket do not race (egress
 * under the socket lock, ingress of a flow on one CPU), so no combination is appended twice.
 */
static __always_inline void sock_count(struct kflowd_sock_traffic *t, struct sock_pkt *p,
				       __u64 now, __u32 ifindex, bool rx, __u32 frags)
{
	__sync_fetch_and_add(&t->packets, p->segs);
	if (p->payload) {
		if (p->l4 == IPPROTO_TCP)
			__sync_fetch_and_add(&t->data_packets, p->segs);
		__sync_fetch_and_add(&t->bytes, p->payload);
	}
	if (!t->ts_first)
		t->ts_first = now;
	t->ts_last = now;
	if (!t->ifindex)
		t->ifindex = ifindex;
	if (rx) {
		if (frags)
			__sync_fetch_and_add(&t->frags, frags);
		__sync_fetch_and_add(&t->ttl_sum, p->ttl);
		__sync_fetch_and_add(&t->ttl_packets, 1);
	}
	if (p->l4 == IPPROTO_TCP) {
		__u32 c = p->tcp_flags & (KFLOWD_TCP_FLAG_COMBOS - 1);

		bool first = !t->flags[c];

		__sync_fetch_and_add(&t->flags[c], (__u32)p->segs);
		if (first) {
			__u32 i = t->combos;

			if (i < KFLOWD_TCP_FLAG_COMBOS) {
				t->combo_order[i] = c;
				t->combos = i + 1;
			}
		}
	}
}

/* Merge a handshake's partial counts into a new record (its traffic is still zero). */
static __always_inline void sock_merge(struct kflowd_sock_traffic *t,
				       struct kflowd_sock_traffic *h)
{
	t->packets = h->packets;
	t->data_packets = h->data_packets;
	t->bytes = h->bytes;
	t->ts_first = h->ts_first;
	t->ts_last = h->ts_last;
	t->frags = h->frags;
	t->ttl_sum = h->ttl_sum;
	t->ttl_packets = h->ttl_packets;
	t->ifindex = h->ifindex;
	t->combos = h->combos;
	__builtin_memcpy(t->combo_order, h->combo_order, sizeof(t->combo_order));
	__builtin_memcpy(t->flags, h->flags, sizeof(t->flags));
}

/*
 * Insert a zeroed record under cookie. *fresh: this call created it (the caller fills it
 * and sets type last); false: another CPU was first, use its record as it is.
 */
static __always_inline struct kflowd_sock_record *sock_insert(__u64 *cookie, bool *fresh)
{
	struct kflowd_sock_record *zero, *r;
	__u32 idx = 0;
	long err;

	*fresh = false;
	zero = bpf_map_lookup_elem(&sock_zero, &idx);
	if (!zero)
		return NULL;
	err = bpf_map_update_elem(&sock_records, cookie, zero, BPF_NOEXIST);
	if (err && err != -17 /* EEXIST */) {
		kflowd_drop(KFLOWD_DROP_SOCK_TABLE_FULL);
		return NULL;
	}
	if (!err) {
		*fresh = true;
		kflowd_stat(KFLOWD_STAT_SOCK_RECORDS);
	}
	r = bpf_map_lookup_elem(&sock_records, cookie);
	if (r && *fresh)
		r->app_last_dir = ~0u;        /* no payload seen yet */
	return r;
}

/* The end of a socket: the final record goes out (unless it is the monitor's own). */
static __always_inline void sock_end(struct kflowd_sock_record *r, __u64 *cookie)
{
	r->state = TCP_CLOSE;
	r->flags |= KFLOWD_SOCK_CLOSED;
	if (!(r->flags & KFLOWD_SOCK_IGNORED) &&
	    !kflowd_ring_output(r, sizeof(*r), KFLOWD_DROP_SOCK_RING_FULL))
		kflowd_stat(KFLOWD_STAT_SOCK_EXPORTS);
	bpf_map_delete_elem(&sock_records, cookie);
}

/* ---- application payload (spec 6; bpf/README.md "Payload capture") ------------------- */

/*
 * Which application a port belongs to (-p), both TCP and UDP, local or remote port. User
 * space fills it before the programs are attached and may change it at run time.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct kflowd_app_port);
	__type(value, __u8);                 /* KFLOWD_APP_* */
} app_ports SEC(".maps");

/*
 * TCP: the messages a record may have started in all (cumulative, like app_messages) when
 * that is more than cfg.app_messages. User space raises it after it exported an open record
 * by timeout, so that the connection's later messages are captured again; it deletes the
 * entry when the record ends.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 65536);
	__type(key, __u64);                  /* socket cookie */
	__type(value, __u32);
} app_quota SEC(".maps");

/*
 * A payload message is built here and copied into the ring with its exact size (a ring
 * reservation has a constant size). One buffer per nesting level: a softirq (ingress) can
 * interrupt a packet hook (egress, process context) on the same CPU.
 */
#define SOCK_PAYLOAD_NEST 3

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SOCK_PAYLOAD_NEST);
	__type(key, __u32);
	__type(value, struct kflowd_sock_payload);
} sock_payload_buf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);                /* payload hooks running on this CPU */
} sock_payload_nest SEC(".maps");

/*
 * UDP sockets whose record just went out full (KFLOWD_SOCK_APP_FULL): the send or receive
 * call of the datagram that filled it comes after its packet hook and must not start a record
 * (sock_attribute starts one for a datagram it has not seen); the next datagram does.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);                  /* socket cookie */
	__type(value, __u8);
} sock_app_full SEC(".maps");

/*
 * A UNIX datagram to a syslog path, captured by sock_data_ready when it is queued and sent
 * by sock_send when the send returns (the hook that has the sender's socket as a trusted
 * pointer, hence its cookie): one per task, the last datagram it queued.
 */
struct sock_unix_pending {
	__u64 sender;        /* address of the sending socket: identity only, never dereferenced */
	__u64 addr[4];       /* the receiver's bound path (SOCK_UNIX_CMP_WORDS words) */
	__u32 addr_len;      /* its bytes with the NUL */
	__u32 len;           /* the datagram's bytes */
	struct kflowd_sock_payload m;   /* header (all but cookie, ts, message) and data */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sock_unix_pending);
} sock_unix_pending SEC(".maps");

/* kflowd_sock_record.app_msg_bytes: the current message's cut was signalled (KFLOWD_PAYLOAD_CUT) */
#define SOCK_MSG_CUT_SENT (1u << 31)

#define SOCK_PAYLOAD_HDR  offsetof(struct kflowd_sock_payload, data)

/* The application of a packet: its local port's, else its remote port's. */
static __always_inline __u8 sock_app_of(struct sock_pkt *p, bool egress)
{
	struct kflowd_app_port k = {
		.proto = p->l4 == IPPROTO_TCP ? KFLOWD_PROTO_TCP : KFLOWD_PROTO_UDP,
		.port = egress ? p->sport : p->dport,
	};
	__u8 *app = bpf_map_lookup_elem(&app_ports, &k);

	if (!app) {
		k.port = egress ? p->dport : p->sport;
		app = bpf_map_lookup_elem(&app_ports, &k);
	}
	return app ? *app : KFLOWD_APP_NONE;
}

/* Send one payload message: header and captured bytes from the packet at off. */
static __always_inline void sock_payload_send(struct __sk_buff *skb, struct kflowd_sock_record *r,
					      __u32 flags, __u64 now, __u32 len, __u32 captured,
					      __u32 seq, __u32 message, __u8 app, __u8 proto,
					      __u32 off)
{
	struct kflowd_sock_payload *m;
	__u32 idx = 0, *nest, lvl;
	__u64 n;

	nest = bpf_map_lookup_elem(&sock_payload_nest, &idx);
	if (!nest)
		return;
	/* per CPU: an interrupting hook returns the count as it found it, no atomic needed */
	lvl = *nest;
	*nest = lvl + 1;
	m = lvl < SOCK_PAYLOAD_NEST ? bpf_map_lookup_elem(&sock_payload_buf, &lvl) : NULL;
	if (m) {
		m->type = KFLOWD_MSG_SOCK_PAYLOAD;
		m->cookie = r->cookie;
		m->ts = now;
		m->len = len;
		m->seq = seq;
		m->message = message;
		m->app = app;
		m->proto = proto;
		m->pad0 = 0;
		m->pad1 = 0;
		/* the caller's bound, again where the verifier sees it (clang drops the test) */
		n = captured;
		asm volatile("" : "+r"(n));
		if (n > KFLOWD_PAYLOAD_MAX)
			n = KFLOWD_PAYLOAD_MAX;
		if (n && bpf_skb_load_bytes(skb, off, m->data, n)) {
			n = 0;
			flags |= KFLOWD_PAYLOAD_CUT;
		}
		m->flags = flags;
		m->captured = n;
		kflowd_ring_output(m, SOCK_PAYLOAD_HDR + n, KFLOWD_DROP_PAYLOAD_RING_FULL);
	} else {
		kflowd_drop(KFLOWD_DROP_PAYLOAD_RING_FULL);
	}
	*nest = lvl;
}

/*
 * Capture the payload of a packet of an application port (spec 6 with the rules of
 * bpf/README.md): TCP duplicates skipped by sequence number, a message = consecutive
 * segments of one direction, at most cfg.app_bytes per message and the record's quota of
 * messages. Returns true when a UDP record now holds cfg.app_messages messages (the caller
 * exports it: KFLOWD_SOCK_APP_FULL).
 */
static __always_inline bool sock_capture(struct __sk_buff *skb, struct kflowd_sock_record *r,
					 struct sock_pkt *p, bool egress, __u64 now)
{
	__u32 dir = egress ? KFLOWD_PAYLOAD_TX : 0, flags = dir, off = p->poff, seq = 0;
	__u32 limit = cfg.app_bytes, len, msg, used, captured;
	bool tcp = p->l4 == IPPROTO_TCP;
	__u8 app;

	if (!p->payload || !limit)
		return false;
	app = sock_app_of(p, egress);
	if (app == KFLOWD_APP_NONE)
		return false;
	if (limit > KFLOWD_PAYLOAD_MAX)
		limit = KFLOWD_PAYLOAD_MAX;
	len = p->payload;
	if (tcp) {
		__u32 *expected = egress ? &r->app_tx_seq : &r->app_rx_seq;

		seq = p->seq;
		if (*expected) {                 /* 0: not known yet */
			__s32 d = (__s32)(seq - *expected);

			if (d < 0) {             /* starts before the next new byte */
				__u32 dup = *expected - seq;

				if (dup >= len)
					return false;    /* retransmission, duplicate */
				seq += dup;              /* only its tail is new */
				off += dup;
				len -= dup;
			} else if (d > 0) {
				flags |= KFLOWD_PAYLOAD_GAP;  /* bytes before it were not seen */
			}
		}
		*expected = seq + len;
	}
	msg = r->app_messages;
	if (r->app_last_dir != dir) {
		__u32 quota = cfg.app_messages;

		if (tcp && msg >= quota) {
			__u32 *q = bpf_map_lookup_elem(&app_quota, &r->cookie);

			if (q && *q > quota)
				quota = *q;
		}
		r->app_last_dir = dir;
		if (msg >= quota) {
			/* no slot: this message is not captured, nor its further segments */
			r->app_msg_bytes = SOCK_MSG_CUT_SENT | limit;
			return false;
		}
		r->app_messages = ++msg;
		r->app_msg_bytes = 0;
	}
	used = r->app_msg_bytes;
	if (used & SOCK_MSG_CUT_SENT)
		return false;                    /* the message is over its limit, and said so */
	if (used >= limit) {
		/* it reached its limit exactly with the segment before: this one is cut whole */
		captured = 0;
		flags |= KFLOWD_PAYLOAD_CUT;
		r->app_msg_bytes = used | SOCK_MSG_CUT_SENT;
	} else {
		captured = limit - used;
		if (len > captured) {
			flags |= KFLOWD_PAYLOAD_CUT;
			r->app_msg_bytes = limit | SOCK_MSG_CUT_SENT;
		} else {
			captured = len;
			r->app_msg_bytes = used + len;
		}
	}
	sock_payload_send(skb, r, flags, now, len, captured, seq, msg - 1, app,
			  tcp ? KFLOWD_PROTO_TCP : KFLOWD_PROTO_UDP, off);
	if (!r->app)
		r->app = app;
	return !tcp && msg >= cfg.app_messages;
}

/* ---- packets ------------------------------------------------------------------------- */

/* A packet of a listener: part of a passive open; only a SYN starts an entry. */
static __always_inline void sock_handshake_packet(struct sock_pkt *p, bool egress, __u64 now,
						  __u32 ifindex)
{
	struct sock_handshake *h;
	struct sock_tuple k = {};
	__u32 idx = 0;

	if (egress) {
		sock_addr_put(k.laddr, p->saddr, p->v4, SOCK_AF_INET6);
		sock_addr_put(k.raddr, p->daddr, p->v4, SOCK_AF_INET6);
		k.lport = p->sport;
		k.rport = p->dport;
	} else {
		sock_addr_put(k.laddr, p->daddr, p->v4, SOCK_AF_INET6);
		sock_addr_put(k.raddr, p->saddr, p->v4, SOCK_AF_INET6);
		k.lport = p->dport;
		k.rport = p->sport;
	}
	h = bpf_map_lookup_elem(&sock_handshakes, &k);
	if (!h) {
		void *zero;

		if (egress || (p->tcp_flags & (KFLOWD_TCP_SYN | KFLOWD_TCP_ACK)) != KFLOWD_TCP_SYN)
			return;
		zero = bpf_map_lookup_elem(&sock_zero, &idx);
		if (!zero)
			return;
		bpf_map_update_elem(&sock_handshakes, &k, zero, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&sock_handshakes, &k);
		if (!h)
			return;
	}
	sock_count(egress ? &h->tx : &h->rx, p, now, ifindex, !egress, 0);
}

/*
 * A UDP datagram of a socket without a record starts one (spec 5.5): addresses and ports
 * from this datagram by its direction, CLIENT unless it was received on a socket bound to
 * its port explicitly.
 */
static __always_inline void sock_udp_init(struct kflowd_sock_record *r, struct __sk_buff *skb,
					  struct bpf_sock *sk, struct sock_pkt *p, bool egress)
{
	struct sock *ksk = sock_kern_sk(skb);

	r->proto = KFLOWD_PROTO_UDP;
	r->family = sk->family;
	if (egress) {
		sock_addr_put(r->laddr, p->saddr, p->v4, sk->family);
		sock_addr_put(r->raddr, p->daddr, p->v4, sk->family);
		r->lport = p->sport;
		r->rport = p->dport;
	} else {
		sock_addr_put(r->laddr, p->daddr, p->v4, sk->family);
		sock_addr_put(r->raddr, p->saddr, p->v4, sk->family);
		r->lport = p->dport;
		r->rport = p->sport;
		if (ksk && (ksk->sk_userlocks & SOCK_BINDPORT_LOCK))
			r->role = KFLOWD_ROLE_SERVER;
	}
	if (ksk)
		sock_udp_stats(ksk, &r->base);
}

/* A TCP connection older than the monitor: its record starts at this packet. */
static __always_inline void sock_preexisting_init(struct kflowd_sock_record *r,
						  struct __sk_buff *skb, struct bpf_sock *sk)
{
	r->proto = KFLOWD_PROTO_TCP;
	r->flags |= KFLOWD_SOCK_PREEXISTING;
	sock_tuple_bpf(r, sk);
	r->role = r->lport >= cfg.local_port_lo && r->lport <= cfg.local_port_hi ?
		  KFLOWD_ROLE_CLIENT : KFLOWD_ROLE_SERVER;
	r->state = sk->state;
	sock_sample_skb(skb, true, &r->base);
}

static __always_inline int sock_packet(struct __sk_buff *skb, bool egress)
{
	struct kflowd_sock_record *r;
	struct sock_pkt p = {};
	struct bpf_sock *skc, *sk;
	__u64 cookie, now;
	__u32 state, ifindex;
	bool tcp, fresh;

	if (!cfg.monitor_sockets)
		return 1;
	skc = skb->sk;
	if (!skc)
		return 1;
	sk = bpf_sk_fullsock(skc);            /* not request or TIME_WAIT sockets */
	if (!sk || !sock_inet(sk->family))
		return 1;
	if (sk->protocol != IPPROTO_TCP && sk->protocol != IPPROTO_UDP)
		return 1;
	tcp = sk->protocol == IPPROTO_TCP;
	if (!sock_parse(skb, &p) || p.l4 != sk->protocol)
		return 1;
	now = bpf_ktime_get_ns();
	ifindex = egress ? skb->ifindex : skb->ingress_ifindex;
	state = sk->state;
	if (tcp && state == TCP_LISTEN) {
		sock_handshake_packet(&p, egress, now, ifindex);
		return 1;
	}
	cookie = bpf_get_socket_cookie(skb);
	r = bpf_map_lookup_elem(&sock_records, &cookie);
	if (!r) {
		/*
		 * TCP records start at connect and handshake completion; a socket in a
		 * connected state without one is older than the monitor. TCP_CLOSE: the
		 * kernel's control sockets (RSTs for closed ports, TIME_WAIT ACKs) and ended
		 * sockets never start one.
		 */
		if (tcp && !sock_tcp_connected(state))
			return 1;
		r = sock_insert(&cookie, &fresh);
		if (!r)
			return 1;
		if (fresh) {
			r->cookie = cookie;
			r->ts_first = now;
			if (tcp)
				sock_preexisting_init(r, skb, sk);
			else
				sock_udp_init(r, skb, sk, &p, egress);
			r->type = KFLOWD_MSG_SOCK_RECORD;
		}
	}
	if (r->flags & KFLOWD_SOCK_IGNORED)
		return 1;
	if (tcp) {
		if (!r->lport)                        /* connect: the port is bound after SYN_SENT */
			sock_tuple_bpf(r, sk);
	} else {
		r->state = state == TCP_ESTABLISHED ? SOCK_UDP_OPEN : SOCK_UDP_CLOSED;
	}
	sock_count(egress ? &r->tx : &r->rx, &p, now, ifindex, !egress,
		   egress ? 0 : sock_nr_frags(skb));
	/*
	 * After TCP_CLOSE the counters stay as sampled at that transition: tcp_disconnect()
	 * (abortive close, connect(AF_UNSPEC)) zeroes them right after it and then sends the RST.
	 */
	if (!tcp || r->state != TCP_CLOSE)
		sock_sample_skb(skb, tcp, &r->last);
	r->ts_last = now;
	kflowd_stat(KFLOWD_STAT_SOCK_PACKETS);
	if (cfg.app_messages && sock_capture(skb, r, &p, egress, now)) {
		/*
		 * UDP, spec 6.2: the record holds its messages and goes out now (after its
		 * payload, already in the ring); the next datagram starts a new one.
		 */
		__u8 one = 1;

		r->flags |= KFLOWD_SOCK_APP_FULL;
		if (!kflowd_ring_output(r, sizeof(*r), KFLOWD_DROP_SOCK_RING_FULL))
			kflowd_stat(KFLOWD_STAT_SOCK_EXPORTS);
		bpf_map_delete_elem(&sock_records, &cookie);
		bpf_map_update_elem(&sock_app_full, &cookie, &one, BPF_ANY);
	}
	return 1;
}

/* Both MUST return 1: 0 drops the packet. */
SEC("cgroup_skb/egress")
int sock_egress(struct __sk_buff *skb)
{
	return sock_packet(skb, true);
}

SEC("cgroup_skb/ingress")
int sock_ingress(struct __sk_buff *skb)
{
	return sock_packet(skb, false);
}

/* ---- TCP states ---------------------------------------------------------------------- */

/* connect(): CLOSE -> SYN_SENT in the caller's context. */
static __always_inline void sock_tcp_connect(struct sock *sk, __u64 cookie, __u64 now)
{
	struct kflowd_sock_record *r;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	bool fresh;

	/* a socket connecting again after a failed attempt: that attempt's record ends now */
	r = bpf_map_lookup_elem(&sock_records, &cookie);
	if (r)
		sock_end(r, &cookie);
	r = sock_insert(&cookie, &fresh);
	if (!r || !fresh)
		return;
	r->cookie = cookie;
	r->ts_first = now;
	r->ts_last = now;
	r->proto = KFLOWD_PROTO_TCP;
	r->role = KFLOWD_ROLE_CLIENT;
	r->state = TCP_SYN_SENT;
	sock_tuple_sk(r, sk);
	if (kflowd_ignored(pid_tgid >> 32))
		r->flags |= KFLOWD_SOCK_IGNORED;
	else
		kflowd_fill_proc(r, pid_tgid);
	r->type = KFLOWD_MSG_SOCK_RECORD;
}

/* SYN_RECV -> ESTABLISHED of a passive open's child (softirq: no process yet). */
static __always_inline void sock_tcp_accepted(struct sock *sk, __u64 cookie, __u64 now)
{
	struct kflowd_sock_record *r;
	struct sock_handshake *h;
	struct sock_tuple k = {};
	bool fresh;

	r = sock_insert(&cookie, &fresh);
	if (!r || !fresh)
		return;
	r->cookie = cookie;
	r->ts_first = now;
	r->ts_last = now;
	r->proto = KFLOWD_PROTO_TCP;
	r->role = KFLOWD_ROLE_SERVER;
	r->state = TCP_ESTABLISHED;
	sock_tuple_sk(r, sk);
	sock_tuple_of(&k, r);
	h = bpf_map_lookup_elem(&sock_handshakes, &k);
	if (h) {
		sock_merge(&r->tx, &h->tx);
		sock_merge(&r->rx, &h->rx);
		bpf_map_delete_elem(&sock_handshakes, &k);
	}
	sock_sample_sk(sk, &r->last);
	r->type = KFLOWD_MSG_SOCK_RECORD;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(sock_state, const struct sock *csk, int oldstate, int newstate)
{
	struct sock *sk = (struct sock *)csk;
	struct kflowd_sock_record *r;
	__u64 cookie;

	if (!cfg.monitor_sockets || sk->sk_protocol != IPPROTO_TCP ||
	    !sock_inet(sk->__sk_common.skc_family))
		return 0;
	if (oldstate == TCP_LISTEN || newstate == TCP_LISTEN)
		return 0;
	cookie = bpf_get_socket_cookie(sk);
	if (oldstate == TCP_CLOSE && newstate == TCP_SYN_SENT) {
		sock_tcp_connect(sk, cookie, bpf_ktime_get_ns());
		return 0;
	}
	r = bpf_map_lookup_elem(&sock_records, &cookie);
	if (!r) {
		if (oldstate == TCP_SYN_RECV && newstate == TCP_ESTABLISHED)
			sock_tcp_accepted(sk, cookie, bpf_ktime_get_ns());
		return 0;
	}
	r->state = newstate;
	/*
	 * FIN_WAIT1/2, CLOSE_WAIT, LAST_ACK, CLOSING: the state is all. These transitions come
	 * with a packet (a FIN or ACK received: its ingress hook ran microseconds before; a
	 * FIN to send: its egress hook follows), whose time stands for ts_last: no clock read.
	 */
	if (newstate != TCP_ESTABLISHED && newstate != TCP_CLOSE)
		return 0;
	r->ts_last = bpf_ktime_get_ns();
	if (newstate == TCP_ESTABLISHED) {
		sock_tuple_sk(r, sk);
	} else if (newstate == TCP_CLOSE) {
		/*
		 * The tuple is not refreshed: unhashing may have cleared the local port. The
		 * record goes out at tcp_destroy_sock (an abortive close sends its RST after
		 * this transition). A handshake entry of this tuple is stale now.
		 */
		struct sock_tuple k = {};

		sock_sample_sk(sk, &r->last);
		if (r->proto == KFLOWD_PROTO_TCP && r->role == KFLOWD_ROLE_SERVER) {
			sock_tuple_of(&k, r);
			bpf_map_delete_elem(&sock_handshakes, &k);
		}
	}
	return 0;
}

/* The socket is freed: nothing of it can follow, its final record goes out. */
SEC("tp_btf/tcp_destroy_sock")
int BPF_PROG(sock_destroy, struct sock *sk)
{
	struct kflowd_sock_record *r;
	__u64 cookie;

	if (!cfg.monitor_sockets)
		return 0;
	cookie = bpf_get_socket_cookie(sk);
	r = bpf_map_lookup_elem(&sock_records, &cookie);
	if (!r || r->proto != KFLOWD_PROTO_TCP)
		return 0;
	/* no sampling: the counters of r->last are those of the TCP_CLOSE transition */
	sock_end(r, &cookie);
	return 0;
}

/* ---- UDP end ------------------------------------------------------------------------- */

/* close() of a UDP socket's last descriptor. MUST return 1. TCP ends at tcp_destroy_sock. */
SEC("cgroup/sock_release")
int sock_release(struct bpf_sock *ctx)
{
	struct kflowd_sock_record *r;
	__u64 cookie;

	if (!cfg.monitor_sockets || ctx->protocol != IPPROTO_UDP || !sock_inet(ctx->family))
		return 1;
	cookie = bpf_get_socket_cookie(ctx);
	r = bpf_map_lookup_elem(&sock_records, &cookie);
	if (!r)
		return 1;
	r->ts_last = bpf_ktime_get_ns();
	sock_end(r, &cookie);
	return 1;
}

/* ---- process attribution and UNIX messages ------------------------------------------- */

#define SOCK_W(a, b, c, d, e, f, g, h)							\
	((__u64)(a) | (__u64)(b) << 8 | (__u64)(c) << 16 | (__u64)(d) << 24 |		\
	 (__u64)(e) << 32 | (__u64)(f) << 40 | (__u64)(g) << 48 | (__u64)(h) << 56)

/* The syslog paths (spec 5.6, and /dev/log itself), as little-endian words, NUL-padded. */
static __always_inline bool sock_syslog_path(const __u64 *w)
{
	if (w[0] == SOCK_W('/', 'd', 'e', 'v', '/', 'l', 'o', 'g'))
		return !w[1] && !w[2] && !w[3];
	if (w[0] != SOCK_W('/', 'r', 'u', 'n', '/', 's', 'y', 's') ||
	    w[1] != SOCK_W('t', 'e', 'm', 'd', '/', 'j', 'o', 'u'))
		return false;
	if (w[2] == SOCK_W('r', 'n', 'a', 'l', '/', 'd', 'e', 'v'))       /* .../dev-log */
		return w[3] == SOCK_W('-', 'l', 'o', 'g', 0, 0, 0, 0);
	if (w[2] == SOCK_W('r', 'n', 'a', 'l', '/', 's', 'o', 'c'))       /* .../socket */
		return w[3] == SOCK_W('k', 'e', 't', 0, 0, 0, 0, 0);
	return false;
}

/*
 * The bound path of a UNIX socket into w if it is one of the syslog paths: its length with
 * the NUL, else 0. bound: the receiving socket (sock_data_ready) or the sender's connected
 * peer (sock_send).
 */
static __always_inline long sock_unix_syslog_addr(struct sock *bound, __u64 *w)
{
	struct unix_address *ua;
	long n;

	if (!bound)
		return 0;
	ua = BPF_CORE_READ((struct unix_sock *)bound, addr);
	if (!ua)
		return 0;
	n = bpf_probe_read_kernel_str(w, SOCK_UNIX_CMP_WORDS * 8, (void *)ua +
				      bpf_core_field_offset(struct unix_address, name) +
				      bpf_core_field_offset(struct sockaddr_un, sun_path));
	if (n <= 1 || !sock_syslog_path(w))      /* n <= 1: abstract (leading NUL) or none */
		return 0;
	return n;
}

/*
 * The datagram this send queued, as sock_data_ready captured it (cfg.app_messages), or
 * NULL: not captured (not to a syslog path, taken by the receiver before it was seen, ...).
 * It must be this socket's and of this length: a datagram of another socket may have been
 * the queue's tail by then (the receiver took this one first).
 */
static __always_inline struct sock_unix_pending *sock_unix_pending_of(struct sock *sk, int ret)
{
	struct sock_unix_pending *p;
	bool mine;

	if (!cfg.app_messages || !cfg.app_bytes)
		return NULL;
	p = bpf_task_storage_get(&sock_unix_pending, bpf_get_current_task_btf(), NULL, 0);
	if (!p || !p->sender)
		return NULL;
	mine = p->sender == (__u64)sk && p->len == (__u32)ret;
	p->sender = 0;                           /* used once */
	return mine ? p : NULL;
}

/*
 * sock_send_length of a UNIX datagram socket: the message is counted here (ret: its bytes)
 * into the socket's record, started if there is none and the datagram went to a syslog path
 * (the connected peer's, or for sendto() on an unconnected socket the receiver's as
 * sock_data_ready saw it). Its payload goes out first (spec 6.4: every datagram is a
 * message); a record that now holds cfg.app_messages messages goes out after it
 * (KFLOWD_SOCK_APP_FULL) and is deleted: the next datagram starts a new one.
 */
static __always_inline void sock_unix_send(struct sock *sk, int ret)
{
	struct kflowd_sock_record *r;
	struct sock_unix_pending *p;
	struct sock *peer;
	__u64 w[SOCK_UNIX_CMP_WORDS] = {}, cookie, now, pid_tgid, size;
	__u32 msg;
	long n;
	bool fresh;

	if (!cfg.syslog_unix || ret <= 0 || sk->sk_type != SOCK_DGRAM)
		return;
	p = sock_unix_pending_of(sk, ret);
	cookie = bpf_get_socket_cookie(sk);
	now = bpf_ktime_get_ns();
	r = bpf_map_lookup_elem(&sock_records, &cookie);
	if (!r) {
		pid_tgid = bpf_get_current_pid_tgid();
		if (kflowd_ignored(pid_tgid >> 32))      /* the monitor's own syslog messages */
			return;
		peer = BPF_CORE_READ((struct unix_sock *)sk, peer);
		if (peer) {
			n = sock_unix_syslog_addr(peer, w);
		} else if (p) {
			n = p->addr_len;
			__builtin_memcpy(w, p->addr, sizeof(w));
		} else {
			return;          /* sendto() a path: seen only with payload capture on */
		}
		if (!n)
			return;
		r = sock_insert(&cookie, &fresh);
		if (!r)
			return;
		if (fresh) {
			r->cookie = cookie;
			r->ts_first = now;
			r->proto = KFLOWD_PROTO_UNIX;
			r->role = KFLOWD_ROLE_CLIENT;
			r->family = SOCK_AF_UNIX;
			__builtin_memcpy(r->address, w, sizeof(w));
			r->address_len = n - 1;
			kflowd_fill_proc(r, pid_tgid);
			r->type = KFLOWD_MSG_SOCK_RECORD;
		}
	}
	__sync_fetch_and_add(&r->tx.packets, 1);
	__sync_fetch_and_add(&r->tx.bytes, ret);
	if (!r->tx.ts_first)
		r->tx.ts_first = now;
	r->tx.ts_last = now;
	r->ts_last = now;
	kflowd_stat(KFLOWD_STAT_SOCK_PACKETS);
	if (!p)
		return;
	msg = r->app_messages;
	if (msg >= cfg.app_messages)
		return;          /* full already (two threads sending at once): not captured */
	r->app_messages = msg + 1;
	r->app_last_dir = KFLOWD_PAYLOAD_TX;
	r->app_msg_bytes = p->m.captured;
	if (!r->app)
		r->app = KFLOWD_APP_SYSLOG;
	p->m.cookie = cookie;
	p->m.ts = now;
	p->m.message = msg;
	size = p->m.captured;
	asm volatile("" : "+r"(size));
	if (size > KFLOWD_PAYLOAD_MAX)
		size = KFLOWD_PAYLOAD_MAX;
	kflowd_ring_output(&p->m, SOCK_PAYLOAD_HDR + size, KFLOWD_DROP_PAYLOAD_RING_FULL);
	if (msg + 1 >= cfg.app_messages) {
		r->flags |= KFLOWD_SOCK_APP_FULL;
		if (!kflowd_ring_output(r, sizeof(*r), KFLOWD_DROP_SOCK_RING_FULL))
			kflowd_stat(KFLOWD_STAT_SOCK_EXPORTS);
		bpf_map_delete_elem(&sock_records, &cookie);
	}
}

/*
 * The payload of a UNIX datagram to a syslog path (spec 6.4). sk: the receiving socket, in
 * the sender's context: unix_dgram_sendmsg() has just appended the datagram to sk's receive
 * queue and calls sk->sk_data_ready(). The datagram is the queue's tail, its owner
 * (skb->sk, skb_set_owner_w) the sending socket. Only copied here, into the task's
 * sock_unix_pending: a pointer read from the queue is untrusted, bpf_get_socket_cookie()
 * does not take it and a UNIX socket has no cookie until one is asked for. sock_send,
 * which fires when this send returns, has the sender as a trusted pointer and sends it.
 */
static __always_inline void sock_unix_capture(struct sock *sk)
{
	struct sk_buff_head *q = &sk->sk_receive_queue;
	struct sock_unix_pending *p;
	struct sk_buff *skb;
	__u64 w[SOCK_UNIX_CMP_WORDS] = {}, sender, n;
	__u32 len, linear, captured, limit, flags = KFLOWD_PAYLOAD_TX;
	long alen;

	if (kflowd_ignored(bpf_get_current_pid_tgid() >> 32))
		return;
	alen = sock_unix_syslog_addr(sk, w);
	if (!alen)
		return;
	skb = q->prev;
	if (!skb || (void *)skb == (void *)q)    /* empty: the receiver took it already */
		return;
	sender = (__u64)BPF_CORE_READ(skb, sk);
	if (!sender)
		return;
	p = bpf_task_storage_get(&sock_unix_pending, bpf_get_current_task_btf(), NULL,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!p) {
		kflowd_drop(KFLOWD_DROP_PAYLOAD_RING_FULL);
		return;
	}
	len = skb->len;
	linear = len - skb->data_len;            /* paged data (datagrams > ~16 KB): not copied */
	limit = cfg.app_bytes;
	if (limit > KFLOWD_PAYLOAD_MAX)
		limit = KFLOWD_PAYLOAD_MAX;
	captured = len < limit ? len : limit;
	if (captured > linear)
		captured = linear;
	/* the bound again where the verifier sees it (clang drops the test) */
	n = captured;
	asm volatile("" : "+r"(n));
	if (n > KFLOWD_PAYLOAD_MAX)
		n = KFLOWD_PAYLOAD_MAX;
	if (n && bpf_probe_read_kernel(p->m.data, n, skb->data))
		n = 0;
	/*
	 * Still queued? A receiver on another CPU may have taken the datagram (and its buffer
	 * been freed) while it was copied: dequeuing clears skb->next. Then only its length.
	 */
	if (!skb->next)
		n = 0;
	if (n < len)
		flags |= KFLOWD_PAYLOAD_CUT;
	p->m.type = KFLOWD_MSG_SOCK_PAYLOAD;
	p->m.flags = flags;
	p->m.len = len;
	p->m.captured = n;
	p->m.seq = 0;
	p->m.app = KFLOWD_APP_SYSLOG;
	p->m.proto = KFLOWD_PROTO_UNIX;
	p->m.pad0 = 0;
	p->m.pad1 = 0;
	__builtin_memcpy(p->addr, w, sizeof(w));
	p->addr_len = alen;
	p->len = len;
	p->sender = sender;
}

/*
 * The task that sends or receives on a TCP/UDP socket is the record's process: connect()
 * filled it already for a client, a server's comes with its first recv/send after
 * accept(), a UDP socket's with its first datagram read or written.
 */
static __always_inline void sock_attribute(struct sock *sk, int ret, bool send)
{
	struct kflowd_sock_record *r;
	__u64 cookie, pid_tgid;
	__u32 family = sk->__sk_common.skc_family, proto, state;
	bool ignored, fresh;

	if (family == SOCK_AF_UNIX) {
		if (send)
			sock_unix_send(sk, ret);
		return;
	}
	if (!sock_inet(family))
		return;
	proto = sk->sk_protocol;
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return;
	cookie = bpf_get_socket_cookie(sk);
	r = bpf_map_lookup_elem(&sock_records, &cookie);
	/*
	 * The usual case: the record has its process (or is the monitor's own). A process
	 * filled in is never the monitor (connect() and the first send/recv check it), so the
	 * self filter is not asked again on every send and receive.
	 */
	if (r && (r->tgid || (r->flags & KFLOWD_SOCK_IGNORED)))
		return;
	pid_tgid = bpf_get_current_pid_tgid();
	ignored = kflowd_ignored(pid_tgid >> 32);
	if (r) {
		if (ignored)
			r->flags |= KFLOWD_SOCK_IGNORED;
		else if (!r->tgid)
			kflowd_fill_proc(r, pid_tgid);
		return;
	}
	/*
	 * No record. The monitor's own sockets get one, marked, so that their packets are
	 * skipped early; a UDP socket whose datagrams were not seen (queued before the
	 * monitor started) gets one here. TCP records start only where the state machine or
	 * the packet hooks start them.
	 */
	state = sk->__sk_common.skc_state;
	if (proto == IPPROTO_TCP && (!ignored || !sock_tcp_connected(state)))
		return;
	if (proto == IPPROTO_UDP && !ignored) {
		if (ret <= 0)
			return;
		if (bpf_map_lookup_elem(&sock_app_full, &cookie)) {
			bpf_map_delete_elem(&sock_app_full, &cookie);
			return;          /* the call of the datagram that filled the last record */
		}
	}
	r = sock_insert(&cookie, &fresh);
	if (!r || !fresh)
		return;
	r->cookie = cookie;
	r->ts_first = r->ts_last = bpf_ktime_get_ns();
	r->proto = proto == IPPROTO_TCP ? KFLOWD_PROTO_TCP : KFLOWD_PROTO_UDP;
	sock_tuple_sk(r, sk);
	if (ignored) {
		r->flags |= KFLOWD_SOCK_IGNORED;
	} else {
		r->state = state == TCP_ESTABLISHED ? SOCK_UDP_OPEN : SOCK_UDP_CLOSED;
		if (!send && (sk->sk_userlocks & SOCK_BINDPORT_LOCK))
			r->role = KFLOWD_ROLE_SERVER;
		sock_udp_stats(sk, &r->base);
		kflowd_fill_proc(r, pid_tgid);
	}
	r->type = KFLOWD_MSG_SOCK_RECORD;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(sock_send, struct sock *sk, int ret, int flags)
{
	if (cfg.monitor_sockets)
		sock_attribute(sk, ret, true);
	return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(sock_recv, struct sock *sk, int ret, int flags)
{
	if (cfg.monitor_sockets)
		sock_attribute(sk, ret, false);
	return 0;
}

/*
 * Every sk_data_ready of every socket: TCP and UDP receives (softirq) come here too and
 * leave at the family test. AF_UNIX datagram receivers: sock_unix_capture().
 */
SEC("tp_btf/sk_data_ready")
int BPF_PROG(sock_data_ready, const struct sock *csk)
{
	struct sock *sk = (struct sock *)csk;

	if (sk->__sk_common.skc_family != SOCK_AF_UNIX)
		return 0;
	if (!cfg.monitor_sockets || !cfg.syslog_unix || !cfg.app_messages || !cfg.app_bytes)
		return 0;
	if (sk->sk_type == SOCK_DGRAM)
		sock_unix_capture(sk);
	return 0;
}
