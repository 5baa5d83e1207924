package io.kflowd.core;

import io.kflowd.api.ConfigurationPids;
import io.kflowd.api.MonitorService;
import io.kflowd.api.MonitorStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The monitor core. This build owns the lifecycle and the status report; the eBPF
 * programs that produce records are not part of it yet, so it reports no kernel programs
 * and no records rather than inventing any.
 */
@Component(configurationPid = ConfigurationPids.CORE, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = CoreConfig.class)
public final class CoreMonitor implements MonitorService {

    private final String version;
    private volatile Instant started;
    private volatile CoreConfig config;

    @Activate
    public CoreMonitor(BundleContext context, CoreConfig config) {
        this.version = context.getBundle().getVersion().toString();
        this.config = config;
        this.started = Instant.now();
    }

    @Modified
    void modified(CoreConfig config) {
        this.config = config;
    }

    @Deactivate
    void deactivate() {
        // Nothing is attached to the kernel yet, so there is nothing to detach or flush.
    }

    @Override
    public MonitorStatus status() {
        CoreConfig current = config;
        return new MonitorStatus(
                version,
                started,
                List.of(current.monitors()),
                List.of(),
                Map.of(),
                Map.of(),
                List.of("this build has no eBPF programs: no records are produced"));
    }
}
