package io.kflowd.launcher.cli;

import static io.kflowd.launcher.cli.Parsing.WORD_COUNT;
import static io.kflowd.launcher.cli.Parsing.error;
import static io.kflowd.launcher.cli.Parsing.parse;
import static io.kflowd.launcher.cli.Parsing.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** getopt mechanics, validation order, immediate options, --shell and --attach (spec 10.2, 10.3). */
class CommandLineParserTest {

    @Test
    void noArgumentsGiveTheDefaults() {
        assertEquals(Options.defaults(), run());
    }

    @Test
    void everyOptionAsSeparateWords() {
        Options options = run("-m", "file", "-t", "20,600", "-e", "3", "-o", "json-min", "-v", "-c",
                "-p", "http=tcp/8080", "-u", "127.0.0.1:2056", "-q", "-T", "host-a", "-P", "/opt/kflowd/plugins",
                "-V", "-D", "curl", "--shell");
        assertEquals(java.util.Set.of(Monitor.FILE), options.monitors());
        assertEquals(20, options.idleTimeout());
        assertEquals(600, options.activeTimeout());
        assertEquals(3, options.maxEvents());
        assertEquals(OutputFormat.JSON_MIN, options.output());
        assertTrue(options.versions());
        assertTrue(options.checksums());
        assertEquals(AppPorts.of(PortEntry.tcp(8080)), options.portsOf(App.HTTP));
        assertEquals(1, options.collectors().size());
        assertTrue(options.quiet());
        assertFalse(options.daemon());
        assertEquals("host-a", options.hostToken());
        assertEquals("/opt/kflowd/plugins", options.pluginPath());
        assertTrue(options.verbose());
        assertEquals("curl", options.debugFilter());
        assertTrue(options.shell());
    }

    // --- word count (spec 10.2) ---

    @ParameterizedTest
    @ValueSource(strings = {"-e5", "-mfile", "-vc", "-Vv", "-ojson", "-e", "-m", "-T", "stray", "-", "--"})
    void singleWordsThatBreakTheWordCount(String word) {
        assertEquals(WORD_COUNT, error(word).substring(0, WORD_COUNT.length()));
    }

    @Test
    void strayWordsAnywhereBreakTheWordCount() {
        assertTrue(error("-v", "stray").startsWith(WORD_COUNT));
        assertTrue(error("stray", "-v").startsWith(WORD_COUNT));
        assertTrue(error("-e", "5", "6").startsWith(WORD_COUNT));
        assertTrue(error("-v", "--", "-c").startsWith(WORD_COUNT));
    }

    @Test
    void missingArgumentAtTheEndBreaksTheWordCount() {
        assertTrue(error("-v", "-e").startsWith(WORD_COUNT));
        assertTrue(error("-v", "-u").startsWith(WORD_COUNT));
    }

    @Test
    void clusteredAndAttachedFormsStillApplyTheirValuesBeforeTheCountFails() {
        // -e5 is read as -e with "5" (valid), so the count is the only complaint...
        assertTrue(error("-e5").startsWith(WORD_COUNT));
        // ...while an attached invalid value is reported as such, before the count.
        assertTrue(error("-ex").startsWith("Invalid event count"));
        assertTrue(error("-mfs").startsWith("Invalid subsystem"));
    }

    @Test
    void onlyTheTotalsAreComparedAsInKflowd() {
        // One clustered word plus one stray word make 2 words for 2 flags.
        Options options = run("-vc", "stray");
        assertTrue(options.versions());
        assertTrue(options.checksums());
    }

    @Test
    void anArgumentIsTheNextWordWhateverItLooksLike() {
        assertEquals("-v", run("-T", "-v").hostToken());
        assertTrue(error("-e", "-h").startsWith("Invalid event count"));
        assertEquals("--", run("-D", "--").debugFilter());
    }

    // --- validation order (spec 10.3) ---

    @Test
    void perOptionErrorsInCommandLineOrder() {
        assertTrue(error("-e", "x", "-t", "y").startsWith("Invalid event count"));
        assertTrue(error("-t", "y", "-e", "x").startsWith("Invalid timeout"));
    }

    @Test
    void optionErrorsComeBeforeTheCombinationChecks() {
        assertTrue(error("-d", "-e", "0").startsWith("Invalid event count"));
    }

    @Test
    void daemonOrQuietWithoutCollectorComesBeforeTableAndWordCount() {
        assertEquals("Option -d or -q requires -u", error("-d", "-o", "table"));
        assertEquals("Option -d or -q requires -u", error("-q", "stray"));
    }

    @Test
    void tableWithCollectorComesBeforeWordCount() {
        assertEquals("Option -o table cannot be combined with -u", error("-o", "table", "-u", "1.2.3.4:5", "stray"));
    }

    @Test
    void shellWithDaemonComesBeforeWordCount() {
        assertEquals("Option --shell cannot be combined with -d", error("--shell", "-d", "-u", "1.2.3.4:5", "x"));
    }

    // --- immediate options ---

    @Test
    void helpTakesEffectWhenParsed() {
        assertInstanceOf(ParseResult.ShowHelp.class, parse("-h"));
        assertInstanceOf(ParseResult.ShowHelp.class, parse("--help"));
        assertInstanceOf(ParseResult.ShowHelp.class, parse("-h", "-e", "x"));
        assertInstanceOf(ParseResult.ShowHelp.class, parse("-v", "-h", "-zzz", "stray"));
        assertInstanceOf(ParseResult.ShowHelp.class, parse("stray", "-h"));
        assertInstanceOf(ParseResult.ShowHelp.class, parse("-vh"));
        assertInstanceOf(ParseResult.ShowHelp.class, parse("-d", "-h"));
        assertTrue(error("-e", "x", "-h").startsWith("Invalid event count"));
        assertTrue(error("-x", "-h").startsWith("Invalid argument"));
    }

    @Test
    void legendTakesEffectWhenParsed() {
        assertInstanceOf(ParseResult.ShowLegend.class, parse("-l"));
        assertInstanceOf(ParseResult.ShowLegend.class, parse("--legend"));
        assertInstanceOf(ParseResult.ShowLegend.class, parse("-l", "-e", "x"));
        assertInstanceOf(ParseResult.ShowLegend.class, parse("--legend", "-x"));
        assertTrue(error("-o", "xml", "--legend").startsWith("Invalid output format"));
    }

    @Test
    void versionTakesEffectWhenParsed() {
        assertInstanceOf(ParseResult.ShowVersion.class, parse("--version"));
        assertInstanceOf(ParseResult.ShowVersion.class, parse("--version", "-e", "x"));
        assertInstanceOf(ParseResult.ShowVersion.class, parse("-v", "--version"));
        assertTrue(error("-e", "x", "--version").startsWith("Invalid event count"));
    }

    @Test
    void longOptionsMayBeAbbreviatedLikeGetoptLong() {
        assertInstanceOf(ParseResult.ShowHelp.class, parse("--he"));
        assertInstanceOf(ParseResult.ShowLegend.class, parse("--leg"));
        assertInstanceOf(ParseResult.ShowVersion.class, parse("--v"));
        assertTrue(run("--sh").shell());
    }

    @Test
    void optionsAfterDoubleDashAreNotOptions() {
        assertTrue(error("--", "-h").startsWith(WORD_COUNT));
    }

    // --- unknown options ---

    @ParameterizedTest
    @ValueSource(strings = {"-x", "-a", "-H", "-L", "-C", "-vx", "--foo", "--helpme", "--help=1", "--shell=yes",
        "--=", "-:", "-v-"})
    void unknownOptionsAreInvalidArguments(String word) {
        assertTrue(error(word).startsWith("Invalid argument"), word);
    }

    @Test
    void unknownOptionAbortsAtOnce() {
        assertTrue(error("-x", "-e", "0").startsWith("Invalid argument"));
        assertTrue(error("-e", "0", "-x").startsWith("Invalid event count"));
    }

    // --- --attach and --shell ---

    @Test
    void attachAlone() {
        assertInstanceOf(ParseResult.Attach.class, parse("--attach"));
        assertInstanceOf(ParseResult.Attach.class, parse("--att"));
    }

    @Test
    void attachWithAnythingElseIsAUsageError() {
        assertEquals("Option --attach must be used alone", error("--attach", "-v"));
        assertEquals("Option --attach must be used alone", error("-v", "--attach"));
        assertEquals("Option --attach must be used alone", error("--attach", "stray"));
        assertEquals("Option --attach must be used alone", error("--attach", "--attach"));
        // -h acts before --attach is reached.
        assertInstanceOf(ParseResult.ShowHelp.class, parse("-h", "--attach"));
    }

    @Test
    void shellIsAFlag() {
        assertTrue(run("--shell").shell());
        assertFalse(run().shell());
        assertTrue(run("--shell", "-q", "-u", "127.0.0.1:2056").shell());
    }

    @Test
    void shellWithDaemonIsAUsageError() {
        assertEquals("Option --shell cannot be combined with -d", error("--shell", "-d", "-u", "127.0.0.1:2056"));
        assertEquals("Option --shell cannot be combined with -d", error("-d", "-u", "127.0.0.1:2056", "--shell"));
    }

    // --- misc ---

    @Test
    void parserDoesNotKeepStateBetweenCalls() {
        CommandLineParser parser = new CommandLineParser();
        parser.parse(List.of("-v", "-u", "1.2.3.4:5", "-u", "1.2.3.4:6"));
        Options second = ((ParseResult.Run) parser.parse(List.of("-u", "1.2.3.4:7"))).options();
        assertEquals(1, second.collectors().size());
        assertFalse(second.versions());
    }

    @Test
    void inputListIsNotModifiedAndNullsAreRejected() {
        List<String> words = new ArrayList<>(Arrays.asList("-v", "-c"));
        new CommandLineParser().parse(words);
        assertEquals(List.of("-v", "-c"), words);
        assertThrows(NullPointerException.class, () -> new CommandLineParser().parse(Arrays.asList("-v", null)));
    }
}
