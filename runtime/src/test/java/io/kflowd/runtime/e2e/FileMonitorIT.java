package io.kflowd.runtime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The filesystem monitor on the real kernel: real programs act on files in a fresh
 * directory while bin/kflowd -m file -o json-min runs; after an orderly stop (which
 * flushes what is still aggregated) every record about that directory is checked against
 * what the programs did and against stat(2).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FileMonitorIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dir;
    private KflowdProcess kflowd;
    private final List<JsonNode> records = new ArrayList<>();
    private final Map<String, Long> pids = new java.util.HashMap<>();
    private final Map<String, Map<String, Object>> stats = new java.util.HashMap<>();

    /** Runs one real program in the test directory and remembers its pid under a label. */
    private void run(String label, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        pids.put(label, p.pid());
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), label + " did not finish");
        assertEquals(0, p.exitValue(), label + ": " + out);
    }

    private void stat(String label, String name) throws Exception {
        stats.put(label, Files.readAttributes(dir.resolve(name), "unix:*", LinkOption.NOFOLLOW_LINKS));
    }

    @BeforeAll
    void runProgramsUnderTheMonitor() throws Exception {
        dir = KflowdProcess.tempDir("kflowd-fs-");
        kflowd = KflowdProcess.start(KflowdProcess.newRunDir(), List.of("-m", "file", "-o", "json-min"));
        kflowd.awaitRunning();

        run("touch", "touch", "a");
        run("append", "sh", "-c", "echo appended >> a");
        stat("append", "a");
        run("dd", "dd", "if=/dev/zero", "of=b", "bs=4096", "count=3", "status=none");
        stat("dd", "b");
        run("cp", "cp", "b", "c");
        stat("cp", "c");
        run("mv", "mv", "c", "d");
        run("ln", "ln", "d", "hard");
        stat("ln", "hard");
        run("ln-s", "ln", "-s", "d", "sym");
        stat("ln-s", "sym");
        run("chmod", "chmod", "640", "d");
        run("chown", "chown", "65534:65534", "d");
        run("truncate", "truncate", "-s", "100", "d");
        stat("truncate", "d");
        Files.copy(Path.of("/bin/true"), dir.resolve("mytrue"));
        Files.setPosixFilePermissions(dir.resolve("mytrue"), PosixFilePermissions.fromString("rwxr-xr-x"));
        run("exec", dir.resolve("mytrue").toString());
        run("writer1", "sh", "-c", "echo one >> shared");
        run("writer2", "sh", "-c", "echo two >> shared");
        run("rm", "rm", "a");

        kflowd.signal("TERM");
        assertEquals(0, kflowd.awaitExit(), kflowd.stderr());
        String prefix = dir + "/";
        for (String line : kflowd.out) {
            JsonNode record = JSON.readTree(line); // every line is one valid JSON record (NDJSON)
            if (record.path("FilePath").asText().equals(prefix)) {
                records.add(record);
            }
        }
    }

    @AfterAll
    void stop() {
        if (kflowd != null) {
            kflowd.close();
        }
    }

    private List<JsonNode> find(String file, String label) {
        long pid = pids.get(label);
        return records.stream().filter(r -> r.path("File").asText().equals(file) && r.path("ProcPID").asLong() == pid).toList();
    }

    private JsonNode one(String file, String label) {
        List<JsonNode> found = find(file, label);
        assertEquals(1, found.size(), "records of " + label + " for " + file + ":\n" + found + "\nall:\n" + summary());
        return found.get(0);
    }

    private String summary() {
        StringBuilder s = new StringBuilder();
        for (JsonNode r : records) {
            s.append(r.path("Proc").asText()).append(' ').append(r.path("ProcPID").asLong()).append(' ')
                    .append(r.path("File").asText()).append(' ').append(r.path("FileEvents")).append('\n');
        }
        return s.toString();
    }

    private static int events(JsonNode record, String event) {
        return record.path("FileEvents").path(event).asInt(0);
    }

    private void assertMatchesStat(JsonNode record, String label) {
        Map<String, Object> st = stats.get(label);
        assertEquals(((Number) st.get("ino")).longValue(), record.path("FileInode").asLong(), "inode");
        assertEquals(((Number) st.get("size")).longValue(), record.path("FileSize").asLong(), "size");
        assertEquals(((Number) st.get("nlink")).longValue(), record.path("FileInodeLinkCount").asLong(), "link count");
        assertEquals(((Number) st.get("uid")).longValue(), record.path("FileUID").asLong(), "uid");
        assertEquals(((Number) st.get("gid")).longValue(), record.path("FileGID").asLong(), "gid");
        int mode = ((Number) st.get("mode")).intValue();
        assertEquals(String.format("%04o", mode & 07777), record.path("FilePermissions").asText().substring(0, 4), "permissions");
        long dev = ((Number) st.get("dev")).longValue();
        assertTrue(record.path("FileDevice").asText().startsWith(Long.toHexString(dev) + "h:"), record.path("FileDevice").asText());
    }

    @Test
    void touchCreatesOpensAndClosesOneRecord() {
        JsonNode r = one("a", "touch");
        assertEquals(1, events(r, "CREATE"), r.toString());
        assertEquals(1, events(r, "OPEN"), r.toString());
        assertEquals(1, events(r, "CLOSE_WRITE"), r.toString());
        assertEquals("touch", r.path("Proc").asText());
        assertEquals(ProcessHandle.current().pid(), r.path("ProcPPID").asLong(), "the test process started touch");
        assertEquals(0, r.path("ProcUID").asLong());
        assertEquals("root", r.path("ProcUser").asText());
        assertEquals("regular", r.path("FileMode").asText());
    }

    @Test
    void appendIsOpenModifyCloseWrite() {
        JsonNode r = one("a", "append");
        assertEquals(1, events(r, "OPEN"), r.toString());
        assertEquals(1, events(r, "MODIFY"), r.toString());
        assertEquals(1, events(r, "CLOSE_WRITE"), r.toString());
        assertEquals(0, events(r, "CREATE"), r.toString());
        assertEquals(r.path("FileEventCount").asInt(), 3);
        assertMatchesStat(r, "append");
        assertEquals(9, r.path("FileSizeChange").asLong(), "\"appended\\n\" is 9 bytes");
    }

    @Test
    void ddWritesThreeBlocks() {
        JsonNode r = one("b", "dd");
        assertEquals(1, events(r, "CREATE"), r.toString());
        assertEquals(3, events(r, "MODIFY"), r.toString());
        assertEquals(1, events(r, "CLOSE_WRITE"), r.toString());
        assertEquals(12288, r.path("FileSize").asLong());
        assertMatchesStat(r, "dd");
    }

    @Test
    void cpReadsTheSourceAndWritesTheCopy() {
        JsonNode source = one("b", "cp");
        assertEquals(1, events(source, "OPEN"), source.toString());
        assertTrue(events(source, "ACCESS") >= 1, source.toString());
        assertEquals(1, events(source, "CLOSE_NOWRITE"), source.toString());
        JsonNode copy = one("c", "cp");
        assertEquals(1, events(copy, "CREATE"), copy.toString());
        assertTrue(events(copy, "MODIFY") >= 1, copy.toString());
        assertEquals(1, events(copy, "CLOSE_WRITE"), copy.toString());
        assertMatchesStat(copy, "cp");
    }

    @Test
    void mvIsOneRecordWithOrigin() {
        JsonNode r = one("d", "mv");
        assertEquals(1, events(r, "MOVED_FROM"), r.toString());
        assertEquals(1, events(r, "MOVED_TO"), r.toString());
        assertEquals("c", r.path("FileOrigin").asText());
    }

    @Test
    void hardLinkAndSymlinkCreation() {
        JsonNode hard = one("hard", "ln");
        assertEquals(1, events(hard, "CREATE"), hard.toString());
        assertEquals("hardlink", hard.path("FileMode").asText());
        assertMatchesStat(hard, "ln");
        JsonNode sym = one("sym", "ln-s");
        assertEquals(1, events(sym, "CREATE"), sym.toString());
        assertEquals("symlink", sym.path("FileMode").asText());
        assertEquals("0777/lrwxrwxrwx", sym.path("FilePermissions").asText());
        assertMatchesStat(sym, "ln-s");
    }

    @Test
    void chmodChownAndTruncate() {
        JsonNode chmod = one("d", "chmod");
        assertEquals(1, events(chmod, "ATTRIB"), chmod.toString());
        assertEquals("0640", chmod.path("FilePermissions").asText().substring(0, 4));
        JsonNode chown = one("d", "chown");
        assertEquals(1, events(chown, "ATTRIB"), chown.toString());
        assertEquals(65534, chown.path("FileUID").asLong());
        JsonNode truncate = one("d", "truncate");
        assertTrue(events(truncate, "MODIFY") >= 1, truncate.toString());
        assertMatchesStat(truncate, "truncate");
    }

    @Test
    void rmDeletes() {
        JsonNode r = one("a", "rm");
        assertEquals(1, events(r, "DELETE"), r.toString());
    }

    @Test
    void executingACopiedBinaryIsOpenExec() {
        List<JsonNode> found = find("mytrue", "exec");
        assertTrue(found.stream().anyMatch(r -> events(r, "OPEN_EXEC") == 1), "OPEN_EXEC of mytrue:\n" + summary());
        assertTrue(found.stream().allMatch(r -> r.path("Proc").asText().equals("mytrue")), found.toString());
    }

    @Test
    void twoWritersGiveTwoRecords() {
        Predicate<JsonNode> appended = r -> events(r, "MODIFY") == 1 && events(r, "CLOSE_WRITE") == 1;
        JsonNode first = one("shared", "writer1");
        JsonNode second = one("shared", "writer2");
        assertTrue(appended.test(first), first.toString());
        assertTrue(appended.test(second), second.toString());
        assertEquals(1, events(first, "CREATE"));
        assertEquals(0, events(second, "CREATE"));
    }

    @Test
    void everyRecordHasTheSpecKeyOrder() {
        assertNotNull(records.isEmpty() ? null : records.get(0), "no records at all for " + dir);
        List<String> required = List.of("InfoSequenceNumber", "InfoTimestamp", "InfoMonitor", "InfoHostName", "InfoHostIP",
                "InfoSystem", "InfoKernel", "InfoVersion", "InfoUptime", "ProcParent", "Proc", "ProcUser", "ProcGroup",
                "ProcPPID", "ProcPID", "ProcTID", "ProcUID", "ProcGID", "ProcAge", "FilePath", "File", "FileMode",
                "FileEventCount", "FileEvents", "FileEventsDuration", "FileInode", "FileInodeLinkCount", "FileDevice",
                "FilePermissions", "FileUser", "FileGroup", "FileUID", "FileGID", "FileSize", "FileAccessTime",
                "FileStatusChangeTime", "FileModificationTime");
        for (JsonNode r : records) {
            List<String> keys = new ArrayList<>();
            r.fieldNames().forEachRemaining(keys::add);
            List<String> present = keys.stream().filter(required::contains).toList();
            assertEquals(required, present, "key order of " + r);
            assertEquals("filesystem", r.path("InfoMonitor").asText());
        }
    }
}
