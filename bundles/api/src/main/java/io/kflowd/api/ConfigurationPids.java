package io.kflowd.api;

/**
 * The ConfigAdmin PIDs through which the command line reaches the bundles. The launcher
 * writes them at start; any of them can be changed while the monitor runs.
 */
public final class ConfigurationPids {
    /** Monitors, timeouts, events per record, token, verbose and debug: the core. */
    public static final String CORE = "io.kflowd.core";
    /** Output format and whether records go to stdout. */
    public static final String OUTPUT = "io.kflowd.output";
    /** UDP collectors. */
    public static final String SINK_UDP = "io.kflowd.sink.udp";
    /** Application ports for payload capture, per application. */
    public static final String APPS = "io.kflowd.apps";
    /** Enrichment switches: package versions, checksums. */
    public static final String ENRICH = "io.kflowd.enrich";
    /** The console socket: its path. */
    public static final String CONSOLE = "io.kflowd.console";
    /** The installed features, as the launcher read them (read-only information). */
    public static final String FEATURES = "io.kflowd.features";

    private ConfigurationPids() {
    }
}
