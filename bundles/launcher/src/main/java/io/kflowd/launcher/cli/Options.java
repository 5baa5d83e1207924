package io.kflowd.launcher.cli;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The effective command line options, immutable. {@link #defaults()} is kflowd without any
 * option (plus TLS capture on tcp/443, which kflowd does not have).
 *
 * @param monitors      subsystems to monitor (-m), never empty, in enum order
 * @param idleTimeout   socket idle timeout in seconds (-t), > 0
 * @param activeTimeout socket active timeout in seconds (-t), > 0
 * @param maxEvents     events per file record before export (-e), 0 = no limit
 * @param output        output format (-o)
 * @param versions      package versions (-v)
 * @param checksums     MD5/SHA256 of executables (-c)
 * @param ports         payload capture per application (-p), one value for every {@link App}
 * @param collectors    UDP collectors (-u), at most 7
 * @param quiet         no stdout output (-q)
 * @param daemon        daemon mode (-d)
 * @param hostToken     InfoHostToken (-T), null if none
 * @param pluginPath    plugin directory (-P) as given, null for the default
 * @param verbose       verbose (-V)
 * @param debugFilter   kernel debug process filter (-D), null if off
 * @param shell         interactive console on this terminal (--shell)
 */
public record Options(
        Set<Monitor> monitors,
        int idleTimeout,
        int activeTimeout,
        int maxEvents,
        OutputFormat output,
        boolean versions,
        boolean checksums,
        Map<App, AppPorts> ports,
        List<Collector> collectors,
        boolean quiet,
        boolean daemon,
        String hostToken,
        String pluginPath,
        boolean verbose,
        String debugFilter,
        boolean shell) {

    /** kflowd's {@code SOCK_IDLE_TIMEOUT}. */
    public static final int DEFAULT_IDLE_TIMEOUT = 15;
    /** kflowd's {@code SOCK_ACTIVE_TIMEOUT}. */
    public static final int DEFAULT_ACTIVE_TIMEOUT = 1800;
    /** Most UDP collectors (kflowd has 8 slots but rejects the 8th [quirk Q25, kept]). */
    public static final int MAX_COLLECTORS = OptionArguments.MAX_COLLECTORS;

    public Options {
        Objects.requireNonNull(monitors, "monitors");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(ports, "ports");
        if (monitors.isEmpty()) {
            throw new IllegalArgumentException("at least one monitor is needed");
        }
        EnumSet<Monitor> monitorCopy = EnumSet.noneOf(Monitor.class);
        monitorCopy.addAll(monitors);
        monitors = Collections.unmodifiableSet(monitorCopy);
        if (idleTimeout <= 0 || activeTimeout <= 0) {
            throw new IllegalArgumentException("timeouts must be > 0: " + idleTimeout + "," + activeTimeout);
        }
        if (maxEvents < 0) {
            throw new IllegalArgumentException("maxEvents must be >= 0: " + maxEvents);
        }
        EnumMap<App, AppPorts> portCopy = new EnumMap<>(App.class);
        ports.forEach((app, setting) -> portCopy.put(Objects.requireNonNull(app), Objects.requireNonNull(setting)));
        if (portCopy.size() != App.values().length) {
            throw new IllegalArgumentException("ports must name every application: " + ports.keySet());
        }
        ports = Collections.unmodifiableMap(portCopy);
        collectors = List.copyOf(collectors);
        if (collectors.size() > MAX_COLLECTORS) {
            throw new IllegalArgumentException("at most " + MAX_COLLECTORS + " collectors");
        }
        // "" and null mean the same for these (kflowd tests the first byte); keep one form.
        hostToken = emptyToNull(hostToken);
        debugFilter = emptyToNull(debugFilter);
        if (pluginPath != null && pluginPath.isEmpty()) {
            throw new IllegalArgumentException("plugin path must not be empty");
        }
    }

    /** The options of a command line without options. */
    public static Options defaults() {
        Map<App, AppPorts> ports = new EnumMap<>(App.class);
        for (App app : App.values()) {
            ports.put(app, app.defaultPorts());
        }
        return new Options(EnumSet.allOf(Monitor.class), DEFAULT_IDLE_TIMEOUT, DEFAULT_ACTIVE_TIMEOUT, 0,
                OutputFormat.JSON, false, false, ports, List.of(), false, false, null, null, false, null, false);
    }

    /** Whether records are written to stdout ({@code -q} and {@code -d} turn that off). */
    public boolean stdoutOutput() {
        return !quiet && !daemon;
    }

    /** The capture setting of one application. */
    public AppPorts portsOf(App app) {
        return ports.get(app);
    }

    /**
     * A human summary, one "name: value" line per option, for the console. Not parsed by
     * anything; the wording may change.
     */
    public String describe() {
        StringBuilder text = new StringBuilder();
        line(text, "monitors", monitors.stream().map(Monitor::cliName).collect(Collectors.joining(",")));
        line(text, "idle timeout", idleTimeout + " s");
        line(text, "active timeout", activeTimeout + " s");
        line(text, "max events", maxEvents == 0 ? "off" : maxEvents == 1 ? "1 (no aggregation)" : Integer.toString(maxEvents));
        line(text, "output", output.cliName() + (stdoutOutput() ? "" : " (not to stdout)"));
        line(text, "versions", onOff(versions));
        line(text, "checksums", onOff(checksums));
        for (App app : App.values()) {
            line(text, "ports " + app.cliName(), ports.get(app).toString());
        }
        line(text, "collectors", collectors.isEmpty() ? "none"
                : collectors.stream().map(Collector::toString).collect(Collectors.joining(", ")));
        line(text, "quiet", onOff(quiet));
        line(text, "daemon", onOff(daemon));
        line(text, "host token", hostToken == null ? "none" : hostToken);
        line(text, "plugin path", pluginPath == null ? "default" : pluginPath);
        line(text, "verbose", onOff(verbose));
        line(text, "debug filter", debugFilter == null ? "off" : debugFilter);
        line(text, "shell", onOff(shell));
        return text.toString();
    }

    private static void line(StringBuilder text, String name, String value) {
        text.append(name).append(": ").append(value).append('\n');
    }

    private static String onOff(boolean value) {
        return value ? "on" : "off";
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
