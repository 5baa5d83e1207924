package io.kflowd.format.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kflowd.api.RecordFormatter;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Valid JSON for any string (ARCHITECTURE 6, fixing kflowd's quirk Q1): every hostile
 * value, in every string field, parses back to exactly itself, in both formats.
 */
class HostileStringTest {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The string fields of a filesystem record and how to set them. */
    private static final List<Field> FIELDS = List.of(
            new Field("InfoHostName", (r, s) -> r.hostName = s),
            new Field("InfoHostIP", (r, s) -> r.hostIp = s),
            new Field("InfoHostToken", (r, s) -> r.hostToken = s),
            new Field("InfoSystem", (r, s) -> r.system = s),
            new Field("InfoKernel", (r, s) -> r.kernel = s),
            new Field("InfoVersion", (r, s) -> r.infoVersion = s),
            new Field("ProcParent", (r, s) -> r.procParent = s),
            new Field("Proc", (r, s) -> r.procName = s),
            new Field("ProcVersion", (r, s) -> r.procVersion = s),
            new Field("ProcUser", (r, s) -> r.procUser = s),
            new Field("ProcGroup", (r, s) -> r.procGroup = s),
            new Field("FilePath", (r, s) -> r.path = s),
            new Field("File", (r, s) -> r.name = s),
            new Field("FileOrigin", (r, s) -> r.origin = s),
            new Field("FileVersion", (r, s) -> r.fileVersion = s),
            new Field("FileMode", (r, s) -> r.mode = s),
            new Field("FileDevice", (r, s) -> r.device = s),
            new Field("FileUser", (r, s) -> r.fileUser = s),
            new Field("FileGroup", (r, s) -> r.fileGroup = s),
            new Field("FileMD5", (r, s) -> r.md5 = s),
            new Field("FileSHA256", (r, s) -> r.sha256 = s));

    record Field(String key, BiConsumer<TestRecords, String> set) {
    }

    static List<String> hostileStrings() {
        List<String> strings = new ArrayList<>();
        strings.add("say \"hello\"");
        strings.add("\"");
        strings.add("back\\slash\\");
        strings.add("\\\"");
        strings.add("\\u0041 is not A");
        strings.add("line\nbreak");
        strings.add("cr\rlf\r\n");
        strings.add("tab\there");
        strings.add("nul\u0000byte");
        StringBuilder controls = new StringBuilder();
        for (char c = 0x01; c <= 0x1f; c++) {
            controls.append(c);
        }
        strings.add(controls.toString());
        strings.add("del\u007f");
        strings.add("c1\u0085\u009b[31m");
        strings.add("esc\u001b[2J\u001b]0;title\u0007");
        strings.add("ls\u2028ps\u2029");
        strings.add("Größe_日本語_ñ");
        strings.add("emoji \uD83D\uDE00 \uD834\uDD1E");
        strings.add("\uFEFFbom");
        strings.add("");
        strings.add("}, \"InfoHostName\": \"forged");
        strings.add("\u001e");
        strings.add("a".repeat(255));
        // A maximal file name in bytes: 85 three-byte characters = 255 bytes of UTF-8.
        strings.add("€".repeat(85));
        strings.add(("/very" + "/long".repeat(818) + "/").substring(0, 4095) + "/");
        return strings;
    }

    static Stream<Arguments> cases() {
        return Stream.of(new JsonFormatter(), new JsonMinFormatter())
                .flatMap(formatter -> hostileStrings().stream().map(s -> Arguments.of(formatter, s)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void everyStringFieldRoundTrips(RecordFormatter formatter, String hostile) throws Exception {
        for (Field field : FIELDS) {
            TestRecords record = new TestRecords();
            field.set().accept(record, hostile);
            byte[] bytes = bytes(formatter, record);
            assertValidUtf8(bytes);
            JsonNode json = MAPPER.readTree(bytes);
            assertEquals(hostile, json.get(field.key()).textValue(), field.key());
            // Nothing leaked out of the string: the members around it are intact.
            assertEquals(4096, json.get("FileSize").longValue(), field.key());
            TestRecords benign = new TestRecords();
            field.set().accept(benign, "x");
            assertEquals(MAPPER.readTree(bytes(formatter, benign)).size(), json.size(), field.key());
            assertNoRawControlCharacters(bytes, formatter);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void allFieldsHostileAtOnce(RecordFormatter formatter, String hostile) throws Exception {
        TestRecords record = new TestRecords();
        FIELDS.forEach(field -> field.set().accept(record, hostile));
        JsonNode json = MAPPER.readTree(bytes(formatter, record));
        for (Field field : FIELDS) {
            assertEquals(hostile, json.get(field.key()).textValue(), field.key());
        }
    }

    @ParameterizedTest
    @MethodSource("io.kflowd.format.json.KeyOrderTest#formatters")
    void unpairedSurrogatesBecomeReplacementCharacters(RecordFormatter formatter) throws Exception {
        String[][] cases = {
                {"lone\uD800z", "lone\uFFFDz"},
                {"end\uD83D", "end\uFFFD"},
                {"\uDE00start", "\uFFFDstart"},
                {"swapped\uDE00\uD83D", "swapped\uFFFD\uFFFD"},
                {"pair\uD83D\uDE00ok\uDC00", "pair\uD83D\uDE00ok\uFFFD"},
        };
        for (String[] c : cases) {
            TestRecords record = new TestRecords();
            record.name = c[0];
            byte[] bytes = bytes(formatter, record);
            assertValidUtf8(bytes);
            assertEquals(c[1], MAPPER.readTree(bytes).get("File").textValue());
        }
    }

    @ParameterizedTest
    @MethodSource("io.kflowd.format.json.KeyOrderTest#formatters")
    void nonAsciiIsUtf8NotEscaped(RecordFormatter formatter) {
        TestRecords record = new TestRecords();
        record.name = "Größe_日本語_\uD83D\uDE00";
        String text = new String(bytes(formatter, record), StandardCharsets.UTF_8);
        assertTrue(text.contains("\"File\": \"Größe_日本語_\uD83D\uDE00\""), text);
        record.name = "a\u007fb\u2028c\u0085";
        text = new String(bytes(formatter, record), StandardCharsets.UTF_8);
        assertTrue(text.contains("\"File\": \"a\\u007Fb\\u2028c\\u0085\""), text);
    }

    private static byte[] bytes(RecordFormatter formatter, TestRecords record) {
        return TestRecords.format(formatter, record.build()).getBytes(StandardCharsets.UTF_8);
    }

    private static void assertValidUtf8(byte[] bytes) throws CharacterCodingException {
        StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes));
    }

    /**
     * No control byte, DEL, C1 control or line separator appears raw: json-min stays one
     * line (NDJSON), RS stays the record separator (RFC 7464), pretty output has only its
     * own newlines.
     */
    private static void assertNoRawControlCharacters(byte[] bytes, RecordFormatter formatter) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean layoutNewline = c == '\n' && formatter instanceof JsonFormatter;
            boolean control = c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029;
            assertFalse(control && !layoutNewline, () -> "raw U+" + Integer.toHexString(c) + " in " + text);
        }
    }
}
