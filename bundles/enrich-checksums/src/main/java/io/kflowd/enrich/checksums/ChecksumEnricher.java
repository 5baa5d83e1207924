package io.kflowd.enrich.checksums;

import io.kflowd.api.ConfigurationPids;
import io.kflowd.api.FileRecord;
import io.kflowd.api.MonitorRecord;
import io.kflowd.api.PluginKind;
import io.kflowd.api.RecordEnricher;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * {@code -c}: fills {@code FileMD5} and {@code FileSHA256} where the record has them (file
 * records whose file has an execute bit, spec 3.4). The core calls it only while -c is on,
 * off the ring reader, with a time bound per record; the size cap
 * ({@code checksum.max.bytes}, default 64 MiB) keeps one record's read short.
 */
@Component(configurationPid = ConfigurationPids.ENRICH, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {RecordEnricher.KIND + "=" + RecordEnricher.CHECKSUMS, PluginKind.PROPERTY + "=enricher"})
@Designate(ocd = ChecksumConfig.class)
public final class ChecksumEnricher implements RecordEnricher {

    private final FileHasher hasher;

    @Activate
    public ChecksumEnricher(ChecksumConfig config) {
        this.hasher = new FileHasher(cap(config));
    }

    ChecksumEnricher(long maxBytes) {
        this.hasher = new FileHasher(maxBytes);
    }

    @Modified
    void modified(ChecksumConfig config) {
        hasher.maxBytes(cap(config));
    }

    private static long cap(ChecksumConfig config) {
        return Math.max(0, config.checksum_max_bytes());
    }

    @Override
    public MonitorRecord enrich(MonitorRecord record) {
        if (!(record instanceof FileRecord file) || file.md5() == null && file.sha256() == null) {
            return record;
        }
        FileHasher.Sums sums = hasher.sums(file);
        return file.withChecksums(file.md5() == null ? null : sums.md5(), file.sha256() == null ? null : sums.sha256());
    }

    @Override
    public Map<String, Long> counts() {
        return hasher.counts();
    }
}
