package io.kflowd.decoder.dns;

import io.kflowd.api.AppMessage;
import io.kflowd.api.AppMessage.Member;
import io.kflowd.api.AppMessage.Value;
import java.util.List;

/** A decoded message as compact JSON text (json-min spacing), for assertions. */
final class Render {

    private Render() {
    }

    static String json(AppMessage message) {
        StringBuilder sb = new StringBuilder();
        members(message.members(), sb);
        return sb.toString();
    }

    static String json(List<AppMessage> messages) {
        StringBuilder sb = new StringBuilder("[");
        for (AppMessage m : messages) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            members(m.members(), sb);
        }
        return sb.append(']').toString();
    }

    /** The value of one member rendered, or null when absent. */
    static String member(AppMessage message, String key) {
        for (Member m : message.members()) {
            if (m.key().equals(key)) {
                StringBuilder sb = new StringBuilder();
                value(m.value(), sb);
                return sb.toString();
            }
        }
        return null;
    }

    static List<String> keys(AppMessage message) {
        return message.members().stream().map(Member::key).toList();
    }

    private static void members(List<Member> members, StringBuilder sb) {
        sb.append('{');
        boolean first = true;
        for (Member m : members) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            string(m.key(), sb);
            sb.append(": ");
            value(m.value(), sb);
        }
        sb.append('}');
    }

    private static void value(Value v, StringBuilder sb) {
        switch (v) {
            case AppMessage.StringValue s -> string(s.text(), sb);
            case AppMessage.NumberValue n -> sb.append(n.value());
            case AppMessage.SecondsValue s -> sb.append(s.nanos() <= 0 ? "0"
                    : s.nanos() / 1_000_000_000L + "." + String.format("%09d", s.nanos() % 1_000_000_000L));
            case AppMessage.BooleanValue b -> sb.append(b.value());
            case AppMessage.ArrayValue a -> {
                sb.append('[');
                for (int i = 0; i < a.values().size(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    value(a.values().get(i), sb);
                }
                sb.append(']');
            }
            case AppMessage.ObjectValue o -> members(o.members(), sb);
        }
    }

    private static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
