#!/bin/bash
# Cost of the socket monitor for a network workload (development tool, not a test):
# benchmarks/src/main/c/netchurn.c without and with test/loader.c -s -d attached,
# interleaved rounds (the machine is shared: compare medians), plus the run time per call
# of every sock_* program from kernel.bpf_stats_enabled (bpftool prog show).
#
# Timing rounds run with kernel.bpf_stats_enabled=0 (the statistics cost two clock reads per
# program run); 3 more monitored rounds with it on give the ns per call. The loader's stdout
# (one line per record) goes to /dev/null. Times: elapsed seconds of netchurn's client loop
# and the CPU seconds of netchurn and its echo server (softirq work on loopback is charged to
# the sending task).
#
# Usage (root):  bpf/test/bench-sock.sh [rounds [tcp-iterations [udp-iterations]]] [-- loader options]
#   default: 7 rounds, tcp 5000, udp 20000; object bpf/target/classes/io/kflowd/bpf/kflowd.bpf.o
#   (KFLOWD_OBJ overrides).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BPF=$(dirname "$HERE")
ROOT=$(dirname "$BPF")
POS=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do POS+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
ROUNDS=${POS[0]:-7}; TCP_N=${POS[1]:-5000}; UDP_N=${POS[2]:-20000}
OBJ=${KFLOWD_OBJ:-$BPF/target/classes/io/kflowd/bpf/kflowd.bpf.o}
CGROUP=${KFLOWD_CGROUP:-/sys/fs/cgroup/unified}
WORK=$(mktemp -d /tmp/kflowd-bench-sock.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
gcc -O2 -Wall -I "$BPF/include" -o "$WORK/loader" "$HERE/loader.c" -lbpf || exit 2
gcc -O2 -o "$WORK/netchurn" "$ROOT/benchmarks/src/main/c/netchurn.c" || exit 2
sysctl -qw kernel.bpf_stats_enabled=1

python3 - "$WORK" "$OBJ" "$CGROUP" "$ROUNDS" "$TCP_N" "$UDP_N" "$@" <<'PY'
import json, os, resource, signal, statistics, subprocess, sys, time

WORK, OBJ, CGROUP, ROUNDS, TCP_N, UDP_N = sys.argv[1:7]
OPTS = sys.argv[7:]
ROUNDS = int(ROUNDS)
NET = os.path.join(WORK, "netchurn")

def churn(kind, n):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = float(subprocess.run([NET, kind, n], capture_output=True, text=True,
                             check=True).stdout)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return t, (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)

def prog_stats():
    out = {}
    for p in json.loads(subprocess.run(["bpftool", "prog", "show", "-j"], capture_output=True,
                                       text=True, check=True).stdout):
        if p.get("name", "").startswith("sock_"):
            out[p["name"]] = (p.get("run_time_ns", 0), p.get("run_cnt", 0))
    return out

def diff(a, b):
    return {k: (b[k][0] - a.get(k, (0, 0))[0], b[k][1] - a.get(k, (0, 0))[1]) for k in b}

def stats_enabled(on):
    with open("/proc/sys/kernel/bpf_stats_enabled", "w") as f:
        f.write("1" if on else "0")

def loader():
    err = os.path.join(WORK, "err")
    p = subprocess.Popen([os.path.join(WORK, "loader"), "-o", OBJ, "-s", "-d", "-c", CGROUP,
                          *OPTS], stdout=subprocess.DEVNULL, stderr=open(err, "wb"))
    while b"attached" not in open(err, "rb").read():
        if p.poll() is not None:
            sys.exit("loader failed: " + open(err).read())
        time.sleep(0.05)
    time.sleep(0.1)
    return p

def stop(p):
    p.send_signal(signal.SIGINT)
    p.wait()

res = {k: [] for k in ("tcp", "tcp_mon", "udp", "udp_mon")}
ns = {"tcp": {}, "udp": {}}
stats_enabled(False)
for r in range(ROUNDS):
    for what in (["base", "mon"] if r % 2 == 0 else ["mon", "base"]):
        p = loader() if what == "mon" else None
        sfx = "_mon" if p else ""
        res["tcp" + sfx].append(churn("tcp", TCP_N))
        res["udp" + sfx].append(churn("udp", UDP_N))
        if p:
            stop(p)
    print(f"round {r + 1}: tcp {res['tcp'][-1][0]:.3f} / {res['tcp_mon'][-1][0]:.3f} s, "
          f"udp {res['udp'][-1][0]:.3f} / {res['udp_mon'][-1][0]:.3f} s", flush=True)
stats_enabled(True)
for r in range(3):
    p = loader()
    s0 = prog_stats()
    churn("tcp", TCP_N)
    s1 = prog_stats()
    churn("udp", UDP_N)
    s2 = prog_stats()
    stop(p)
    for kind, (a, b) in (("tcp", (s0, s1)), ("udp", (s1, s2))):
        for k, (t, c) in diff(a, b).items():
            if c:
                ns[kind].setdefault(k, []).append((t / c, c))

for kind, n in (("tcp", TCP_N), ("udp", UDP_N)):
    for i, what in ((0, "elapsed"), (1, "cpu")):
        b = statistics.median(x[i] for x in res[kind])
        m = statistics.median(x[i] for x in res[kind + "_mon"])
        print(f"median {kind} {n} {what}: {b:.3f} s -> {m:.3f} s monitored ({m / b:.3f}x)")
for kind, n in (("tcp", TCP_N), ("udp", UDP_N)):
    print(f"ns per call ({kind} run, median of 3; calls per iteration): " +
          ", ".join(f"{k} {statistics.median(x[0] for x in v):.0f} "
                    f"({statistics.median(x[1] for x in v) / int(n):.1f})"
                    for k, v in sorted(ns[kind].items())))
PY
