package io.kflowd.sink.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DatagramCutTest {

    static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Writes test input; escaping non-ASCII is how a lone surrogate can be written at all. */
    static final ObjectMapper WRITER = new ObjectMapper(JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build());
    static final ObjectMapper PRETTY = WRITER.copy().enable(SerializationFeature.INDENT_OUTPUT);

    /** Strings a record may carry: quotes, escapes, control bytes, RS, lone surrogates, emoji, non-Latin. */
    static final String[] HOSTILE = {
        "\\\"quoted\\\" and \\\\back\\\\slash",
        "tab\\tnew\\nline\\r\\u0000nul\\u001eRS\\u001f",
        "lone \\ud800 high and \\udc00 low",
        "emoji \uD83D\uDE00 \\ud83d\\ude01 pair",
        "Ünïcödé 中文 العربية",
        "</script><!-- ]]> {\\\"k\\\": [1, 2]}",
        "\u00e9\u00e9\u00e9\u4e2d\u4e2d",
    };

    /** A compact (json-min style) record of about {@code size} bytes, nested and hostile. */
    static String bigRecord(int size, Random random) {
        StringBuilder text = new StringBuilder("{\"InfoSequenceNumber\": 1, \"InfoTimestamp\": \"Thu, Apr 04 2024\"");
        int i = 0;
        while (text.length() < size) {
            text.append(", \"Key").append(i).append("\": ");
            switch (i % 5) {
                case 0 -> text.append('"').append(HOSTILE[random.nextInt(HOSTILE.length)]).append('"');
                case 1 -> text.append(random.nextLong()).append(", \"F").append(i).append("\": ").append(random.nextDouble());
                case 2 -> {
                    text.append("{\"a\": [1, 2.5, -3e10, true, false, null], \"b\": {\"c\": \"")
                            .append(HOSTILE[random.nextInt(HOSTILE.length)]).append("\", \"d\": []}, \"e\": {}}");
                }
                case 3 -> {
                    text.append('[');
                    for (int j = 0; j < 40; j++) {
                        text.append(j == 0 ? "" : ", ").append("[\"").append(HOSTILE[j % HOSTILE.length])
                                .append("\", {\"n\": ").append(j).append("}]");
                    }
                    text.append(']');
                }
                default -> text.append("\"").append("x".repeat(random.nextInt(3000))).append('"');
            }
            i++;
        }
        return text.append('}').toString();
    }

    static JsonNode parse(byte[] json) {
        try {
            return STRICT.readTree(json);
        } catch (IOException e) {
            fail("not valid JSON: " + e.getMessage() + "\n" + new String(json, 0, Math.min(json.length, 2000),
                    StandardCharsets.UTF_8));
            return null;
        }
    }

    static void assertValidUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            fail("not valid UTF-8: " + e);
        }
    }

    /**
     * The cut holds the original's entries in order, all equal except the last one, which
     * may be an object or array cut itself; the top level ends with the marker.
     */
    static void assertCutOf(JsonNode original, JsonNode cut) {
        assertEquals(original.getNodeType(), cut.getNodeType());
        if (original.isObject()) {
            assertEquals(Boolean.TRUE, cut.get(DatagramCut.MARKER_KEY) == null ? null : cut.get(DatagramCut.MARKER_KEY).booleanValue());
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
            cut.properties().forEach(entries::add);
            assertEquals(DatagramCut.MARKER_KEY, entries.getLast().getKey(), "the marker comes last");
            entries.removeLast();
            assertPrefix(original, entries);
        } else {
            JsonNode marker = cut.get(cut.size() - 1);
            assertTrue(marker.path(DatagramCut.MARKER_KEY).booleanValue(), "array ends with the marker object");
            List<JsonNode> elements = new ArrayList<>();
            cut.forEach(elements::add);
            elements.removeLast();
            assertArrayPrefix(original, elements);
        }
    }

    private static void assertPrefix(JsonNode original, List<Map.Entry<String, JsonNode>> entries) {
        Iterator<Map.Entry<String, JsonNode>> expected = original.properties().iterator();
        for (int i = 0; i < entries.size(); i++) {
            Map.Entry<String, JsonNode> want = expected.next();
            Map.Entry<String, JsonNode> got = entries.get(i);
            assertEquals(want.getKey(), got.getKey(), "member " + i);
            assertEntry(want.getValue(), got.getValue(), i == entries.size() - 1);
        }
    }

    private static void assertArrayPrefix(JsonNode original, List<JsonNode> elements) {
        for (int i = 0; i < elements.size(); i++) {
            assertEntry(original.get(i), elements.get(i), i == elements.size() - 1);
        }
    }

    private static void assertEntry(JsonNode want, JsonNode got, boolean last) {
        if (!last || !want.isContainerNode() || want.equals(got)) {
            assertEquals(want, got);
            return;
        }
        // the entry at the cut: a container holding a prefix of the original's entries
        assertEquals(want.getNodeType(), got.getNodeType());
        if (want.isObject()) {
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
            got.properties().forEach(entries::add);
            assertPrefix(want, entries);
        } else {
            List<JsonNode> elements = new ArrayList<>();
            got.forEach(elements::add);
            assertArrayPrefix(want, elements);
        }
    }

    @Test
    void aTextThatFitsIsSentAsItIs() {
        byte[] text = "{\"InfoSequenceNumber\": 1}".getBytes(StandardCharsets.UTF_8);
        assertSame(text, DatagramCut.fit(text, text.length));
    }

    @Test
    void anOversizedRecordIsCutAtAFieldBoundaryIntoValidJson() {
        byte[] text = bigRecord(200_000, new Random(1)).getBytes(StandardCharsets.UTF_8);
        JsonNode original = parse(text);
        for (int limit : new int[] {65_000, 65_507, 65_527, 1472, 1452, 512}) {
            byte[] cut = DatagramCut.fit(text, limit);
            assertTrue(cut.length <= limit, limit + ": " + cut.length);
            assertValidUtf8(cut);
            assertCutOf(original, parse(cut));
            // the cut uses the room: whatever the next member needs, nothing here is as big as half
            assertTrue(cut.length > limit / 2, limit + ": only " + cut.length);
        }
    }

    @Test
    void prettyInputIsCutLikeItsCompactForm() throws IOException {
        JsonNode original = parse(bigRecord(150_000, new Random(2)).getBytes(StandardCharsets.UTF_8));
        byte[] compact = WRITER.writeValueAsBytes(original);
        byte[] pretty = PRETTY.writeValueAsBytes(original);
        assertTrue(new String(pretty, StandardCharsets.UTF_8).contains("\n  \""));
        byte[] cutPretty = DatagramCut.fit(pretty, 65_000);
        assertArrayEquals(DatagramCut.fit(compact, 65_000), cutPretty);
        assertCutOf(original, parse(cutPretty));
    }

    @Test
    void aPrettyRecordWhoseCompactFormFitsIsSentWholeAndCompact() throws IOException {
        String compact = "{\"A\": 1, \"B\": [1, 2, {\"C\": \"x\"}], \"D\": {\"E\": null}}";
        JsonNode original = parse(compact.getBytes(StandardCharsets.UTF_8));
        byte[] pretty = PRETTY.writeValueAsBytes(original);
        assertTrue(pretty.length > compact.length());
        byte[] cut = DatagramCut.fit(pretty, compact.length());
        assertEquals(compact, new String(cut, StandardCharsets.UTF_8));
    }

    @Test
    void aFirstMemberTooLargeLeavesTheMarkerAlone() {
        byte[] text = ("{\"Payload\": \"" + "y".repeat(100_000) + "\", \"Next\": 1}").getBytes(StandardCharsets.UTF_8);
        assertEquals("{\"_Truncated\": true}", new String(DatagramCut.fit(text, 1000), StandardCharsets.UTF_8));
    }

    @Test
    void theCutMayFallDeepInsideNestedArraysAndObjects() {
        String deep = "{\"A\": 1, \"B\": " + "[{\"x\": ".repeat(40) + "\"" + "z".repeat(5000) + "\"" + "}]".repeat(40) + "}";
        byte[] text = deep.getBytes(StandardCharsets.UTF_8);
        JsonNode original = parse(text);
        byte[] cut = DatagramCut.fit(text, 1000);
        assertTrue(cut.length <= 1000);
        assertCutOf(original, parse(cut));
        assertTrue(new String(cut, StandardCharsets.UTF_8).startsWith("{\"A\": 1, \"B\": [{\"x\": [{\"x\": "));
    }

    @Test
    void aTopLevelArrayEndsWithAMarkerObject() {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) {
            text.append(i == 0 ? "" : ", ").append("{\"n\": ").append(i).append('}');
        }
        byte[] bytes = text.append(']').toString().getBytes(StandardCharsets.UTF_8);
        byte[] cut = DatagramCut.fit(bytes, 600);
        assertTrue(cut.length <= 600);
        assertCutOf(parse(bytes), parse(cut));
    }

    @Test
    void aMarkerAlreadyThereIsNotRepeated() {
        byte[] text = ("{\"_Truncated\": true, \"A\": \"" + "a".repeat(2000) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertEquals("{\"_Truncated\": true}", new String(DatagramCut.fit(text, 600), StandardCharsets.UTF_8));
    }

    @Test
    void randomRecordsAtRandomLimitsAlwaysGiveValidJson() throws IOException {
        Random random = new Random(42);
        int cuts = 0;
        for (int round = 0; round < 300; round++) {
            JsonNode original = parse(randomValue(random, 0, true).getBytes(StandardCharsets.UTF_8));
            byte[] text = random.nextBoolean() ? WRITER.writeValueAsBytes(original)
                    : PRETTY.writeValueAsBytes(original);
            int limit = DatagramCut.MIN_LIMIT + random.nextInt(Math.max(1, text.length));
            byte[] cut = DatagramCut.fit(text, limit);
            assertTrue(cut.length <= limit, "round " + round);
            assertValidUtf8(cut);
            JsonNode result = parse(cut);
            if (result.equals(original)) {
                continue;
            }
            assertCutOf(original, result);
            cuts++;
        }
        assertTrue(cuts > 150, "most rounds cut: " + cuts);
    }

    private static String randomValue(Random random, int depth, boolean top) {
        int kind = top ? random.nextInt(2) : depth > 6 ? 2 + random.nextInt(2) : random.nextInt(6);
        return switch (kind) {
            case 0, 4 -> {
                StringBuilder o = new StringBuilder("{");
                int n = random.nextInt(top ? 30 : 6);
                for (int i = 0; i < n; i++) {
                    o.append(i == 0 ? "" : ",").append("\"k").append(i).append(HOSTILE[random.nextInt(HOSTILE.length)])
                            .append("\":").append(randomValue(random, depth + 1, false));
                }
                yield o.append('}').toString();
            }
            case 1, 5 -> {
                StringBuilder a = new StringBuilder("[");
                int n = random.nextInt(top ? 30 : 6);
                for (int i = 0; i < n; i++) {
                    a.append(i == 0 ? "" : ",").append(randomValue(random, depth + 1, false));
                }
                yield a.append(']').toString();
            }
            case 2 -> "\"" + HOSTILE[random.nextInt(HOSTILE.length)] + "x".repeat(random.nextInt(200)) + "\"";
            default -> switch (random.nextInt(4)) {
                case 0 -> Long.toString(random.nextLong());
                case 1 -> Double.toString(random.nextDouble() * 1e300);
                case 2 -> random.nextBoolean() ? "true" : "false";
                default -> "null";
            };
        };
    }

    @Test
    void textThatIsNotJsonIsCutAtACharacterBoundary() {
        byte[] text = "中".repeat(1000).getBytes(StandardCharsets.UTF_8);
        for (int limit = 500; limit < 520; limit++) {
            byte[] cut = DatagramCut.fit(text, limit);
            assertTrue(cut.length <= limit);
            assertValidUtf8(cut);
            String s = new String(cut, StandardCharsets.UTF_8);
            assertTrue(s.endsWith(DatagramCut.TEXT_MARKER), s);
            assertTrue(s.length() - DatagramCut.TEXT_MARKER.length() >= (limit - DatagramCut.TEXT_MARKER.length() - 2) / 3);
        }
    }

    @Test
    void brokenJsonIsCutAsText() {
        byte[] text = ("{\"A\": \"" + "b".repeat(3000)).getBytes(StandardCharsets.UTF_8);
        byte[] cut = DatagramCut.fit(text, 1000);
        assertTrue(cut.length <= 1000);
        assertTrue(new String(cut, StandardCharsets.UTF_8).endsWith(DatagramCut.TEXT_MARKER));
        assertFalse(new String(cut, StandardCharsets.UTF_8).contains("\"_Truncated\": true"));
    }
}
