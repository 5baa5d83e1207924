package io.kflowd.format.table;

import io.kflowd.api.AppMessage;
import io.kflowd.api.FileEvent;
import io.kflowd.api.FileRecord;
import io.kflowd.api.Info;
import io.kflowd.api.Proc;
import io.kflowd.api.SocketRecord;
import io.kflowd.api.SocketRecord.App;
import io.kflowd.api.SocketRecord.Family;
import io.kflowd.api.SocketRecord.Protocol;
import io.kflowd.api.SocketRecord.Role;
import io.kflowd.api.SocketRecord.Traffic;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Records built field by field; the defaults are the golden records of the tests. */
final class Records {

    private Records() {
    }

    /** A filesystem record: vi writing notes.txt. */
    static final class File {
        long sequenceNumber = 1;
        Instant timestamp = Instant.parse("2024-04-04T15:34:35.643931330Z");
        String procName = "vi";
        long ppid = 4711;
        long pid = 4712;
        String name = "notes.txt";
        String origin;
        String mode = "regular";
        Map<FileEvent, Integer> events = new EnumMap<>(Map.of(
                FileEvent.OPEN, 1, FileEvent.MODIFY, 2, FileEvent.CLOSE_WRITE, 1));
        long eventsDurationNanos = 43_571_000L;
        long inode = 1_234_567;
        long linkCount = 1;
        long size = 4096;
        Instant accessTime = Instant.parse("2024-04-04T15:34:35.611000001Z");

        File events(Object... pairs) {
            events = new EnumMap<>(FileEvent.class);
            for (int i = 0; i < pairs.length; i += 2) {
                events.put((FileEvent) pairs[i], (Integer) pairs[i + 1]);
            }
            return this;
        }

        FileRecord build() {
            Info info = new Info(sequenceNumber, timestamp, Info.Monitor.FILESYSTEM, "srv01", "192.168.1.10", null,
                    "Linux", "6.1.0-18-amd64", "kflowd-v0.1.0", 21_262_713_426L);
            Proc proc = new Proc("bash", procName, null, "dirk", "users", ppid, pid, pid, 1000, 100,
                    5_811_829_334L);
            return new FileRecord(info, proc, "/home/dirk/", name, origin, null, mode, events, eventsDurationNanos,
                    inode, linkCount, "902h:/dev/md2:/home:ext4", 0100644, "dirk", "users", 1000, 100, size, 0,
                    accessTime, accessTime, accessTime, 0, null, null);
        }
    }

    /** A socket record: curl's TCP connection to 127.0.0.1:80, HTTP captured. */
    static final class Socket {
        long sequenceNumber = 2;
        Instant timestamp = Instant.parse("2024-04-04T15:34:36.007000000Z");
        String procName = "curl";
        long pid = 4800;
        Protocol protocol = Protocol.TCP;
        Role role = Role.CLIENT;
        String state = "TCP_CLOSE";
        Family family = Family.AF_INET;
        String localIp = "127.0.0.1";
        int localPort = 41234;
        String remoteIp = "127.0.0.1";
        int remotePort = 80;
        String address;
        long txPackets = 6;
        long txBytes = 78;
        long rxPackets = 5;
        long rxBytes = 1_523;
        App app = App.HTTP;

        Socket server(int port) {
            role = Role.SERVER;
            int peer = localPort;
            localPort = port;
            remotePort = peer;
            procName = "python3";
            pid = 4900;
            return this;
        }

        Socket v6(String local, String remote) {
            family = Family.AF_INET6;
            localIp = local;
            remoteIp = remote;
            return this;
        }

        Socket noApp() {
            app = null;
            return this;
        }

        Socket udp() {
            protocol = Protocol.UDP;
            state = "UDP_ESTABLISHED";
            return this;
        }

        Socket unix(String path) {
            protocol = Protocol.UNIX;
            family = Family.AF_UNIX;
            state = null;
            localIp = null;
            remoteIp = null;
            localPort = 0;
            remotePort = 0;
            address = path;
            rxPackets = 0;
            rxBytes = 0;
            return this;
        }

        SocketRecord build() {
            Info info = new Info(sequenceNumber, timestamp, Info.Monitor.SOCKET, "srv01", "192.168.1.10", null,
                    "Linux", "6.1.0-18-amd64", "kflowd-v0.1.0", 21_262_713_426L);
            Proc proc = new Proc("bash", procName, null, "dirk", "users", 4711, pid, pid, 1000, 100,
                    811_829_334L);
            Traffic tx = txPackets == 0 ? null : new Traffic("1:lo:00:00:00:00:00:00", 1, txPackets, 0, 0,
                    Map.of(), 56_000_123L, txBytes, txBytes, 0, 204, 0, 0, 0, 0, 0, 0);
            Traffic rx = rxPackets == 0 ? null : new Traffic("1:lo:00:00:00:00:00:00", 1, rxPackets, 0, 0,
                    Map.of(), 57_000_000L, rxBytes, 0, 0, 0, 0, 0, 0, 0, 64, 57_344_028L);
            List<AppMessage> none = List.of();
            return new SocketRecord(info, proc, protocol, role, state, family, localIp, localPort, remoteIp,
                    remotePort, address, tx, rx, 57_344_028L, app, none, none);
        }
    }
}
