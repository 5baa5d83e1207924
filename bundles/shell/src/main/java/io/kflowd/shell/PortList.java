package io.kflowd.shell;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Validation of a {@code kflowd:ports} list with the rules of {@code -p} (spec 10.1). */
final class PortList {

    /** At most this many entries per application (spec 6.1). */
    static final int MAX_ENTRIES = 8;

    private PortList() {
    }

    /** Null when valid, else what is wrong. */
    static String check(String app, String list) {
        String value = list.trim().toLowerCase(Locale.ROOT);
        if (value.equals("off")) {
            return null;
        }
        if (value.isEmpty()) {
            return "empty port list for " + app + " (use off)";
        }
        String[] items = value.split(",", -1);
        if (items.length > MAX_ENTRIES) {
            return "more than " + MAX_ENTRIES + " entries for " + app;
        }
        Set<String> seen = new HashSet<>();
        for (String raw : items) {
            String item = raw.trim();
            if (!seen.add(item)) {
                return "duplicate entry '" + item + "' for " + app;
            }
            if (item.equals("unix")) {
                if (!app.equals("syslog")) {
                    return "unix is for syslog only, not " + app;
                }
                continue;
            }
            int slash = item.indexOf('/');
            String proto = slash < 0 ? "" : item.substring(0, slash);
            if (!proto.equals("tcp") && !proto.equals("udp")) {
                return "'" + item + "': expected tcp/PORT or udp/PORT";
            }
            if (proto.equals("udp") && (app.equals("http") || app.equals("tls"))) {
                return app + " over UDP is not captured: '" + item + "'";
            }
            int port;
            try {
                port = Integer.parseInt(item.substring(slash + 1));
            } catch (NumberFormatException e) {
                return "'" + item + "': the port is not a number";
            }
            if (port < 1 || port > 65535) {
                return "'" + item + "': port out of range 1-65535";
            }
        }
        return null;
    }
}
