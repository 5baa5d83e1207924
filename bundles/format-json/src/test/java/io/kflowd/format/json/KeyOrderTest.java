package io.kflowd.format.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kflowd.api.FileEvent;
import io.kflowd.api.RecordFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Spec 3.9 (key sequence) and 3.2-3.4 (presence), for both formats. */
class KeyOrderTest {

    /** Spec 3.9, filesystem, copied key by key; the bracketed ones are in OPTIONAL. */
    private static final List<String> SPEC_SEQUENCE = List.of(
            "InfoSequenceNumber", "InfoTimestamp", "InfoMonitor", "InfoHostName", "InfoHostIP", "InfoHostToken",
            "InfoSystem", "InfoKernel", "InfoVersion", "InfoUptime", "ProcParent", "Proc", "ProcVersion", "ProcUser",
            "ProcGroup", "ProcPPID", "ProcPID", "ProcTID", "ProcUID", "ProcGID", "ProcAge", "FilePath", "File",
            "FileOrigin", "FileVersion", "FileMode", "FileEventCount", "FileEvents", "FileEventsDuration",
            "FileInode", "FileInodeLinkCount", "FileDevice", "FilePermissions", "FileUser", "FileGroup", "FileUID",
            "FileGID", "FileSize", "FileSizeChange", "FileAccessTime", "FileStatusChangeTime",
            "FileModificationTime", "FileModificationTimeChange", "FileMD5", "FileSHA256");
    private static final Set<String> OPTIONAL = Set.of("InfoHostToken", "ProcVersion", "FileOrigin", "FileVersion",
            "FileSizeChange", "FileModificationTimeChange", "FileMD5", "FileSHA256");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Stream<RecordFormatter> formatters() {
        return Stream.of(new JsonFormatter(), new JsonMinFormatter());
    }

    private static JsonNode parse(RecordFormatter formatter, TestRecords record) throws Exception {
        return MAPPER.readTree(TestRecords.format(formatter, record.build()));
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @ParameterizedTest
    @MethodSource("formatters")
    void completeRecordHasSpecSequence(RecordFormatter formatter) throws Exception {
        assertEquals(SPEC_SEQUENCE, keys(parse(formatter, new TestRecords().withAllOptionals())));
    }

    @ParameterizedTest
    @MethodSource("formatters")
    void minimalRecordHasSpecSequenceWithoutOptionalKeys(RecordFormatter formatter) throws Exception {
        List<String> expected = SPEC_SEQUENCE.stream().filter(key -> !OPTIONAL.contains(key)).toList();
        assertEquals(expected, keys(parse(formatter, new TestRecords().withoutOptionals())));
    }

    @ParameterizedTest
    @MethodSource("formatters")
    void eachOptionalKeyAppearsAloneInItsPlace(RecordFormatter formatter) throws Exception {
        record Case(String key, java.util.function.Consumer<TestRecords> set) {
        }
        List<Case> cases = List.of(
                new Case("InfoHostToken", r -> r.hostToken = "t"),
                new Case("ProcVersion", r -> r.procVersion = "1.0"),
                new Case("FileOrigin", r -> r.origin = "old.txt"),
                new Case("FileVersion", r -> r.fileVersion = "1.2-3"),
                new Case("FileSizeChange", r -> r.sizeChange = -17),
                new Case("FileModificationTimeChange", r -> r.modificationTimeChangeNanos = -500_000_000L),
                new Case("FileMD5", r -> r.md5 = ""),
                new Case("FileSHA256", r -> r.sha256 = ""));
        for (Case c : cases) {
            TestRecords record = new TestRecords().withoutOptionals();
            c.set().accept(record);
            List<String> expected = SPEC_SEQUENCE.stream()
                    .filter(key -> !OPTIONAL.contains(key) || key.equals(c.key())).toList();
            assertEquals(expected, keys(parse(formatter, record)), c.key());
        }
    }

    @ParameterizedTest
    @MethodSource("formatters")
    void emptyStringsAreWrittenOnlyNullMeansAbsent(RecordFormatter formatter) throws Exception {
        TestRecords record = new TestRecords().withoutOptionals();
        record.hostToken = "";
        record.procVersion = "";
        record.fileVersion = "";
        record.md5 = "";
        record.sha256 = "";
        JsonNode json = parse(formatter, record);
        for (String key : List.of("InfoHostToken", "ProcVersion", "FileVersion", "FileMD5", "FileSHA256")) {
            assertEquals("", json.get(key).textValue(), key);
        }
    }

    @ParameterizedTest
    @MethodSource("formatters")
    void fileEventsListsNonZeroCountsInEventOrderAndCountIsTheirSum(RecordFormatter formatter) throws Exception {
        TestRecords record = new TestRecords();
        Map<FileEvent, Integer> events = new EnumMap<>(FileEvent.class);
        // Put in reverse order, with zeros, to see that the output order is FileEvent's.
        events.put(FileEvent.DELETE, 1);
        events.put(FileEvent.CLOSE_NOWRITE, 0);
        events.put(FileEvent.MODIFY, 7);
        events.put(FileEvent.ATTRIB, 0);
        events.put(FileEvent.OPEN, 3);
        events.put(FileEvent.CREATE, 1);
        record.events = events;
        JsonNode json = parse(formatter, record);
        assertEquals(List.of("CREATE", "OPEN", "MODIFY", "DELETE"), keys(json.get("FileEvents")));
        assertEquals(12, json.get("FileEventCount").intValue());
        assertEquals(7, json.get("FileEvents").get("MODIFY").intValue());

        Map<FileEvent, Integer> all = new EnumMap<>(FileEvent.class);
        for (FileEvent event : FileEvent.values()) {
            all.put(event, event.ordinal() + 1);
        }
        record.events = all;
        json = parse(formatter, record);
        assertEquals(List.of("CREATE", "OPEN", "OPEN_EXEC", "ACCESS", "ATTRIB", "MODIFY", "CLOSE_WRITE",
                "CLOSE_NOWRITE", "MOVED_FROM", "MOVED_TO", "DELETE"), keys(json.get("FileEvents")));
        assertEquals(66, json.get("FileEventCount").intValue());
    }

    @ParameterizedTest
    @MethodSource("formatters")
    void valuesThroughTheFormatter(RecordFormatter formatter) throws Exception {
        TestRecords record = new TestRecords();
        record.procUid = 0xFFFF_FFFFL;
        record.fileGid = -1;
        record.sequenceNumber = Long.MIN_VALUE;
        record.sizeChange = -4096;
        record.modificationTimeChangeNanos = -500_000_000L;
        record.eventsDurationNanos = 0;
        record.permissions = 0104755;
        String text = TestRecords.format(formatter, record.build());
        JsonNode json = MAPPER.readTree(text);
        assertEquals("4294967295", json.get("ProcUID").asText());
        assertEquals("18446744073709551615", json.get("FileGID").bigIntegerValue().toString());
        assertEquals("9223372036854775808", json.get("InfoSequenceNumber").bigIntegerValue().toString());
        assertEquals(-4096, json.get("FileSizeChange").longValue());
        assertEquals("4755/-rwsr-xr-x", json.get("FilePermissions").textValue());
        assertEquals("Thu, Apr 04 2024 15:34:35.643031330 UTC", json.get("InfoTimestamp").textValue());
        // Number literals exactly as written, not as a double would print them.
        assertTrue(text.contains("\"FileModificationTimeChange\": -0.500000000"), text);
        assertTrue(text.contains("\"FileEventsDuration\": 0,") || text.contains("\"FileEventsDuration\": 0\n"), text);
        assertTrue(text.contains("\"InfoUptime\": 21.262713426"), text);
        assertTrue(text.contains("\"ProcAge\": 5.811829334"), text);
        assertFalse(text.contains("null"), text);
    }
}
