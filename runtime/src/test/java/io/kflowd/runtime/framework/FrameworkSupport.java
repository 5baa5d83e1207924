package io.kflowd.runtime.framework;

import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.options.UrlProvisionOption;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Shared by the in-framework tests: the Pax Exam configuration (run outside the framework,
 * in the JUnit JVM) and small helpers the probes use inside it. Not a test itself.
 */
final class FrameworkSupport {

    /** System property failsafe sets to the assembled distribution folder. */
    static final String DIST_SYSTEM_PROPERTY = "kflowd.dist";
    /** Framework property through which the probe learns the distribution folder. */
    static final String DIST_FRAMEWORK_PROPERTY = "kflowd.test.dist";
    /** FileInstall's own key for the watched folder (KflowdCommands reads it too). */
    static final String PLUGIN_DIR_PROPERTY = "felix.fileinstall.dir";
    /** FileInstall's poll period in these tests. */
    static final long FILEINSTALL_POLL_MILLIS = 250;
    /** The JUL logger FileInstall 3.7.4 writes to with felix.fileinstall.log.default=jul. */
    static final String FILEINSTALL_LOGGER = "fileinstall";

    /** Every wait polls this often ... */
    static final long POLL_MILLIS = 100;
    /** ... and gives up after this long (and at most MAX_POLLS polls). */
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final int MAX_POLLS = (int) (TIMEOUT.toMillis() / POLL_MILLIS);

    private FrameworkSupport() {
    }

    // ---------------------------------------------------------------- configuration (outside)

    /** One bundle of a feature: {@code group:artifact:version} and its start order. */
    record FeatureBundle(String id, String groupId, String artifactId, String version, int startOrder) {
        /** The file name under system/: artifactId-version.jar. */
        String fileName() {
            return artifactId + "-" + version + ".jar";
        }
    }

    /**
     * The options of every in-framework test: exactly the bundles of the core feature, from
     * system/, at their start order; the FileInstall properties the launcher uses, with a
     * fresh plugin folder; the JUnit bundles the probe needs.
     */
    static Option[] coreFeatureOptions() {
        Path dist = distFromSystemProperty();
        Path pluginFolder;
        try {
            pluginFolder = Files.createTempDirectory("kflowd-it-plugins-").toAbsolutePath().normalize();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the plugin folder for the test framework", e);
        }
        deleteOnExit(pluginFolder);

        List<Option> options = new ArrayList<>();
        options.add(cleanCaches(true));
        // Felix's URL handlers need deep reflection into java.net, which Java 25 refuses.
        options.add(frameworkProperty("felix.service.urlhandlers").value("false"));
        options.add(frameworkProperty(PLUGIN_DIR_PROPERTY).value(pluginFolder.toString()));
        options.add(frameworkProperty("felix.fileinstall.filter").value(".*\\.jar"));
        options.add(frameworkProperty("felix.fileinstall.poll").value(Long.toString(FILEINSTALL_POLL_MILLIS)));
        options.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        options.add(frameworkProperty("felix.fileinstall.log.default").value("jul"));
        options.add(frameworkProperty("felix.fileinstall.log.level").value("1"));
        options.add(frameworkProperty("felix.fileinstall.bundles.new.start").value("true"));
        options.add(frameworkProperty(DIST_FRAMEWORK_PROPERTY).value(dist.toString()));
        for (FeatureBundle entry : coreFeature(dist)) {
            Path file = systemFile(dist, entry);
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("bundle " + entry.id() + " of the core feature is missing: " + file);
            }
            UrlProvisionOption option = bundle(location(file));
            option.startLevel(entry.startOrder());
            option.start(true);
            options.add(option);
        }
        options.add(junitBundles());
        // Pax Exam's own bundles need org.slf4j. Failsafe runs with pax.exam.logging=none (no
        // pax-logging bundle, which would take over java.util.logging, the channel the
        // platform reports through), so the system bundle exports the JVM's slf4j instead.
        options.add(systemPackage("org.slf4j;version=" + slf4jVersion()));
        return options.toArray(Option[]::new);
    }

    private static String slf4jVersion() {
        String version = org.slf4j.Logger.class.getPackage().getImplementationVersion();
        return version != null && version.matches("\\d+\\.\\d+\\.\\d+") ? version : "1.7.36";
    }

    static Path distFromSystemProperty() {
        String value = System.getProperty(DIST_SYSTEM_PROPERTY);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + DIST_SYSTEM_PROPERTY
                    + " is not set: run these tests through failsafe (mvn verify), which sets it to the distribution folder");
        }
        Path dist = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isDirectory(dist.resolve("system")) || !Files.isRegularFile(coreFeatureFile(dist))) {
            throw new IllegalStateException("no assembled distribution at " + dist
                    + " (expected system/ and features/kflowd-core.json; it is built in the prepare-package phase)");
        }
        return dist;
    }

    static Path coreFeatureFile(Path dist) {
        return dist.resolve("features").resolve("kflowd-core.json");
    }

    static Path systemFile(Path dist, FeatureBundle entry) {
        return dist.resolve("system").resolve(entry.fileName());
    }

    /**
     * Reads features/kflowd-core.json just far enough for the tests: the "bundles" array of
     * {"id": "group:artifact:version", "start-order": n} objects (no JSON library on the
     * test classpath; the file is flat and written by us).
     */
    static List<FeatureBundle> coreFeature(Path dist) {
        Path json = coreFeatureFile(dist);
        String text;
        try {
            text = Files.readString(json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + json, e);
        }
        if (text.contains("${")) {
            throw new IllegalStateException(json + " still contains unfiltered ${...} placeholders");
        }
        int key = text.indexOf("\"bundles\"");
        int open = key < 0 ? -1 : text.indexOf('[', key);
        int close = open < 0 ? -1 : text.indexOf(']', open);
        if (close < 0) {
            throw new IllegalStateException(json + " has no \"bundles\" array");
        }
        Pattern idPattern = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
        Pattern orderPattern = Pattern.compile("\"start-order\"\\s*:\\s*(\\d+)");
        Matcher object = Pattern.compile("\\{([^{}]*)\\}").matcher(text.substring(open + 1, close));
        List<FeatureBundle> bundles = new ArrayList<>();
        while (object.find()) {
            String body = object.group(1);
            Matcher id = idPattern.matcher(body);
            Matcher order = orderPattern.matcher(body);
            if (!id.find() || !order.find()) {
                throw new IllegalStateException(json + ": a bundle entry without \"id\" or \"start-order\": {" + body + "}");
            }
            String[] parts = id.group(1).split(":");
            if (parts.length < 3) {
                throw new IllegalStateException(json + ": bundle id is not group:artifact:version: " + id.group(1));
            }
            bundles.add(new FeatureBundle(id.group(1), parts[0], parts[1], parts[parts.length - 1],
                    Integer.parseInt(order.group(1))));
        }
        if (bundles.isEmpty()) {
            throw new IllegalStateException(json + " lists no bundles");
        }
        return bundles;
    }

    /** The location string the launcher and FileInstall use: {@code file:/abs/path}. */
    static String location(Path file) {
        return file.toAbsolutePath().toFile().toURI().normalize().toString();
    }

    private static void deleteOnExit(Path folder) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Stream<Path> paths = Files.walk(folder)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // best effort: a temp folder
            }
        }, "kflowd-it-cleanup"));
    }

    // ---------------------------------------------------------------- helpers (inside the probe)

    static Path dist(BundleContext context) {
        String value = context.getProperty(DIST_FRAMEWORK_PROPERTY);
        if (value == null) {
            fail("framework property " + DIST_FRAMEWORK_PROPERTY + " is not set: was the framework configured by FrameworkSupport?");
        }
        return Path.of(value);
    }

    static Path pluginFolder(BundleContext context) {
        String value = context.getProperty(PLUGIN_DIR_PROPERTY);
        if (value == null) {
            fail("framework property " + PLUGIN_DIR_PROPERTY + " is not set");
        }
        Path folder = Path.of(value);
        if (!Files.isDirectory(folder)) {
            fail("the plugin folder " + folder + " does not exist");
        }
        return folder;
    }

    /**
     * Waits until {@code condition} holds: polls every {@value #POLL_MILLIS} ms, at most
     * {@link #MAX_POLLS} times and for at most {@link #TIMEOUT}; then fails naming what it
     * waited for and what it saw last.
     */
    static void await(String what, BooleanSupplier condition, Supplier<String> lastSeen) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (int poll = 0; ; poll++) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (poll >= MAX_POLLS || System.nanoTime() - deadline >= 0) {
                fail("gave up after " + TIMEOUT.toSeconds() + " s (" + poll + " polls) waiting for: " + what
                        + "; last seen: " + lastSeen.get());
            }
            sleep(POLL_MILLIS);
        }
    }

    static void await(String what, BooleanSupplier condition) {
        await(what, condition, () -> "(no details)");
    }

    /** Waits until {@code supplier} returns a value that is not null, and returns it. */
    static <T> T awaitValue(String what, Supplier<T> supplier, Supplier<String> lastSeen) {
        Object[] holder = new Object[1];
        await(what, () -> (holder[0] = supplier.get()) != null, lastSeen);
        @SuppressWarnings("unchecked")
        T value = (T) holder[0];
        return value;
    }

    /**
     * Checks that {@code invariant} keeps holding for {@code polls} poll periods of
     * FileInstall (checked every {@value #POLL_MILLIS} ms); fails as soon as it does not.
     */
    static void holdsForFileInstallPolls(String what, int polls, BooleanSupplier invariant, Supplier<String> lastSeen) {
        long checks = polls * FILEINSTALL_POLL_MILLIS / POLL_MILLIS;
        for (long i = 0; i <= checks; i++) {
            if (!invariant.getAsBoolean()) {
                fail("no longer true after " + i + " checks: " + what + "; seen: " + lastSeen.get());
            }
            if (i < checks) {
                sleep(POLL_MILLIS);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while waiting");
        }
    }

    /** The bundle installed from {@code file} (compared as normalized paths), if any. */
    static Optional<Bundle> bundleFrom(BundleContext context, Path file) {
        Path wanted = file.toAbsolutePath().normalize();
        for (Bundle bundle : context.getBundles()) {
            if (wanted.equals(locationPath(bundle.getLocation()).orElse(null))) {
                return Optional.of(bundle);
            }
        }
        return Optional.empty();
    }

    /** The bundles whose location is a file directly in {@code folder}. */
    static List<Bundle> bundlesFrom(BundleContext context, Path folder) {
        Path wanted = folder.toAbsolutePath().normalize();
        List<Bundle> result = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            Optional<Path> path = locationPath(bundle.getLocation());
            if (path.isPresent() && wanted.equals(path.get().getParent())) {
                result.add(bundle);
            }
        }
        return result;
    }

    static Optional<Path> locationPath(String location) {
        if (location == null || !location.startsWith("file:")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(URI.create(location)).toAbsolutePath().normalize());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static Optional<Bundle> bundleNamed(BundleContext context, String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return Optional.of(bundle);
            }
        }
        return Optional.empty();
    }

    /** Waits for the bundle installed from {@code file} to reach {@code state}; returns it. */
    static Bundle awaitBundleState(BundleContext context, Path file, int state) {
        return awaitValue("the bundle from " + file.getFileName() + " to be " + stateName(state),
                () -> bundleFrom(context, file).filter(b -> b.getState() == state).orElse(null),
                () -> bundleFrom(context, file).map(FrameworkSupport::describe).orElse("not installed"));
    }

    /** Every bundle of the framework: id to symbolic name, version, state and location. */
    static Map<Long, String> snapshot(BundleContext context) {
        Map<Long, String> result = new TreeMap<>();
        for (Bundle bundle : context.getBundles()) {
            result.put(bundle.getBundleId(), describe(bundle));
        }
        return result;
    }

    static String describe(Bundle bundle) {
        return bundle.getSymbolicName() + " " + bundle.getVersion() + " " + stateName(bundle.getState())
                + " [" + bundle.getBundleId() + "] " + bundle.getLocation();
    }

    static String stateName(int state) {
        return switch (state) {
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "UNKNOWN(" + state + ")";
        };
    }

    /** Collects what a JUL logger publishes while it is attached. */
    static final class LogCapture extends Handler implements AutoCloseable {
        private final Logger logger;
        private final List<LogRecord> records = new CopyOnWriteArrayList<>();

        LogCapture(String loggerName) {
            this.logger = Logger.getLogger(loggerName);
            setLevel(Level.ALL);
            logger.addHandler(this);
        }

        /** The records whose message or exception names {@code text}. */
        List<LogRecord> mentioning(String text) {
            return records.stream().filter(r -> text(r).contains(text)).toList();
        }

        List<LogRecord> all() {
            return List.copyOf(records);
        }

        static String text(LogRecord record) {
            StringBuilder text = new StringBuilder(String.valueOf(record.getMessage()));
            for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                text.append(" | ").append(t);
            }
            return text.toString();
        }

        static String describe(List<LogRecord> records) {
            StringBuilder out = new StringBuilder("[");
            for (LogRecord record : records) {
                out.append(out.length() > 1 ? "; " : "").append(record.getLevel()).append(' ').append(text(record));
            }
            return out.append(']').toString();
        }

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }
}
