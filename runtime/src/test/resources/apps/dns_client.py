# Sends COUNT DNS queries for a.test to 127.0.0.1:PORT, one socket per query (one socket
# record each), PAUSE seconds apart; prints each socket's local port when answered.
import socket, struct, sys, time
port, count, pause = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
query = lambda tid: struct.pack('>HHHHHH', tid, 0x0100, 1, 0, 0, 0) + b'\x01a\x04test\x00' + struct.pack('>HH', 1, 1)
for i in range(count):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    s.sendto(query(i + 1), ('127.0.0.1', port))
    s.recvfrom(4096)
    print(s.getsockname()[1], flush=True)
    s.close()
    time.sleep(pause)
