package io.kflowd.sink.udp;

import io.kflowd.api.ConfigurationPids;
import io.kflowd.api.MonitorRecord;
import io.kflowd.api.PluginKind;
import io.kflowd.api.RecordSink;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Records to UDP collectors (spec 11.2, fixed as ARCHITECTURE 6 and issue 6 say): every
 * record is one datagram to every collector, in the order the collectors were given, the
 * formatter's text exactly, without framing (no RS, no newline).
 *
 * <ul>
 * <li>One connected, non-blocking socket per collector, of the collector's address family,
 * opened once and reused ({@link CollectorChannel} says why not one per family).
 * <li>A failure at one collector (refused, unreachable, full send buffer) is counted for
 * that collector and logged at most once a minute; the other collectors still get the
 * record, and the bus is never blocked.
 * <li>A datagram never exceeds {@code max_datagram} (default 65000) nor what the address
 * family can carry (65507 over IPv4, 65527 over IPv6). A larger record is cut at a field
 * boundary into valid JSON marked {@code "_Truncated": true} ({@link DatagramCut}).
 * </ul>
 *
 * <p>The service exists only while there are collectors: the launcher always writes the
 * PID, with an empty list when {@code -u} is not given, and a sink that accepts records to
 * send them nowhere would hide from the bus that no sink is active (with {@code -q}-like
 * configurations, or {@code --shell} without {@code -u}). So the component declares no
 * service and registers the {@link RecordSink} itself while the list is not empty; a
 * configuration change adds or removes it.
 *
 * <p>The api has no status interface for sinks: the counters (per collector: sent, failed by
 * reason; for the sink: records, records cut) are logged when a collector is removed and
 * when the component is deactivated.
 */
@Component(configurationPid = ConfigurationPids.SINK_UDP, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = UdpConfig.class)
public final class UdpSink implements RecordSink {

    static final String LOGGER = "kflowd.sink.udp";
    static final int DEFAULT_MAX_DATAGRAM = 65_000;
    static final int MIN_DATAGRAM = 512;
    /** Service property listing the collectors, for the console. */
    static final String COLLECTORS_PROPERTY = "kflowd.sink.udp.collectors";
    /** The component's name as DS sets it (COMPONENT_NAME). */
    static final String COMPONENT_NAME = "component.name";

    private static final Logger LOG = Logger.getLogger(LOGGER);

    private final BundleContext context;
    private final String componentName;
    private final LongSupplier nanoTime;

    /** Serialises configuration and (un)registration; never held while delivering. */
    private final Object lifecycle = new Object();
    private ServiceRegistration<RecordSink> registration;

    // guarded by this
    private List<CollectorChannel> collectors = List.of();
    private int maxDatagram = DEFAULT_MAX_DATAGRAM;
    private long records;
    private long cut;
    private long lastCutLog;
    private boolean cutLogged;

    @Activate
    public UdpSink(BundleContext context, UdpConfig config, Map<String, Object> properties) {
        this(context, String.valueOf(properties.getOrDefault(COMPONENT_NAME, UdpSink.class.getName())),
                System::nanoTime);
        configure(config.collectors(), config.max_datagram());
    }

    /** For tests: {@code context} null registers nothing. */
    UdpSink(BundleContext context, String componentName, LongSupplier nanoTime) {
        this.context = context;
        this.componentName = componentName;
        this.nanoTime = nanoTime;
    }

    @Modified
    void modified(UdpConfig config) {
        configure(config.collectors(), config.max_datagram());
    }

    @Deactivate
    void deactivate() {
        synchronized (lifecycle) {
            unregister();
            List<CollectorChannel> closed;
            long recordCount;
            long cutCount;
            synchronized (this) {
                closed = collectors;
                collectors = List.of();
                recordCount = records;
                cutCount = cut;
            }
            closed.forEach(CollectorChannel::close);
            if (!closed.isEmpty() || recordCount > 0) {
                LOG.info("UDP sink stopped: " + recordCount + " record(s), " + cutCount + " cut to fit a datagram; "
                        + closed.stream().map(CollectorChannel::summary).collect(Collectors.joining("; ")));
            }
        }
    }

    /**
     * Applies a collector list: collectors that stay keep their socket and counters, new
     * ones are opened on their first record, removed ones are closed (and their counters
     * logged). Entries the sink cannot read are logged and left out; the launcher has
     * checked the syntax already, so only a hand-made configuration gets here with them.
     */
    void configure(String[] entries, int maxDatagram) {
        synchronized (lifecycle) {
            List<Collector> wanted = new ArrayList<>();
            for (String entry : entries == null ? new String[0] : entries) {
                Optional<Collector> collector = Collector.parse(entry);
                if (collector.isPresent()) {
                    wanted.add(collector.get());
                } else {
                    LOG.warning("UDP collector '" + entry + "' ignored: expected IP:PORT with an IPv4 or IPv6 literal "
                            + "and a port 1-65535, e.g. 127.0.0.1:2056 or [::1]:2056");
                }
            }
            int limit = Math.clamp(maxDatagram, MIN_DATAGRAM, Collector.MAX_PAYLOAD_IPV6);
            if (limit != maxDatagram) {
                LOG.warning("UDP max_datagram " + maxDatagram + " is outside " + MIN_DATAGRAM + "-"
                        + Collector.MAX_PAYLOAD_IPV6 + ": " + limit + " is used");
            }
            if (wanted.isEmpty()) {
                unregister();
            }
            List<CollectorChannel> removed = replace(wanted, limit);
            for (CollectorChannel gone : removed) {
                gone.close();
                if (gone.sent() > 0 || gone.failedTotal() > 0) {
                    LOG.info("UDP collector removed: " + gone.summary());
                }
            }
            if (!wanted.isEmpty()) {
                LOG.info("UDP sink: records go to " + wanted.stream().map(Collector::toString)
                        .collect(Collectors.joining(", ")) + " (datagrams of at most " + limit + " bytes)");
                register(wanted);
            }
        }
    }

    /** Swaps the collector list under the delivery lock; returns the channels no longer used. */
    private synchronized List<CollectorChannel> replace(List<Collector> wanted, int limit) {
        List<CollectorChannel> old = new ArrayList<>(collectors);
        List<CollectorChannel> next = new ArrayList<>();
        for (Collector collector : wanted) {
            CollectorChannel reused = null;
            for (Iterator<CollectorChannel> it = old.iterator(); it.hasNext();) {
                CollectorChannel candidate = it.next();
                if (candidate.collector().equals(collector)) {
                    reused = candidate;
                    it.remove();
                    break;
                }
            }
            next.add(reused != null ? reused : new CollectorChannel(collector, nanoTime));
        }
        collectors = List.copyOf(next);
        maxDatagram = limit;
        return old;
    }

    private void register(List<Collector> wanted) {
        if (context == null) {
            return;
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(PluginKind.PROPERTY, PluginKind.SINK.propertyValue());
        properties.put(COMPONENT_NAME, componentName);
        properties.put(COLLECTORS_PROPERTY, wanted.stream().map(Collector::toString).toArray(String[]::new));
        if (registration == null) {
            registration = context.registerService(RecordSink.class, this, properties);
        } else {
            registration.setProperties(properties);
        }
    }

    private void unregister() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
            registration = null;
        }
    }

    /**
     * Sends the record to every collector. False when at least one collector did not get it
     * (the bus counts that as a sink failure; the reasons are counted per collector).
     */
    @Override
    public synchronized boolean deliver(MonitorRecord record, String format, byte[] text) {
        if (collectors.isEmpty()) {
            // only in the moment between the last collector's removal and the unregistration
            return true;
        }
        records++;
        int cutLimit = -1;
        byte[] cutText = null;
        boolean all = true;
        for (CollectorChannel channel : collectors) {
            int limit = Math.min(maxDatagram, channel.collector().maxPayload());
            byte[] datagram = text;
            if (text.length > limit) {
                // at most two limits (IPv4, IPv6); the cut for the smaller one is made once
                if (cutLimit != limit) {
                    cutText = DatagramCut.fit(text, limit);
                    cutLimit = limit;
                }
                datagram = cutText;
            }
            all &= channel.send(datagram);
        }
        if (cutText != null) {
            cut++;
            long now = nanoTime.getAsLong();
            if (!cutLogged || now - lastCutLog >= CollectorChannel.LOG_INTERVAL_NANOS) {
                LOG.log(Level.INFO, "UDP sink: a record of {0} bytes was cut to fit a datagram of {1} bytes; "
                        + "{2} cut in all (reported at most once a minute)", new Object[] {text.length, cutLimit, cut});
                cutLogged = true;
                lastCutLog = now;
            }
        }
        return all;
    }

    // for tests and the summary

    synchronized List<CollectorChannel> collectors() {
        return collectors;
    }

    synchronized long cut() {
        return cut;
    }

    synchronized int maxDatagram() {
        return maxDatagram;
    }
}
