package io.kflowd.launcher.cli;

/** Output format of option {@code -o}. */
public enum OutputFormat {
    /** Pretty-printed JSON, the default. */
    JSON("json"),
    /** Compact JSON, one record per line. */
    JSON_MIN("json-min"),
    /** Table on the terminal; excludes UDP collectors. */
    TABLE("table"),
    /** OCSF 1.3 events, one per line (not in kflowd). */
    OCSF("ocsf");

    private final String cliName;

    OutputFormat(String cliName) {
        this.cliName = cliName;
    }

    /** The full spelling on the command line. */
    public String cliName() {
        return cliName;
    }
}
