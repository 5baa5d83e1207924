package io.kflowd.decoder.syslog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kflowd.api.AppMessage;
import io.kflowd.api.SocketRecord;
import io.kflowd.decoder.syslog.LoggerCapture.Transport;
import java.util.List;
import java.util.function.Consumer;

/** The logger(1) scenarios: arguments, transport, and the fields the decoder must find. */
enum Scenarios {
    RFC3164_UDP(Transport.UDP, null, new String[] {"--rfc3164", "-t", "mytag", "--id=4242", "-p", "local0.notice",
        "hello rfc3164 over udp"}, m -> {
            assertEquals(1, m.size());
            assertFields(m.get(0), "Local0", "Notice (5)", 133, 0, "mytag", "4242", null, "hello rfc3164 over udp");
            assertEquals(15, text(m.get(0), "Timestamp").length());
            assertEquals(hostname(), text(m.get(0), "Hostname"));
        }),
    RFC5424_UDP(Transport.UDP, null, new String[] {"--rfc5424", "-t", "mytag", "--id=4242", "--msgid", "ID47",
        "--sd-id", "meta@32473", "--sd-param", "k=\"v\"", "-p", "local0.notice", "hello rfc5424 ünïcode"}, m -> {
            assertEquals(1, m.size());
            assertFields(m.get(0), "Local0", "Notice (5)", 133, 1, "mytag", "4242", "ID47", "hello rfc5424 ünïcode");
            assertEquals("[timeQuality tzKnown=\"1\" isSynced=\"0\"][meta@32473 k=\"v\"]", text(m.get(0), "Data"));
            assertEquals(hostname(), text(m.get(0), "Hostname"));
        }),
    RFC5424_TCP_OCTET_COUNT(Transport.TCP, "first line\nsecond line\nthird [x] line\n", new String[] {"--rfc5424",
        "--octet-count", "-t", "app-1", "--id=99", "-p", "auth.crit"}, m -> {
            assertEquals(3, m.size(), Json.of(m));
            assertFields(m.get(0), "Security/Authorization", "Critical (2)", 34, 1, "app-1", "99", null, "first line");
            assertEquals("second line", text(m.get(1), "Message"));
            assertEquals("third [x] line", text(m.get(2), "Message"));
        }),
    RFC3164_TCP_NEWLINE(Transport.TCP, "line one\nline two\n", new String[] {"--rfc3164", "-t", "mytag", "-p",
        "mail.debug"}, m -> {
            assertEquals(2, m.size(), Json.of(m));
            assertFields(m.get(0), "Mail System", "Debug (7)", 23, 0, "mytag", null, null, "line one");
            assertFields(m.get(1), "Mail System", "Debug (7)", 23, 0, "mytag", null, null, "line two");
        }),
    UNIX_LOCAL(Transport.UNIX, null, new String[] {"-t", "mytag", "--id=77", "-p", "local0.notice",
        "hello via a unix socket"}, m -> {
            assertEquals(1, m.size());
            assertFields(m.get(0), "Local0", "Notice (5)", 133, 0, "mytag", "77", null, "hello via a unix socket");
            assertEquals(null, text(m.get(0), "Hostname"), "local messages carry no hostname");
        }),
    UNIX_RFC5424(Transport.UNIX, null, new String[] {"--rfc5424", "-t", "mytag", "--msgid", "M1", "-p",
        "daemon.warning", "structured hello"}, m -> {
            assertEquals(1, m.size());
            assertFields(m.get(0), "System Daemon", "Warning (4)", 28, 1, "mytag", null, "M1", "structured hello");
        });

    final Transport transport;
    final String stdin;
    final String[] args;
    final Consumer<List<AppMessage>> check;

    Scenarios(Transport transport, String stdin, String[] args, Consumer<List<AppMessage>> check) {
        this.transport = transport;
        this.stdin = stdin;
        this.args = args;
        this.check = check;
    }

    String file() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    SocketRecord.Protocol protocol() {
        return SocketRecord.Protocol.valueOf(transport.name());
    }

    /** The host the stored captures were made on, or this one for the live test. */
    static String hostname() {
        return System.getProperty("kflowd.test.hostname", "vm");
    }

    static void assertFields(AppMessage m, String facility, String severity, int priority, int version,
            String appname, String procId, String msgId, String message) {
        String json = Json.of(m);
        assertEquals(facility, text(m, "Facility"), json);
        assertEquals(severity, text(m, "Severity"), json);
        assertEquals(priority, number(m, "Priority"), json);
        assertEquals(version, number(m, "Version"), json);
        assertEquals(appname, text(m, "Appname"), json);
        assertEquals(procId, text(m, "ProcId"), json);
        assertEquals(msgId, text(m, "MsgId"), json);
        assertEquals(message, text(m, "Message"), json);
        assertEquals("Message", m.members().getLast().key(), json);
    }

    static AppMessage.Value get(AppMessage m, String key) {
        for (AppMessage.Member member : m.members()) {
            if (member.key().equals(key)) {
                return member.value();
            }
        }
        return null;
    }

    static String text(AppMessage m, String key) {
        return get(m, key) instanceof AppMessage.StringValue s ? s.text() : null;
    }

    static long number(AppMessage m, String key) {
        return get(m, key) instanceof AppMessage.NumberValue n ? n.value() : Long.MIN_VALUE;
    }
}
