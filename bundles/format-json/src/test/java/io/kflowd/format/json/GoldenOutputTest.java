package io.kflowd.format.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kflowd.api.FileRecord;
import io.kflowd.api.RecordFormatter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * One fixed record, byte for byte, in both formats. The expected texts are written by
 * hand from spec 2.1-2.3 and 3.9, not produced by the code under test.
 */
class GoldenOutputTest {

    private static final String JSON_MIN = "{\"InfoSequenceNumber\": 1, "
            + "\"InfoTimestamp\": \"Thu, Apr 04 2024 15:34:35.643031330 UTC\", "
            + "\"InfoMonitor\": \"filesystem\", \"InfoHostName\": \"srv01\", \"InfoHostIP\": \"192.168.1.10\", "
            + "\"InfoSystem\": \"Linux\", \"InfoKernel\": \"6.1.0-18-amd64\", \"InfoVersion\": \"kflowd-v0.9.11\", "
            + "\"InfoUptime\": 21.262713426, "
            + "\"ProcParent\": \"bash\", \"Proc\": \"vi\", \"ProcUser\": \"dirk\", \"ProcGroup\": \"users\", "
            + "\"ProcPPID\": 4711, \"ProcPID\": 4712, \"ProcTID\": 4713, \"ProcUID\": 1000, \"ProcGID\": 100, "
            + "\"ProcAge\": 5.811829334, "
            + "\"FilePath\": \"/home/dirk/\", \"File\": \"notes.txt\", \"FileMode\": \"regular\", "
            + "\"FileEventCount\": 4, \"FileEvents\": {\"OPEN\": 1, \"MODIFY\": 2, \"CLOSE_WRITE\": 1}, "
            + "\"FileEventsDuration\": 0.000043571, \"FileInode\": 1234567, \"FileInodeLinkCount\": 1, "
            + "\"FileDevice\": \"902h:/dev/md2:/home:ext4\", \"FilePermissions\": \"0644/-rw-r--r--\", "
            + "\"FileUser\": \"dirk\", \"FileGroup\": \"users\", \"FileUID\": 1000, \"FileGID\": 100, "
            + "\"FileSize\": 4096, \"FileSizeChange\": 1024, "
            + "\"FileAccessTime\": \"Thu, Apr 04 2024 15:34:35.611000001 UTC\", "
            + "\"FileStatusChangeTime\": \"Thu, Apr 04 2024 15:34:35.642993872 UTC\", "
            + "\"FileModificationTime\": \"Thu, Apr 04 2024 15:34:35.642993872 UTC\", "
            + "\"FileModificationTimeChange\": 2.031872871}";

    private static final String JSON = """
            {
              "InfoSequenceNumber": 1,
              "InfoTimestamp": "Thu, Apr 04 2024 15:34:35.643031330 UTC",
              "InfoMonitor": "filesystem",
              "InfoHostName": "srv01",
              "InfoHostIP": "192.168.1.10",
              "InfoSystem": "Linux",
              "InfoKernel": "6.1.0-18-amd64",
              "InfoVersion": "kflowd-v0.9.11",
              "InfoUptime": 21.262713426,
              "ProcParent": "bash",
              "Proc": "vi",
              "ProcUser": "dirk",
              "ProcGroup": "users",
              "ProcPPID": 4711,
              "ProcPID": 4712,
              "ProcTID": 4713,
              "ProcUID": 1000,
              "ProcGID": 100,
              "ProcAge": 5.811829334,
              "FilePath": "/home/dirk/",
              "File": "notes.txt",
              "FileMode": "regular",
              "FileEventCount": 4,
              "FileEvents": {
                "OPEN": 1,
                "MODIFY": 2,
                "CLOSE_WRITE": 1
              },
              "FileEventsDuration": 0.000043571,
              "FileInode": 1234567,
              "FileInodeLinkCount": 1,
              "FileDevice": "902h:/dev/md2:/home:ext4",
              "FilePermissions": "0644/-rw-r--r--",
              "FileUser": "dirk",
              "FileGroup": "users",
              "FileUID": 1000,
              "FileGID": 100,
              "FileSize": 4096,
              "FileSizeChange": 1024,
              "FileAccessTime": "Thu, Apr 04 2024 15:34:35.611000001 UTC",
              "FileStatusChangeTime": "Thu, Apr 04 2024 15:34:35.642993872 UTC",
              "FileModificationTime": "Thu, Apr 04 2024 15:34:35.642993872 UTC",
              "FileModificationTimeChange": 2.031872871
            }""";

    private final FileRecord record = new TestRecords().build();

    @Test
    void jsonMin() {
        assertEquals(JSON_MIN, TestRecords.format(new JsonMinFormatter(), record));
    }

    @Test
    void json() {
        assertEquals(JSON, TestRecords.format(new JsonFormatter(), record));
    }

    @Test
    void prettyIsWhatKflowdsScannerMakesOfTheCompactForm() {
        assertEquals(KflowdScanner.pretty(JSON_MIN), JSON);
        for (TestRecords variant : new TestRecords[] {new TestRecords().withAllOptionals(),
                new TestRecords().withoutOptionals()}) {
            variant.name = "odd \"name\", {with} [brackets] \\ and, commas\\";
            String compact = TestRecords.format(new JsonMinFormatter(), variant.build());
            assertEquals(KflowdScanner.pretty(compact), TestRecords.format(new JsonFormatter(), variant.build()));
        }
    }

    @Test
    void aReusedFormatterWritesEveryRecordTheSame() {
        RecordFormatter pretty = new JsonFormatter();
        RecordFormatter compact = new JsonMinFormatter();
        for (int i = 0; i < 3; i++) {
            assertEquals(JSON, TestRecords.format(pretty, record));
            assertEquals(JSON_MIN, TestRecords.format(compact, record));
        }
    }

    @Test
    void aFailedWriteLeavesNoTraceInTheNextRecord() {
        for (RecordFormatter formatter : new RecordFormatter[] {new JsonFormatter(), new JsonMinFormatter()}) {
            OutputStream broken = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    throw new IOException("broken pipe");
                }
            };
            assertThrows(IOException.class, () -> formatter.format(record, broken));
            String expected = formatter instanceof JsonFormatter ? JSON : JSON_MIN;
            assertEquals(expected, TestRecords.format(formatter, record));
        }
    }

    @Test
    void recordsGoToTheStreamOfEachCall() throws IOException {
        JsonMinFormatter formatter = new JsonMinFormatter();
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        formatter.format(record, first);
        formatter.format(record, second);
        formatter.format(record, first);
        assertEquals(JSON_MIN + JSON_MIN, first.toString(StandardCharsets.UTF_8));
        assertEquals(JSON_MIN, second.toString(StandardCharsets.UTF_8));
    }

    @Test
    void noHeader() {
        assertEquals("", new JsonFormatter().header());
        assertEquals("", new JsonMinFormatter().header());
    }
}
