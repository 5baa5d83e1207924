package io.kflowd.launcher.cli;

import java.util.Objects;

/** What the command line asks for. Exit status: 0 for help, legend and version; 1 for usage errors. */
public sealed interface ParseResult {

    /** Start the monitor with these options. */
    record Run(Options options) implements ParseResult {
        public Run {
            Objects.requireNonNull(options, "options");
        }
    }

    /** {@code -h}, {@code --help}: print the help text. */
    record ShowHelp() implements ParseResult {
    }

    /** {@code -l}, {@code --legend}: print the legend of the JSON keys. */
    record ShowLegend() implements ParseResult {
    }

    /** {@code --version}: print the version line. */
    record ShowVersion() implements ParseResult {
    }

    /** {@code --attach}: connect this terminal to the console of a running instance. */
    record Attach() implements ParseResult {
    }

    /** The command line is wrong; {@code reason} is the text after "Error: ". */
    record UsageError(String reason) implements ParseResult {
        public UsageError {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
