# Syslog receivers for the end-to-end tests on 127.0.0.1: UDP and TCP on one port. Reads
# and discards. Prints "ready"; stops after 60 s.
import socket, sys, threading, time
port = int(sys.argv[1])
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); udp.bind(('127.0.0.1', port))
tcp = socket.socket(); tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); tcp.bind(('127.0.0.1', port)); tcp.listen(8)
def drain_udp():
    while True:
        udp.recv(65536)
def serve(c):
    c.settimeout(30)
    try:
        while c.recv(65536):
            pass
    except OSError:
        pass
    c.close()
def accept():
    while True:
        c, _ = tcp.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()
threading.Thread(target=drain_udp, daemon=True).start()
threading.Thread(target=accept, daemon=True).start()
print('ready', flush=True)
time.sleep(60)
