package io.kflowd.runtime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code -v} and {@code -c} against the system's own tools (issue 6), while
 * {@code kflowd -m file -o json-min -v -c} runs:
 * <ul>
 * <li>bash reads a line of {@code /usr/bin/sha1sum} (an executable: its record has the
 * FileVersion and checksum keys) and then waits on a pipe, so it is alive when that record is
 * enriched: its ProcVersion is bash's package version. (A program started by the JVM is no
 * good for this with the libraries it loads: the JVM's spawn helper loaded them too, in the
 * same process before its exec, so their records carry the helper's Proc.)
 * <li>{@code /usr/bin/md5sum} runs; its OPEN_EXEC record leaves at the stop.
 * </ul>
 * Versions must be what {@code dpkg -S} and {@code dpkg-query -W} say, checksums what
 * {@code md5sum} and {@code sha256sum} print.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EnrichmentIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path MD5SUM = Path.of("/usr/bin/md5sum");
    private static final Path SHA1SUM = Path.of("/usr/bin/sha1sum");

    private KflowdProcess kflowd;
    private long bashPid;
    private long md5sumPid;
    /** bash's record of sha1sum, taken while bash lived. */
    private JsonNode read;
    private final List<JsonNode> records = new ArrayList<>();

    @BeforeAll
    void runProgramsUnderTheMonitor() throws Exception {
        kflowd = KflowdProcess.start(KflowdProcess.newRunDir(), List.of("-m", "file", "-o", "json-min", "-v", "-c"));
        kflowd.awaitRunning();

        Process bash = new ProcessBuilder("/bin/bash", "-c", "read -r x < " + SHA1SUM + "; read -r y")
                .redirectErrorStream(true).start();
        bashPid = bash.pid();
        Predicate<JsonNode> bashReadSha1sum = r -> r.path("ProcPID").asLong() == bashPid
                && r.path("File").asText().equals("sha1sum");
        long deadline = System.nanoTime() + KflowdProcess.BOUND.toNanos();
        while (read == null && System.nanoTime() < deadline) {
            for (String line : kflowd.out) {
                JsonNode r = JSON.readTree(line);
                if (bashReadSha1sum.test(r)) {
                    read = r;
                    break;
                }
            }
            Thread.sleep(100);
        }
        assertTrue(bash.isAlive(), "bash waits for its input");
        bash.getOutputStream().close();
        assertTrue(bash.waitFor(30, TimeUnit.SECONDS), "bash did not finish");

        Process md5sum = new ProcessBuilder(MD5SUM.toString(), "/dev/null").redirectErrorStream(true).start();
        md5sumPid = md5sum.pid();
        String out = new String(md5sum.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(md5sum.waitFor(30, TimeUnit.SECONDS), "md5sum did not finish");
        assertEquals(0, md5sum.exitValue(), out);

        kflowd.signal("TERM");     // flushes what is still aggregated, the exec record of md5sum among it
        assertEquals(0, kflowd.awaitExit(), kflowd.stderr());
        for (String line : kflowd.out) {
            records.add(JSON.readTree(line));
        }
    }

    @AfterAll
    void stop() {
        if (kflowd != null) {
            kflowd.close();
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", command));
        return p.exitValue() == 0 ? out : "";
    }

    /** dpkg-query -W -f='${Version}' $(dpkg -S PATH | cut -d: -f1); on merged /usr dpkg may list the /bin name. */
    static String dpkgVersion(String path) throws Exception {
        String owner = run("dpkg", "-S", path);
        if (owner.isEmpty() && path.startsWith("/usr/")) {
            owner = run("dpkg", "-S", path.substring(4));
        }
        assertFalse(owner.isEmpty(), "dpkg knows " + path);
        String pkg = owner.substring(0, owner.indexOf(':'));
        return run("dpkg-query", "-W", "-f=${Version}", pkg);
    }

    private static String firstWord(String text) {
        return text.trim().split("\\s+")[0];
    }

    private String summary() {
        StringBuilder s = new StringBuilder();
        for (JsonNode r : records) {
            if (r.path("ProcPID").asLong() == md5sumPid || r.path("ProcPID").asLong() == bashPid) {
                s.append(r).append('\n');
            }
        }
        return s.toString();
    }

    @Test
    void aFileReadByALiveProcessHasTheVersionsAndChecksumsDpkgAndTheToolsGive() throws Exception {
        assertTrue(read != null, "no record of bash reading sha1sum:\n" + summary() + "\nstderr:\n" + kflowd.stderr());
        String file = read.path("FilePath").asText() + read.path("File").asText();
        assertEquals(SHA1SUM.toRealPath().toString(), file);
        assertEquals(dpkgVersion(file), read.path("FileVersion").asText(), read.toString());
        assertFalse(read.path("FileVersion").asText().isEmpty(), read.toString());
        assertEquals(dpkgVersion(Path.of("/bin/bash").toRealPath().toString()), read.path("ProcVersion").asText(),
                "bash was alive: ProcVersion is its package's\n" + read);
        assertEquals(firstWord(run("md5sum", file)), read.path("FileMD5").asText(), read.toString());
        assertEquals(firstWord(run("sha256sum", file)), read.path("FileSHA256").asText(), read.toString());
    }

    @Test
    void theExecutedProgramHasItsPackageVersionAndItsChecksums() throws Exception {
        JsonNode exec = records.stream()
                .filter(r -> r.path("ProcPID").asLong() == md5sumPid && r.path("File").asText().equals("md5sum")
                        && r.path("FileEvents").has("OPEN_EXEC"))
                .findFirst().orElseThrow(() -> new AssertionError("no OPEN_EXEC record of md5sum:\n" + summary()));
        String path = exec.path("FilePath").asText() + "md5sum";
        assertEquals(MD5SUM.toRealPath().toString(), path);
        assertEquals(dpkgVersion(path), exec.path("FileVersion").asText(), exec.toString());
        assertFalse(exec.path("FileVersion").asText().isEmpty(), exec.toString());
        assertEquals(firstWord(run("md5sum", path)), exec.path("FileMD5").asText(), exec.toString());
        assertEquals(firstWord(run("sha256sum", path)), exec.path("FileSHA256").asText(), exec.toString());
        assertTrue(exec.has("ProcVersion"), "-v: every record has ProcVersion");
    }

    @Test
    void keysFollowThePresenceRules() {
        assertFalse(records.isEmpty());
        for (JsonNode r : records) {
            assertTrue(r.has("ProcVersion"), r.toString());
            if (r.path("FilePermissions").asText().length() < 4) {
                continue;   // inode 0: permissions unknown
            }
            boolean executable = (Integer.parseInt(r.path("FilePermissions").asText().substring(0, 4), 8) & 0111) != 0;
            assertEquals(executable, r.has("FileVersion"), r.toString());
            assertEquals(executable, r.has("FileMD5"), r.toString());
            assertEquals(executable, r.has("FileSHA256"), r.toString());
            if (!r.path("FileMD5").asText().isEmpty()) {
                assertTrue(r.path("FileMD5").asText().matches("[0-9a-f]{32}"), r.toString());
                assertTrue(r.path("FileSHA256").asText().matches("[0-9a-f]{64}"), r.toString());
            }
        }
        assertTrue(Files.isExecutable(MD5SUM));
    }
}
