package io.kflowd.core.apps;

import io.kflowd.api.SocketRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The capture configuration of {@code -p} (PID io.kflowd.apps, keys dns, http, syslog, tls,
 * values like {@code udp/53,tcp/53}, {@code unix} or {@code off}): which transport port
 * belongs to which application. The launcher validated the syntax; what arrives here by
 * other means (a console edit) and is malformed is reported, not guessed.
 *
 * @param entries    (protocol, port) to application, in configuration order; the first wins
 * @param syslogUnix UNIX syslog messages are captured
 * @param problems   entries that were ignored, with the reason
 */
public record AppPorts(Map<Entry, SocketRecord.App> entries, boolean syslogUnix, List<String> problems) {

    /** A transport port: TCP or UDP. */
    public record Entry(SocketRecord.Protocol protocol, int port) {
        @Override
        public String toString() {
            return protocol.name().toLowerCase(Locale.ROOT) + "/" + port;
        }
    }

    public AppPorts {
        entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        problems = List.copyOf(problems);
    }

    /** Spec 6.1 defaults plus TLS on tcp/443. */
    public static final Map<SocketRecord.App, String> DEFAULTS = Map.of(
            SocketRecord.App.DNS, "udp/53,tcp/53",
            SocketRecord.App.HTTP, "tcp/80",
            SocketRecord.App.SYSLOG, "udp/514,tcp/514,unix",
            SocketRecord.App.TLS, "tcp/443");

    /** Parses the configuration values by application ({@code null}: the default). */
    public static AppPorts parse(Map<SocketRecord.App, String> values) {
        Map<Entry, SocketRecord.App> entries = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        boolean unix = false;
        // spec 6.1 precedence: DNS, then HTTP, then SYSLOG (then ours, TLS)
        for (SocketRecord.App app : SocketRecord.App.values()) {
            String value = values.get(app);
            if (value == null) {
                value = DEFAULTS.get(app);
            }
            value = value.trim();
            if (value.equalsIgnoreCase("off") || value.isEmpty()) {
                continue;
            }
            for (String item : value.split(",")) {
                String spec = item.trim().toLowerCase(Locale.ROOT);
                if (spec.equals("unix")) {
                    if (app == SocketRecord.App.SYSLOG) {
                        unix = true;
                    } else {
                        problems.add(app.name().toLowerCase(Locale.ROOT) + "=" + spec + ": only syslog can capture unix");
                    }
                    continue;
                }
                int slash = spec.indexOf('/');
                SocketRecord.Protocol protocol = slash < 0 ? null : switch (spec.substring(0, slash)) {
                    case "tcp" -> SocketRecord.Protocol.TCP;
                    case "udp" -> SocketRecord.Protocol.UDP;
                    default -> null;
                };
                int port = -1;
                try {
                    port = slash < 0 ? -1 : Integer.parseInt(spec.substring(slash + 1));
                } catch (NumberFormatException e) {
                    // reported below
                }
                if (protocol == null || port < 1 || port > 65535) {
                    problems.add(app.name().toLowerCase(Locale.ROOT) + "=" + item.trim() + ": not tcp/PORT, udp/PORT or unix");
                    continue;
                }
                if (app == SocketRecord.App.HTTP && protocol == SocketRecord.Protocol.UDP) {
                    problems.add("http=" + spec + ": HTTP over UDP is not captured");
                    continue;
                }
                entries.putIfAbsent(new Entry(protocol, port), app);
            }
        }
        return new AppPorts(entries, unix, problems);
    }
}
