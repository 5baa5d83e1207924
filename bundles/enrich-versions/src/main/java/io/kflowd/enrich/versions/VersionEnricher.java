package io.kflowd.enrich.versions;

import io.kflowd.api.ConfigurationPids;
import io.kflowd.api.FileRecord;
import io.kflowd.api.MonitorRecord;
import io.kflowd.api.PluginKind;
import io.kflowd.api.Proc;
import io.kflowd.api.RecordEnricher;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;

/**
 * {@code -v}: fills {@code ProcVersion} (the package of the process's executable, its path
 * from {@code /proc/<pid>/exe}, see {@link ExecutablePaths}) and {@code FileVersion} (the
 * package of {@code FilePath} + {@code File}) where the record has those keys (spec 3.3,
 * 3.4: FileVersion only for files with an execute bit). A path no package installed gives
 * {@code ""}: a copy of {@code /bin/true} in a home folder has no version (Q35 fixed).
 */
@Component(configurationPid = ConfigurationPids.ENRICH, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {RecordEnricher.KIND + "=" + RecordEnricher.VERSIONS, PluginKind.PROPERTY + "=enricher"})
public final class VersionEnricher implements RecordEnricher {

    private static final Logger LOG = Logger.getLogger("kflowd.enrich.versions");
    static final String NOT_PACKAGED = "no package installed the file";
    static final String EXE_NOT_PACKAGED = "no package installed the executable";
    static final String INTERRUPTED = "interrupted (time bound)";
    static final String NO_PATH = "no path";

    private final PackageDatabase database;
    private final ExecutablePaths executables;
    private final Map<String, LongAdder> reasons = new ConcurrentHashMap<>();

    @Activate
    public VersionEnricher(VersionConfig config) {
        this(PackageDatabase.system(), new ExecutablePaths(Path.of("/proc")));
        LOG.fine("package versions from " + database.name());
        modified(config);
    }

    VersionEnricher(PackageDatabase database, ExecutablePaths executables) {
        this.database = database;
        this.executables = executables;
    }

    @Modified
    void modified(VersionConfig config) {
        if (config.versions()) {
            database.prepare();
        }
    }

    @Deactivate
    void deactivate() {
        database.close();
    }

    @Override
    public MonitorRecord enrich(MonitorRecord record) {
        try {
            MonitorRecord result = record;
            Proc proc = record.proc();
            if (proc.version() != null) {
                result = result.withProc(proc.withVersion(procVersion(record)));
            }
            if (result instanceof FileRecord file && file.version() != null) {
                result = file.withVersion(fileVersion(file));
            }
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            count(INTERRUPTED);
            return record;
        }
    }

    private String procVersion(MonitorRecord record) throws InterruptedException {
        ExecutablePaths.Result exe = executables.resolve(record.proc(), record.info());
        if (exe.path() == null) {
            count("ProcVersion: " + exe.reason());
            return "";
        }
        String version = database.version(exe.path());
        if (version.isEmpty()) {
            count("ProcVersion: " + EXE_NOT_PACKAGED);
        }
        return version;
    }

    private String fileVersion(FileRecord file) throws InterruptedException {
        if (!file.path().startsWith("/") || file.name().isEmpty()) {
            count("FileVersion: " + NO_PATH);
            return "";
        }
        String version = database.version(file.path() + file.name());
        if (version.isEmpty()) {
            count("FileVersion: " + NOT_PACKAGED);
        }
        return version;
    }

    private void count(String reason) {
        reasons.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    @Override
    public Map<String, Long> counts() {
        Map<String, Long> result = new TreeMap<>();
        reasons.forEach((reason, count) -> result.put(reason, count.sum()));
        return result;
    }
}
