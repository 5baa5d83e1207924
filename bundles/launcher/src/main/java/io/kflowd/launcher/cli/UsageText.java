package io.kflowd.launcher.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The help text ({@code -h}) and the usage-error text, both written to stdout like kflowd's.
 * Colour (ANSI bold, bold red for the error line) is a parameter: kflowd colours always, we
 * only when the caller knows the output is a terminal.
 */
public final class UsageText {

    private static final String BOLD = "\033[1m";
    private static final String BOLD_RED = "\033[1;91m";
    private static final String RESET = "\033[0m";
    /** Column of the option descriptions, as in kflowd's usage text. */
    private static final int DESCRIPTION_COLUMN = 27;

    private UsageText() {
    }

    /** The product line that starts help, legend and error output. */
    public static String header(String version, boolean color) {
        Objects.requireNonNull(version, "version");
        String v = version.startsWith("v") ? version : "v" + version;
        return bold("kflowd " + v
                + " - Linux endpoint monitor for file system and socket activity (Java/OSGi edition)", color) + "\n";
    }

    /** Output of {@code -h}/{@code --help}: header, description, usage. */
    public static String help(String version, boolean color) {
        return header(version, color) + "\n" + description() + "\n" + usage(color);
    }

    /** Output of a wrong command line: header, usage, then the line "Error: reason". */
    public static String usageError(String version, String reason, boolean color) {
        Objects.requireNonNull(reason, "reason");
        String error = "Error: " + reason;
        return header(version, color) + "\n" + usage(color)
                + (color ? BOLD_RED + error + RESET : error) + "\n";
    }

    private static String description() {
        return """
                kflowd watches the file system and socket activity of every process with eBPF programs
                in the kernel. Events are aggregated into records in the kernel and handed to user space,
                which adds process, user, group, device, interface, package version and checksum data,
                decodes captured DNS, HTTP, SYSLOG and TLS payloads and writes each record as one JSON
                message to stdout and/or to UDP collectors. Decoders, output formats and sinks are
                plugins that can be added, replaced and removed in the plugin directory while it runs.
                """;
    }

    private static String usage(boolean color) {
        StringBuilder text = new StringBuilder();
        text.append(bold("Usage:", color)).append('\n');
        text.append("""
                  kflowd [-m file,socket] [-t IDLE,ACTIVE] [-e EVENTS] [-o json|json-min|table|ocsf] [-v] [-c]
                         [-p APP=PROTO/PORT,...|APP=off] [-u IP:PORT,...] [-q] [-d] [-T TOKEN] [-P PATH]
                         [-V] [-D PROCESS] [--shell] [-l|--legend] [-h|--help] [--version]
                  kflowd --attach
                Each option and each option argument is a word of its own (-v -c, not -vc; -e 5, not -e5).

                """);
        option(text, "-m file,socket", "Monitored subsystems, comma separated, prefixes allowed",
                "(default: file,socket)");
        option(text, "-t IDLE,ACTIVE", "Idle and active timeout in seconds, both > 0; IDLE also",
                "exports file records without events; '-t 30' sets only IDLE,",
                "'-t ,600' only ACTIVE",
                "(default: " + Options.DEFAULT_IDLE_TIMEOUT + "," + Options.DEFAULT_ACTIVE_TIMEOUT + ")");
        option(text, "-e EVENTS", "Max number of file system events per record until export",
                "(default: off, '1': no aggregation)");
        option(text, "-o json", "JSON output, pretty-printed (default)");
        option(text, "   json-min", "JSON output, one record per line");
        option(text, "   table", "Table output on the terminal (not with -u)");
        option(text, "   ocsf", "OCSF 1.3 events, one per line (File System, Network, DNS, HTTP Activity)");
        option(text, "-v", "Package versions of executables and files (default: off)");
        option(text, "-c", "MD5 and SHA256 checksums of files with an execute bit (default: off)");
        List<String> portLines = new ArrayList<>();
        portLines.add("up to " + AppPorts.MAX_ENTRIES + " entries; APP=off switches the application off");
        for (App app : App.values()) {
            portLines.add(String.format("%-7s %-22s (default: %s)", app.cliName() + ":", OptionArguments.allowed(app),
                    app.defaultPorts().entries().stream().map(PortEntry::toString).collect(Collectors.joining(","))));
        }
        option(text, "-p APP=PROTO/PORT,...", "Ports of application payload capture, one -p per application,",
                portLines.toArray(String[]::new));
        option(text, "-u IP:PORT,...", "UDP collectors: IPv4 or IPv6 address (no brackets) and port,",
                "up to " + Options.MAX_COLLECTORS + "; records also go to stdout unless -q or -d is given",
                "(default: none)");
        option(text, "-q", "Quiet: no output to stdout (requires -u)");
        option(text, "-d", "Daemon mode: run in the background (requires -u)");
        option(text, "-T TOKEN", "Host token, emitted as InfoHostToken, up to "
                + OptionArguments.MAX_TOKEN_BYTES + " characters (default: none)");
        option(text, "-P PATH", "Plugin directory (default: plugins/ of the installation)");
        option(text, "-V", "Verbose: loader and libbpf messages to stderr (default: off)");
        option(text, "-D PROCESS", "Kernel debug output for a process name of up to "
                + OptionArguments.MAX_DEBUG_FILTER_BYTES + " characters,",
                "'*' (with quotes) for all processes, 'q' for the expiry queue;",
                "read it with 'sudo cat /sys/kernel/tracing/trace_pipe' (default: off)");
        option(text, "    --shell", "Interactive console on this terminal while monitoring (not with -d)");
        option(text, "    --attach", "Console of the running instance (no other options)");
        option(text, "-l, --legend", "Show the legend of the JSON keys");
        option(text, "-h, --help", "Show this help");
        option(text, "    --version", "Show the version");
        text.append('\n').append(bold("Examples:", color)).append('\n');
        example(text, "sudo kflowd", "terminal mode");
        example(text, "sudo kflowd -u 1.2.3.4:2056,127.0.0.1:2057 -d", "daemon mode");
        example(text, "sudo kflowd -V -D '*'", "debug mode");
        example(text, "kflowd --legend", "show legend");
        example(text, "kflowd --version", "show version");
        example(text, "sudo kflowd --shell", "terminal mode with the interactive console");
        example(text, "sudo kflowd --attach", "console of a running instance");
        text.append('\n');
        return text.toString();
    }

    /** One option: the synopsis at column 2, the first line of its description at column 27. */
    private static void option(StringBuilder text, String synopsis, String first, String... more) {
        String head = "  " + synopsis;
        text.append(head.length() < DESCRIPTION_COLUMN ? pad(head, DESCRIPTION_COLUMN) : head + "\n" + pad("", DESCRIPTION_COLUMN));
        text.append(first).append('\n');
        for (String line : more) {
            // Continuation lines are indented two more, as in kflowd's usage text.
            text.append(pad("", DESCRIPTION_COLUMN + 2)).append(line).append('\n');
        }
    }

    private static void example(StringBuilder text, String command, String comment) {
        text.append(pad("  " + command, 56)).append("# ").append(comment).append('\n');
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
    }

    private static String bold(String text, boolean color) {
        return color ? BOLD + text + RESET : text;
    }
}
