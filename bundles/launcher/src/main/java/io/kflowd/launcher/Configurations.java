package io.kflowd.launcher;

import io.kflowd.api.ConfigurationPids;
import io.kflowd.launcher.cli.App;
import io.kflowd.launcher.cli.AppPorts;
import io.kflowd.launcher.cli.Collector;
import io.kflowd.launcher.cli.Options;
import io.kflowd.launcher.cli.PortEntry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The command line as ConfigAdmin configurations, one per PID. Keys follow Declarative
 * Services' name mapping of the bundles' configuration annotations ({@code idle_timeout()}
 * reads the key {@code idle.timeout}). The PID names come from the api jar on the
 * launcher's class path (constants only; the bundles use their own copy of the api).
 */
final class Configurations {

    private Configurations() {
    }

    static Map<String, Map<String, Object>> of(Options options, Path consoleSocket, List<Feature> features,
            Map<Feature.FeatureBundle, Path> bundleFiles) {
        Map<String, Map<String, Object>> pids = new LinkedHashMap<>();

        Map<String, Object> core = new LinkedHashMap<>();
        core.put("monitors", options.monitors().stream().map(m -> m.name().toLowerCase(Locale.ROOT)).toArray(String[]::new));
        core.put("idle.timeout", options.idleTimeout());
        core.put("active.timeout", options.activeTimeout());
        core.put("max.events", options.maxEvents());
        core.put("host.token", options.hostToken() == null ? "" : options.hostToken());
        core.put("verbose", options.verbose());
        core.put("debug.filter", options.debugFilter() == null ? "" : options.debugFilter());
        pids.put(ConfigurationPids.CORE, core);

        Map<String, Object> output = new LinkedHashMap<>();
        output.put("format", options.output().cliName());
        // Records go to stdout unless -q or -d, and never onto the console of --shell.
        output.put("stdout", !(options.quiet() || options.daemon() || options.shell()));
        pids.put(ConfigurationPids.OUTPUT, output);

        Map<String, Object> udp = new LinkedHashMap<>();
        udp.put("collectors", options.collectors().stream().map(Collector::toString).toArray(String[]::new));
        pids.put(ConfigurationPids.SINK_UDP, udp);

        Map<String, Object> apps = new LinkedHashMap<>();
        for (App app : App.values()) {
            AppPorts ports = options.ports().getOrDefault(app, app.defaultPorts());
            apps.put(app.cliName(), ports.isOff() ? "off"
                    : ports.entries().stream().map(PortEntry::toString).collect(Collectors.joining(",")));
        }
        pids.put(ConfigurationPids.APPS, apps);

        Map<String, Object> enrich = new LinkedHashMap<>();
        enrich.put("versions", options.versions());
        enrich.put("checksums", options.checksums());
        pids.put(ConfigurationPids.ENRICH, enrich);

        pids.put(ConfigurationPids.CONSOLE, Map.of("path", consoleSocket.toString()));

        Map<String, Object> featureInfo = new LinkedHashMap<>();
        for (Feature feature : features) {
            featureInfo.put("feature." + feature.name(), feature.bundles().stream()
                    .map(b -> b.id() + "=" + KflowdRuntime.location(bundleFiles.get(b)))
                    .toArray(String[]::new));
        }
        pids.put(ConfigurationPids.FEATURES, featureInfo);
        return pids;
    }

}
