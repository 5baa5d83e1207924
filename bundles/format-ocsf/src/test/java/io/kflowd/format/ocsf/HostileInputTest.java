package io.kflowd.format.ocsf;

import static io.kflowd.format.ocsf.Records.flags;
import static io.kflowd.format.ocsf.Records.socket;
import static io.kflowd.format.ocsf.Records.traffic;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hostile strings and extreme numbers everywhere: always one valid event of its class. */
class HostileInputTest {

    static final String[] HOSTILE = {"\"}, {\"x\": 1", "a\\b\\\"c", "line\nbreak\r\u001e\u0000", "\u2028\u2029",
        "\ud800 lone high", "lone low \udc00", "\ud83d\ude00 emoji", "\u0085\u009b[31m C1 and ESC \u001b[0m",
        "", "../../etc/passwd", "http://evil:99999/x?y#z", "[::1", ":::", "@", "GET /", "\u007f"};

    private final OcsfFormatterTest harness = new OcsfFormatterTest();

    @Test
    void everyStringFieldHostile() throws IOException {
        for (String s : HOSTILE) {
            JsonNode file = harness.format(OcsfFormatterTest.hostileFile(s));
            if (!s.contains("\ud800") && !s.contains("\udc00") && !s.isEmpty()) {
                assertEquals(s, file.at("/file/name").asText(), "strings survive escaping unchanged");
                assertEquals(s, file.at("/unmapped/InfoHostToken").asText());
            }
            harness.format(hostileSocket(s, App.DNS));
            harness.format(hostileSocket(s, App.HTTP));
            harness.format(hostileSocket(s, App.SYSLOG));
            harness.format(hostileSocket(s, null));
        }
    }

    @Test
    void randomRecords() throws IOException {
        Random random = new Random(42);
        for (int i = 0; i < 300; i++) {
            String s = randomString(random);
            App[] apps = {null, App.DNS, App.HTTP, App.SYSLOG, App.TLS};
            harness.format(hostileSocket(s, apps[random.nextInt(apps.length)]));
            Map<FileEvent, Integer> events = new EnumMap<>(FileEvent.class);
            for (FileEvent e : FileEvent.values()) {
                if (random.nextInt(3) == 0) {
                    events.put(e, 1 + random.nextInt(5));
                }
            }
            harness.format(new FileRecord(Records.info(Info.Monitor.FILESYSTEM, s, null),
                    new Proc(s, s, s, s, s, random.nextLong(), random.nextLong(), random.nextLong(),
                            random.nextLong(), random.nextLong(), random.nextLong()),
                    s, s, random.nextBoolean() ? s : null, random.nextBoolean() ? s : null, s, events,
                    random.nextLong(), random.nextLong(), random.nextLong(), s, random.nextInt(), s, s,
                    random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong(),
                    Instant.ofEpochSecond(random.nextInt()), Instant.ofEpochSecond(random.nextInt()),
                    Instant.ofEpochSecond(random.nextInt()), random.nextLong(), random.nextBoolean() ? s : null,
                    random.nextBoolean() ? s : null));
        }
    }

    private static String randomString(Random random) {
        StringBuilder sb = new StringBuilder();
        int length = random.nextInt(20);
        for (int i = 0; i < length; i++) {
            sb.append((char) random.nextInt(0x10000));
        }
        return sb.toString();
    }

    static SocketRecord hostileSocket(String s, App app) {
        List<AppMessage> tx = new ArrayList<>();
        List<AppMessage> rx = new ArrayList<>();
        if (app == App.DNS) {
            tx.add(Records.dnsQuery(-1, s, s));
            rx.add(Records.dnsResponse(65535, s, Records.answer(s, s, -1, s),
                    AppMessage.array(AppMessage.string("~"))));
            rx.add(AppMessage.of(AppMessage.member("ResponseCode", AppMessage.number(3)),
                    AppMessage.member("ResourceRecords", AppMessage.string(s))));
        } else if (app == App.HTTP) {
            tx.add(Records.httpRequest(s, s, s, s));
            rx.add(AppMessage.of(AppMessage.member("_Status", AppMessage.number(Long.MIN_VALUE)),
                    AppMessage.member(s, AppMessage.string(s)), AppMessage.member("Content-Length", AppMessage.string(s))));
        } else if (app != null) {
            tx.add(AppMessage.of(AppMessage.member(s, AppMessage.string(s)),
                    AppMessage.member("n", AppMessage.object(AppMessage.member(s, AppMessage.bool(true))))));
        }
        return new SocketRecord(Records.info(Info.Monitor.SOCKET, s, s), Records.proc(s, s, s), Protocol.TCP,
                Role.CLIENT, s, Family.AF_INET6, s, 65535, s, 0,
                null, traffic(s, Long.MAX_VALUE, -1, flags(s, -1, "SYN", 1)), traffic(s + ":x", 1, 1, flags("RST", 1)),
                Long.MIN_VALUE, app, tx, rx);
    }

    @Test
    void unsignedValuesStayIntegers() throws IOException {
        JsonNode e = harness.format(socket(Protocol.UDP, Role.CLIENT, "UDP_CLOSE", Family.AF_INET, "1.2.3.4", 1,
                "5.6.7.8", 2, traffic("", -1, -1, null), null, null, null, null));
        assertEquals("18446744073709551615", e.at("/traffic/bytes_out").asText());
        assertEquals(true, e.at("/traffic/bytes_out").isIntegralNumber());
    }
}
