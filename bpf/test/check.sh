#!/bin/bash
# Development check of the kernel side alone (not part of the product's tests, which are
# Java end-to-end tests): loads kflowd.bpf.o with test/loader.c, drives real programs in a
# temporary directory (ext4 root fs) and in /dev/shm (tmpfs), and compares the records that
# come out of the ring buffer with what each program did. Exits 1 on any mismatch.
#
# Usage (root):  bpf/test/check.sh [kflowd.bpf.o]
#   default object: bpf/target/classes/io/kflowd/bpf/kflowd.bpf.o (mvn -f bpf/pom.xml package)
# Needs: gcc, libbpf-dev, python3, coreutils. Drops the dentry cache once (echo 2 >
# /proc/sys/vm/drop_caches) to test deletes of files the dentry cache does not hold.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BPF=$(dirname "$HERE")
OBJ=${1:-$BPF/target/classes/io/kflowd/bpf/kflowd.bpf.o}

[ "$(id -u)" -eq 0 ] || { echo "check.sh: must run as root (loads BPF programs)" >&2; exit 2; }
[ -f "$OBJ" ] || { echo "check.sh: no $OBJ; build it: mvn -f bpf/pom.xml package" >&2; exit 2; }
WORK=$(mktemp -d /tmp/kflowd-check.XXXXXX)
SHM=$(mktemp -d /dev/shm/kflowd-check.XXXXXX)
trap 'rm -rf "$WORK" "$SHM"' EXIT
gcc -O2 -Wall -I "$BPF/include" -o "$WORK/loader" "$HERE/loader.c" -lbpf || exit 2

python3 - "$WORK" "$SHM" "$OBJ" <<'PY'
import json, os, re, signal, subprocess, sys, time

WORK, SHM, OBJ = sys.argv[1], sys.argv[2], sys.argv[3]
LOADER = os.path.join(WORK, "loader")
T = os.path.join(WORK, "t")            # ext4 (root file system)
os.mkdir(T)
failures = []

def unescape(v):
    return re.sub(rb"\\x([0-9a-f]{2})", lambda m: bytes([int(m.group(1), 16)]), v.encode())

def parse(path):
    """Records (RECORD and FLUSH) with their last PATH message, other lines counted."""
    paths, records, counters = {}, [], {}
    with open(path, "rb") as f:
        for raw in f:
            line = raw.decode("ascii", "replace").rstrip("\n")
            kind, _, rest = line.partition(" ")
            if kind in ("DROPS", "STATS"):
                counters[kind] = {int(k): int(v) for k, v in (x.split("=") for x in rest.split())}
                continue
            if kind not in ("RECORD", "FLUSH", "PATH"):
                continue
            fields = dict(x.split("=", 1) for x in rest.split(" ") if "=" in x)
            if kind == "PATH":
                paths.setdefault(int(fields["id"]), []).append(
                    (unescape(fields["path"]), int(fields["flags"], 16)))
                continue
            r = {k: unescape(v) for k, v in fields.items()}
            r["kind"] = kind
            r["id"] = int(fields["id"])
            r["events"] = {} if fields["events"] == "-" else {
                e: int(n) for e, n in (x.split(":") for x in fields["events"].split(","))}
            r["paths"] = paths.get(r["id"], [])
            r["path"] = r["paths"][-1][0] if r["paths"] else None
            records.append(r)
    return records, counters

def run(*cmd, **kw):
    subprocess.run(cmd, check=True, **kw)

def py(code, *args):
    run(sys.executable, "-c", code, *args)

def start_loader(out, *opts):
    f = open(out, "wb")
    p = subprocess.Popen([LOADER, "-o", OBJ, *opts], stdout=f, stderr=subprocess.PIPE)
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
    time.sleep(0.5)                      # the ring is polled every 100 ms
    p.send_signal(signal.SIGINT)
    err = p.communicate(timeout=60)[1].decode()
    return err

def d(path):                             # a directory as the path message shows it
    return (path.rstrip("/") + "/").encode()

def find(records, name, comm=None, path=None, kind=None, with_event=None):
    name = name.encode() if isinstance(name, str) else name
    out = []
    for r in records:
        if r["name"] != name:
            continue
        if comm is not None and r["comm"] != comm.encode():
            continue
        if path is not None and r["path"] != d(path):
            continue
        if kind is not None and r["kind"] != kind:
            continue
        if with_event is not None and with_event not in r["events"]:
            continue
        out.append(r)
    return out

def expect(what, records, name, events, comm=None, path=None, count=1, kind=None, with_event=None,
           match=None, **fields):
    """count records named name (by comm, in path, with_event present, match fields equal)
    with exactly these events and fields. events values may be ints or (min, max) ranges."""
    rs = find(records, name, comm, path, kind, with_event)
    if match:
        rs = [r for r in rs if all(r.get(k) == str(v).encode() for k, v in match.items())]
    ok = len(rs) == count
    detail = ""
    for r in rs:
        for e, n in events.items():
            got = r["events"].get(e, 0)
            lo, hi = n if isinstance(n, tuple) else (n, n)
            if not lo <= got <= hi:
                ok, detail = False, f"{e}={got}, want {n}"
        for e in r["events"]:
            if e not in events:
                ok, detail = False, f"unexpected {e}={r['events'][e]}"
        for k, v in fields.items():
            got = r.get(k)
            want = v if isinstance(v, bytes) else str(v).encode()
            if got != want:
                ok, detail = False, f"{k}={got!r}, want {want!r}"
        if len(r["paths"]) == 0:
            ok, detail = False, "no path message"
        for p, flags in r["paths"]:
            if flags:
                ok, detail = False, f"path flags {flags:x}"
    status = "ok  " if ok else "FAIL"
    print(f"{status} {what}: {len(rs)} record(s) {name!r}" + (f" ({detail})" if detail else ""))
    if not ok:
        failures.append(what)
        for r in rs or find(records, name):
            print(f"       got {r['kind']} comm={r['comm']!r} path={r['path']!r} events={r['events']}"
                  f" origin={r['origin']!r} flags={r['flags']!r} nlink={r['nlink']!r}")
    return rs

# ---------------------------------------------------------------------------------------
# Run 1: every event kind, aggregated (no -e)
# ---------------------------------------------------------------------------------------
ign = subprocess.Popen([sys.executable, "-c",
    "import sys; sys.stdin.read(); open(sys.argv[1], 'w').write('x')", f"{T}/ignored.txt"],
    stdin=subprocess.PIPE)
out1 = os.path.join(WORK, "run1.txt")
loader = start_loader(out1, "-i", str(ign.pid))

# OPEN/CREATE/ATTRIB (futimens on the fd)/CLOSE_WRITE
run("touch", f"{T}/touched")
# bash/dash redirection: OPEN, MODIFY, close at exit
py("open(__import__('sys').argv[1], 'w').write('a\\n')", f"{T}/appended")
run("sh", "-c", f"echo b >> {T}/appended")
# overwrite: O_TRUNC on an existing file is a MODIFY of its own
run("sh", "-c", f"echo c > {T}/appended")
# dd: 4 writes
run("dd", "if=/dev/zero", f"of={T}/dd.out", "bs=1k", "count=4", "status=none")
# cp: copy_file_range -> ACCESS on the source, MODIFY on the copy
run("cp", f"{T}/dd.out", f"{T}/copy.out")
# mv in the same directory, then into a subdirectory
run("mv", f"{T}/copy.out", f"{T}/moved.out")
os.mkdir(f"{T}/sub")
run("mv", f"{T}/moved.out", f"{T}/sub/moved2.out")
# hard link, symlink
run("ln", f"{T}/dd.out", f"{T}/hard.link")
run("ln", "-s", "dd.out", f"{T}/sym.link")
# path-based attribute changes
run("chmod", "600", f"{T}/dd.out")
run("chown", "1:1", f"{T}/dd.out")
run("truncate", "-s", "100", f"{T}/trunc.out")
run("touch", "-a", f"{T}/trunc.out")            # utimensat atime only: ACCESS
# delete a hard link (link count before the delete: 2)
run("rm", f"{T}/hard.link")
# an executable run from here
run("cp", "/bin/true", f"{T}/mytrue")
run(f"{T}/mytrue")
# a file mapped and its descriptor closed: the last reference goes at exit, with the memory
py("open(__import__('sys').argv[1], 'w').write('m' * 100)", f"{T}/mapped")
py("""
import mmap, os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
m = mmap.mmap(fd, 0, prot=mmap.PROT_READ)
os.close(fd)
assert m[0:1] == b'm'
os._exit(0)
""", f"{T}/mapped")
# one file, two writers: two records
py("open(__import__('sys').argv[1], 'w').write('')", f"{T}/two.out")
run("sh", "-c", f"echo one >> {T}/two.out")
run("sh", "-c", f"echo two >> {T}/two.out")
# 40 directories deep
deep = os.path.join(T, *[f"level{i:02d}" for i in range(40)])
os.makedirs(deep)
run("sh", "-c", f"echo deep > {deep}/deep.txt")
run("chmod", "600", f"{deep}/deep.txt")
# hostile names: quote, newline, invalid UTF-8, 255 bytes
names = [b'quo"te\'s', b"new\nline", b"bad\xff\xfe\x80", b"n" * 255, b"sp ace=eq\\bs"]
for n in names:
    run("sh", "-c", 'echo x > "$1"', "sh", os.path.join(T.encode(), n))
# path resolution through a symlinked directory and "..": chmod/chown by path
os.mkdir(f"{T}/real")
os.symlink("real", f"{T}/lnk")
py("open(__import__('sys').argv[1], 'w').write('r')", f"{T}/real/f")
run("chmod", "640", f"{T}/lnk/f")
run("chown", "2:2", "../real/./f", cwd=f"{T}/real")
# tmpfs (/dev/shm: a mount on /dev, itself a mount on /)
run("sh", "-c", f"echo shm > {SHM}/shm.txt")
run("chmod", "600", f"{SHM}/shm.txt")
run("mv", f"{SHM}/shm.txt", f"{SHM}/shm2.txt")
run("rm", f"{SHM}/shm2.txt")
# fd-based calls and other syscalls from python
py("""
import os, sys, ctypes
T = sys.argv[1]
fd = os.open(T + '/fdops', os.O_RDWR | os.O_CREAT, 0o644)
os.write(fd, b'hello')
os.fchmod(fd, 0o600)                               # ATTRIB
os.setxattr(fd, 'user.k', b'v')                    # ATTRIB
os.utime(fd, ns=(1, 2))                            # futimens: ATTRIB
os.ftruncate(fd, 2)                                # MODIFY
os.pread(fd, 2, 0)                                 # ACCESS
os.close(fd)                                       # CLOSE_WRITE
os.setxattr(T + '/fdops', 'user.k2', b'v')         # ATTRIB (path)
os.removexattr(T + '/fdops', 'user.k2')            # ATTRIB (path)
os.utime(T + '/fdops', ns=(3, 4))                  # ATTRIB (path)
os.truncate(T + '/fdops', 1)                       # MODIFY (path)
# sendfile: ACCESS on the source, MODIFY on the target
a = os.open(T + '/fdops', os.O_RDONLY)
b = os.open(T + '/sendfile.out', os.O_WRONLY | os.O_CREAT, 0o644)
os.sendfile(b, a, 0, 1)
os.close(a); os.close(b)
# renameat2(RENAME_EXCHANGE)
open(T + '/xa', 'w').write('a'); open(T + '/xb', 'w').write('b')
libc = ctypes.CDLL(None, use_errno=True)
if libc.renameat2(-100, (T + '/xa').encode(), -100, (T + '/xb').encode(), 2) != 0:
    raise OSError(ctypes.get_errno(), 'renameat2')
# close_range(2)
fd = os.open(T + '/closerange', os.O_WRONLY | os.O_CREAT, 0o644)
os.write(fd, b'x')
os.closerange(fd, fd + 1)
# close at exit: no close(2), the descriptor table goes with the process
fd = os.open(T + '/atexit', os.O_WRONLY | os.O_CREAT, 0o644)
os.write(fd, b'x')
os._exit(0)
""", T)
# delete of files the dentry cache does not hold (rm -r reads the directory, no lookups)
os.mkdir(f"{T}/cold")
for i in range(20):
    open(f"{T}/cold/c{i}", "w").write("c")
os.sync()
with open("/proc/sys/vm/drop_caches", "w") as f:
    f.write("2")
run("rm", "-r", f"{T}/cold")
# the directory cache of path resolution: what was resolved before must never be answered
# for a directory that was renamed, removed, replaced or reached through other names since
py("""
import os, sys, json
T = sys.argv[1]
ino = {}
def mk(p, data='x'):
    open(p, 'w').write(data)
    return os.stat(p).st_ino
# a directory renamed, a new one made with its old name: paths by the old name
os.mkdir(T + '/cdir')
mk(T + '/cdir/x1'); mk(T + '/cdir/x2')
os.chmod(T + '/cdir/x1', 0o600)                     # caches T/cdir
os.rename(T + '/cdir', T + '/cdir_old')
os.mkdir(T + '/cdir')
ino['c1'] = mk(T + '/cdir/c1')
os.rename(T + '/cdir/c1', T + '/cdir/c2')           # new directory, new file
os.unlink(T + '/cdir/c2')
os.unlink(T + '/cdir_old/x2')                       # the renamed directory, new path
# a removed and recreated directory, a renamed ancestor
os.makedirs(T + '/p1/p2')
mk(T + '/p1/p2/f'); os.chmod(T + '/p1/p2/f', 0o600)
os.unlink(T + '/p1/p2/f'); os.rmdir(T + '/p1/p2'); os.mkdir(T + '/p1/p2')
ino['rm1'] = mk(T + '/p1/p2/rm1'); os.chmod(T + '/p1/p2/rm1', 0o604)
os.rename(T + '/p1', T + '/p1x'); os.makedirs(T + '/p1/p2')
ino['anc1'] = mk(T + '/p1/p2/anc1'); os.chmod(T + '/p1/p2/anc1', 0o604)
os.chmod(T + '/p1x/p2/rm1', 0o606)
# relative paths: the same string from two working directories, and through dirfds
for d in ('ra', 'rb'):
    os.makedirs(f'{T}/{d}/sub')
    ino['rel_' + d] = mk(f'{T}/{d}/sub/rel_{d}')
os.chdir(T + '/ra'); mk('sub/same'); os.chmod('sub/same', 0o600)
ino['same_ra'] = os.stat('sub/same').st_ino; os.unlink('sub/same')
os.chdir(T + '/rb'); mk('sub/same'); os.chmod('sub/same', 0o600)
ino['same_rb'] = os.stat('sub/same').st_ino; os.unlink('sub/same')
os.chdir(T)
fa = os.open(T + '/ra', os.O_RDONLY | os.O_DIRECTORY)
fb = os.open(T + '/rb', os.O_RDONLY | os.O_DIRECTORY)
os.unlink('sub/rel_ra', dir_fd=fa)
os.unlink('sub/rel_rb', dir_fd=fb)
# symlinked directories: a link in the middle of the path, then pointed elsewhere
os.makedirs(T + '/sl_a/in'); os.makedirs(T + '/sl_b/in')
os.symlink('sl_a', T + '/sl')
ino['sla'] = mk(T + '/sl_a/in/slf'); ino['slb'] = mk(T + '/sl_b/in/slf')
os.chmod(T + '/sl/in/slf', 0o600)
os.unlink(T + '/sl'); os.symlink('sl_b', T + '/sl')
os.chmod(T + '/sl/in/slf', 0o640)
os.unlink(T + '/sl/in/slf')
json.dump(ino, open(T + '/inodes.json', 'w'))
""", T)
# the ignored process writes now
ign.communicate(b"go")

err = stop_loader(loader)
recs, counters = parse(out1)
print(f"run 1: {len(recs)} records; loader: {err.strip().splitlines()}")

expect("touch creates", recs, "touched", {"CREATE": 1, "OPEN": 1, "ATTRIB": 1, "CLOSE_WRITE": 1},
       comm="touch", path=T)
expect("sh appends", recs, "appended", {"OPEN": 1, "MODIFY": 1, "CLOSE_WRITE": 1}, comm="sh", path=T,
       match={"size": 4}, size_first=2)
expect("sh overwrites (O_TRUNC)", recs, "appended", {"OPEN": 1, "MODIFY": 2, "CLOSE_WRITE": 1},
       comm="sh", path=T, match={"size": 2}, size_first=0)   # seen after the open: truncated
expect("dd writes", recs, "dd.out", {"CREATE": 1, "OPEN": 1, "MODIFY": 4, "CLOSE_WRITE": 1},
       comm="dd", path=T, size=4096, size_first=0)
expect("cp reads", recs, "dd.out", {"OPEN": 1, "ACCESS": (1, 9), "CLOSE_NOWRITE": 1}, comm="cp", path=T)
expect("cp writes", recs, "copy.out", {"CREATE": 1, "OPEN": 1, "MODIFY": (1, 9), "CLOSE_WRITE": 1},
       comm="cp", path=T, size=4096)
expect("mv renames", recs, "moved.out", {"MOVED_FROM": 1, "MOVED_TO": 1}, comm="mv", path=T,
       origin=b"copy.out")
r = expect("mv moves to a subdirectory", recs, "moved2.out", {"MOVED_FROM": 1, "MOVED_TO": 1},
           comm="mv", path=f"{T}/sub", origin=b"moved.out")
if r and [p for p, _ in r[0]["paths"]] != [d(T), d(f"{T}/sub")]:
    failures.append("rename path messages")
    print(f"FAIL rename path messages: {r[0]['paths']}")
expect("ln hard link", recs, "hard.link", {"CREATE": 1}, comm="ln", path=T, nlink=2, flags=b"10")
expect("ln -s symlink", recs, "sym.link", {"CREATE": 1}, comm="ln", path=T, mode=b"120777")
expect("chmod", recs, "dd.out", {"ATTRIB": 1}, comm="chmod", path=T, mode=b"100600")
expect("chown", recs, "dd.out", {"ATTRIB": 1}, comm="chown", path=T, fuid=1, fgid=1)
expect("truncate", recs, "trunc.out", {"CREATE": 1, "OPEN": 1, "MODIFY": 1, "CLOSE_WRITE": 1},
       comm="truncate", path=T, size=100)
expect("touch -a (atime only)", recs, "trunc.out", {"OPEN": 1, "ACCESS": 1, "CLOSE_WRITE": 1},
       comm="touch", path=T)
expect("rm deletes a hard link", recs, "hard.link", {"DELETE": 1}, comm="rm", path=T, nlink=2)
expect("exec, closed with the process's memory", recs, "mytrue", {"OPEN_EXEC": 1, "CLOSE_NOWRITE": 1},
       comm="mytrue", path=T, kind="RECORD")
# ld.so: open /etc/ld.so.cache, mmap, close, munmap: the munmap drops the last reference
expect("munmap of ld.so.cache", recs, "ld.so.cache", {"OPEN": 1, "CLOSE_NOWRITE": 1}, comm="touch",
       path="/etc", count=2, kind="RECORD")
expect("mapped file, closed with the process's memory", recs, "mapped",
       {"OPEN": 1, "CLOSE_NOWRITE": 1}, comm="python3", path=T, kind="RECORD", with_event="CLOSE_NOWRITE")
expect("two writers", recs, "two.out", {"OPEN": 1, "MODIFY": 1, "CLOSE_WRITE": 1}, comm="sh",
       path=T, count=2)
expect("40 levels deep", recs, "deep.txt", {"CREATE": 1, "OPEN": 1, "MODIFY": 1, "CLOSE_WRITE": 1},
       comm="sh", path=deep)
expect("40 levels deep, chmod", recs, "deep.txt", {"ATTRIB": 1}, comm="chmod", path=deep)
for n in names:
    expect(f"name {n[:20]!r}", recs, n, {"CREATE": 1, "OPEN": 1, "MODIFY": 1, "CLOSE_WRITE": 1},
           comm="sh", path=T, name_len=len(n))
expect("chmod through a symlinked directory", recs, "f", {"ATTRIB": 1}, comm="chmod",
       path=f"{T}/real", mode=b"100640")
expect("chown by ../real/./f", recs, "f", {"ATTRIB": 1}, comm="chown", path=f"{T}/real", fuid=2)
expect("tmpfs write", recs, "shm.txt", {"CREATE": 1, "OPEN": 1, "MODIFY": 1, "CLOSE_WRITE": 1},
       comm="sh", path=SHM)
expect("tmpfs chmod", recs, "shm.txt", {"ATTRIB": 1}, comm="chmod", path=SHM)
expect("tmpfs mv", recs, "shm2.txt", {"MOVED_FROM": 1, "MOVED_TO": 1}, comm="mv", path=SHM,
       origin=b"shm.txt")
expect("tmpfs rm", recs, "shm2.txt", {"DELETE": 1}, comm="rm", path=SHM)
expect("fd and path calls", recs, "fdops",
       {"CREATE": 1, "OPEN": 1, "MODIFY": 2, "ATTRIB": 3, "ACCESS": 1, "CLOSE_WRITE": 1},
       comm="python3", path=T, with_event="CREATE")
expect("path calls after close", recs, "fdops",
       {"ATTRIB": 3, "MODIFY": 1, "OPEN": 1, "ACCESS": 1, "CLOSE_NOWRITE": 1}, comm="python3", path=T,
       with_event="CLOSE_NOWRITE")
expect("sendfile target", recs, "sendfile.out",
       {"CREATE": 1, "OPEN": 1, "MODIFY": 1, "CLOSE_WRITE": 1}, comm="python3", path=T)
expect("rename exchange a", recs, "xa", {"MOVED_FROM": 1, "MOVED_TO": 1}, comm="python3", path=T,
       origin=b"xb", with_event="MOVED_TO")
expect("rename exchange b", recs, "xb", {"MOVED_FROM": 1, "MOVED_TO": 1}, comm="python3", path=T,
       origin=b"xa", with_event="MOVED_TO")
expect("close_range", recs, "closerange", {"CREATE": 1, "OPEN": 1, "MODIFY": 1, "CLOSE_WRITE": 1},
       comm="python3", path=T)
expect("close at exit", recs, "atexit", {"CREATE": 1, "OPEN": 1, "MODIFY": 1, "CLOSE_WRITE": 1},
       comm="python3", path=T)
ino = json.load(open(f"{T}/inodes.json"))
expect("dir cache: renamed directory, new one by its name", recs, "c2",
       {"MOVED_FROM": 1, "MOVED_TO": 1}, comm="python3", path=f"{T}/cdir", origin=b"c1",
       ino=ino["c1"], with_event="MOVED_TO")
expect("dir cache: delete in the new directory", recs, "c2", {"DELETE": 1}, comm="python3",
       path=f"{T}/cdir", ino=ino["c1"], with_event="DELETE")
expect("dir cache: delete in the renamed directory", recs, "x2",
       {"DELETE": 1}, comm="python3", path=f"{T}/cdir_old", with_event="DELETE")
expect("dir cache: removed and recreated directory", recs, "rm1", {"CREATE": 1, "OPEN": 1,
       "MODIFY": 1, "CLOSE_WRITE": 1}, comm="python3", path=f"{T}/p1/p2", ino=ino["rm1"], with_event="CREATE")
expect("dir cache: chmod in the recreated directory", recs, "rm1", {"ATTRIB": 2},
       comm="python3", path=f"{T}/p1/p2", ino=ino["rm1"], kind="FLUSH")
expect("dir cache: renamed ancestor", recs, "anc1", {"CREATE": 1, "OPEN": 1, "MODIFY": 1,
       "CLOSE_WRITE": 1}, comm="python3", path=f"{T}/p1/p2", ino=ino["anc1"], with_event="CREATE")
expect("dir cache: chmod under a renamed ancestor's new name", recs, "anc1", {"ATTRIB": 1},
       comm="python3", path=f"{T}/p1/p2", ino=ino["anc1"], kind="FLUSH")
for dd in ("ra", "rb"):
    expect(f"dir cache: same relative path from {dd}", recs, "same", {"ATTRIB": 1, "DELETE": 1},
           comm="python3", path=f"{T}/{dd}/sub", ino=ino["same_" + dd], with_event="DELETE")
    expect(f"dir cache: unlink by dirfd {dd}", recs, f"rel_{dd}", {"DELETE": 1}, comm="python3",
           path=f"{T}/{dd}/sub", ino=ino["rel_" + dd], with_event="DELETE")
expect("dir cache: symlinked directory", recs, "slf", {"ATTRIB": 1}, comm="python3",
       path=f"{T}/sl_a/in", ino=ino["sla"], kind="FLUSH")
expect("dir cache: symlinked directory pointed elsewhere", recs, "slf",
       {"ATTRIB": 1, "DELETE": 1}, comm="python3", path=f"{T}/sl_b/in", ino=ino["slb"], with_event="DELETE")
for i in range(20):
    expect(f"rm -r of an uncached file c{i}", recs, f"c{i}", {"DELETE": 1}, comm="rm",
           path=f"{T}/cold")
expect("ignored process", recs, "ignored.txt", {}, count=0)
own = [r for r in recs if r["tgid"] == str(loader.pid).encode()]
if own:
    failures.append("self filter")
    print(f"FAIL self filter: {len(own)} records of the loader itself")
else:
    print("ok   self filter: no record of the loader")
ids = [r["id"] for r in recs]
if len(ids) != len(set(ids)):
    failures.append("record ids unique")
    print("FAIL record ids are not unique")
drops = counters.get("DROPS", {})
if any(drops.values()):
    failures.append("drops")
    print(f"FAIL drops: {drops}")
else:
    print(f"ok   no drops; stats {counters.get('STATS')}")

# ---------------------------------------------------------------------------------------
# Run 2: -e 1, every event its own record, each with its path message
# ---------------------------------------------------------------------------------------
out2 = os.path.join(WORK, "run2.txt")
loader = start_loader(out2, "-e", "1")
run("sh", "-c", f"echo x > {T}/e1.txt")
run("mv", f"{T}/e1.txt", f"{T}/sub/e1b.txt")
err = stop_loader(loader)
recs, counters = parse(out2)
for ev in ("CREATE", "OPEN", "MODIFY", "CLOSE_WRITE"):
    expect(f"-e 1: {ev}", recs, "e1.txt", {ev: 1}, comm="sh", path=T, kind="RECORD", with_event=ev)
expect("-e 1: MOVED_FROM", recs, "e1.txt", {"MOVED_FROM": 1}, comm="mv", path=T, kind="RECORD")
expect("-e 1: MOVED_TO", recs, "e1b.txt", {"MOVED_TO": 1}, comm="mv", path=f"{T}/sub",
       kind="RECORD", origin=b"e1.txt")

# ---------------------------------------------------------------------------------------
# Run 3: cfg.monitor_files = 0: the file programs do nothing
# ---------------------------------------------------------------------------------------
out3 = os.path.join(WORK, "run3.txt")
loader = start_loader(out3, "-d")
run("sh", "-c", f"echo x > {T}/off.txt")
stop_loader(loader)
recs, counters = parse(out3)
if recs:
    failures.append("monitor off")
    print(f"FAIL monitor off: {len(recs)} records")
else:
    print("ok   monitor off: no records")

print()
if failures:
    print(f"check: {len(failures)} FAILED: {failures}")
    sys.exit(1)
print("check: all passed")
PY
