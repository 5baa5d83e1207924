package io.kflowd.core;

import io.kflowd.api.Info;
import io.kflowd.core.enrich.HostInfo;
import io.kflowd.core.enrich.MountTable;
import io.kflowd.core.enrich.UserGroupNames;
import io.kflowd.core.enrich.InterfaceTable;
import io.kflowd.core.kernel.FileRecordDecoder;
import io.kflowd.core.kernel.SocketRecordDecoder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** What every record gets besides the kernel's data: Info header and name lookups (spec 8, 9). */
final class RecordContext implements FileRecordDecoder.Context, SocketRecordDecoder.Context {

    private final AtomicLong sequence = new AtomicLong();
    private final HostInfo host;
    private final String hostToken;
    private final String version;
    private final Instant monitoringSince;
    private final Clock clock;
    private final UserGroupNames names;
    private final MountTable mounts;
    private final InterfaceTable interfaces;
    private final boolean versions;
    private final boolean checksums;

    RecordContext(HostInfo host, String hostToken, String productVersion, Clock clock, UserGroupNames names,
            MountTable mounts, InterfaceTable interfaces, boolean versions, boolean checksums) {
        this.host = host;
        // -T '' and no -T are the same: no InfoHostToken key
        this.hostToken = hostToken == null || hostToken.isEmpty() ? null : hostToken;
        this.version = "kflowd-v" + productVersion;
        this.clock = clock;
        this.monitoringSince = clock.instant();
        this.names = names;
        this.mounts = mounts;
        this.interfaces = interfaces;
        this.versions = versions;
        this.checksums = checksums;
    }

    @Override
    public long nextSequenceNumber() {
        return sequence.incrementAndGet();
    }

    @Override
    public Info info(long sequenceNumber, Info.Monitor monitor) {
        Instant now = clock.instant();
        return new Info(sequenceNumber, now, monitor, host.hostName(), host.hostIp(), hostToken, host.system(),
                host.kernel(), version, Math.max(0, Duration.between(monitoringSince, now).toNanos()));
    }

    @Override
    public String userName(long uid) {
        return names.user(uid, System.nanoTime());
    }

    @Override
    public String groupName(long gid) {
        return names.group(gid, System.nanoTime());
    }

    @Override
    public String device(long dev) {
        return mounts.device(dev, System.nanoTime());
    }

    @Override
    public String interfaceName(int ifindex) {
        return interfaces.name(ifindex, System.nanoTime());
    }

    @Override
    public boolean versions() {
        return versions;
    }

    @Override
    public boolean checksums() {
        return checksums;
    }
}
