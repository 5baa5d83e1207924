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

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
status() { echo kflowd:status | KFLOWD_JAVA_OPTS="-Dkflowd.rundir=$RUN" "$DIST/bin/kflowd" --attach; }
cpu_seconds() { awk '{print ($14+$15)/100}' "/proc/$1/stat"; }   # utime+stime, USER_HZ 100

echo "kflowd file-churn benchmark: $ITERATIONS iterations x $ROUNDS rounds, $(nproc) CPUs, $(uname -r)"
base=(); mon=(); rate=(); cpu=(); drops=(); rss=()
for r in $(seq 1 "$ROUNDS"); do
    base+=("$("$WORK/filechurn" "$(fresh)" "$ITERATIONS")")
    : >"$WORK/stderr"
    KFLOWD_JAVA_OPTS="-Dkflowd.rundir=$RUN" "$DIST/bin/kflowd" -m file -o json-min >/dev/null 2>"$WORK/stderr" </dev/null &
    AGENT=$!
    for i in $(seq 1 300); do grep -q " running, pid " "$WORK/stderr" && break; sleep 0.1; done
    # warm up: the JIT compiles the record path during the first thousands of records;
    # a monitor runs for days, so steady state is what costs the workload
    for w in 1 2 3; do "$WORK/filechurn" "$(fresh)" "$ITERATIONS" >/dev/null; done
    sleep 1
    before=$(status | sed -n 's/^emitted: *delivered \([0-9]*\).*/\1/p'); cpu0=$(cpu_seconds $AGENT)
    secs=$("$WORK/filechurn" "$(fresh)" "$ITERATIONS")
    sleep 1   # let the agent drain what the workload produced
    after=$(status | sed -n 's/^emitted: *delivered \([0-9]*\).*/\1/p'); cpu1=$(cpu_seconds $AGENT)
    d=$(status | sed -n 's/^dropped: .*kernel ring full \([0-9]*\).*/\1/p')
    mon+=("$secs"); rate+=("$(awk -v a="$after" -v b="$before" -v s="$secs" 'BEGIN {print (a-b)/s}')")
    cpu+=("$(awk -v a="$cpu1" -v b="$cpu0" 'BEGIN {print a-b}')"); drops+=("${d:-?}")
    rss+=("$(awk '/VmRSS/ {print $2/1024}' /proc/$AGENT/status)")
    kill -TERM $AGENT; wait $AGENT || true
    echo "round $r: without ${base[-1]} s, with ${mon[-1]} s, records/s ${rate[-1]}, agent CPU ${cpu[-1]} s, drops ${drops[-1]}, RSS ${rss[-1]} MiB"
done
b=$(printf '%s\n' "${base[@]}" | median); m=$(printf '%s\n' "${mon[@]}" | median)
echo "median: without $b s, with $m s, slowdown $(awk -v m="$m" -v b="$b" 'BEGIN {printf "%.3f", m/b}')x," \
     "records/s $(printf '%s\n' "${rate[@]}" | median), agent CPU $(printf '%s\n' "${cpu[@]}" | median) s," \
     "kernel drops ${drops[*]}, agent RSS $(printf '%s\n' "${rss[@]}" | median) MiB"
