package io.kflowd.launcher;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the distribution keeps things, from its home folder (the parent of bin/).
 *
 * @param home     the distribution folder
 * @param system   the platform bundles, installed from the core feature
 * @param features the Feature JSON files
 * @param plugins  the default plugin folder (-P)
 * @param runDir   where the console socket and the pid file live
 */
record Layout(Path home, Path system, Path features, Path plugins, Path runDir) {

    static final String HOME_PROPERTY = "kflowd.home";
    static final String RUN_DIR_PROPERTY = "kflowd.rundir";

    static Layout fromSystemProperties() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home == null || home.isBlank()) {
            throw new IllegalStateException("system property " + HOME_PROPERTY + " is not set: start kflowd through bin/kflowd");
        }
        Path root = Path.of(home).toAbsolutePath().normalize();
        if (!Files.isDirectory(root.resolve("system"))) {
            throw new IllegalStateException(root + " is not a kflowd distribution (no system/ folder)");
        }
        Path run = Path.of(System.getProperty(RUN_DIR_PROPERTY, "/run/kflowd"));
        return new Layout(root, root.resolve("system"), root.resolve("features"), root.resolve("plugins"), run);
    }

    Path consoleSocket() {
        return runDir.resolve("console.sock");
    }

    Path pidFile() {
        return runDir.resolve("kflowd.pid");
    }
}
