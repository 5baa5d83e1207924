package io.kflowd.runtime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Names a hostile or careless user can give files, through the real kernel, with the
 * pretty -o json output (RFC 7464 framing): every record is valid JSON, names are exact,
 * invalid UTF-8 bytes appear as the visible text \xNN, deep paths are whole.
 */
class HostileNamesIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void hostileNamesAndDeepPathsGiveValidJsonWithExactNames() throws Exception {
        Path dir = KflowdProcess.tempDir("kflowd-hostile-");
        String deepRelative = "d/".repeat(40);
        KflowdProcess kflowd = KflowdProcess.start(KflowdProcess.newRunDir(), List.of("-m", "file", "-o", "json"));
        try {
            kflowd.awaitRunning();
            // printf turns the octal escapes into raw bytes: \001 \037 control bytes, \377 invalid UTF-8
            String script = "cd '" + dir + "' && "
                    + "touch 'q\"uote' 'back\\slash' \"$(printf 'new\\nline')\" \"$(printf 'ctl\\001\\037x')\" "
                    + "\"$(printf 'bad\\377\\376name')\" 'grüße-😀' " + "n".repeat(255) + " && "
                    + "mkdir -p " + deepRelative + " && touch " + deepRelative + "deepfile";
            Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            kflowd.signal("TERM");
            assertEquals(0, kflowd.awaitExit(), kflowd.stderr());
        } finally {
            kflowd.close();
        }

        // RFC 7464: each record is RS, the JSON text, LF
        String stream = String.join("\n", kflowd.out) + "\n";
        assertTrue(stream.startsWith("\u001e"), "the stream starts with RS");
        List<JsonNode> mine = new ArrayList<>();
        for (String text : stream.split("\u001e")) {
            if (text.isBlank()) {
                continue;
            }
            JsonNode record = JSON.readTree(text);
            if (record.path("FilePath").asText().startsWith(dir + "/")) {
                mine.add(record);
            }
        }
        List<String> names = mine.stream().map(r -> r.path("File").asText()).toList();
        for (String expected : List.of("q\"uote", "back\\slash", "new\nline", "ctl\u0001\u001fx", "bad\\xff\\xfename",
                "grüße-😀", "n".repeat(255), "deepfile")) {
            assertTrue(names.contains(expected), "no record named " + JSON.writeValueAsString(expected) + " in " + names);
        }
        JsonNode deep = mine.stream().filter(r -> r.path("File").asText().equals("deepfile")).findFirst().orElseThrow();
        assertEquals(dir + "/" + deepRelative, deep.path("FilePath").asText(), "the whole path, 40 levels deep");
    }
}
