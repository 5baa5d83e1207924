package io.kflowd.decoder.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kflowd.api.AppMessage;
import java.util.List;

/** What holds for any input: markers in place, output bounded. */
final class Invariants {

    private Invariants() {
    }

    /** Names expanded by compression, 4 sections of 64 records: generous but finite. */
    static final int MAX_CHARS_PER_MESSAGE = 1_000_000;

    static void check(byte[] data, List<AppMessage> messages) {
        assertTrue(messages.size() <= DnsDecoder.MAX_MESSAGES, "messages: " + messages.size());
        for (AppMessage m : messages) {
            List<String> keys = Render.keys(m);
            assertEquals("_Timestamp", keys.getFirst());
            int malformed = keys.indexOf("_Malformed");
            assertTrue(malformed < 0 || malformed == keys.size() - 1, keys.toString());
            int truncated = keys.indexOf("_Truncated");
            assertTrue(truncated < 0 || truncated >= keys.size() - 2, keys.toString());
            int length = Render.json(m).length();
            assertTrue(length <= MAX_CHARS_PER_MESSAGE + 4 * data.length, "rendered " + length + " chars");
        }
    }

    static boolean malformed(AppMessage m) {
        return Render.keys(m).contains("_Malformed");
    }
}
