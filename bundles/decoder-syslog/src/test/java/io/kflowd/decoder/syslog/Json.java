package io.kflowd.decoder.syslog;

import io.kflowd.api.AppMessage;
import java.util.List;

/** Compact JSON of decoded messages, for assertions and for reading test output. */
final class Json {

    private Json() {
    }

    static String of(List<AppMessage> messages) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < messages.size(); i++) {
            sb.append(i == 0 ? "" : ", ");
            members(sb, messages.get(i).members());
        }
        return sb.append(']').toString();
    }

    static String of(AppMessage message) {
        StringBuilder sb = new StringBuilder();
        members(sb, message.members());
        return sb.toString();
    }

    private static void members(StringBuilder sb, List<AppMessage.Member> members) {
        sb.append('{');
        for (int i = 0; i < members.size(); i++) {
            sb.append(i == 0 ? "" : ", ");
            string(sb, members.get(i).key());
            sb.append(": ");
            value(sb, members.get(i).value());
        }
        sb.append('}');
    }

    private static void value(StringBuilder sb, AppMessage.Value v) {
        switch (v) {
            case AppMessage.StringValue s -> string(sb, s.text());
            case AppMessage.NumberValue n -> sb.append(n.value());
            case AppMessage.SecondsValue s -> sb.append(s.nanos() <= 0 ? "0"
                    : String.format("%d.%09d", s.nanos() / 1_000_000_000L, s.nanos() % 1_000_000_000L));
            case AppMessage.BooleanValue b -> sb.append(b.value());
            case AppMessage.ArrayValue a -> {
                sb.append('[');
                for (int i = 0; i < a.values().size(); i++) {
                    sb.append(i == 0 ? "" : ", ");
                    value(sb, a.values().get(i));
                }
                sb.append(']');
            }
            case AppMessage.ObjectValue o -> members(sb, o.members());
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
