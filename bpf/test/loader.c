// SPDX-License-Identifier: GPL-2.0
/*
 * Development loader for kflowd.bpf.o: not part of the product (the Java core loads the
 * object through libbpf by FFM). It does what the core must do, in C, so the kernel side can
 * be tested alone:
 *   open the object; size the ring and the record map; write cfg into .rodata (its offset
 *   from the BTF DATASEC); switch off programs whose hook this kernel lacks; load; attach;
 *   read the ring; at the end flush the open records (lookup_and_delete) and print the
 *   drop and statistics counters.
 *
 * Build:  gcc -O2 -Wall -I ../include -o loader loader.c -lbpf
 * Usage:  loader [-o obj] [-e max_events] [-w wakeup_every] [-r ring_bytes] [-m records]
 *                [-i tgid]... [-t seconds] [-F (no flush at exit)] [-d (file monitor off)]
 *                [-v (verifier statistics per program)]
 *                [-s (socket monitor: sock_* programs, cgroup programs on /sys/fs/cgroup/unified)]
 *                [-c cgroup-dir]
 *                [-p tcp|udp/PORT=APP]... (payload capture: app_ports entries, APP a KFLOWD_APP_*
 *                 number, e.g. -p udp/53=1 -p tcp/80=2) [-M messages (4)] [-B bytes (1400)]
 * Output: one line per message, fields key=value, values escaped (\xNN for bytes outside
 *         printable ASCII and for ' ', '=', '\'), "READY" once attached, "DROPS ..." and
 *         "STATS ..." at exit (SIGINT/SIGTERM or -t). Socket records: "SOCK ..." from the
 *         ring, "OPEN ..." for the records still in sock_records at exit; captured payload:
 *         "PAYLOAD cookie= dir=tx|rx app= len= captured= seq= message= flags= data=".
 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>
#include "kflowd.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig) { (void)sig; stop = 1; }

static const char *ev_names[KFLOWD_EV_COUNT] = {
	"CREATE", "OPEN", "OPEN_EXEC", "ACCESS", "ATTRIB", "MODIFY",
	"CLOSE_WRITE", "CLOSE_NOWRITE", "MOVED_FROM", "MOVED_TO", "DELETE",
};

static void put_escaped(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c > 0x20 && c < 0x7f && c != '=' && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
}

static size_t bounded(const char *s, __u32 len, size_t max)
{
	return len < max ? len : strnlen(s, max);
}

static void print_record(const struct kflowd_file_record *r, const char *kind)
{
	printf("%s id=%llu tgid=%u tid=%u ppid=%u uid=%u gid=%u comm=", kind,
	       (unsigned long long)r->record_id, r->tgid, r->tid, r->ppid, r->uid, r->gid);
	put_escaped(r->comm, strnlen(r->comm, sizeof(r->comm)));
	printf(" exe=");
	put_escaped(r->exe, bounded(r->exe, r->exe_len, sizeof(r->exe)));
	printf(" pexe=");
	put_escaped(r->parent_exe, bounded(r->parent_exe, r->parent_exe_len, sizeof(r->parent_exe)));
	printf(" dev=%llx ino=%llu mode=%o nlink=%u fuid=%u fgid=%u size=%llu size_first=%llu"
	       " flags=%x dur_ns=%llu age_ns=%lld mtime=%lld.%09lld ctime=%lld.%09lld events=",
	       (unsigned long long)r->dev, (unsigned long long)r->ino, r->mode, r->nlink,
	       r->fuid, r->fgid, (unsigned long long)r->size, (unsigned long long)r->size_first,
	       r->flags, (unsigned long long)(r->ts_last - r->ts_first),
	       (long long)(r->ts_last - r->proc_start),
	       (long long)r->mtime_sec, (long long)r->mtime_nsec,
	       (long long)r->ctime_sec, (long long)r->ctime_nsec);
	int first = 1;
	for (int i = 0; i < KFLOWD_EV_COUNT; i++) {
		if (!r->events[i])
			continue;
		printf("%s%s:%u", first ? "" : ",", ev_names[i], r->events[i]);
		first = 0;
	}
	if (first)
		printf("-");
	printf(" name=");
	put_escaped(r->name, bounded(r->name, r->name_len, sizeof(r->name)));
	printf(" name_len=%u origin=", r->name_len);
	put_escaped(r->origin, bounded(r->origin, r->origin_len, sizeof(r->origin)));
	printf("\n");
}

static const char *tcp_flag_names[6] = { "FIN", "SYN", "RST", "PSH", "ACK", "URG" };

static void print_flags(const struct kflowd_sock_traffic *t)
{
	int n = t->combos < KFLOWD_TCP_FLAG_COMBOS ? t->combos : KFLOWD_TCP_FLAG_COMBOS;

	if (!n)
		printf("-");
	for (int i = 0; i < n; i++) {
		unsigned c = t->combo_order[i] & (KFLOWD_TCP_FLAG_COMBOS - 1);
		int first = 1;

		printf("%s", i ? "," : "");
		for (int b = 0; b < 6; b++) {
			if (c & (1u << b)) {
				printf("%s%s", first ? "" : "-", tcp_flag_names[b]);
				first = 0;
			}
		}
		if (first)
			printf("NONE");
		printf(":%u", t->flags[c]);
	}
}

static void print_addr(const __u8 *a, __u16 family)
{
	char buf[INET6_ADDRSTRLEN];

	if (family == 2)
		printf("%s", inet_ntop(AF_INET, a, buf, sizeof(buf)));
	else if (family == 10)
		printf("%s", inet_ntop(AF_INET6, a, buf, sizeof(buf)));
	else
		printf("-");
}

static void print_traffic(const char *dir, const struct kflowd_sock_traffic *t)
{
	printf(" %s_packets=%llu %s_data=%llu %s_bytes=%llu %s_flags=", dir,
	       (unsigned long long)t->packets, dir, (unsigned long long)t->data_packets, dir,
	       (unsigned long long)t->bytes, dir);
	print_flags(t);
	printf(" %s_if=%u %s_dur_ns=%llu", dir, t->ifindex, dir,
	       (unsigned long long)(t->ts_first ? t->ts_last - t->ts_first : 0));
}

static const char *proto_names[4] = { "-", "TCP", "UDP", "UNIX" };

static void print_sock(const struct kflowd_sock_record *r, const char *kind)
{
	const struct kflowd_sock_stats *b = &r->base, *l = &r->last;

	printf("%s cookie=%llu type=%u proto=%s role=%s state=%u family=%u laddr=", kind,
	       (unsigned long long)r->cookie, r->type, proto_names[r->proto & 3],
	       r->role ? "SERVER" : "CLIENT", r->state, r->family);
	print_addr(r->laddr, r->family);
	printf(" lport=%u raddr=", r->lport);
	print_addr(r->raddr, r->family);
	printf(" rport=%u tgid=%u tid=%u ppid=%u uid=%u gid=%u comm=", r->rport, r->tgid, r->tid,
	       r->ppid, r->uid, r->gid);
	put_escaped(r->comm, strnlen(r->comm, sizeof(r->comm)));
	printf(" exe=");
	put_escaped(r->exe, bounded(r->exe, r->exe_len, sizeof(r->exe)));
	printf(" pexe=");
	put_escaped(r->parent_exe, bounded(r->parent_exe, r->parent_exe_len, sizeof(r->parent_exe)));
	printf(" flags=%x age_ns=%llu", r->flags, (unsigned long long)(r->ts_last - r->ts_first));
	print_traffic("tx", &r->tx);
	print_traffic("rx", &r->rx);
	printf(" rx_frags=%llu rx_ttl=%llu", (unsigned long long)r->rx.frags,
	       (unsigned long long)(r->rx.ttl_packets ? r->rx.ttl_sum / r->rx.ttl_packets : 0));
	printf(" acked=%lld retrans_bytes=%lld retrans=%d dsack=%d reord=%d drops=%d"
	       " rto=%u srtt_us=%u queued=%u",
	       (long long)(l->bytes_acked - b->bytes_acked),
	       (long long)(l->bytes_retrans - b->bytes_retrans),
	       (int)(l->total_retrans - b->total_retrans), (int)(l->dsack_dups - b->dsack_dups),
	       (int)(l->reord_seen - b->reord_seen), (int)(l->drops - b->drops), l->rto,
	       l->srtt_us, l->queued);
	printf(" address=");
	put_escaped(r->address, bounded(r->address, r->address_len, sizeof(r->address)));
	printf(" app=%u app_messages=%u\n", r->app, r->app_messages);
}

static void print_payload(const struct kflowd_sock_payload *m, size_t size)
{
	size_t hdr = offsetof(struct kflowd_sock_payload, data);

	if (size < hdr || m->captured > size - hdr || m->captured > KFLOWD_PAYLOAD_MAX) {
		printf("BAD payload size=%zu\n", size);
		return;
	}
	printf("PAYLOAD cookie=%llu dir=%s app=%u proto=%s len=%u captured=%u seq=%u message=%u"
	       " flags=%x size=%zu data=", (unsigned long long)m->cookie,
	       m->flags & KFLOWD_PAYLOAD_TX ? "tx" : "rx", m->app, proto_names[m->proto & 3],
	       m->len, m->captured, m->seq, m->message, m->flags, size);
	put_escaped((const char *)m->data, m->captured);
	printf("\n");
}

static int on_message(void *ctx, void *data, size_t size)
{
	(void)ctx;
	if (size < 8)
		return 0;
	switch (*(__u32 *)data) {
	case KFLOWD_MSG_FILE_RECORD:
		if (size >= sizeof(struct kflowd_file_record))
			print_record(data, "RECORD");
		else
			printf("BAD record size=%zu\n", size);
		break;
	case KFLOWD_MSG_FILE_PATH: {
		const struct kflowd_file_path *p = data;

		if (size < 24 || p->len > size - 24) {
			printf("BAD path size=%zu\n", size);
			break;
		}
		printf("PATH id=%llu flags=%x len=%u size=%zu path=", (unsigned long long)p->record_id,
		       p->flags, p->len, size);
		put_escaped(p->path, p->len);
		printf("\n");
		break;
	}
	case KFLOWD_MSG_SOCK_RECORD:
		if (size >= sizeof(struct kflowd_sock_record))
			print_sock(data, "SOCK");
		else
			printf("BAD sock size=%zu\n", size);
		break;
	case KFLOWD_MSG_SOCK_PAYLOAD:
		print_payload(data, size);
		break;
	default:
		printf("BAD type=%u size=%zu\n", *(__u32 *)data, size);
	}
	return 0;
}

/* Where cfg lives in .rodata, from the object's BTF. */
static int rodata_offset(struct bpf_object *obj, const char *var, __u32 *off)
{
	struct btf *btf = bpf_object__btf(obj);
	int id = btf ? btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC) : -1;
	const struct btf_type *sec;
	const struct btf_var_secinfo *vs;

	if (id < 0)
		return -1;
	sec = btf__type_by_id(btf, id);
	vs = btf_var_secinfos(sec);
	for (int i = 0; i < btf_vlen(sec); i++, vs++) {
		const struct btf_type *v = btf__type_by_id(btf, vs->type);

		if (!strcmp(btf__name_by_offset(btf, v->name_off), var)) {
			*off = vs->offset;
			return 0;
		}
	}
	return -1;
}

/* Does this kernel have the hook of prog? (tp/<cat>/<name> or tp_btf/<name>) */
static int hook_exists(const struct bpf_program *prog, const struct btf *vmlinux)
{
	const char *sec = bpf_program__section_name(prog);
	char path[512], name[256];
	struct stat st;

	if (!strncmp(sec, "tp/", 3)) {
		snprintf(path, sizeof(path), "/sys/kernel/tracing/events/%s", sec + 3);
		if (stat(path, &st) == 0)
			return 1;
		snprintf(path, sizeof(path), "/sys/kernel/debug/tracing/events/%s", sec + 3);
		return stat(path, &st) == 0;
	}
	if (!strncmp(sec, "tp_btf/", 7)) {
		snprintf(name, sizeof(name), "btf_trace_%s", sec + 7);
		return vmlinux && btf__find_by_name_kind(vmlinux, name, BTF_KIND_TYPEDEF) > 0;
	}
	return 1;
}

/* The open socket records (user space exports them by its timeouts; here: just shown). */
static int print_open_socks(int fd)
{
	__u64 key, next, *prev = NULL;
	struct kflowd_sock_record rec;
	int n = 0;

	while (bpf_map_get_next_key(fd, prev, &next) == 0 && n < 1000000) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &rec) == 0 && rec.type == KFLOWD_MSG_SOCK_RECORD) {
			print_sock(&rec, "OPEN");
			n++;
		}
	}
	return n;
}

/* net.ipv4.ip_local_port_range: a TCP connection seen first mid-way is a CLIENT in it */
static void local_port_range(struct kflowd_config *cfg)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
	unsigned lo = 32768, hi = 60999;

	if (f) {
		if (fscanf(f, "%u %u", &lo, &hi) != 2) {
			lo = 32768;
			hi = 60999;
		}
		fclose(f);
	}
	cfg->local_port_lo = lo;
	cfg->local_port_hi = hi;
}

static void print_counters(int fd, const char *title, int n)
{
	int ncpu = libbpf_num_possible_cpus();
	__u64 *v = calloc(ncpu, sizeof(__u64));

	printf("%s", title);
	for (__u32 i = 0; i < (__u32)n; i++) {
		__u64 sum = 0;

		if (bpf_map_lookup_elem(fd, &i, v) == 0)
			for (int c = 0; c < ncpu; c++)
				sum += v[c];
		printf(" %u=%llu", i, (unsigned long long)sum);
	}
	printf("\n");
	free(v);
}

static int flush_records(int fd)
{
	struct kflowd_file_key key, next;
	struct kflowd_file_record rec;
	int n = 0;

	/* lookup_and_delete from the first key again and again: deletion breaks iteration */
	while (bpf_map_get_next_key(fd, NULL, &next) == 0 && n < 1000000) {
		key = next;
		if (bpf_map_lookup_and_delete_elem(fd, &key, &rec) == 0) {
			rec.flags |= KFLOWD_FILE_FLUSHED;
			print_record(&rec, "FLUSH");
			n++;
		} else if (errno != ENOENT) {
			break;
		}
	}
	return n;
}

int main(int argc, char **argv)
{
	const char *path = "target/classes/io/kflowd/bpf/kflowd.bpf.o";
	struct kflowd_config cfg = { .wakeup_every = 64, .monitor_files = 1 };
	__u32 ring = 64u << 20, records = 16384, ignored[64], nignored = 0, nports = 0;
	struct kflowd_app_port ports[64];
	__u8 apps[64];
	int app_messages = 4, app_bytes = 1400;
	int opt, seconds = 0, flush = 1, verbose = 0, sockets = 0, err;
	const char *cgroup = "/sys/fs/cgroup/unified";
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_map *map;
	struct ring_buffer *rb;
	struct btf *vmlinux;

	while ((opt = getopt(argc, argv, "o:e:w:r:m:i:t:Fdvsc:p:M:B:")) != -1) {
		switch (opt) {
		case 'o': path = optarg; break;
		case 'e': cfg.max_events = atoi(optarg); break;
		case 'w': cfg.wakeup_every = atoi(optarg); break;
		case 'r': ring = strtoul(optarg, NULL, 0); break;
		case 'm': records = strtoul(optarg, NULL, 0); break;
		case 'i': if (nignored < 64) ignored[nignored++] = atoi(optarg); break;
		case 't': seconds = atoi(optarg); break;
		case 'F': flush = 0; break;
		case 'd': cfg.monitor_files = 0; break;
		case 'v': verbose = 1; break;
		case 's': sockets = 1; break;
		case 'c': cgroup = optarg; break;
		case 'p': {
			char proto[8];
			unsigned port, app;

			if (nports >= 64 || sscanf(optarg, "%7[a-z]/%u=%u", proto, &port, &app) != 3 ||
			    (strcmp(proto, "tcp") && strcmp(proto, "udp")) || port > 65535 || app > 255) {
				fprintf(stderr, "bad -p %s (tcp|udp/PORT=APP)\n", optarg);
				return 2;
			}
			memset(&ports[nports], 0, sizeof(ports[0]));
			ports[nports].proto = strcmp(proto, "tcp") ? KFLOWD_PROTO_UDP : KFLOWD_PROTO_TCP;
			ports[nports].port = port;
			apps[nports++] = app;
			break;
		}
		case 'M': app_messages = atoi(optarg); break;
		case 'B': app_bytes = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: %s [-o obj] [-e n] [-w n] [-r bytes] [-m n] [-i tgid] [-t s] [-F] [-d] [-v] [-s] [-c cgroup] [-p proto/port=app] [-M n] [-B n]\n", argv[0]);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	cfg.agent_tgid = getpid();
	if (sockets) {
		cfg.monitor_sockets = 1;
		cfg.syslog_unix = 1;
		cfg.app_messages = app_messages;
		cfg.app_bytes = app_bytes;
		local_port_range(&cfg);
	}

	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		fprintf(stderr, "open %s: %s\n", path, strerror(errno));
		return 1;
	}
	bpf_map__set_max_entries(bpf_object__find_map_by_name(obj, "events"), ring);
	bpf_map__set_max_entries(bpf_object__find_map_by_name(obj, "file_records"), records);

	map = bpf_object__find_map_by_name(obj, ".rodata");
	{
		size_t size = 0;
		const void *init = map ? bpf_map__initial_value(map, &size) : NULL;
		__u32 off;
		void *copy;

		if (!init || rodata_offset(obj, "cfg", &off) || off + sizeof(cfg) > size) {
			fprintf(stderr, "no cfg in .rodata\n");
			return 1;
		}
		copy = malloc(size);
		memcpy(copy, init, size);
		memcpy((char *)copy + off, &cfg, sizeof(cfg));
		if (bpf_map__set_initial_value(map, copy, size)) {
			fprintf(stderr, "set .rodata failed\n");
			return 1;
		}
		free(copy);
	}

	vmlinux = btf__load_vmlinux_btf();
	bpf_object__for_each_program(prog, obj) {
		if (!sockets && !strncmp(bpf_program__name(prog), "sock_", 5)) {
			bpf_program__set_autoload(prog, false);
			continue;
		}
		if (!hook_exists(prog, vmlinux)) {
			fprintf(stderr, "no hook for %s (%s): not loaded\n", bpf_program__name(prog),
				bpf_program__section_name(prog));
			bpf_program__set_autoload(prog, false);
		}
	}
	btf__free(vmlinux);
	/* -v: the verifier's statistics per program (log level 4) */
	static char vlog[128][512];
	int nv = 0;
	if (verbose) {
		bpf_object__for_each_program(prog, obj) {
			if (nv < 128 && bpf_program__autoload(prog)) {
				bpf_program__set_log_buf(prog, vlog[nv++], sizeof(vlog[0]));
				bpf_program__set_log_level(prog, 4);
			}
		}
	}

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	err = bpf_object__load(obj);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (err) {
		fprintf(stderr, "load: %s\n", strerror(-err));
		return 1;
	}
	fprintf(stderr, "loaded in %.3f s\n", (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (verbose) {
		int i = 0;
		bpf_object__for_each_program(prog, obj) {
			if (i < nv && bpf_program__autoload(prog)) {
				for (char *c = vlog[i]; *c; c++)
					if (*c == '\n')
						*c = ' ';
				fprintf(stderr, "verifier %s: %s\n", bpf_program__name(prog), vlog[i]);
				i++;
			}
		}
	}

	int ign_fd = bpf_map__fd(bpf_object__find_map_by_name(obj, "ignored_tgids"));
	for (__u32 i = 0; i < nignored; i++) {
		__u8 one = 1;
		bpf_map_update_elem(ign_fd, &ignored[i], &one, BPF_ANY);
	}

	if (sockets) {
		int fd = bpf_map__fd(bpf_object__find_map_by_name(obj, "app_ports"));

		for (__u32 i = 0; i < nports; i++) {
			if (bpf_map_update_elem(fd, &ports[i], &apps[i], BPF_ANY)) {
				fprintf(stderr, "app_ports: %s\n", strerror(errno));
				return 1;
			}
		}
	}

	int nprogs = 0, cgfd = -1;
	if (sockets) {
		cgfd = open(cgroup, O_RDONLY | O_DIRECTORY);
		if (cgfd < 0) {
			fprintf(stderr, "open %s: %s\n", cgroup, strerror(errno));
			return 1;
		}
	}
	bpf_object__for_each_program(prog, obj) {
		struct bpf_link *link;

		if (!bpf_program__autoload(prog))
			continue;
		if (!strncmp(bpf_program__section_name(prog), "cgroup", 6))
			link = bpf_program__attach_cgroup(prog, cgfd);
		else
			link = bpf_program__attach(prog);
		if (!link) {
			fprintf(stderr, "attach %s (%s): %s\n", bpf_program__name(prog),
				bpf_program__section_name(prog), strerror(errno));
			return 1;
		}
		nprogs++;
	}
	fprintf(stderr, "attached %d programs\n", nprogs);

	rb = ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(obj, "events")),
			      on_message, NULL, NULL);
	if (!rb) {
		fprintf(stderr, "ring_buffer__new: %s\n", strerror(errno));
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("READY pid=%d\n", getpid());

	time_t end = seconds ? time(NULL) + seconds : 0;
	while (!stop && (!end || time(NULL) < end)) {
		err = ring_buffer__poll(rb, 100);
		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "poll: %s\n", strerror(-err));
			break;
		}
	}
	ring_buffer__consume(rb);
	if (flush) {
		int n = flush_records(bpf_map__fd(bpf_object__find_map_by_name(obj, "file_records")));
		ring_buffer__consume(rb);
		fprintf(stderr, "flushed %d records\n", n);
	}
	if (sockets) {
		int n = print_open_socks(bpf_map__fd(bpf_object__find_map_by_name(obj, "sock_records")));

		fprintf(stderr, "%d open socket records\n", n);
	}
	print_counters(bpf_map__fd(bpf_object__find_map_by_name(obj, "drops")), "DROPS", KFLOWD_DROP_COUNT);
	print_counters(bpf_map__fd(bpf_object__find_map_by_name(obj, "stats")), "STATS", KFLOWD_STAT_COUNT);
	ring_buffer__free(rb);
	bpf_object__close(obj);
	return 0;
}
