package io.kflowd.runtime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** -D NAME (spec 10.7): the kernel programs print the events of tasks named NAME to the trace pipe. */
class DebugOutputIT {

    private static final Path TRACE = Path.of("/sys/kernel/tracing/trace");

    @Test
    void debugOutputNamesTheTracedTaskOnly() throws Exception {
        Path dir = KflowdProcess.tempDir("kflowd-debug-");
        KflowdProcess kflowd = KflowdProcess.start(KflowdProcess.newRunDir(), List.of("-m", "file", "-D", "touch"));
        long touchPid;
        long catPid;
        try {
            kflowd.awaitRunning(); // mounts tracefs if it was not
            Files.writeString(TRACE, ""); // clear the (non-consuming) trace buffer
            Process touch = new ProcessBuilder("touch", dir.resolve("traced").toString()).start();
            touchPid = touch.pid();
            assertTrue(touch.waitFor(30, TimeUnit.SECONDS));
            Process cat = new ProcessBuilder("cat", dir.resolve("traced").toString()).start();
            catPid = cat.pid();
            assertTrue(cat.waitFor(30, TimeUnit.SECONDS));
            kflowd.signal("TERM");
            assertEquals(0, kflowd.awaitExit(), kflowd.stderr());
        } finally {
            kflowd.close();
        }
        String trace = Files.readString(TRACE);
        assertTrue(trace.contains("kflowd FILE event 0 tgid " + touchPid), "CREATE of touch in:\n" + trace);
        assertFalse(trace.contains("tgid " + catPid), "cat is not traced:\n" + trace);
    }
}
