package io.kflowd.core;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the core (PID {@code io.kflowd.core}); the launcher fills it from the command line. */
@ObjectClassDefinition(name = "kflowd core", description = "Monitors, aggregation and timeouts (options -m -t -e -T -V -D)")
@interface CoreConfig {

    @AttributeDefinition(name = "Monitors (-m)", description = "Subsystems to monitor: file, socket")
    String[] monitors() default {"file", "socket"};

    @AttributeDefinition(name = "Idle timeout (-t)", description = "Seconds without traffic after which a socket record is exported", min = "1")
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
}
