#!/bin/bash
# Whole-system benchmark (make bench): TCP and UDP churn on loopback without and with the
# socket monitor, interleaved in one run (ROUNDS pairs). TCP: TCP_ITERATIONS times connect,
# send 100 B, receive 100 B, close; UDP: UDP_ITERATIONS round trips of 100 B. Prints
# medians: slowdown, records per second, agent CPU seconds, kernel drops (ring and socket
# table). Needs root and the built distribution. Numbers, never a pass/fail.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIST="$ROOT/runtime/target/kflowd"
TCP_ITERATIONS=${TCP_ITERATIONS:-5000}
UDP_ITERATIONS=${UDP_ITERATIONS:-20000}
ROUNDS=${ROUNDS:-5}
WORK=$(mktemp -d /tmp/kflowd-bench.XXXXXX)
RUN="$WORK/run"; mkdir -p "$RUN"
trap 'pkill -TERM -f "kflowd.rundir=$RUN" 2>/dev/null || true; rm -rf "$WORK"' EXIT
gcc -O2 -o "$WORK/netchurn" "$ROOT/benchmarks/src/main/c/netchurn.c"
# shellcheck source=lib.sh
. "$ROOT/benchmarks/harness/lib.sh"
socket_drops() {
    # the status lists the drop reasons in alphabetical order
    status | sed -n 's/^dropped: .*kernel ring full \([0-9]*\).*socket ring full \([0-9]*\).*socket table full \([0-9]*\).*/\1+\2+\3/p'
}

echo "kflowd network benchmark: TCP $TCP_ITERATIONS connections, UDP $UDP_ITERATIONS round trips, $ROUNDS rounds, $(nproc) CPUs, $(uname -r)"
declare -A base mon rate
cpu=(); drops=(); rss=()
for r in $(seq 1 "$ROUNDS"); do
    base[tcp]+="$("$WORK/netchurn" tcp "$TCP_ITERATIONS") "
    base[udp]+="$("$WORK/netchurn" udp "$UDP_ITERATIONS") "
    start_agent -m socket -o json-min
    "$WORK/netchurn" tcp "$TCP_ITERATIONS" >/dev/null   # warm-up (JIT)
    sleep 1
    cpu0=$(cpu_seconds "$AGENT")
    for kind in tcp udp; do
        n=$TCP_ITERATIONS; [ $kind = udp ] && n=$UDP_ITERATIONS
        before=$(delivered)
        secs=$("$WORK/netchurn" $kind "$n")
        sleep 2   # closed sockets' records arrive at once; let the agent drain them
        after=$(delivered)
        mon[$kind]+="$secs "
        rate[$kind]+="$(awk -v a="$after" -v b="$before" -v s="$secs" 'BEGIN {print (a-b)/s}') "
    done
    cpu1=$(cpu_seconds "$AGENT")
    cpu+=("$(awk -v a="$cpu1" -v b="$cpu0" 'BEGIN {print a-b}')"); drops+=("$(socket_drops)")
    rss+=("$(rss_mib "$AGENT")")
    stop_agent
    echo "round $r: tcp without $(echo ${base[tcp]} | awk '{print $NF}') s with $(echo ${mon[tcp]} | awk '{print $NF}') s," \
         "udp without $(echo ${base[udp]} | awk '{print $NF}') s with $(echo ${mon[udp]} | awk '{print $NF}') s," \
         "agent CPU ${cpu[-1]} s (both runs), drops ${drops[-1]}, RSS ${rss[-1]} MiB"
done
for kind in tcp udp; do
    b=$(printf '%s\n' ${base[$kind]} | median); m=$(printf '%s\n' ${mon[$kind]} | median)
    echo "median $kind: without $b s, with $m s, slowdown $(awk -v m="$m" -v b="$b" 'BEGIN {printf "%.3f", m/b}')x," \
         "records/s $(printf '%s\n' ${rate[$kind]} | median)"
done
echo "median agent CPU $(printf '%s\n' "${cpu[@]}" | median) s per round, drops (ring+final ring+table) ${drops[*]}," \
     "agent RSS $(printf '%s\n' "${rss[@]}" | median) MiB"
