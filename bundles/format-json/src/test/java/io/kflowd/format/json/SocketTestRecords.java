package io.kflowd.format.json;

import io.kflowd.api.AppMessage;
import io.kflowd.api.Info;
import io.kflowd.api.Proc;
import io.kflowd.api.SocketRecord;
import io.kflowd.api.SocketRecord.App;
import io.kflowd.api.SocketRecord.Family;
import io.kflowd.api.SocketRecord.Protocol;
import io.kflowd.api.SocketRecord.Role;
import io.kflowd.api.SocketRecord.Traffic;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A socket record with every field settable; the defaults are the golden TCP client record. */
final class SocketTestRecords {

    long sequenceNumber = 2;
    Instant timestamp = Instant.parse("2024-04-04T15:34:35.643031330Z");
    String hostName = "srv01";
    String hostIp = "192.168.1.10";
    String system = "Linux";
    String kernel = "6.1.0-18-amd64";
    String infoVersion = "kflowd-v0.9.11";
    long uptimeNanos = 21_262_713_426L;

    String procParent = "bash";
    String procName = "curl";
    String procUser = "dirk";
    String procGroup = "users";
    long ppid = 4711;
    long pid = 4712;
    long tid = 4712;
    long procUid = 1000;
    long procGid = 100;
    long procAgeNanos = 811_829_334L;

    Protocol protocol = Protocol.TCP;
    Role role = Role.CLIENT;
    String state = "TCP_CLOSE";
    Family family = Family.AF_INET;
    String localIp = "127.0.0.1";
    int localPort = 41234;
    String remoteIp = "127.0.0.1";
    int remotePort = 53;
    String address;

    String txInterface = "1:lo:00:00:00:00:00:00";
    String rxInterface = "1:lo:00:00:00:00:00:00";
    long txPackets = 4;
    long rxPackets = 3;
    Map<String, Long> txFlags = flags("SYN", 1, "ACK", 2, "FIN-ACK", 1);
    Map<String, Long> rxFlags = flags("SYN-ACK", 1, "PSH-ACK", 1, "FIN-ACK", 1);
    long txBytes = 30;
    long rxBytes = 46;
    long rttNanos = 57_344_028L;

    long ageNanos = 57_344_028L;
    App app = App.DNS;
    List<AppMessage> txMessages = List.of(AppMessage.of(
            AppMessage.member("_Timestamp", AppMessage.seconds(1_177)),
            AppMessage.member("TransactionId", AppMessage.number(4660)),
            AppMessage.member("Flags", AppMessage.array(AppMessage.string("RD"))),
            AppMessage.member("Truncated", AppMessage.bool(false)),
            AppMessage.member("ResourceRecords", AppMessage.array())), AppMessage.of(
            AppMessage.member("_Timestamp", AppMessage.seconds(48_627)),
            AppMessage.member("Flags", AppMessage.array()),
            AppMessage.member("ResourceRecords", AppMessage.array())));
    List<AppMessage> rxMessages = List.of(AppMessage.of(
            AppMessage.member("_Timestamp", AppMessage.seconds(0)),
            AppMessage.member("TransactionId", AppMessage.number(4660)),
            AppMessage.member("Flags", AppMessage.array(AppMessage.string("QR"), AppMessage.string("RD"))),
            AppMessage.member("Truncated", AppMessage.bool(true)),
            AppMessage.member("ResourceRecords", AppMessage.array(
                    AppMessage.array(AppMessage.string("A"), AppMessage.string("kflow.co"),
                            AppMessage.number(300))))));

    static Map<String, Long> flags(Object... pairs) {
        Map<String, Long> flags = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            flags.put((String) pairs[i], ((Number) pairs[i + 1]).longValue());
        }
        return flags;
    }

    SocketRecord build() {
        Info info = new Info(sequenceNumber, timestamp, Info.Monitor.SOCKET, hostName, hostIp, null, system,
                kernel, infoVersion, uptimeNanos);
        Proc proc = new Proc(procParent, procName, null, procUser, procGroup, ppid, pid, tid, procUid, procGid,
                procAgeNanos);
        Traffic tx = new Traffic(txInterface, 2, txPackets, 0, 0, txFlags, 56_000_123L, txBytes, txBytes, 0, 204,
                0, 0, 0, 0, 0, 0);
        Traffic rx = new Traffic(rxInterface, 1, rxPackets, 0, 0, rxFlags, 57_000_000L, rxBytes, 0, 0, 0,
                0, 0, 0, 0, 64, rttNanos);
        return new SocketRecord(info, proc, protocol, role, state, family, localIp, localPort, remoteIp,
                remotePort, address, tx, rx, ageNanos, app, txMessages, rxMessages);
    }

    SocketTestRecords server() {
        role = Role.SERVER;
        localPort = 53;
        remotePort = 41234;
        return this;
    }

    SocketTestRecords udp() {
        protocol = Protocol.UDP;
        state = "UDP_ESTABLISHED";
        return this;
    }

    SocketTestRecords unix() {
        protocol = Protocol.UNIX;
        family = Family.AF_UNIX;
        state = null;
        localIp = null;
        remoteIp = null;
        address = "/run/systemd/journal/dev-log";
        rxPackets = 0;
        app = App.SYSLOG;
        txMessages = List.of(AppMessage.of(AppMessage.member("Message", AppMessage.string("hello"))));
        rxMessages = List.of();
        return this;
    }

    SocketTestRecords noTraffic() {
        txPackets = 0;
        rxPackets = 0;
        return this;
    }

    SocketTestRecords noApp() {
        app = null;
        txMessages = List.of();
        rxMessages = List.of();
        return this;
    }
}
