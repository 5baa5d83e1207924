package io.kflowd.shell;

import io.kflowd.api.ConfigurationPids;
import io.kflowd.api.MonitorService;
import io.kflowd.api.MonitorStatus;
import io.kflowd.api.PluginKind;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** The {@code kflowd:*} console commands. Each returns its report as text. */
@Component(
        service = KflowdCommands.class,
        property = {
            "osgi.command.scope=kflowd",
            "osgi.command.function=status",
            "osgi.command.function=plugins",
            "osgi.command.function=config",
            "osgi.command.function=features",
            "osgi.command.function=decoders",
            "osgi.command.function=ports",
            "osgi.command.function=output"
        })
public final class KflowdCommands {

    /** Framework property the launcher sets to the plugin folder (FileInstall's own key). */
    static final String PLUGIN_DIR_PROPERTY = "felix.fileinstall.dir";

    private final BundleContext context;
    private final ConfigurationAdmin configurationAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MonitorService monitor;

    @Activate
    public KflowdCommands(BundleContext context, @Reference ConfigurationAdmin configurationAdmin) {
        this.context = context;
        this.configurationAdmin = configurationAdmin;
    }

    @Descriptor("show version, uptime, monitors, record counts and the active plugins")
    public String status() {
        StringBuilder out = new StringBuilder();
        MonitorService current = monitor;
        if (current == null) {
            line(out, "core", "not running (kflowd-core is not active)");
        } else {
            MonitorStatus s = current.status();
            line(out, "version", "kflowd v" + s.version());
            line(out, "uptime", formatUptime(Duration.between(s.started(), Instant.now())));
            line(out, "monitors", String.join(",", s.monitors()));
            line(out, "programs", s.kernelPrograms().isEmpty() ? "none attached" : String.join(", ", s.kernelPrograms()));
            line(out, "emitted", formatCounts(s.recordsEmitted()));
            line(out, "dropped", formatCounts(s.recordsDropped()));
            for (String note : s.notes()) {
                line(out, "note", note);
            }
        }
        for (PluginKind kind : List.of(PluginKind.DECODER, PluginKind.FORMATTER, PluginKind.SINK, PluginKind.ENRICHER)) {
            List<String> plugins = pluginServices(kind);
            line(out, kind.propertyValue() + "s", plugins.isEmpty() ? "none" : String.join(", ", plugins));
        }
        return out.toString();
    }

    @Descriptor("show per application: capture ports, decoder bundle and version, messages decoded, failures, undecoded")
    public String decoders() {
        MonitorService current = monitor;
        if (current == null) {
            return "core: not running (kflowd-core is not active)\n";
        }
        StringBuilder out = new StringBuilder(String.format("%-7s %-24s %-36s %9s %9s %9s%n",
                "APP", "PORTS", "DECODER", "DECODED", "FAILED", "UNDECODED"));
        for (MonitorStatus.Application a : current.status().applications()) {
            out.append(String.format("%-7s %-24s %-36s %9d %9d %9d%n", a.app(), a.ports(),
                    a.decoder().isEmpty() ? "(none: raw messages kept)" : a.decoder(), a.decoded(), a.failed(), a.undecoded()));
        }
        return out.toString();
    }

    @Descriptor("show the capture ports of every application")
    public String ports() {
        MonitorService current = monitor;
        if (current == null) {
            return "core: not running (kflowd-core is not active)\n";
        }
        StringBuilder out = new StringBuilder();
        for (MonitorStatus.Application a : current.status().applications()) {
            out.append(String.format("%-7s %s%n", a.app().toLowerCase(java.util.Locale.ROOT), a.ports()));
        }
        return out.toString();
    }

    @Descriptor("set the capture ports of an application while the monitor runs (as -p APP=PORTS)")
    public String ports(@Descriptor("dns, http, syslog or tls") String app,
            @Descriptor("comma-separated tcp/PORT, udp/PORT (syslog also unix), or off") String ports) throws IOException {
        String name = app.toLowerCase(java.util.Locale.ROOT);
        if (!List.of("dns", "http", "syslog", "tls").contains(name)) {
            return "kflowd:ports: unknown application '" + app + "' (dns, http, syslog, tls)\n";
        }
        String problem = PortList.check(name, ports);
        if (problem != null) {
            return "kflowd:ports: " + problem + "\n";
        }
        org.osgi.service.cm.Configuration configuration = configurationAdmin.getConfiguration(
                io.kflowd.api.ConfigurationPids.APPS, "?");
        java.util.Dictionary<String, Object> properties = configuration.getProperties();
        if (properties == null) {
            properties = new java.util.Hashtable<>();
        }
        properties.put(name, ports.trim().toLowerCase(java.util.Locale.ROOT));
        configuration.update(properties);
        return name + " " + ports.trim().toLowerCase(java.util.Locale.ROOT) + "\n";
    }

    @Descriptor("show the output format and the formats the installed formatters serve")
    public String output() throws IOException {
        org.osgi.service.cm.Configuration configuration = configurationAdmin.getConfiguration(
                io.kflowd.api.ConfigurationPids.OUTPUT, "?");
        Object current = configuration.getProperties() == null ? null : configuration.getProperties().get("format");
        return "format: " + (current == null ? "json" : current) + " (available: " + String.join(", ", formats()) + ")\n";
    }

    @Descriptor("switch the output format while the monitor runs (as -o); records from the next one on use it")
    public String output(@Descriptor("a format an installed formatter serves: json, json-min, table, ocsf, ...") String format)
            throws IOException {
        List<String> available = formats();
        if (!available.contains(format)) {
            return "kflowd:output: no formatter serves '" + format + "' (available: " + String.join(", ", available) + ")\n";
        }
        org.osgi.service.cm.Configuration configuration = configurationAdmin.getConfiguration(
                io.kflowd.api.ConfigurationPids.OUTPUT, "?");
        java.util.Dictionary<String, Object> properties = configuration.getProperties();
        if (properties == null) {
            properties = new java.util.Hashtable<>();
        }
        if ("table".equals(format) && hasCollectors()) {
            return "kflowd:output: table cannot go to UDP collectors (-u)\n";
        }
        properties.put("format", format);
        configuration.update(properties);
        return "format: " + format + "\n";
    }

    private List<String> formats() {
        List<String> result = new ArrayList<>();
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(io.kflowd.api.RecordFormatter.class.getName(), null);
            if (refs != null) {
                for (ServiceReference<?> ref : refs) {
                    Object format = ref.getProperty(io.kflowd.api.RecordFormatter.FORMAT);
                    if (format != null && !result.contains(format.toString())) {
                        result.add(format.toString());
                    }
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("no filter given", e);
        }
        Collections.sort(result);
        return result;
    }

    private boolean hasCollectors() throws IOException {
        org.osgi.service.cm.Configuration udp = configurationAdmin.getConfiguration(io.kflowd.api.ConfigurationPids.SINK_UDP, "?");
        Object collectors = udp.getProperties() == null ? null : udp.getProperties().get("collectors");
        return collectors instanceof String[] list ? list.length > 0
                : collectors instanceof java.util.Collection<?> c ? !c.isEmpty() : collectors != null && !collectors.toString().isEmpty();
    }

    @Descriptor("list the bundles installed from the plugin folder (-P)")
    public String plugins() {
        Optional<Path> folder = pluginFolder();
        if (folder.isEmpty()) {
            return "no plugin folder is configured\n";
        }
        StringBuilder out = new StringBuilder("plugin folder: ").append(folder.get()).append('\n');
        out.append(String.format("%-4s %-36s %-14s %-10s %s%n", "ID", "NAME", "VERSION", "STATE", "FILE"));
        int count = 0;
        for (Bundle bundle : context.getBundles()) {
            Optional<Path> file = locationPath(bundle.getLocation());
            if (file.isPresent() && folder.get().equals(file.get().getParent())) {
                out.append(String.format("%-4d %-36s %-14s %-10s %s%n", bundle.getBundleId(),
                        bundle.getSymbolicName(), bundle.getVersion(), stateName(bundle.getState()),
                        file.get().getFileName()));
                count++;
            }
        }
        if (count == 0) {
            out.append("(no bundles from the plugin folder)\n");
        }
        return out.toString();
    }

    @Descriptor("show the effective options, per configuration PID")
    public String config() throws IOException, InvalidSyntaxException {
        Configuration[] configurations = configurationAdmin.listConfigurations("(service.pid=io.kflowd.*)");
        if (configurations == null) {
            return "no kflowd configuration\n";
        }
        Map<String, Dictionary<String, Object>> byPid = new TreeMap<>();
        for (Configuration configuration : configurations) {
            if (!ConfigurationPids.FEATURES.equals(configuration.getPid()) && configuration.getProperties() != null) {
                byPid.put(configuration.getPid(), configuration.getProperties());
            }
        }
        StringBuilder out = new StringBuilder();
        byPid.forEach((pid, properties) -> {
            out.append(pid).append('\n');
            for (String key : Collections.list(properties.keys()).stream().sorted().toList()) {
                if (key.startsWith("service.") || key.startsWith("felix.") || key.startsWith("component.")) {
                    continue;
                }
                out.append("  ").append(key).append(" = ").append(formatValue(properties.get(key))).append('\n');
            }
        });
        return out.toString();
    }

    @Descriptor("show the installed features and the state of each of their bundles")
    public String features() throws IOException {
        Configuration configuration = configurationAdmin.getConfiguration(ConfigurationPids.FEATURES, "?");
        Dictionary<String, Object> properties = configuration.getProperties();
        if (properties == null) {
            return "no feature information (the launcher did not publish any)\n";
        }
        StringBuilder out = new StringBuilder();
        List<String> ids = new ArrayList<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements(); ) {
            String key = keys.nextElement();
            if (key.startsWith(FEATURE_PREFIX)) {
                ids.add(key.substring(FEATURE_PREFIX.length()));
            }
        }
        Collections.sort(ids);
        for (String id : ids) {
            out.append(id).append('\n');
            for (String entry : asStrings(properties.get(FEATURE_PREFIX + id))) {
                // entry: <group:artifact:version>=<file location>
                int eq = entry.indexOf('=');
                String artifact = eq < 0 ? entry : entry.substring(0, eq);
                String location = eq < 0 ? "" : entry.substring(eq + 1);
                Bundle bundle = context.getBundle(location);
                String state = bundle == null ? "NOT INSTALLED" : stateName(bundle.getState());
                out.append(String.format("  %-64s %s%n", artifact, state));
            }
        }
        return out.toString();
    }

    /** Property prefix under which the launcher publishes each feature's bundles. */
    static final String FEATURE_PREFIX = "feature.";

    private List<String> pluginServices(PluginKind kind) {
        List<String> result = new ArrayList<>();
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(null,
                    "(" + PluginKind.PROPERTY + "=" + kind.propertyValue() + ")");
            if (refs != null) {
                for (ServiceReference<?> ref : refs) {
                    Object name = ref.getProperty("component.name");
                    Bundle bundle = ref.getBundle();
                    result.add((name != null ? name : bundle.getSymbolicName()) + " " + bundle.getVersion());
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("constant filter rejected", e);
        }
        Collections.sort(result);
        return result;
    }

    private Optional<Path> pluginFolder() {
        String dir = context.getProperty(PLUGIN_DIR_PROPERTY);
        return dir == null || dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir).toAbsolutePath().normalize());
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

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format("%-12s%s%n", label + ":", value));
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

    static String formatUptime(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return String.format("%dd %02d:%02d:%02d", s / 86400, (s / 3600) % 24, (s / 60) % 60, s % 60);
    }

    private static String formatCounts(Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return "0";
        }
        StringBuilder out = new StringBuilder();
        new TreeMap<>(counts).forEach((k, v) -> out.append(out.isEmpty() ? "" : ", ").append(k).append(' ').append(v));
        return out.toString();
    }

    private static String formatValue(Object value) {
        if (value instanceof Object[] array) {
            return Arrays.toString(array);
        }
        return String.valueOf(value);
    }

    private static List<String> asStrings(Object value) {
        if (value instanceof String[] array) {
            return List.of(array);
        }
        if (value instanceof java.util.Collection<?> collection) {
            return collection.stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(String.valueOf(value));
    }
}
