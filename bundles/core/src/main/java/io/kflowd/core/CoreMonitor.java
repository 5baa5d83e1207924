package io.kflowd.core;

import io.kflowd.api.ConfigurationPids;
import io.kflowd.api.MonitorService;
import io.kflowd.api.MonitorStatus;
import io.kflowd.api.RecordFormatter;
import io.kflowd.api.RecordSink;
import io.kflowd.core.bus.RecordBus;
import io.kflowd.api.RecordEnricher;
import io.kflowd.core.enrich.EnrichmentStage;
import io.kflowd.core.enrich.HostInfo;
import io.kflowd.core.enrich.InterfaceTable;
import io.kflowd.core.enrich.MountTable;
import io.kflowd.core.enrich.UserGroupNames;
import io.kflowd.core.kernel.FileRecordDecoder;
import io.kflowd.core.kernel.SocketRecordDecoder;
import io.kflowd.core.apps.AppDecoders;
import io.kflowd.core.apps.AppPorts;
import io.kflowd.api.AppDecoder;
import io.kflowd.api.SocketRecord;
import org.osgi.framework.ServiceReference;
import io.kflowd.core.kernel.KernelLayouts;
import io.kflowd.core.kernel.KernelMonitor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The monitor core: owns the eBPF lifecycle (through {@link KernelMonitor}) and the record
 * bus, and collects the formatters and sinks of the plugin folder (whiteboard). Kernel
 * programs are attached on activation and detached on deactivation, after which every
 * record still aggregated in the kernel is flushed onto the bus and delivered.
 */
@Component(immediate = true, configurationPid = {ConfigurationPids.CORE, ConfigurationPids.OUTPUT, ConfigurationPids.ENRICH,
        ConfigurationPids.APPS},
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
// metatype: CoreConfig names its PID itself (a Designate allows only one PID per component)
public final class CoreMonitor implements MonitorService {

    private static final Logger LOG = Logger.getLogger("kflowd.core");
    static final String BPF_OBJECT = "io/kflowd/bpf/kflowd.bpf.o";
    /**
     * Records between the reader and the formatter. Beyond that the reader leaves them in the
     * kernel ring (1.4 KB each there, ~5 KB as objects on the heap): at 65,536 a stalled
     * output grew the heap by 350 MB and still dropped records.
     */
    private static final int BUS_CAPACITY = 1_024;
    private static final long STOP_MILLIS = 3_000;
    /**
     * A forced ring wakeup costs the monitored process an interrupt (~13 us measured here);
     * the reader polls every 100 ms anyway, and 512 messages (under 1 MiB) are far from
     * filling the 64 MiB ring: wake it only that often.
     */
    private static final int WAKEUP_EVERY = 512;

    private final String version;
    private final BundleContext context;
    private final RecordBus bus;
    /** kernel decoders -> stage (enrichers, when -v/-c) -> bus */
    private final EnrichmentStage enrichment;
    private final List<String> notes = new ArrayList<>();
    private volatile Instant started;
    private volatile CoreConfig config;
    private volatile KernelMonitor kernel;
    private final AppDecoders decoders = new AppDecoders();
    private final ServiceRegistration<Object> kernelStarted;

    @Activate
    public CoreMonitor(BundleContext context, CoreConfig config) {
        this.context = context;
        this.version = context.getBundle().getVersion().toString();
        this.config = config;
        this.bus = new RecordBus(BUS_CAPACITY, config.format());
        bus.start();
        this.enrichment = new EnrichmentStage(bus::offer, Math.max(16, config.enrich_queue()),
                enrichTimeoutNanos(config));
        enrichment.configure(config.versions(), checksums(config), enrichTimeoutNanos(config));
        startKernel(config);
        // plugins come up while the programs are attached: this tells the launcher it is done
        kernelStarted = context.registerService(Object.class, new Object(),
                new java.util.Hashtable<>(Map.of(MonitorService.KERNEL_STARTED, Boolean.TRUE)));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addFormatter(RecordFormatter formatter, Map<String, Object> properties) {
        Object format = properties.get(RecordFormatter.FORMAT);
        if (format != null) {
            bus.addFormatter(format.toString(), formatter);
        }
    }

    void removeFormatter(RecordFormatter formatter, Map<String, Object> properties) {
        Object format = properties.get(RecordFormatter.FORMAT);
        if (format != null) {
            bus.removeFormatter(format.toString(), formatter);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDecoder(AppDecoder decoder, ServiceReference<AppDecoder> reference) {
        SocketRecord.App app = AppDecoders.appOf(reference.getProperty(AppDecoder.APP));
        if (app == null) {
            LOG.warning("decoder of " + reference.getBundle().getSymbolicName() + " ignored: its " + AppDecoder.APP
                    + " property is not one of " + java.util.Arrays.toString(SocketRecord.App.values()));
            return;
        }
        decoders.add(app, new AppDecoders.Registered(decoder, reference.getBundle().getSymbolicName(),
                reference.getBundle().getVersion().toString()));
    }

    void removeDecoder(AppDecoder decoder, ServiceReference<AppDecoder> reference) {
        SocketRecord.App app = AppDecoders.appOf(reference.getProperty(AppDecoder.APP));
        if (app != null) {
            decoders.remove(app, decoder);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addEnricher(RecordEnricher enricher, ServiceReference<RecordEnricher> reference) {
        Object kind = reference.getProperty(RecordEnricher.KIND);
        if (!RecordEnricher.VERSIONS.equals(kind) && !RecordEnricher.CHECKSUMS.equals(kind)) {
            LOG.warning("enricher of " + reference.getBundle().getSymbolicName() + " ignored: its " + RecordEnricher.KIND
                    + " property is not " + RecordEnricher.VERSIONS + " or " + RecordEnricher.CHECKSUMS);
            return;
        }
        enrichment.add(new EnrichmentStage.Registered(enricher, kind.toString(),
                reference.getBundle().getSymbolicName() + " " + reference.getBundle().getVersion()));
    }

    void removeEnricher(RecordEnricher enricher) {
        enrichment.remove(enricher);
    }

    private static long enrichTimeoutNanos(CoreConfig c) {
        return Math.max(10, c.enrich_timeout_millis()) * 1_000_000L;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSink(RecordSink sink) {
        bus.addSink(sink);
    }

    void removeSink(RecordSink sink) {
        bus.removeSink(sink);
    }

    @Modified
    void modified(CoreConfig changed) {
        CoreConfig previous = config;
        config = changed;
        bus.setFormat(changed.format());
        enrichment.configure(changed.versions(), checksums(changed), enrichTimeoutNanos(changed));
        if (kernelSettingsDiffer(previous, changed)) {
            stopKernel();
            startKernel(changed);
        } else {
            KernelMonitor k = kernel;
            if (k != null) {
                // -p ports follow at once, without reloading programs or losing records
                k.writePorts(appPorts(changed));
            }
        }
    }

    @Deactivate
    void deactivate() {
        try {
            kernelStarted.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregisters a stopping bundle's services itself
        }
        stopKernel();
        enrichment.stop(STOP_MILLIS);
        bus.stop(STOP_MILLIS);
    }

    private synchronized void startKernel(CoreConfig c) {
        notes.clear();
        started = Instant.now();
        boolean files = List.of(c.monitors()).contains("file");
        boolean sockets = List.of(c.monitors()).contains("socket");
        if (!files && !sockets) {
            return;
        }
        byte[] elf;
        try {
            elf = bpfObject();
        } catch (IOException e) {
            notes.add("no kernel programs: " + e.getMessage());
            LOG.severe("no kernel programs: " + e.getMessage());
            return;
        }
        RecordContext recordContext = new RecordContext(HostInfo.read(), c.host_token(), version, Clock.systemUTC(),
                UserGroupNames.system(), MountTable.system(), InterfaceTable.system(), c.versions(), c.checksums());
        KernelMonitor.Settings settings = new KernelMonitor.Settings(files, sockets, c.max_events(),
                c.idle_timeout() * 1_000_000_000L, c.active_timeout() * 1_000_000_000L, c.ring_bytes(),
                c.file_record_slots(), c.socket_record_slots(), WAKEUP_EVERY, c.verbose(), StdoutReaders.find(),
                c.debug_filter(), localPortRange(), appPorts(c), c.app_messages(), c.app_bytes());
        appPorts(c).problems().forEach(problem -> notes.add("-p " + problem + " (ignored)"));
        if (!c.debug_filter().isEmpty()) {
            notes.add("-D " + c.debug_filter() + ": kernel debug output in /sys/kernel/tracing/trace_pipe");
        }
        try {
            kernel = new KernelMonitor(elf, settings, new FileRecordDecoder(recordContext),
                    new SocketRecordDecoder(recordContext), decoders, enrichment,
                    () -> bus.room() - enrichment.queued());
            LOG.fine("kernel programs attached: " + kernel.programs());
            if (!kernel.missingHooks().isEmpty()) {
                notes.add("not loaded, the kernel lacks their hook: " + String.join(", ", kernel.missingHooks()));
            }
        } catch (RuntimeException e) {
            notes.add("kernel programs not loaded: " + e.getMessage());
            LOG.log(Level.SEVERE, "cannot load the kernel programs", e);
        }
    }

    private synchronized void stopKernel() {
        KernelMonitor current = kernel;
        kernel = null;
        if (current != null) {
            current.close();
        }
    }

    /** -c, except with -o table, which shows no checksums and so computes none (spec 4.9). */
    static boolean checksums(CoreConfig c) {
        return c.checksums() && !"table".equals(c.format());
    }

    static AppPorts appPorts(CoreConfig c) {
        return AppPorts.parse(Map.of(SocketRecord.App.DNS, c.dns(), SocketRecord.App.HTTP, c.http(),
                SocketRecord.App.SYSLOG, c.syslog(), SocketRecord.App.TLS, c.tls()));
    }

    /** The decoders of the plugin folder, by application. */
    public AppDecoders decoders() {
        return decoders;
    }

    /** net.ipv4.ip_local_port_range; the kernel's default when it cannot be read. */
    static int[] localPortRange() {
        try {
            String[] range = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim().split("\\s+");
            return new int[] {Integer.parseInt(range[0]), Integer.parseInt(range[1])};
        } catch (IOException | RuntimeException e) {
            return new int[] {32768, 60999};
        }
    }

    private byte[] bpfObject() throws IOException {
        URL url = context.getBundle().getEntry(BPF_OBJECT);
        if (url == null) {
            throw new IOException(BPF_OBJECT + " is missing from the core bundle");
        }
        try (InputStream in = url.openStream()) {
            return in.readAllBytes();
        }
    }

    private static boolean kernelSettingsDiffer(CoreConfig a, CoreConfig b) {
        return !List.of(a.monitors()).equals(List.of(b.monitors())) || a.max_events() != b.max_events()
                || a.idle_timeout() != b.idle_timeout() || a.active_timeout() != b.active_timeout()
                || a.socket_record_slots() != b.socket_record_slots() || a.ring_bytes() != b.ring_bytes()
                || a.file_record_slots() != b.file_record_slots() || a.verbose() != b.verbose()
                || !a.host_token().equals(b.host_token()) || a.versions() != b.versions() || a.checksums() != b.checksums()
                || !a.debug_filter().equals(b.debug_filter()) || a.app_messages() != b.app_messages()
                || a.app_bytes() != b.app_bytes()
                // UNIX capture is decided when the programs load; ports change while they run
                || appPorts(a).syslogUnix() != appPorts(b).syslogUnix();
    }

    @Override
    public MonitorStatus status() {
        CoreConfig current = config;
        KernelMonitor k = kernel;
        Map<String, Long> emitted = new LinkedHashMap<>();
        Map<String, Long> dropped = new LinkedHashMap<>();
        List<String> programs = List.of();
        List<String> statusNotes;
        synchronized (this) {
            statusNotes = List.copyOf(notes);
        }
        if (k != null) {
            programs = k.programs();
            emitted.put("file", k.fileRecordsEmitted());
            emitted.put("file (idle flush)", k.idleFlushed());
            emitted.put("socket", k.socketRecordsEmitted());
            emitted.put("socket (timeouts and stop)", k.socketTimeouts());
            emitted.put("socket open in kernel", (long) k.openSockets());
            emitted.put("socket own (not exported)", k.socketDecoder().ignored());
            // not a loss: records waited in the kernel ring while the output was behind
            emitted.put("reader waited for output (ms)", k.outputFullMillis());
            dropped.put("kernel ring full", k.kernelDrops(KernelLayouts.DROP_RING_FULL) + k.kernelDrops(KernelLayouts.DROP_PATH_RING_FULL));
            dropped.put("kernel aggregation map full", k.kernelDrops(KernelLayouts.DROP_AGG_FULL));
            dropped.put("file path lost", k.decoder().recordsWithoutPath());
            dropped.put("file record duplicate suppressed", k.decoder().duplicates());
            dropped.put("file path without record", k.decoder().orphanedPaths());
            dropped.put("unknown kernel message", k.decoder().unknownMessages());
            dropped.put("file event unresolved", k.kernelDrops(KernelLayouts.DROP_FS_UNRESOLVED));
            dropped.put("file event state full", k.kernelDrops(KernelLayouts.DROP_FS_PENDING_FULL));
            dropped.put("socket table full", k.kernelDrops(KernelLayouts.DROP_SOCK_TABLE_FULL));
            dropped.put("socket ring full", k.kernelDrops(KernelLayouts.DROP_SOCK_RING_FULL));
            dropped.put("payload ring full", k.kernelDrops(KernelLayouts.DROP_PAYLOAD_RING_FULL));
            dropped.put("payload segments over the pending bound", k.captured().dropped());
            dropped.put("decoder failures (_Exception)", k.decoderRunner().failures());
        }
        enrichment.losses().forEach(dropped::put);
        dropped.putAll(enrichment.enricherCounts());
        if (current.versions() || current.checksums()) {
            emitted.put("enriched", enrichment.enriched());
            for (String kind : enrichment.missing()) {
                statusNotes = new ArrayList<>(statusNotes);
                statusNotes.add("-" + (kind.equals(RecordEnricher.VERSIONS) ? "v" : "c") + " is on but no " + kind
                        + " enricher is registered: its keys stay \"\"");
            }
        }
        bus.losses().forEach((loss, count) -> dropped.put("bus " + loss.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '), count));
        emitted.put("delivered", bus.delivered());
        AppPorts ports = appPorts(current);
        List<MonitorStatus.Application> applications = new ArrayList<>();
        for (SocketRecord.App app : SocketRecord.App.values()) {
            List<String> entries = new ArrayList<>();
            ports.entries().forEach((entry, owner) -> {
                if (owner == app) {
                    entries.add(entry.toString());
                }
            });
            if (app == SocketRecord.App.SYSLOG && ports.syslogUnix()) {
                entries.add("unix");
            }
            AppDecoders.Registered registered = decoders.registered().get(app);
            AppDecoders.Counts counts = decoders.counts(app);
            applications.add(new MonitorStatus.Application(app.name(), entries.isEmpty() ? "off" : String.join(",", entries),
                    registered == null ? "" : registered.bundle() + " " + registered.version(),
                    counts.decoded(), counts.failed(), counts.undecoded()));
        }
        return new MonitorStatus(version, started, List.of(current.monitors()), programs, emitted, dropped, statusNotes,
                applications);
    }
}
