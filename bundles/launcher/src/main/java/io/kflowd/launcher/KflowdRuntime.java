package io.kflowd.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kflowd.launcher.cli.Options;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.launch.Framework;

/**
 * The embedded Felix: created with our properties, the plugin guard hooked in before any
 * bundle exists, the core feature's bundles installed from system/ and started in their
 * start order, the command line published to ConfigAdmin as soon as it runs, FileInstall
 * (last in the core feature) then watching the plugin folder.
 */
final class KflowdRuntime {

    private static final Logger LOG = Logger.getLogger("kflowd.launcher");
    static final String CORE_FEATURE = "kflowd-core";
    static final String CONSOLE_FEATURE = "kflowd-console";

    private final Layout layout;
    private final Path pluginFolder;
    private final Options options;
    private final Path cacheDir;
    private Framework framework;

    KflowdRuntime(Layout layout, Path pluginFolder, Options options) throws IOException {
        this.layout = layout;
        this.pluginFolder = pluginFolder.toAbsolutePath().normalize();
        this.options = options;
        this.cacheDir = Files.createTempDirectory("kflowd-cache-");
    }

    /** Reads every feature in features/, core first. */
    List<Feature> readFeatures() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<Feature> features = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.features(), "*.json")) {
            for (Path file : files) {
                features.add(Feature.read(file, mapper));
            }
        }
        features.sort(Comparator.comparing((Feature f) -> !f.name().equals(CORE_FEATURE)).thenComparing(Feature::name));
        if (features.isEmpty() || !features.get(0).name().equals(CORE_FEATURE)) {
            throw new IOException("no " + CORE_FEATURE + ".json in " + layout.features());
        }
        return features;
    }

    /** Starts everything; returns once all bundles of the installed features are started. */
    void start() throws Exception {
        List<Feature> features = readFeatures();
        Map<Feature.FeatureBundle, Path> files = new HashMap<>();
        for (Feature feature : features) {
            for (Feature.FeatureBundle bundle : feature.bundles()) {
                Path system = layout.system().resolve(bundle.fileName());
                files.put(bundle, Files.exists(system) ? system : pluginFolder.resolve(bundle.fileName()));
            }
        }

        framework = new FrameworkFactory().newFramework(frameworkProperties());
        framework.init();
        BundleContext context = framework.getBundleContext();
        PluginFolderGuard guard = new PluginFolderGuard(pluginFolder);
        context.addBundleListener(guard);
        context.addBundleListener(new PluginLog(pluginFolder));
        context.registerService(ResolverHookFactory.class, guard, null);
        framework.start();

        // The launcher installs the platform; FileInstall installs the plugin folder.
        List<Feature.FeatureBundle> toStart = new ArrayList<>();
        for (Feature feature : features) {
            boolean launcherInstalls = feature.name().equals(CORE_FEATURE)
                    || (feature.name().equals(CONSOLE_FEATURE) && options.shell());
            if (launcherInstalls) {
                toStart.addAll(feature.bundles());
            }
        }
        TreeMap<Integer, List<Bundle>> byOrder = new TreeMap<>();
        for (Feature.FeatureBundle entry : toStart) {
            Path file = files.get(entry);
            if (!Files.isRegularFile(file)) {
                throw new IOException("bundle " + entry.id() + " of a feature is missing: " + file);
            }
            Bundle bundle = context.installBundle(location(file), Files.newInputStream(file));
            bundle.adapt(org.osgi.framework.startlevel.BundleStartLevel.class).setStartLevel(entry.startLevel());
            byOrder.computeIfAbsent(entry.startOrder(), k -> new ArrayList<>()).add(bundle);
        }
        Map<String, Map<String, Object>> configurations = Configurations.of(options, layout.consoleSocket(), features, files);
        boolean published = false;
        for (List<Bundle> group : byOrder.values()) {
            for (Bundle bundle : group) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    bundle.start();
                }
            }
            if (!published) {
                ConfigPublisher publisher = ConfigPublisher.find(context);
                if (publisher != null) {
                    for (var pid : configurations.entrySet()) {
                        publisher.publish(pid.getKey(), pid.getValue());
                    }
                    published = true;
                }
            }
        }
        if (!published) {
            throw new IllegalStateException("the core feature started no ConfigurationAdmin: options cannot reach the bundles");
        }
    }

    /**
     * Waits (bounded) until the plugin folder has given us a formatter for the output format
     * of -o; the formatters are plugins, so a folder without it is a setup error, said at
     * start rather than discovered as records that never appear.
     *
     * @return empty when it is there, else the reason
     */
    java.util.Optional<String> awaitFormatter(String format, long timeoutMillis) throws InterruptedException {
        org.osgi.framework.Filter filter;
        try {
            filter = org.osgi.framework.FrameworkUtil.createFilter("(kflowd.format=" + format + ")");
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            return java.util.Optional.of("invalid output format name '" + format + "'");
        }
        if (awaitService(filter, timeoutMillis)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("no formatter for output format '" + format + "' came up from the plugin folder "
                + pluginFolder + " within " + timeoutMillis / 1000 + " s: it needs the bundle that provides -o " + format
                + " (kflowd:plugins lists what is installed)");
    }

    /**
     * Waits (bounded) until the core has attached its kernel programs (or failed to, which
     * kflowd:status then says): plugins may come up first, and "running" before the programs
     * are attached would let a user's first actions go unseen.
     *
     * @return empty when it has, else the reason
     */
    java.util.Optional<String> awaitKernel(long timeoutMillis) throws InterruptedException {
        org.osgi.framework.Filter filter;
        try {
            filter = org.osgi.framework.FrameworkUtil.createFilter("(" + io.kflowd.api.MonitorService.KERNEL_STARTED + "=true)");
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (awaitService(filter, timeoutMillis)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("the core bundle did not load the kernel programs within " + timeoutMillis / 1000
                + " s (-V shows why)");
    }

    /** Whether a service matching filter is registered within timeoutMillis (looked for every 20 ms). */
    private boolean awaitService(org.osgi.framework.Filter filter, long timeoutMillis) throws InterruptedException {
        BundleContext context = framework.getBundleContext();
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (context.getAllServiceReferences(null, filter.toString()) != null) {
                    return true;
                }
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalStateException("a filter that parsed once no longer does: " + filter, e);
            }
            Thread.sleep(20);
        }
        return false;
    }

    Framework framework() {
        return framework;
    }

    /** Orderly stop: bundles stop in reverse order, the core detaches from the kernel. */
    boolean stop(long timeoutMillis) {
        if (framework == null) {
            return true;
        }
        try {
            framework.stop();
            FrameworkEvent event = framework.waitForStop(timeoutMillis);
            return event.getType() != FrameworkEvent.WAIT_TIMEDOUT;
        } catch (BundleException e) {
            LOG.log(Level.WARNING, "stopping the framework failed", e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Removes the framework's bundle cache; call once the framework has stopped. */
    void deleteCache() {
        try (Stream<Path> paths = Files.walk(cacheDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.fine("cannot remove " + cacheDir + ": " + e.getMessage());
        }
    }

    private Map<String, Object> frameworkProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, cacheDir.toString());
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        p.put("felix.log.logger", new FrameworkLog());
        p.put("felix.log.level", options.verbose() ? "3" : "2");
        // Start levels: platform 1, plugins 2 (FileInstall), core 3. The framework stops the
        // highest level first, so the core flushes its last records while sinks still run.
        p.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "3");
        p.put("felix.fileinstall.start.level", "2");
        p.put("felix.fileinstall.dir", pluginFolder.toString());
        p.put("felix.fileinstall.filter", ".*\\.jar");
        p.put("felix.fileinstall.poll", "500");
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.log.default", "jul");
        // warnings too: a plugin that installs but does not resolve or start is one line
        p.put("felix.fileinstall.log.level", "2");
        p.put("felix.fileinstall.bundles.new.start", "true");
        p.put("felix.fileinstall.bundles.startTransient", "true");
        p.put("kflowd.home", layout.home().toString());
        // --shell: our console profile (conf/gogo/etc/gosh_profile), not the bundle's default.
        p.put("gosh.home", layout.home().resolve("conf/gogo").toString());
        p.put("gosh.args", "--quiet");
        return p;
    }

    /** The location string FileInstall uses too, so the two agree on what is installed. */
    static String location(Path file) {
        return file.toAbsolutePath().toFile().toURI().normalize().toString();
    }

    /** One line per plugin install, update and removal: the operator's audit trail. */
    private static final class PluginLog implements SynchronousBundleListener {
        private static final Logger PLUGINS = Logger.getLogger("kflowd.plugins");
        private final String folderLocation;

        PluginLog(Path folder) {
            this.folderLocation = location(folder);
        }

        @Override
        public void bundleChanged(BundleEvent event) {
            Bundle bundle = event.getBundle();
            String location = bundle.getLocation();
            if (location == null || !location.startsWith(folderLocation)) {
                return;
            }
            String what = switch (event.getType()) {
                case BundleEvent.INSTALLED -> "installed";
                case BundleEvent.UPDATED -> "updated";
                case BundleEvent.STARTED -> "started";
                case BundleEvent.UNINSTALLED -> "uninstalled";
                default -> null;
            };
            if (what != null) {
                PLUGINS.info("plugin " + what + ": " + bundle.getSymbolicName() + " " + bundle.getVersion()
                        + " (" + location.substring(folderLocation.length()) + ")");
            }
        }
    }
}
