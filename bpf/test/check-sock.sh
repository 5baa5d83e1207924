#!/bin/bash
# Development check of the socket monitor alone (not part of the product's tests, which are
# Java end-to-end tests): loads kflowd.bpf.o with test/loader.c -s -d (socket monitor on,
# file monitor off), drives real programs over loopback (127.0.0.1 and ::1) and compares the
# socket records that come out of the ring buffer (and the ones still open at exit) with
# what each program did. Exits 1 on any mismatch.
#
# Usage (root):  bpf/test/check-sock.sh [kflowd.bpf.o]
#   default object: bpf/target/classes/io/kflowd/bpf/kflowd.bpf.o (mvn -f bpf/pom.xml package)
# Needs: gcc, libbpf-dev, python3, curl, logger (bsdutils), cgroup v2 at /sys/fs/cgroup/unified
# (or set KFLOWD_CGROUP). Binds a datagram receiver at /dev/log for the UNIX check if nothing
# is there (removed afterwards).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BPF=$(dirname "$HERE")
OBJ=${1:-$BPF/target/classes/io/kflowd/bpf/kflowd.bpf.o}
CGROUP=${KFLOWD_CGROUP:-/sys/fs/cgroup/unified}

[ "$(id -u)" -eq 0 ] || { echo "check-sock.sh: must run as root (loads BPF programs)" >&2; exit 2; }
[ -f "$OBJ" ] || { echo "check-sock.sh: no $OBJ; build it: mvn -f bpf/pom.xml package" >&2; exit 2; }
for t in curl logger python3 gcc; do
	command -v $t >/dev/null || { echo "check-sock.sh: needs $t" >&2; exit 2; }
done
WORK=$(mktemp -d /tmp/kflowd-check-sock.XXXXXX)
[ -n "${KFLOWD_KEEP:-}" ] && echo "keeping $WORK" || trap 'rm -rf "$WORK"' EXIT
gcc -O2 -Wall -I "$BPF/include" -o "$WORK/loader" "$HERE/loader.c" -lbpf || exit 2

python3 - "$WORK" "$OBJ" "$CGROUP" <<'PY'
import atexit, os, re, signal, socket, struct, subprocess, sys, time

WORK, OBJ, CGROUP = sys.argv[1], sys.argv[2], sys.argv[3]
LOADER = os.path.join(WORK, "loader")
failures = []
children = []                       # every process started here, killed at the end

def kill_children():
    for p in children:
        if p.poll() is None:
            p.kill()
            p.wait()

atexit.register(kill_children)
FLAG_CLOSED, FLAG_IGNORED, FLAG_PREEXISTING = 1, 2, 4
with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
    PORT_LO, PORT_HI = map(int, f.read().split())

def unescape(v):
    return re.sub(r"\\x([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), v)

def parse(path):
    recs, counters = [], {}
    with open(path, "rb") as f:
        for raw in f:
            line = raw.decode("ascii", "replace").rstrip("\n")
            kind, _, rest = line.partition(" ")
            if kind in ("DROPS", "STATS"):
                counters[kind] = {int(k): int(v) for k, v in (x.split("=") for x in rest.split())}
                continue
            if kind == "PAYLOAD":
                r = dict(x.split("=", 1) for x in rest.split(" ") if "=" in x)
                r["data"] = unescape(r["data"]).encode("latin-1")
                for k in ("cookie", "app", "len", "captured", "seq", "message", "size"):
                    r[k] = int(r[k])
                r["flags"] = int(r["flags"], 16)
                r["kind"], r["line"] = kind, len(recs)
                recs.append(r)
                continue
            if kind not in ("SOCK", "OPEN"):
                continue
            r = {k: unescape(v) for k, v in (x.split("=", 1) for x in rest.split(" ") if "=" in x)}
            r["kind"] = kind
            r["line"] = len(recs)
            r["flags"] = int(r["flags"], 16)
            for k in list(r):
                if isinstance(r[k], str) and re.fullmatch(r"-?\d+", r[k]) and \
                        k not in ("comm", "exe", "pexe", "address"):
                    r[k] = int(r[k])
            for d in ("tx", "rx"):
                fl = r[d + "_flags"]
                r[d + "_flags"] = [] if fl == "-" else [(c, int(n)) for c, n in
                                                        (x.split(":") for x in fl.split(","))]
            recs.append(r)
    return recs, counters

def free_port(family=socket.AF_INET, host="127.0.0.1", kind=socket.SOCK_STREAM, lo=None, hi=None):
    """A free port; lo..hi: one outside the ephemeral range (a SERVER by the port rule)."""
    for port in (range(lo, hi) if lo else [0]):
        s = socket.socket(family, kind)
        try:
            s.bind((host, port))
            return s.getsockname()[1]
        except OSError:
            continue
        finally:
            s.close()
    raise SystemExit("no free port")

def start(cmd, **kw):
    p = subprocess.Popen(cmd, **kw)
    children.append(p)
    return p

def wait_port(host, port, family, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        s = socket.socket(family, socket.SOCK_STREAM)
        try:
            s.settimeout(0.5)
            s.connect((host, port))
            return True
        except OSError:
            time.sleep(0.1)
        finally:
            s.close()
    return False

def payloads(recs):
    return [r for r in recs if r["kind"] == "PAYLOAD"]

def socks(recs):
    return [r for r in recs if r["kind"] != "PAYLOAD"]

def start_loader(out, *opts):
    f = open(out, "wb")
    p = start([LOADER, "-o", OBJ, "-s", "-d", "-c", CGROUP, *opts], stdout=f,
              stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline:
        with open(out, "rb") as g:
            if b"READY" in g.read():
                return p
        if p.poll() is not None:
            sys.exit("loader failed: " + p.stderr.read().decode())
        time.sleep(0.1)
    sys.exit("loader not ready")

def stop_loader(p):
    time.sleep(0.5)                 # the ring is polled every 100 ms
    p.send_signal(signal.SIGINT)
    return p.communicate(timeout=60)[1].decode()

def report(ok, what, detail="", recs=()):
    print(f"{'ok  ' if ok else 'FAIL'} {what}" + (f" ({detail})" if detail else ""))
    if not ok:
        failures.append(what)
        for r in recs:
            print("       got", {k: r[k] for k in ("kind", "proto", "role", "state", "laddr", "lport",
                  "raddr", "rport", "comm", "flags", "tx_packets", "tx_bytes", "tx_flags",
                  "rx_packets", "rx_bytes", "rx_flags")})

def find(recs, **want):
    return [r for r in recs if all(r.get(k) == v for k, v in want.items())]

def one(what, recs, **want):
    rs = find(recs, **want)
    report(len(rs) == 1, f"{what}: one record", f"{len(rs)} found", rs or recs[:0])
    return rs[0] if len(rs) == 1 else None

def check(what, r, **fields):
    if r is None:
        report(False, what, "no record")
        return
    bad = []
    for k, v in fields.items():
        got = r.get(k)
        if callable(v):
            if not v(got):
                bad.append(f"{k}={got!r}")
        elif got != v:
            bad.append(f"{k}={got!r}, want {v!r}")
    report(not bad, what, "; ".join(bad), [] if not bad else [r])

def combos(r, d):
    return [c for c, _ in r[d + "_flags"]]

def count(r, d, combo):
    return dict(r[d + "_flags"]).get(combo, 0)

# ---------------------------------------------------------------------------------------
# set-up before the loader: an ignored UDP talker and a connection older than the monitor
# ---------------------------------------------------------------------------------------
ign_port = free_port(kind=socket.SOCK_DGRAM)
ign = start([sys.executable, "-c", """
import socket, sys
sys.stdin.readline()
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(3):
    s.sendto(b'ignored', ('127.0.0.1', int(sys.argv[1])))
s.close()
""", str(ign_port)], stdin=subprocess.PIPE)

pre_port = free_port(lo=20000, hi=PORT_LO if PORT_LO > 20100 else 30000)
pre = start([sys.executable, "-c", """
import socket, sys
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(('127.0.0.1', int(sys.argv[1]))); l.listen()
c = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
a, _ = l.accept()
print(c.getsockname()[1], flush=True)
sys.stdin.readline()
c.sendall(b'p' * 100)
got = b''
while len(got) < 100:
    got += a.recv(1000)
a.sendall(b'q' * 50)
got = b''
while len(got) < 50:
    got += c.recv(1000)
c.close(); a.close(); l.close()
""", str(pre_port)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
pre_client_port = int(pre.stdout.readline())

out = os.path.join(WORK, "run.txt")
loader = start_loader(out, "-i", str(ign.pid))

# ---------------------------------------------------------------------------------------
# TCP: http.server and curl over 127.0.0.1 and ::1
# ---------------------------------------------------------------------------------------
www = os.path.join(WORK, "www")
os.mkdir(www)
with open(os.path.join(www, "file.txt"), "w") as f:
    f.write("k" * 5000)
http = {}
for fam, host, url_host in ((socket.AF_INET, "127.0.0.1", "127.0.0.1"),
                            (socket.AF_INET6, "::1", "[::1]")):
    port = free_port(fam, host)
    srv = start([sys.executable, "-m", "http.server", "--bind", host, str(port)], cwd=www,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not wait_port(host, port, fam):
        sys.exit(f"http.server on {host} did not start")
    time.sleep(0.3)
    # the readiness probes above are connections too: wait for their records to end
    res = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w",
                          "%{size_request} %{size_header} %{size_download} %{local_port}",
                          f"http://{url_host}:{port}/file.txt"], capture_output=True, text=True,
                         timeout=30)
    req, hdr, body, lport = map(int, res.stdout.split())
    http[host] = (port, req, hdr + body, lport, srv)

# ---------------------------------------------------------------------------------------
# TCP: refused connect, abortive close (SO_LINGER 0)
# ---------------------------------------------------------------------------------------
closed_port = free_port()
subprocess.run(["curl", "-s", f"http://127.0.0.1:{closed_port}/"], timeout=30)

linger_port = free_port()
linger = subprocess.run([sys.executable, "-c", """
import socket, struct, sys, time
l = socket.socket(); l.bind(('127.0.0.1', int(sys.argv[1]))); l.listen()
c = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
a, _ = l.accept()
c.sendall(b'hello')
assert a.recv(10) == b'hello'
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
print(c.getsockname()[1], flush=True)
c.close()
time.sleep(0.2)
try:
    a.recv(10)
except ConnectionResetError:
    pass
a.close(); l.close()
""", str(linger_port)], capture_output=True, text=True, timeout=30)
linger_client_port = int(linger.stdout.split()[0])

# ---------------------------------------------------------------------------------------
# UDP over 127.0.0.1 and ::1: a bound server answering an unconnected client
# ---------------------------------------------------------------------------------------
udp = {}
for fam, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    port = free_port(fam, host, socket.SOCK_DGRAM)
    r = subprocess.run([sys.executable, "-c", """
import socket, sys, threading
fam, host, port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
s = socket.socket(fam, socket.SOCK_DGRAM); s.bind((host, port))
def serve():
    data, peer = s.recvfrom(2000)
    s.sendto(b'r' * 300, peer)
t = threading.Thread(target=serve); t.start()
c = socket.socket(fam, socket.SOCK_DGRAM)
c.sendto(b'q' * 123, (host, port))
c.settimeout(5)
assert len(c.recvfrom(2000)[0]) == 300
print(c.getsockname()[1], flush=True)
t.join(); c.close(); s.close()
""", str(int(fam)), host, str(port)], capture_output=True, text=True, timeout=30)
    udp[host] = (port, int(r.stdout.split()[0]))

# the ignored process sends now
ign.communicate(b"go\n", timeout=30)
# the connection older than the monitor talks and ends
pre.stdin.write("go\n"); pre.stdin.flush()
pre.wait(timeout=30)

# ---------------------------------------------------------------------------------------
# UNIX: logger to /dev/log (a receiver of our own if nothing is there)
# ---------------------------------------------------------------------------------------
devlog_ours = not os.path.exists("/dev/log")
rcv = None
unix_got = None                     # the datagrams our receiver got, in order
if devlog_ours:
    rcv = start([sys.executable, "-c", """
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind('/dev/log')
print('bound', flush=True)
s.settimeout(30)
try:
    while True:
        print(s.recv(65536).hex(), flush=True)
except OSError:
    pass
"""], stdout=subprocess.PIPE, text=True)
    rcv.stdout.readline()
try:
    # one message; five processes with one message each; one process (one socket) with five
    subprocess.run(["logger", "-u", "/dev/log", "kflowd-check hello"], timeout=30)
    subprocess.run(["sh", "-c", 'for i in 1 2 3 4 5; do logger -u /dev/log "kflowd-check msg $i"; done'],
                   timeout=30)
    subprocess.run(["logger", "-u", "/dev/log"], input="a\nb\nc\nd\ne\n", text=True, timeout=30)
    time.sleep(0.3)
finally:
    if devlog_ours:
        rcv.kill()
        unix_got = [bytes.fromhex(x) for x in rcv.stdout.read().split()]
        rcv.wait()
        if os.path.exists("/dev/log") and not os.path.islink("/dev/log"):
            os.unlink("/dev/log")

# ---------------------------------------------------------------------------------------
# Interfaces: a veth pair into a network namespace (skipped if that cannot be set up)
# ---------------------------------------------------------------------------------------
NS, VA, VB = f"kfsock{os.getpid()}", f"kfs{os.getpid()}a", f"kfs{os.getpid()}b"
veth = None
def sh(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=30)
try:
    if sh("ip", "netns", "add", NS).returncode == 0 and \
            sh("ip", "link", "add", VA, "type", "veth", "peer", "name", VB, "netns", NS).returncode == 0:
        sh("ip", "addr", "add", "10.213.77.1/30", "dev", VA)
        sh("ip", "link", "set", VA, "up")
        sh("ip", "netns", "exec", NS, "ip", "addr", "add", "10.213.77.2/30", "dev", VB)
        sh("ip", "netns", "exec", NS, "ip", "link", "set", VB, "up")
        sh("ip", "netns", "exec", NS, "ip", "link", "set", "lo", "up")
        if_a = int(open(f"/sys/class/net/{VA}/ifindex").read())
        if_b = int(sh("ip", "netns", "exec", NS, "cat", f"/sys/class/net/{VB}/ifindex").stdout)
        vport = 8123
        srv = start(["ip", "netns", "exec", NS, sys.executable, "-c", """
import socket, sys
l = socket.socket(); l.bind(('10.213.77.2', int(sys.argv[1]))); l.listen()
print('ready', flush=True)
a, _ = l.accept()
assert a.recv(100) == b'ping'
a.sendall(b'pong' * 10)
a.close(); l.close()
""", str(vport)], stdout=subprocess.PIPE, text=True)
        srv.stdout.readline()
        c = socket.create_connection(("10.213.77.2", vport), timeout=10)
        vcport = c.getsockname()[1]
        c.sendall(b"ping")
        got = b""
        while len(got) < 40:
            d = c.recv(100)
            if not d:
                break
            got += d
        c.close()
        srv.wait(timeout=10)
        veth = (if_a, if_b, vport, vcport)
    else:
        print("skip interfaces: no network namespace / veth here")
finally:
    sh("ip", "netns", "del", NS)

for host in http:
    http[host][4].terminate()
    http[host][4].wait(timeout=10)
time.sleep(0.3)
err = stop_loader(loader)
recs, counters = parse(out)
unix_pl = [m for m in payloads(recs) if m["proto"] == "UNIX"]
report(len(unix_pl) == len(payloads(recs)), "no TCP/UDP payload captured without -p",
       str([m for m in payloads(recs) if m["proto"] != "UNIX"][:1]))
all_recs, recs = recs, socks(recs)
print(f"{len(recs)} socket records; loader: {err.strip().splitlines()}")

# ---------------------------------------------------------------------------------------
# the checks
# ---------------------------------------------------------------------------------------
for host, (port, req, resp, cport, _) in http.items():
    fam = 2 if host == "127.0.0.1" else 10
    c = one(f"curl {host} client", recs, kind="SOCK", proto="TCP", lport=cport, rport=port)
    check(f"curl {host} client fields", c, role="CLIENT", state=7, family=fam, laddr=host,
          raddr=host, comm="curl", flags=FLAG_CLOSED, tx_bytes=req, rx_bytes=resp,
          tx_if=1, rx_if=1, rx_ttl=64)
    if c:
        check(f"curl {host} client flags", c,
              tx_flags=lambda f: f[0] == ("SYN", 1) and all(x != "SYN" for x, _ in f[1:]),
              rx_flags=lambda f: f[0] == ("SYN-ACK", 1),
              tx_packets=lambda n: n == sum(x for _, x in c["tx_flags"]),
              rx_packets=lambda n: n == sum(x for _, x in c["rx_flags"]),
              tx_data=lambda n: n >= 1, rx_data=lambda n: n >= 1,
              acked=lambda n: n >= req)
    s = one(f"curl {host} server", recs, kind="SOCK", proto="TCP", lport=port, rport=cport)
    check(f"curl {host} server fields", s, role="SERVER", state=7, family=fam, laddr=host,
          raddr=host, comm="python3", flags=FLAG_CLOSED, rx_bytes=req, tx_bytes=resp)
    if s:
        check(f"curl {host} server flags", s,
              rx_flags=lambda f: f[0] == ("SYN", 1) and f[1][0] == "ACK",
              tx_flags=lambda f: f[0] == ("SYN-ACK", 1),
              rx_packets=lambda n: n == sum(x for _, x in s["rx_flags"]),
              tx_packets=lambda n: n == sum(x for _, x in s["tx_flags"]),
              acked=lambda n: n >= resp)
    if c and s:
        report(c["tx_packets"] == s["rx_packets"] and c["rx_packets"] == s["tx_packets"],
               f"curl {host}: client tx = server rx and back (loopback, both hooks)",
               f"client tx {c['tx_packets']} rx {c['rx_packets']}, server rx {s['rx_packets']}"
               f" tx {s['tx_packets']}")

c = one("refused connect", recs, kind="SOCK", proto="TCP", rport=closed_port)
check("refused connect fields", c, role="CLIENT", state=7, comm="curl", flags=FLAG_CLOSED,
      tx_flags=[("SYN", 1)], rx_flags=[("RST-ACK", 1)], tx_packets=1, rx_packets=1)
report(not find(recs, proto="TCP", lport=closed_port), "refused connect: no record for the port "
       "(the RST comes from the kernel's control socket)")

c = one("SO_LINGER 0 client", recs, kind="SOCK", proto="TCP", lport=linger_client_port,
        rport=linger_port)
check("SO_LINGER 0 client fields", c, role="CLIENT", state=7, flags=FLAG_CLOSED, comm="python3",
      tx_flags=lambda f: ("RST-ACK", 1) in f or ("RST", 1) in f, tx_bytes=5,
      acked=lambda n: n >= 5)   # sampled at TCP_CLOSE, before tcp_disconnect() zeroes it
s = one("SO_LINGER 0 server", recs, kind="SOCK", proto="TCP", lport=linger_port,
        rport=linger_client_port)
check("SO_LINGER 0 server fields", s, role="SERVER", state=7, flags=FLAG_CLOSED, comm="python3",
      rx_flags=lambda f: any("RST" in x for x, _ in f), rx_bytes=5)

for host, (port, cport) in udp.items():
    fam = 2 if host == "127.0.0.1" else 10
    c = one(f"UDP {host} client", recs, kind="SOCK", proto="UDP", lport=cport)
    check(f"UDP {host} client fields", c, role="CLIENT", state=7, family=fam, laddr=host,
          raddr=host, rport=port, comm="python3", flags=FLAG_CLOSED, tx_packets=1, tx_bytes=123,
          rx_packets=1, rx_bytes=300, tx_flags=[], rx_flags=[], rx_ttl=64)
    s = one(f"UDP {host} server", recs, kind="SOCK", proto="UDP", lport=port)
    check(f"UDP {host} server fields", s, role="SERVER", state=7, family=fam, laddr=host,
          raddr=host, rport=cport, comm="python3", flags=FLAG_CLOSED, rx_packets=1,
          rx_bytes=123, tx_packets=1, tx_bytes=300)

report(not find(recs, proto="UDP", rport=ign_port) and not find(recs, proto="UDP", lport=ign_port),
       "ignored process: no UDP record of its datagrams")

c = one("pre-existing client", recs, kind="SOCK", proto="TCP", lport=pre_client_port,
        rport=pre_port)
check("pre-existing client fields", c, role="CLIENT", state=7, comm="python3",
      flags=FLAG_CLOSED | FLAG_PREEXISTING, tx_bytes=100, rx_bytes=50)
s = one("pre-existing server", recs, kind="SOCK", proto="TCP", lport=pre_port,
        rport=pre_client_port)
check("pre-existing server fields", s, role="SERVER", state=7, comm="python3",
      flags=FLAG_CLOSED | FLAG_PREEXISTING, tx_bytes=50, rx_bytes=100)

if veth:
    if_a, if_b, vport, vcport = veth
    c = one("veth client", recs, kind="SOCK", proto="TCP", lport=vcport, rport=vport)
    check("veth client interfaces", c, laddr="10.213.77.1", raddr="10.213.77.2", tx_if=if_a,
          rx_if=if_a, rx_ttl=64, tx_bytes=4, rx_bytes=40, comm="python3", state=7)
    s = one("veth server (other namespace)", recs, kind="SOCK", proto="TCP", lport=vport,
            rport=vcport)
    check("veth server interfaces", s, laddr="10.213.77.2", raddr="10.213.77.1", tx_if=if_b,
          rx_if=if_b, rx_ttl=64, rx_bytes=4, tx_bytes=40, comm="python3", role="SERVER",
          state=7)

# UNIX: every datagram logger sent is a message (spec 6.4), captured whole; a record goes out
# APP_FULL at its 4th message, after its payloads; the next message starts a new record
FLAG_APP_FULL = 16
ux = [r for r in recs if r["proto"] == "UNIX"]
report(all(r["comm"] == "logger" and r["role"] == "CLIENT" and r["family"] == 1 and
           r["address"] == "/dev/log" and r["rx_packets"] == 0 and r["app"] == 3 and
           r["tx_packets"] == r["app_messages"] for r in ux) and ux,
       "UNIX records: logger, CLIENT, /dev/log, tx only, app SYSLOG, one message per datagram",
       f"{len(ux)} records" if ux else "none")
report(all(m["dir"] == "tx" and m["flags"] == 1 and m["app"] == 3 and m["seq"] == 0 and
           m["len"] == m["captured"] == len(m["data"]) and m["size"] == 48 + m["captured"]
           for m in unix_pl), "UNIX payloads: tx, SYSLOG, whole (no CUT), size = header + data")
if unix_got is not None:
    report([m["data"] for m in unix_pl] == unix_got and len(unix_got) == 11,
           "UNIX payloads: exactly the datagrams the receiver got, in order",
           f"{len(unix_got)} datagrams" if [m["data"] for m in unix_pl] == unix_got else
           f"captured {[m['data'] for m in unix_pl]}, received {unix_got}")
def unix_by(text):
    ms = [m for m in unix_pl if m["data"].endswith(text)]
    return ms[0] if len(ms) == 1 else None
m = unix_by(b"kflowd-check hello")
u = m and find(ux, cookie=m["cookie"])
report(bool(u) and len(u) == 1, "logger to /dev/log: one record", f"{len(u or [])} found")
if u:
    check("logger to /dev/log fields", u[0], kind="OPEN", tx_packets=1, tx_bytes=m["len"],
          app_messages=1, flags=0)
ms = [unix_by(f"kflowd-check msg {i}".encode()) for i in range(1, 6)]
cookies = {m["cookie"] for m in ms if m}
report(len(cookies) == 5 and all(m["message"] == 0 for m in ms),
       "5 logger processes: 5 sockets, message 0 each",
       str([(m["cookie"], m["message"]) for m in ms if m]))
for c in cookies:
    u = find(ux, cookie=c)
    m = [x for x in ms if x and x["cookie"] == c][0]
    report(len(u) == 1 and u[0]["kind"] == "OPEN" and u[0]["tx_packets"] == 1 and
           u[0]["tx_bytes"] == m["len"] and u[0]["app_messages"] == 1,
           f"logger msg: one open record, 1 message of {m['len']} bytes",
           str([(r["kind"], r["tx_packets"], r["tx_bytes"], r["app_messages"]) for r in u]))
ms = [unix_by(f": {x}".encode()) for x in "abcde"]
cookies = {m["cookie"] for m in ms if m}
report(None not in ms and len(cookies) == 1 and [m["message"] for m in ms] == [0, 1, 2, 3, 0],
       "logger with 5 lines: one socket, messages 0-3 then 0",
       str([(m["cookie"], m["message"]) for m in ms if m]))
if None not in ms and len(cookies) == 1:
    u = sorted(find(ux, cookie=ms[0]["cookie"]), key=lambda r: r["line"])
    report(len(u) == 2, "logger with 5 lines: 2 records", f"{len(u)} found")
    if len(u) == 2:
        check("logger with 5 lines: first record APP_FULL with 4 messages", u[0], kind="SOCK",
              flags=FLAG_APP_FULL, app_messages=4, tx_packets=4,
              tx_bytes=sum(m["len"] for m in ms[:4]))
        check("logger with 5 lines: then an open record with the 5th", u[1], kind="OPEN",
              flags=0, app_messages=1, tx_packets=1, tx_bytes=ms[4]["len"])
        report(all(m["line"] < u[0]["line"] for m in ms[:4]) and ms[4]["line"] > u[0]["line"],
               "logger with 5 lines: the payloads are in the ring before their record")

own = [r for r in recs if r["tgid"] == loader.pid]
report(not own, "self filter: no record of the loader", f"{len(own)}")
report(not [r for r in recs if r["kind"] == "SOCK" and r["flags"] & FLAG_IGNORED],
       "no exported record is flagged IGNORED")
drops = counters.get("DROPS", {})
report(not any(drops.values()), "no drops", str(drops))
st = counters.get("STATS", {})
report(st.get(5, 0) == len([r for r in recs if r["kind"] == "SOCK"]),
       "KFLOWD_STAT_SOCK_EXPORTS = SOCK lines", str(st))
report(os.path.exists("/dev/log") != devlog_ours, "/dev/log left as it was")

# ---------------------------------------------------------------------------------------
# payload capture (-p): a second loader with an HTTP and a DNS port
# ---------------------------------------------------------------------------------------
P_TX, P_CUT, P_GAP, FLAG_APP_FULL = 1, 2, 4, 16
APP_BYTES = 1400
cap_http = free_port()
cap_other = free_port()
cap_dns = free_port(kind=socket.SOCK_DGRAM)
out = os.path.join(WORK, "capture.txt")
loader = start_loader(out, "-p", f"tcp/{cap_http}=2", "-p", f"udp/{cap_dns}=1", "-M", "4",
                      "-B", str(APP_BYTES))
srvs = []
for port in (cap_http, cap_other):
    srvs.append(start([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)],
                      cwd=www, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    if not wait_port("127.0.0.1", port, socket.AF_INET):
        sys.exit("http.server did not start")
time.sleep(0.3)
res = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{size_request} %{local_port}",
                      f"http://127.0.0.1:{cap_http}/file.txt"], capture_output=True, text=True,
                     timeout=30)
cap_req, cap_cport = map(int, res.stdout.split())
res = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{local_port}",
                      f"http://127.0.0.1:{cap_other}/file.txt"], capture_output=True, text=True,
                     timeout=30)
other_cport = int(res.stdout)
dns = subprocess.run([sys.executable, "-c", """
import socket, struct, sys, threading
port = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', port))
def serve():
    for i in range(5):
        q, peer = s.recvfrom(2000)
        # the answer: the question and one A record 127.0.0.1
        s.sendto(q[:2] + b'\\x81\\x80\\x00\\x01\\x00\\x01\\x00\\x00\\x00\\x00' + q[12:] +
                 b'\\xc0\\x0c\\x00\\x01\\x00\\x01\\x00\\x00\\x00\\x3c\\x00\\x04\\x7f\\x00\\x00\\x01', peer)
t = threading.Thread(target=serve); t.start()
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
c.settimeout(5)
for i in range(5):
    q = struct.pack('>HHHHHH', 0x1000 + i, 0x0100, 1, 0, 0, 0) + \\
        b'\\x07example\\x03com\\x00' + struct.pack('>HH', 1, 1)
    c.sendto(q, ('127.0.0.1', port))
    c.recvfrom(2000)
print(c.getsockname()[1], flush=True)
t.join(); c.close(); s.close()
""", str(cap_dns)], capture_output=True, text=True, timeout=30)
dns_cport = int(dns.stdout.split()[0])
for p in srvs:
    p.terminate()
    p.wait(timeout=10)
time.sleep(0.3)
stop_loader(loader)
allrecs, counters = parse(out)
pl, sk = payloads(allrecs), socks(allrecs)

c = one("capture: curl client", sk, kind="SOCK", proto="TCP", lport=cap_cport, rport=cap_http)
s = one("capture: http.server", sk, kind="SOCK", proto="TCP", lport=cap_http, rport=cap_cport)
for who, r, req_dir, resp_dir in (("client", c, "tx", "rx"), ("server", s, "rx", "tx")):
    if not r:
        continue
    check(f"capture {who}: record app", r, app=2, app_messages=2)
    mine = [m for m in pl if m["cookie"] == r["cookie"]]
    req = [m for m in mine if m["message"] == 0]
    resp = [m for m in mine if m["message"] == 1]
    report(len(mine) == len(req) + len(resp), f"capture {who}: messages 0 and 1 only",
           str([(m["message"], m["dir"]) for m in mine]))
    reqb = b"".join(m["data"] for m in req)
    report(all(m["dir"] == req_dir and m["app"] == 2 for m in req) and len(reqb) == cap_req and
           reqb.startswith(b"GET /file.txt HTTP/1.1\r\n") and reqb.endswith(b"\r\n\r\n") and
           not any(m["flags"] & (P_CUT | P_GAP) for m in req),
           f"capture {who}: the request ({req_dir}), {cap_req} bytes, whole", repr(reqb[:60]))
    respb = b"".join(m["data"] for m in resp)
    report(all(m["dir"] == resp_dir for m in resp) and len(respb) == APP_BYTES and
           respb.startswith(b"HTTP/1.0 200 OK\r\n") and resp and resp[-1]["flags"] & P_CUT and
           not any(m["flags"] & P_CUT for m in resp[:-1]),
           f"capture {who}: the response ({resp_dir}) cut at {APP_BYTES} bytes, CUT on the last",
           f"{len(respb)} bytes, flags {[m['flags'] for m in resp]}")
    seqs = [(m["dir"], m["seq"]) for m in mine]
    report(len(seqs) == len(set(seqs)), f"capture {who}: no segment twice")
    report(all(m["flags"] & P_TX == (P_TX if m["dir"] == "tx" else 0) for m in mine) and
           all(m["size"] == 48 + m["captured"] for m in mine),
           f"capture {who}: direction flag, message size = header + captured")
if c and s:
    cm = [(m["message"], m["data"]) for m in pl if m["cookie"] == c["cookie"]]
    sm = [(m["message"], m["data"]) for m in pl if m["cookie"] == s["cookie"]]
    report(b"".join(d for _, d in cm) == b"".join(d for _, d in sm),
           "capture: client and server captured the same bytes")

o = one("capture: port not configured (client)", sk, kind="SOCK", proto="TCP", lport=other_cport,
        rport=cap_other)
if o:
    check("capture: port not configured", o, app=0, app_messages=0)
    report(not [m for m in pl if m["cookie"] == o["cookie"]], "capture: no payload of that port")

for who, want in (("client", dict(lport=dns_cport)), ("server", dict(lport=cap_dns))):
    rs = find(sk, proto="UDP", **want)
    cookies = {r["cookie"] for r in rs}
    report(len(rs) == 3 and len(cookies) == 1,
           f"DNS {who}: 5 round trips = 3 records of one socket", f"{len(rs)} records")
    if len(rs) != 3:
        continue
    rs.sort(key=lambda r: r["line"])
    for i, r in enumerate(rs[:2]):
        check(f"DNS {who}: record {i + 1} ends APP_FULL after 4 messages", r, kind="SOCK",
              flags=FLAG_APP_FULL, app=1, app_messages=4, tx_packets=2, rx_packets=2)
    check(f"DNS {who}: record 3 ends at close", rs[2], kind="SOCK", flags=FLAG_CLOSED, app=1,
          app_messages=2, tx_packets=1, rx_packets=1, comm="python3")
    check(f"DNS {who}: new records have their addresses", rs[1], laddr="127.0.0.1",
          raddr="127.0.0.1", role="SERVER" if who == "server" else "CLIENT")
    mine = [m for m in pl if m["cookie"] == rs[0]["cookie"]]
    report(len(mine) == 10 and [m["message"] for m in mine] == [0, 1, 2, 3] * 2 + [0, 1] and
           all(m["len"] == m["captured"] and m["app"] == 1 and m["proto"] == "UDP" for m in mine),
           f"DNS {who}: 10 datagrams captured whole, messages 0-3, 0-3, 0-1",
           str([(m["message"], m["dir"]) for m in mine]))
    first = "tx" if who == "client" else "rx"
    report(all(m["dir"] == (first if m["message"] % 2 == 0 else ("rx" if first == "tx" else "tx"))
               for m in mine), f"DNS {who}: queries and answers alternate, {first} first")
    bounds = [r["line"] for r in rs]
    report(all(m["line"] < bounds[0] for m in mine[:4]) and
           all(bounds[0] < m["line"] < bounds[1] for m in mine[4:8]) and
           all(bounds[1] < m["line"] < bounds[2] for m in mine[8:]),
           f"DNS {who}: each record's payload is in the ring before the record")
    q = mine[0 if who == "client" else 1]["data"]
    report(q[2:4] in (b"\x01\x00", b"\x81\x80") and q.endswith(b"\x07example\x03com\x00\x00\x01\x00\x01") or
           b"\x07example\x03com" in q, f"DNS {who}: the DNS message bytes")
drops = counters.get("DROPS", {})
report(not any(drops.values()), "capture: no drops", str(drops))

print()
if failures:
    print(f"check-sock: {len(failures)} FAILED: {failures}")
    sys.exit(1)
print("check-sock: all passed")
PY
