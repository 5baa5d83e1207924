package io.kflowd.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageTextTest {

    private static final String HEADER =
            "kflowd v0.1.0 - Linux endpoint monitor for file system and socket activity (Java/OSGi edition)";

    @Test
    void header() {
        assertEquals(HEADER + "\n", UsageText.header("0.1.0", false));
        assertEquals(HEADER + "\n", UsageText.header("v0.1.0", false));
        assertEquals("\033[1m" + HEADER + "\033[0m\n", UsageText.header("0.1.0", true));
    }

    @Test
    void errorOutputEndsWithTheErrorLine() {
        String text = UsageText.usageError("0.1.0", "Invalid number of arguments", false);
        List<String> lines = text.lines().toList();
        assertEquals(HEADER, lines.getFirst());
        assertEquals("Error: Invalid number of arguments", lines.getLast());
        assertTrue(text.endsWith("Error: Invalid number of arguments\n"));
        assertTrue(text.contains("Usage:"));
        assertFalse(text.contains("\033"));
    }

    @Test
    void errorLineIsBoldRedWithColor() {
        String text = UsageText.usageError("0.1.0", "Invalid argument '-x'", true);
        assertTrue(text.endsWith("\033[1;91mError: Invalid argument '-x'\033[0m\n"));
    }

    @Test
    void helpWithoutColorHasNoEscapes() {
        String text = UsageText.help("0.1.0", false);
        assertFalse(text.contains("\033"));
        assertTrue(text.startsWith(HEADER + "\n"));
        assertTrue(UsageText.help("0.1.0", true).contains("\033[1m"));
    }

    @Test
    void helpNamesEveryOptionAndItsDefault() {
        String text = UsageText.help("0.1.0", false);
        for (String option : List.of("-m file,socket", "-t IDLE,ACTIVE", "-e EVENTS", "-o json", "json-min", "table",
                "  -v ", "  -c ", "-p APP=PROTO/PORT", "-u IP:PORT", "  -q ", "  -d ", "-T TOKEN", "-P PATH", "  -V ",
                "-D PROCESS", "--shell", "--attach", "-l, --legend", "-h, --help", "--version")) {
            assertTrue(text.contains(option), option);
        }
        for (String value : List.of("(default: file,socket)", "(default: 15,1800)", "(default: udp/53,tcp/53)",
                "(default: tcp/80)", "(default: udp/514,tcp/514,unix)", "(default: tcp/443)", "(default: none)")) {
            assertTrue(text.contains(value), value);
        }
    }

    @Test
    void helpHasTheExamplesAndEachOneParses() {
        String text = UsageText.help("0.1.0", false);
        List<String> examples = text.lines()
                .dropWhile(line -> !line.equals("Examples:"))
                .skip(1)
                .takeWhile(line -> !line.isBlank())
                .toList();
        assertEquals(7, examples.size());
        for (String comment : List.of("# terminal mode", "# daemon mode", "# debug mode", "# show legend",
                "# show version", "--shell", "--attach")) {
            assertTrue(examples.stream().anyMatch(line -> line.contains(comment)), comment);
        }
        for (String example : examples) {
            String command = example.substring(0, example.indexOf('#')).trim();
            List<String> words = Arrays.stream(command.split(" +"))
                    .dropWhile(word -> !word.equals("kflowd"))
                    .skip(1)
                    .map(word -> word.replace("'", ""))
                    .toList();
            ParseResult result = new CommandLineParser().parse(words);
            assertFalse(result instanceof ParseResult.UsageError, example + " -> " + result);
        }
        ParseResult daemon = new CommandLineParser().parse(List.of("-u", "1.2.3.4:2056,127.0.0.1:2057", "-d"));
        assertEquals(2, assertInstanceOf(ParseResult.Run.class, daemon).options().collectors().size());
    }

    @Test
    void helpContainsTheDescriptionButTheErrorOutputDoesNot() {
        assertTrue(UsageText.help("1", false).contains("eBPF"));
        assertFalse(UsageText.usageError("1", "x", false).contains("eBPF"));
    }
}
