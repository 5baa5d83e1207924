package io.kflowd.launcher.cli;

/** A kernel subsystem that can be monitored (option {@code -m}). */
public enum Monitor {
    FILE("file", "filesystem"),
    SOCKET("socket", "socket");

    private final String cliName;
    private final String infoName;

    Monitor(String cliName, String infoName) {
        this.cliName = cliName;
        this.infoName = infoName;
    }

    /** The word that {@code -m} accepts (any non-empty prefix of it is accepted too). */
    public String cliName() {
        return cliName;
    }

    /** The value of {@code InfoMonitor} in records of this monitor. */
    public String infoName() {
        return infoName;
    }
}
