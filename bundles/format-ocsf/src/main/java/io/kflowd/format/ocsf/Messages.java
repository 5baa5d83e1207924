package io.kflowd.format.ocsf;

import io.kflowd.api.AppMessage;

/** Reading members of decoded messages, tolerant of anything a decoder may produce. */
final class Messages {

    private Messages() {
    }

    static AppMessage.Value value(AppMessage message, String key) {
        for (AppMessage.Member member : message.members()) {
            if (member.key().equals(key)) {
                return member.value();
            }
        }
        return null;
    }

    static boolean has(AppMessage message, String key) {
        return value(message, key) != null;
    }

    static String text(AppMessage message, String key) {
        return value(message, key) instanceof AppMessage.StringValue s ? s.text() : null;
    }

    /** The first member whose key equals {@code key} ignoring case (HTTP header names). */
    static String header(AppMessage message, String key) {
        for (AppMessage.Member member : message.members()) {
            if (member.key().equalsIgnoreCase(key) && member.value() instanceof AppMessage.StringValue s) {
                return s.text();
            }
        }
        return null;
    }

    static Long number(AppMessage message, String key) {
        return value(message, key) instanceof AppMessage.NumberValue n ? n.value() : null;
    }

    static String text(AppMessage.Value value) {
        return value instanceof AppMessage.StringValue s ? s.text() : null;
    }
}
