package io.kflowd.core;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the core (PID {@code io.kflowd.core}); the launcher fills it from the
 * command line. Declarative Services maps {@code idle_timeout()} to the key
 * {@code idle.timeout}.
 */
@ObjectClassDefinition(pid = io.kflowd.api.ConfigurationPids.CORE, name = "kflowd core", description = "Monitors, aggregation and timeouts (options -m -t -e -T -V -D)")
@interface CoreConfig {

    @AttributeDefinition(name = "Monitors (-m)", description = "Subsystems to monitor: file, socket")
    String[] monitors() default {"file", "socket"};

    @AttributeDefinition(name = "Idle timeout (-t)", description = "Seconds without activity after which a record is exported", min = "1")
    int idle_timeout() default 15;

    @AttributeDefinition(name = "Active timeout (-t)", description = "Seconds after which an active socket record is exported", min = "1")
    int active_timeout() default 1800;

    @AttributeDefinition(name = "Events per file record (-e)", description = "Export a file record after this many events; 0 = until the file operation finishes", min = "0")
    int max_events() default 0;

    @AttributeDefinition(name = "Host token (-T)", description = "Emitted as InfoHostToken when not empty", required = false)
    String host_token() default "";

    @AttributeDefinition(name = "Verbose (-V)", description = "libbpf and loader messages to stderr")
    boolean verbose() default false;

    @AttributeDefinition(name = "Debug filter (-D)", description = "Kernel debug output for this process name, * for all, q for the expiry queue; empty = off", required = false)
    String debug_filter() default "";

    @AttributeDefinition(name = "Ring buffer size", description = "Bytes of the kernel-to-user ring buffer (power of two, 64 MiB or more avoids drops during GC pauses)")
    int ring_bytes() default 64 * 1024 * 1024;

    @AttributeDefinition(name = "File record slots", description = "File records the kernel can aggregate at once")
    int file_record_slots() default 16384;

    @AttributeDefinition(name = "Socket record slots", description = "Sockets the kernel can track at once")
    int socket_record_slots() default 65536;

    @AttributeDefinition(name = "DNS ports (-p dns=)", description = "udp/PORT and tcp/PORT entries, comma-separated, or off (PID io.kflowd.apps)")
    String dns() default "udp/53,tcp/53";

    @AttributeDefinition(name = "HTTP ports (-p http=)", description = "tcp/PORT entries, comma-separated, or off (PID io.kflowd.apps)")
    String http() default "tcp/80";

    @AttributeDefinition(name = "SYSLOG ports (-p syslog=)", description = "udp/PORT, tcp/PORT and unix entries, or off (PID io.kflowd.apps)")
    String syslog() default "udp/514,tcp/514,unix";

    @AttributeDefinition(name = "TLS ports (-p tls=)", description = "tcp/PORT entries, comma-separated, or off (PID io.kflowd.apps)")
    String tls() default "tcp/443";

    @AttributeDefinition(name = "Messages per socket record", description = "Application messages captured per socket record (kflowd: 4)", min = "0", max = "64")
    int app_messages() default 4;

    @AttributeDefinition(name = "Bytes per message", description = "Bytes captured of one application message (kflowd: 1400)", min = "16", max = "4096")
    int app_bytes() default 1400;

    @AttributeDefinition(name = "Output format (-o)", description = "json, json-min or table (PID io.kflowd.output)")
    String format() default "json";

    @AttributeDefinition(name = "Package versions (-v)", description = "ProcVersion and FileVersion keys (PID io.kflowd.enrich)")
    boolean versions() default false;

    @AttributeDefinition(name = "Checksums (-c)", description = "FileMD5 and FileSHA256 keys (PID io.kflowd.enrich)")
    boolean checksums() default false;

    @AttributeDefinition(name = "Enrichment time per record", description = "Milliseconds the enrichers (-v, -c) get for one record; past that it goes on without what is missing", min = "10")
    int enrich_timeout_millis() default 2000;

    @AttributeDefinition(name = "Enrichment queue", description = "Records waiting for enrichment at most; half full, records go on unenriched until the backlog is worked off", min = "16")
    int enrich_queue() default 65536;
}
