package io.kflowd.core.apps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kflowd.api.AppDecoder;
import io.kflowd.api.AppMessage;
import io.kflowd.api.AppPayload;
import io.kflowd.api.Info;
import io.kflowd.api.Proc;
import io.kflowd.api.SocketRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** -p parsing, joining captured segments into messages, and decoding them with bounds. */
class AppsTest {

    @Test
    void portsFollowTheSpecDefaultsAndPrecedence() {
        AppPorts ports = AppPorts.parse(Map.of());
        assertEquals(SocketRecord.App.DNS, ports.entries().get(new AppPorts.Entry(SocketRecord.Protocol.UDP, 53)));
        assertEquals(SocketRecord.App.HTTP, ports.entries().get(new AppPorts.Entry(SocketRecord.Protocol.TCP, 80)));
        assertEquals(SocketRecord.App.SYSLOG, ports.entries().get(new AppPorts.Entry(SocketRecord.Protocol.UDP, 514)));
        assertEquals(SocketRecord.App.TLS, ports.entries().get(new AppPorts.Entry(SocketRecord.Protocol.TCP, 443)));
        assertTrue(ports.syslogUnix());
        assertTrue(ports.problems().isEmpty());

        AppPorts custom = AppPorts.parse(Map.of(SocketRecord.App.DNS, "udp/5353,tcp/80", SocketRecord.App.SYSLOG, "off",
                SocketRecord.App.HTTP, "tcp/80,udp/8080,tcp/x"));
        assertEquals(SocketRecord.App.DNS, custom.entries().get(new AppPorts.Entry(SocketRecord.Protocol.TCP, 80)),
                "DNS entries take precedence over HTTP (spec 6.1)");
        assertFalse(custom.syslogUnix());
        assertEquals(2, custom.problems().size(), custom.problems().toString());
    }

    private static CapturedSegments.Segment segment(int message, boolean tx, long ts, String text, int length) {
        byte[] data = text.getBytes(StandardCharsets.US_ASCII);
        return new CapturedSegments.Segment(message, tx, ts, length, data, 0, data.length < length, false,
                SocketRecord.App.HTTP, SocketRecord.Protocol.TCP);
    }

    @Test
    void consecutiveSegmentsOfOneDirectionAreOneMessageUpToTheByteLimit() {
        CapturedSegments store = new CapturedSegments(8, 8, 16);
        store.add(7, segment(0, true, 1_000, "GET / HT", 8));
        store.add(7, segment(0, true, 1_100, "TP/1.1\r\n", 8));
        store.add(7, segment(1, false, 2_000, "HTTP/1.1 200 OK\r\nContent", 40));
        List<AppPayload> messages = store.take(7, SocketRecord.Role.CLIENT, 500);
        assertEquals(2, messages.size());
        assertArrayEquals("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII), messages.get(0).data());
        assertTrue(messages.get(0).transmitted());
        assertEquals(500, messages.get(0).sinceStartNanos());
        assertFalse(messages.get(0).truncated());
        assertEquals(16, messages.get(1).data().length, "cut at the per-message limit");
        assertTrue(messages.get(1).truncated());
        assertEquals(40, messages.get(1).length());
        assertTrue(store.take(7, SocketRecord.Role.CLIENT, 0).isEmpty(), "taken once");
    }

    @Test
    void pendingCapturesAreBounded() {
        CapturedSegments store = new CapturedSegments(2, 2, 100);
        for (long cookie = 1; cookie <= 3; cookie++) {
            store.add(cookie, segment(0, true, 0, "x", 1));
        }
        store.add(3, segment(0, true, 0, "y", 1));
        store.add(3, segment(0, true, 0, "z", 1));
        assertEquals(2, store.pending());
        assertEquals(2, store.dropped(), "one socket evicted, one segment over the per-socket bound");
    }

    private static SocketRecord record() {
        Info info = new Info(1, Instant.EPOCH, Info.Monitor.SOCKET, "h", "", null, "Linux", "6.18", "kflowd-v0.1.0", 0);
        Proc proc = new Proc("", "", null, "", "", 0, 0, 0, 0, 0, 0);
        return new SocketRecord(info, proc, SocketRecord.Protocol.TCP, SocketRecord.Role.CLIENT, "TCP_CLOSE",
                SocketRecord.Family.AF_INET, "127.0.0.1", 1, "127.0.0.1", 80, null, null, null, 0, null, List.of(), List.of());
    }

    private static AppPayload payload(boolean tx, String text) {
        return new AppPayload(SocketRecord.App.HTTP, SocketRecord.Protocol.TCP, tx, SocketRecord.Role.CLIENT, 0,
                text.getBytes(StandardCharsets.UTF_8), text.length(), false, false);
    }

    @Test
    void withoutADecoderTheMessagesStayUndecodedAndAppIsSet() {
        AppDecoders decoders = new AppDecoders();
        try (DecoderRunner runner = new DecoderRunner(1_000_000_000L)) {
            SocketRecord r = decoders.attach(record(), List.of(payload(true, "GET /\0 x")), runner);
            assertEquals(SocketRecord.App.HTTP, r.app());
            assertEquals(1, r.txMessages().size());
            assertEquals(new AppMessage.Member("_Undecoded", AppMessage.string("GET /\\x00 x")),
                    r.txMessages().getFirst().members().get(1));
            assertEquals(1, decoders.counts(SocketRecord.App.HTTP).undecoded());
        }
    }

    @Test
    void aDecoderThatThrowsOrHangsGivesAnExceptionObjectAndTheNextMessageIsStillDecoded() {
        AppDecoders decoders = new AppDecoders();
        AppDecoder flaky = p -> {
            String text = new String(p.data(), StandardCharsets.UTF_8);
            if (text.equals("throw")) {
                throw new IllegalStateException("bad input");
            }
            if (text.equals("hang")) {
                // ignores interrupts (must be abandoned), but ends: the test leaves nothing running
                long end = System.nanoTime() + 3_000_000_000L;
                while (System.nanoTime() < end) {
                    java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
                }
            }
            return List.of(AppMessage.of(AppMessage.member("_Method", AppMessage.string(text))));
        };
        decoders.add(SocketRecord.App.HTTP, new AppDecoders.Registered(flaky, "test", "1"));
        try (DecoderRunner runner = new DecoderRunner(200_000_000L)) {
            SocketRecord r = decoders.attach(record(),
                    List.of(payload(true, "throw"), payload(true, "hang"), payload(false, "GET")), runner);
            assertEquals("HTTP Message Decoder", ((AppMessage.StringValue) r.txMessages().get(0).members().get(0).value()).text());
            assertEquals("timeout", ((AppMessage.StringValue) r.txMessages().get(1).members().get(1).value()).text());
            assertEquals(List.of(AppMessage.of(AppMessage.member("_Method", AppMessage.string("GET")))), r.rxMessages());
            assertEquals(2, runner.failures());
            assertEquals(1, runner.abandonedThreads());
        }
    }

    @Test
    void resultsBeyondTheSizeBoundAreRefused() {
        AppMessage huge = AppMessage.of(AppMessage.member("x", AppMessage.string("y".repeat(DecoderRunner.MAX_CHARS + 1))));
        assertFalse(DecoderRunner.withinBounds(List.of(huge)));
        assertTrue(DecoderRunner.withinBounds(List.of(AppMessage.of(AppMessage.member("x", AppMessage.number(1))))));
    }
}
