# Shared by the whole-system benchmark scripts (sourced): the agent's start, its status
# through the console, and medians. Needs DIST, RUN and WORK set by the caller.
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
status() { echo kflowd:status | KFLOWD_JAVA_OPTS="-Dkflowd.rundir=$RUN" "$DIST/bin/kflowd" --attach; }
cpu_seconds() { awk '{print ($14+$15)/100}' "/proc/$1/stat"; }   # utime+stime, USER_HZ 100
delivered() { status | sed -n 's/^emitted: *delivered \([0-9]*\).*/\1/p'; }
ring_drops() { status | sed -n 's/^dropped: .*kernel ring full \([0-9]*\).*/\1/p'; }
rss_mib() { awk '/VmRSS/ {print $2/1024}' "/proc/$1/status"; }

# start_agent ARGS...: starts the monitor with output to /dev/null, sets AGENT, waits until running
start_agent() {
    : >"$WORK/stderr"
    KFLOWD_JAVA_OPTS="-Dkflowd.rundir=$RUN" "$DIST/bin/kflowd" "$@" >/dev/null 2>"$WORK/stderr" </dev/null &
    AGENT=$!
    for _ in $(seq 1 300); do grep -q " running, pid " "$WORK/stderr" && return 0; sleep 0.1; done
    echo "the monitor did not start:" >&2; cat "$WORK/stderr" >&2; return 1
}

stop_agent() { kill -TERM "$AGENT"; wait "$AGENT" || true; }
