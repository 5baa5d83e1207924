package io.kflowd.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;

/** Shortcuts for the tests: parse words and expect a given kind of result. */
final class Parsing {

    static final String WORD_COUNT = "Invalid number of arguments";

    private Parsing() {
    }

    static ParseResult parse(String... words) {
        return new CommandLineParser().parse(List.of(words));
    }

    static Options run(String... words) {
        ParseResult result = parse(words);
        return assertInstanceOf(ParseResult.Run.class, result, () -> "expected Run for " + List.of(words)
                + " but got " + result).options();
    }

    static String error(String... words) {
        ParseResult result = parse(words);
        return assertInstanceOf(ParseResult.UsageError.class, result, () -> "expected UsageError for "
                + List.of(words) + " but got " + result).reason();
    }
}
