# A small authoritative DNS responder for the end-to-end tests, on 127.0.0.1 (UDP and TCP,
# one port). Answers by query name; prints "ready" when listening. Exits after `limit`
# queries or 60 s, whichever comes first.
import select, socket, struct, sys, threading, time

PORT, LIMIT = int(sys.argv[1]), int(sys.argv[2])

def name(n):
    out = b''
    for label in n.rstrip('.').split('.'):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b'\0'

def rr(owner, rtype, rdata, ttl=300, rclass=1):
    return name(owner) + struct.pack('>HHIH', rtype, rclass, ttl, len(rdata)) + rdata

def txt(*strings):
    return b''.join(bytes([len(s)]) + s.encode() for s in strings)

ANSWERS = {
    ('a.test', 1): [rr('a.test', 1, socket.inet_aton('192.0.2.1'))],
    ('aaaa.test', 28): [rr('aaaa.test', 28, socket.inet_pton(socket.AF_INET6, '2001:db8::1'))],
    ('cname.test', 1): [rr('cname.test', 5, name('a.test')), rr('a.test', 1, socket.inet_aton('192.0.2.1'))],
    ('mx.test', 15): [rr('mx.test', 15, struct.pack('>H', 10) + name('mail.test'))],
    ('txt.test', 16): [rr('txt.test', 16, txt('hello', 'world'))],
    ('soa.test', 6): [rr('soa.test', 6, name('ns.test') + name('admin.test') + struct.pack('>IIIII', 7, 1800, 900, 604800, 86400))],
    ('srv.test', 33): [rr('srv.test', 33, struct.pack('>HHH', 1, 2, 5060) + name('sip.test'))],
    ('caa.test', 257): [rr('caa.test', 257, b'\x00\x05issue' + b'ca.test')],
    ('https.test', 65): [rr('https.test', 65, struct.pack('>H', 1) + b'\0' + struct.pack('>HH', 1, 3) + b'\x02h2')],
    ('ns.test', 2): [rr('ns.test', 2, name('ns1.test'))],
    ('1.2.0.192.in-addr.arpa', 12): [rr('1.2.0.192.in-addr.arpa', 12, name('a.test'))],
}

def answer(query):
    tid, flags, qd = struct.unpack('>HHH', query[:6])
    pos, labels = 12, []
    while query[pos]:
        labels.append(query[pos + 1:pos + 1 + query[pos]].decode())
        pos += query[pos] + 1
    qname = '.'.join(labels).lower()
    qtype, = struct.unpack('>H', query[pos + 1:pos + 3])
    question = query[12:pos + 5]
    rcode, answers = 0, ANSWERS.get((qname, qtype), [])
    if qname == 'refused.test':
        rcode = 5
    elif not answers:
        rcode = 3
    head = struct.pack('>HHHHHH', tid, 0x8400 | (flags & 0x0100) | rcode, 1, len(answers), 0, 0)
    return head + question + b''.join(answers)

count = 0
lock = threading.Lock()
def served():
    global count
    with lock:
        count += 1
        return count >= LIMIT

udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); udp.bind(('127.0.0.1', PORT))
tcp = socket.socket(); tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); tcp.bind(('127.0.0.1', PORT)); tcp.listen(8)
print('ready', flush=True)
end = time.time() + 60
done = False
while not done and time.time() < end:
    ready, _, _ = select.select([udp, tcp], [], [], 0.5)
    if udp in ready:
        q, peer = udp.recvfrom(4096)
        udp.sendto(answer(q), peer)
        done = served()
    if tcp in ready:
        c, _ = tcp.accept()
        c.settimeout(5)
        n, = struct.unpack('>H', c.recv(2))
        q = b''
        while len(q) < n:
            q += c.recv(n - len(q))
        a = answer(q)
        c.sendall(struct.pack('>H', len(a)) + a)
        c.close()
        done = served()
