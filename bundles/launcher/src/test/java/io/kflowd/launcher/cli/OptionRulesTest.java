package io.kflowd.launcher.cli;

import static io.kflowd.launcher.cli.Parsing.error;
import static io.kflowd.launcher.cli.Parsing.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The argument rules of -m -t -e -o -T -P -D and the flags (spec 10.1). */
class OptionRulesTest {

    // --- -m ---

    @ParameterizedTest
    @ValueSource(strings = {"f", "fi", "fil", "file"})
    void fileMonitorSpellings(String value) {
        assertEquals(Set.of(Monitor.FILE), run("-m", value).monitors());
    }

    @ParameterizedTest
    @ValueSource(strings = {"s", "so", "soc", "sock", "socke", "socket"})
    void socketMonitorSpellings(String value) {
        assertEquals(Set.of(Monitor.SOCKET), run("-m", value).monitors());
    }

    @ParameterizedTest
    @ValueSource(strings = {"file,socket", "socket,file", "f,s", "fil,sock", "file,file,socket"})
    void bothMonitorsInOneList(String value) {
        assertEquals(EnumSet.allOf(Monitor.class), run("-m", value).monitors());
    }

    @ParameterizedTest
    @ValueSource(strings = {"files", "fs", "x", "FILE", "File", "sockets", "net", "file,fs", "file;socket", " file"})
    void rejectedMonitorSpellings(String value) {
        assertTrue(error("-m", value).startsWith("Invalid subsystem"), value);
    }

    @Test
    void monitorsAccumulate() {
        assertEquals(EnumSet.allOf(Monitor.class), run("-m", "file", "-m", "socket").monitors());
        assertEquals(Set.of(Monitor.SOCKET), run("-m", "s", "-m", "sock").monitors());
    }

    @Test
    void noMonitorOptionMeansBoth() {
        assertEquals(EnumSet.allOf(Monitor.class), run("-v").monitors());
    }

    @Test
    void emptyListItemsAreSkippedLikeStrtok() {
        assertEquals(Set.of(Monitor.FILE), run("-m", "file,").monitors());
        assertEquals(EnumSet.allOf(Monitor.class), run("-m", ",file,,socket").monitors());
        // Naming nothing leaves the default.
        assertEquals(EnumSet.allOf(Monitor.class), run("-m", "").monitors());
    }

    // --- -t ---

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"30;30;1800", ",600;15;600", "1,2,3;1;3", "20,40;20;40", "1,,3;1;3",
        "007;7;1800", "2147483647;2147483647;1800"})
    void timeoutForms(String value, int idle, int active) {
        Options options = run("-t", value);
        assertEquals(idle, options.idleTimeout());
        assertEquals(active, options.activeTimeout());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0,5", "5,0", ",0", "a", "", "5,", ",", "1,a", "-5", "1.5", "30 ", "2147483648",
        "99999999999999999999"})
    void rejectedTimeouts(String value) {
        assertTrue(error("-t", value).startsWith("Invalid timeout"), value);
    }

    @Test
    void laterTimeoutOptionsOverrideWhatTheyGive() {
        Options options = run("-t", "30", "-t", ",600");
        assertEquals(30, options.idleTimeout());
        assertEquals(600, options.activeTimeout());
        options = run("-t", "1,2", "-t", "3,4");
        assertEquals(3, options.idleTimeout());
        assertEquals(4, options.activeTimeout());
    }

    // --- -e ---

    @ParameterizedTest
    @CsvSource({"1,1", "5,5", "0005,5", "65536,65536"})
    void eventCounts(String value, int expected) {
        assertEquals(expected, run("-e", value).maxEvents());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "00", "5x", "x5", "", "-1", "+5", " 5", "2147483648"})
    void rejectedEventCounts(String value) {
        assertTrue(error("-e", value).startsWith("Invalid event count"), value);
    }

    @Test
    void lastEventCountWins() {
        assertEquals(7, run("-e", "5", "-e", "7").maxEvents());
        assertEquals(0, run().maxEvents());
    }

    // --- -o ---

    @ParameterizedTest
    @ValueSource(strings = {"", "j", "js", "jso", "json"})
    void jsonSpellings(String value) {
        assertEquals(OutputFormat.JSON, run("-o", value).output());
    }

    @ParameterizedTest
    @ValueSource(strings = {"json-m", "json-mi", "json-min"})
    void jsonMinSpellings(String value) {
        assertEquals(OutputFormat.JSON_MIN, run("-o", value).output());
    }

    @ParameterizedTest
    @ValueSource(strings = {"o", "oc", "ocs", "ocsf"})
    void ocsfPrefixes(String value) {
        assertEquals(OutputFormat.OCSF, run("-o", value).output());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @ValueSource(strings = {"t", "ta", "tab", "tabl", "table"})
    void tableSpellings(String value) {
        assertEquals(OutputFormat.TABLE, run("-o", value).output());
    }

    @ParameterizedTest
    @ValueSource(strings = {"json-", "jsonx", "json-minx", "json-max", "json_min", "tables", "x", "JSON", "Table",
        "min", "jsonmin", " json"})
    void rejectedOutputs(String value) {
        assertTrue(error("-o", value).startsWith("Invalid output format"), value);
    }

    @Test
    void lastOutputWins() {
        assertEquals(OutputFormat.JSON, run("-o", "table", "-o", "json").output());
        assertEquals(OutputFormat.TABLE, run("-o", "json-min", "-o", "t").output());
    }

    @Test
    void outputFormatCliNames() {
        assertEquals("json", OutputFormat.JSON.cliName());
        assertEquals("json-min", OutputFormat.JSON_MIN.cliName());
        assertEquals("table", OutputFormat.TABLE.cliName());
    }

    @Test
    void tableWithCollectorIsRejected() {
        assertEquals("Option -o table cannot be combined with -u", error("-o", "table", "-u", "127.0.0.1:2056"));
        assertEquals("Option -o table cannot be combined with -u", error("-u", "127.0.0.1:2056", "-o", "tab"));
        // The last -o counts.
        assertEquals(OutputFormat.JSON_MIN, run("-o", "table", "-u", "127.0.0.1:2056", "-o", "json-min").output());
    }

    // --- -q, -d ---

    @Test
    void quietAndDaemonNeedACollector() {
        assertEquals("Option -d or -q requires -u", error("-q"));
        assertEquals("Option -d or -q requires -u", error("-d"));
        assertEquals("Option -d or -q requires -u", error("-d", "-q"));
        Options quiet = run("-q", "-u", "127.0.0.1:2056");
        assertTrue(quiet.quiet());
        assertFalse(quiet.stdoutOutput());
        Options daemon = run("-u", "127.0.0.1:2056", "-d");
        assertTrue(daemon.daemon());
        assertFalse(daemon.stdoutOutput());
        assertTrue(run("-u", "127.0.0.1:2056").stdoutOutput());
    }

    // --- -T ---

    @Test
    void hostTokenUpTo63Bytes() {
        assertEquals("a".repeat(63), run("-T", "a".repeat(63)).hostToken());
        assertTrue(error("-T", "a".repeat(64)).startsWith("Host token too long"));
        // Bytes, as kflowd's buffer: 32 two-byte characters do not fit.
        assertTrue(error("-T", "é".repeat(32)).startsWith("Host token too long"));
    }

    @Test
    void hostTokenLastWinsAndEmptyMeansNone() {
        assertEquals("b", run("-T", "a", "-T", "b").hostToken());
        assertNull(run("-T", "").hostToken());
        assertNull(run("-T", "a", "-T", "").hostToken());
        assertNull(run().hostToken());
    }

    // --- -P ---

    @Test
    void pluginPathIsKeptAsGiven() {
        assertEquals("/opt/plugins", run("-P", "/opt/plugins").pluginPath());
        assertEquals("../lib/", run("-P", "../lib/").pluginPath());
        assertEquals("second", run("-P", "first", "-P", "second").pluginPath());
        assertNull(run().pluginPath());
    }

    @Test
    void pluginPathLimits() {
        assertEquals("Empty plugin path for -P", error("-P", ""));
        assertEquals(4095, run("-P", "/" + "p".repeat(4094)).pluginPath().length());
        assertTrue(error("-P", "/" + "p".repeat(4095)).startsWith("Plugin path too long"));
    }

    // --- -D ---

    @Test
    void debugFilterUpTo15Bytes() {
        assertEquals("a".repeat(15), run("-D", "a".repeat(15)).debugFilter());
        assertTrue(error("-D", "a".repeat(16)).startsWith("Debug filter too long"));
        assertEquals("*", run("-D", "*").debugFilter());
        assertEquals("q", run("-D", "q").debugFilter());
        assertEquals("curl", run("-D", "x", "-D", "curl").debugFilter());
        assertNull(run("-D", "").debugFilter());
    }

    // --- flags ---

    @Test
    void flags() {
        assertTrue(run("-v").versions());
        assertTrue(run("-c").checksums());
        assertTrue(run("-V").verbose());
        assertFalse(run("-V").versions());
        assertFalse(run("-v").verbose());
        Options twice = run("-v", "-v");
        assertTrue(twice.versions());
    }
}
