package io.kflowd.format.ocsf;

import static io.kflowd.api.AppMessage.array;
import static io.kflowd.api.AppMessage.member;
import static io.kflowd.api.AppMessage.number;
import static io.kflowd.api.AppMessage.seconds;
import static io.kflowd.api.AppMessage.string;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Records built in the tests, as the core would deliver them. */
final class Records {

    static final Instant NOW = Instant.parse("2024-04-04T15:34:35.643031330Z");

    private Records() {
    }

    static Info info(Info.Monitor monitor, String host, String token) {
        return new Info(7, NOW, monitor, host, "192.168.1.10", token, "Linux", "6.1.0-18-amd64", "kflowd-v0.1.0",
                21_262_713_426L);
    }

    static Proc proc(String name, String parent, String user) {
        return new Proc(parent, name, null, user, "users", 4711, 4712, 4713, 1000, 100, 811_829_334L);
    }

    static Map<FileEvent, Integer> events(Object... pairs) {
        Map<FileEvent, Integer> events = new EnumMap<>(FileEvent.class);
        for (int i = 0; i < pairs.length; i += 2) {
            events.put((FileEvent) pairs[i], (Integer) pairs[i + 1]);
        }
        return events;
    }

    static FileRecord file(String dir, String name, String origin, Map<FileEvent, Integer> events) {
        return file(dir, name, origin, events, "curl", "dirk", null, null);
    }

    static FileRecord file(String dir, String name, String origin, Map<FileEvent, Integer> events, String procName,
            String user, String md5, String sha256) {
        return new FileRecord(info(Info.Monitor.FILESYSTEM, "srv01", null), proc(procName, "bash", user), dir, name,
                origin, null, "regular", events, 1_500_000_000L, 131_077, 1, "902h:/dev/md2:/:ext4", 0100644, user,
                "users", 1000, 100, 4096, 100, Instant.parse("2024-04-04T15:34:35.100Z"),
                Instant.parse("2024-04-04T15:34:35.200Z"), Instant.parse("2024-04-04T15:34:35.300Z"), 250_000_000L,
                md5, sha256);
    }

    static Map<String, Long> flags(Object... pairs) {
        Map<String, Long> flags = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            flags.put((String) pairs[i], ((Number) pairs[i + 1]).longValue());
        }
        return flags;
    }

    static Traffic traffic(String iface, long packets, long bytes, Map<String, Long> flags) {
        return new Traffic(iface, packets, packets, 0, 0, flags, 12_000_000, bytes, bytes, 0, 204, 0, 0, 0, 0, 64,
                57_344_028L);
    }

    static SocketRecord socket(Protocol protocol, Role role, String state, Family family, String local, int localPort,
            String remote, int remotePort, Traffic tx, Traffic rx, App app, List<AppMessage> txMessages,
            List<AppMessage> rxMessages) {
        return new SocketRecord(info(Info.Monitor.SOCKET, "srv01", null), proc("curl", "bash", "dirk"), protocol,
                role, state, family, local, localPort, remote, remotePort, null, tx, rx, 2_500_000_000L, app,
                txMessages, rxMessages);
    }

    static SocketRecord tcpClient(Family family, String local, String remote) {
        return socket(Protocol.TCP, Role.CLIENT, "TCP_CLOSE", family, local, 41234, remote, 443,
                traffic("2:eth0:52:54:00:12:34:56", 6, 517, flags("SYN", 1, "ACK", 3, "FIN-ACK", 1, "PSH-ACK", 1)),
                traffic("2:eth0:52:54:00:12:34:56", 5, 4321, flags("SYN-ACK", 1, "PSH-ACK", 3, "FIN-ACK", 1)),
                null, null, null);
    }

    static SocketRecord unix(String address, List<AppMessage> messages) {
        return new SocketRecord(info(Info.Monitor.SOCKET, "srv01", null), proc("logger", "bash", "root"),
                Protocol.UNIX, Role.CLIENT, null, Family.AF_UNIX, null, 0, null, 0, address,
                traffic("", 1, 60, null), null, 1_000_000L, messages.isEmpty() ? null : App.SYSLOG, messages,
                List.of());
    }

    static AppMessage dnsQuery(int id, String type, String name) {
        return AppMessage.of(member("_Timestamp", seconds(1_177)), member("TransactionId", number(id)),
                member("OpCode", string("QUERY")), member("Flags", array(string("RD"))),
                member("ResourceRecords", array(array(string(type), string(name)))));
    }

    static AppMessage dnsResponse(int id, String rcode, AppMessage.Value... answers) {
        return AppMessage.of(member("_Timestamp", seconds(48_627)), member("TransactionId", number(id)),
                member("ResponseCode", string(rcode)),
                member("Flags", array(string("QR"), string("RD"), string("RA"))),
                member("AnswerCount", number(answers.length)), member("ResourceRecords", array(answers)));
    }

    static AppMessage.Value answer(String type, String name, long ttl, String data) {
        return array(string(type), string(name), number(ttl), string("IN"), string(data));
    }

    static AppMessage httpRequest(String method, String url, String host, String agent) {
        return AppMessage.of(member("_Timestamp", seconds(2_000)), member("_Method", string(method)),
                member("_Url", string(url)), member("_Version", string("HTTP/1.1")), member("Host", string(host)),
                member("User-Agent", string(agent)), member("Accept", string("*/*")));
    }

    static AppMessage httpResponse(int status, String reason, String body) {
        return AppMessage.of(member("_Timestamp", seconds(9_000)), member("_Version", string("HTTP/1.1")),
                member("_Status", number(status)), member("_Reason", string(reason)),
                member("Content-Type", string("text/html")), member("Content-Length", string("" + body.length())),
                member("_Body", string(body)));
    }
}
