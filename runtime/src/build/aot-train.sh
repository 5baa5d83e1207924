#!/bin/sh
# Builds lib/kflowd.aot, the JDK 25 AOT cache of the launcher and framework classes
# (JEP 483/514): one training run of the real distribution (start, every core bundle
# active, one console command, orderly stop). It cuts start-up from ~0.6 s to ~0.4 s here.
# Needs root like kflowd itself; elsewhere it says so and the distribution runs without it.
set -u
DIST=$1
AOT="$DIST/lib/kflowd.aot"
rm -f "$AOT" "$AOT.config"
if [ "$(id -u)" -ne 0 ]; then
    echo "aot-train: not root, no AOT cache (kflowd starts a little slower)"; exit 0
fi
RUN=$(mktemp -d /tmp/kflowd-aot-run.XXXXXX)
LOG="$RUN/stderr"
KFLOWD_JAVA_OPTS="-Dkflowd.rundir=$RUN -XX:AOTCacheOutput=$AOT" \
    "$DIST/bin/kflowd" -m file </dev/null >/dev/null 2>"$LOG" &
pid=$!
i=0
while [ $i -lt 300 ] && ! grep -q " running, pid " "$LOG" 2>/dev/null; do
    kill -0 $pid 2>/dev/null || break
    sleep 0.1; i=$((i + 1))
done
if grep -q " running, pid " "$LOG"; then
    echo kflowd:status | KFLOWD_JAVA_OPTS="-Dkflowd.rundir=$RUN" "$DIST/bin/kflowd" --attach >/dev/null 2>&1
fi
kill -TERM $pid 2>/dev/null
wait $pid
status=$?
rm -rf "$RUN" "$AOT.config"
if [ $status -ne 0 ] || [ ! -s "$AOT" ]; then
    echo "aot-train: training run failed (status $status), no AOT cache"; rm -f "$AOT"
fi
exit 0
