package io.kflowd.launcher.cli;

import io.kflowd.launcher.cli.OptionArguments.AppSetting;
import io.kflowd.launcher.cli.OptionArguments.Timeouts;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * kflowd's command line (spec 10.1-10.3), parsed the way kflowd's getopt_long loop does it.
 *
 * <ul>
 * <li>getopt: "-vc" is two flags; an option with an argument takes the rest of its word or
 *     else the next word (whatever it looks like, "-h" included); "--" ends the options;
 *     words that are not options are skipped; long options may be abbreviated to a unique
 *     prefix.</li>
 * <li>Each option is validated when getopt reaches it, so the first wrong option in
 *     command-line order is reported; {@code -h}, {@code -l}/{@code --legend} and
 *     {@code --version} act at once and nothing after them is looked at.</li>
 * <li>Then: no {@code -m} means both monitors; {@code -d}/{@code -q} need {@code -u};
 *     {@code -o table} excludes {@code -u}; {@code --shell} excludes {@code -d}; and last
 *     kflowd's word count: every flag must be a word of its own and every argument the word
 *     after its option ("-e5", "-vc", a missing argument, stray words all fail here). Like
 *     kflowd, only the totals are compared.</li>
 * </ul>
 *
 * Ours beyond kflowd: {@code -p tls=...}, {@code --shell} and {@code --attach}.
 * Stateless and thread-safe; each call works on its own draft.
 */
public final class CommandLineParser {

    /** Letters of the options that take an argument; every other letter is a flag or unknown. */
    private static final String OPTIONS_WITH_ARGUMENT = "mteopuTPD";
    private static final List<String> LONG_OPTIONS = List.of("legend", "help", "version", "shell", "attach");

    public ParseResult parse(List<String> args) {
        List<String> words = List.copyOf(args);
        Draft draft = new Draft();
        try {
            ParseResult early = scan(words, draft);
            return early != null ? early : new ParseResult.Run(draft.finish(words.size()));
        } catch (UsageException e) {
            return new ParseResult.UsageError(e.getMessage());
        }
    }

    /** Walks the words like getopt; returns a result that ends parsing early, else null. */
    private static ParseResult scan(List<String> words, Draft draft) {
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (word.equals("--")) {
                // End of options. "--" and what follows are words nobody expects, so the
                // word count fails later, as in kflowd.
                break;
            }
            if (word.startsWith("--")) {
                ParseResult result = longOption(word, words.size(), draft);
                if (result != null) {
                    return result;
                }
                continue;
            }
            if (word.length() < 2 || word.charAt(0) != '-') {
                continue; // getopt permutes non-option words to the end; only the count notices them
            }
            for (int pos = 1; pos < word.length(); pos++) {
                char letter = word.charAt(pos);
                if (OPTIONS_WITH_ARGUMENT.indexOf(letter) >= 0) {
                    String value;
                    if (pos + 1 < word.length()) {
                        value = word.substring(pos + 1);
                    } else if (i + 1 < words.size()) {
                        value = words.get(++i);
                    } else {
                        // getopt reports the missing argument as ':', which kflowd ignores;
                        // the option is not counted, so the word count fails.
                        break;
                    }
                    draft.apply(letter, value);
                    break;
                }
                ParseResult result = flag(letter, word, draft);
                if (result != null) {
                    return result;
                }
            }
        }
        return null;
    }

    private static ParseResult flag(char letter, String word, Draft draft) {
        switch (letter) {
            case 'h' -> {
                return new ParseResult.ShowHelp();
            }
            case 'l' -> {
                return new ParseResult.ShowLegend();
            }
            case 'v' -> draft.versions = true;
            case 'c' -> draft.checksums = true;
            case 'q' -> draft.quiet = true;
            case 'd' -> draft.daemon = true;
            case 'V' -> draft.verbose = true;
            default -> throw new UsageException("Invalid argument '-" + letter + "'"
                    + (word.length() > 2 ? " in '" + word + "'" : ""));
        }
        draft.expectedWords++;
        return null;
    }

    private static ParseResult longOption(String word, int wordCount, Draft draft) {
        String text = word.substring(2);
        int equals = text.indexOf('=');
        String name = equals < 0 ? text : text.substring(0, equals);
        String option = null;
        if (LONG_OPTIONS.contains(name)) {
            option = name;
        } else if (!name.isEmpty()) {
            List<String> candidates = LONG_OPTIONS.stream().filter(o -> o.startsWith(name)).toList();
            if (candidates.size() == 1) {
                option = candidates.getFirst(); // getopt_long accepts unique abbreviations
            }
        }
        if (option == null || equals >= 0) {
            // Unknown, ambiguous, or an argument for an option that takes none.
            throw new UsageException("Invalid argument '" + word + "'");
        }
        switch (option) {
            case "legend" -> {
                return new ParseResult.ShowLegend();
            }
            case "help" -> {
                return new ParseResult.ShowHelp();
            }
            case "version" -> {
                return new ParseResult.ShowVersion();
            }
            case "attach" -> {
                if (wordCount != 1) {
                    throw new UsageException("Option --attach must be used alone");
                }
                return new ParseResult.Attach();
            }
            default -> { // "shell"
                draft.shell = true;
                draft.expectedWords++;
                return null;
            }
        }
    }

    /** The options seen so far; one per parse call, thrown away afterwards. */
    private static final class Draft {
        private final Set<Monitor> monitors = EnumSet.noneOf(Monitor.class);
        private Timeouts timeouts = new Timeouts(Options.DEFAULT_IDLE_TIMEOUT, Options.DEFAULT_ACTIVE_TIMEOUT);
        private int maxEvents;
        private OutputFormat output = OutputFormat.JSON;
        private boolean versions;
        private boolean checksums;
        private final Map<App, AppPorts> ports = new EnumMap<>(Options.defaults().ports());
        /** Apps given with a list; "APP=off" does not count, so it may come before a list. */
        private final Set<App> listed = EnumSet.noneOf(App.class);
        private final List<Collector> collectors = new ArrayList<>();
        private boolean quiet;
        private boolean daemon;
        private String hostToken;
        private String pluginPath;
        private boolean verbose;
        private String debugFilter;
        private boolean shell;
        /** kflowd's argn: 1 per flag, 2 per option with argument. */
        private int expectedWords;

        void apply(char letter, String value) {
            switch (letter) {
                case 'm' -> monitors.addAll(OptionArguments.monitors(value));
                case 't' -> timeouts = OptionArguments.timeouts(value, timeouts);
                case 'e' -> maxEvents = OptionArguments.maxEvents(value);
                case 'o' -> output = OptionArguments.output(value);
                case 'p' -> applyPorts(OptionArguments.appPorts(value));
                case 'u' -> collectors.addAll(OptionArguments.collectors(value, collectors.size()));
                case 'T' -> hostToken = OptionArguments.hostToken(value);
                case 'P' -> pluginPath = OptionArguments.pluginPath(value);
                case 'D' -> debugFilter = OptionArguments.debugFilter(value);
                default -> throw new IllegalStateException("no argument option -" + letter);
            }
            expectedWords += 2;
        }

        private void applyPorts(AppSetting setting) {
            if (!setting.ports().isOff() && !listed.add(setting.app())) {
                throw new UsageException(setting.app().displayName() + " ports given twice (one -p per application)");
            }
            ports.put(setting.app(), setting.ports());
        }

        Options finish(int wordCount) {
            if ((daemon || quiet) && collectors.isEmpty()) {
                throw new UsageException("Option -d or -q requires -u");
            }
            if (output == OutputFormat.TABLE && !collectors.isEmpty()) {
                throw new UsageException("Option -o table cannot be combined with -u");
            }
            if (shell && daemon) {
                throw new UsageException("Option --shell cannot be combined with -d");
            }
            if (expectedWords != wordCount) {
                throw new UsageException("Invalid number of arguments"
                        + " (each option and each option argument must be a word of its own)");
            }
            return new Options(monitors.isEmpty() ? EnumSet.allOf(Monitor.class) : monitors,
                    timeouts.idle(), timeouts.active(), maxEvents, output, versions, checksums, ports,
                    collectors, quiet, daemon, hostToken, pluginPath, verbose, debugFilter, shell);
        }
    }
}
