#!/bin/bash
# Whole-system benchmark (make bench): the file-churn workload without and with the
# monitor, interleaved in one run (ROUNDS pairs), on this machine. Prints medians: workload
# slowdown, records per second, agent CPU seconds, kernel drops, agent RSS. Needs root and
# the built distribution. Numbers, never a pass/fail: this is not a test.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIST="$ROOT/runtime/target/kflowd"
ITERATIONS=${ITERATIONS:-20000}
# agent CPU is utime+stime of the whole JVM during the measured run, JIT compiler included
ROUNDS=${ROUNDS:-5}
# warm-up runs before the measured one (the JIT compiles the record path meanwhile)
WARMUP=${WARMUP:-3}
WORK=$(mktemp -d /tmp/kflowd-bench.XXXXXX)
RUN="$WORK/run"; mkdir -p "$RUN"
trap 'pkill -TERM -f "kflowd.rundir=$RUN" 2>/dev/null || true; rm -rf "$WORK" "${BENCH_DIR:-/dev/shm}"/kflowd-bench-files.*' EXIT
gcc -O2 -o "$WORK/filechurn" "$ROOT/benchmarks/src/main/c/filechurn.c"
# a fresh directory for every run: the kernel keeps the names of deleted files as negative
# dentries, and a directory full of them makes path lookups slower for everyone
# on tmpfs by default (BENCH_DIR to choose): on ext4 here the journal and writeback made the
# run without the monitor vary from 0.5 to 2.6 s, hiding what the monitor costs
BENCH_DIR=${BENCH_DIR:-/dev/shm}
fresh() { local d; d=$(mktemp -d "$BENCH_DIR/kflowd-bench-files.XXXXXX"); echo "$d"; }

# shellcheck source=lib.sh
. "$ROOT/benchmarks/harness/lib.sh"

echo "kflowd file-churn benchmark: $ITERATIONS iterations x $ROUNDS rounds, $(nproc) CPUs, $(uname -r)"
base=(); mon=(); rate=(); cpu=(); drops=(); rss=(); rss_idle=()
for r in $(seq 1 "$ROUNDS"); do
    base+=("$("$WORK/filechurn" "$(fresh)" "$ITERATIONS")")
    start_agent -m file -o json-min
    # warm up: the JIT compiles the record path during the first thousands of records;
    # a monitor runs for days, so steady state is what costs the workload
    for _ in $(seq 1 "$WARMUP"); do "$WORK/filechurn" "$(fresh)" "$ITERATIONS" >/dev/null; done
    sleep 1
    before=$(delivered); cpu0=$(cpu_seconds $AGENT)
    secs=$("$WORK/filechurn" "$(fresh)" "$ITERATIONS")
    sleep 1   # let the agent drain what the workload produced
    after=$(delivered); cpu1=$(cpu_seconds $AGENT)
    d=$(ring_drops)
    mon+=("$secs"); rate+=("$(awk -v a="$after" -v b="$before" -v s="$secs" 'BEGIN {print (a-b)/s}')")
    cpu+=("$(awk -v a="$cpu1" -v b="$cpu0" 'BEGIN {print a-b}')"); drops+=("${d:-?}")
    rss+=("$(rss_mib $AGENT)")
    # and once the JIT's compilations are over and their memory is trimmed (every 5 s):
    # what a monitor that runs for days holds between bursts
    sleep "${IDLE_SECONDS:-10}"; rss_idle+=("$(rss_mib $AGENT)")
    stop_agent
    echo "round $r: without ${base[-1]} s, with ${mon[-1]} s, records/s ${rate[-1]}, agent CPU ${cpu[-1]} s, drops ${drops[-1]}, RSS ${rss[-1]} MiB (${IDLE_SECONDS:-10} s later ${rss_idle[-1]} MiB)"
done
b=$(printf '%s\n' "${base[@]}" | median); m=$(printf '%s\n' "${mon[@]}" | median)
echo "median: without $b s, with $m s, slowdown $(awk -v m="$m" -v b="$b" 'BEGIN {printf "%.3f", m/b}')x," \
     "records/s $(printf '%s\n' "${rate[@]}" | median), agent CPU $(printf '%s\n' "${cpu[@]}" | median) s," \
     "kernel drops ${drops[*]}, agent RSS $(printf '%s\n' "${rss[@]}" | median) MiB," \
     "idle $(printf '%s\n' "${rss_idle[@]}" | median) MiB"
