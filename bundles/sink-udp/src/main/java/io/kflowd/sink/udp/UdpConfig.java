package io.kflowd.sink.udp;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The UDP collectors of {@code -u} (PID {@code io.kflowd.sink.udp}). */
@ObjectClassDefinition(name = "kflowd UDP sink",
        description = "Records as datagrams to UDP collectors (-u): one datagram per record and collector")
@interface UdpConfig {

    @AttributeDefinition(name = "Collectors",
            description = "IPv4 or IPv6 address literals with port: 127.0.0.1:2056, [::1]:2056 (or ::1:2056); "
                    + "every record goes to each, in this order; none: the sink offers no service")
    String[] collectors() default {};

    @AttributeDefinition(name = "Largest datagram",
            description = "Bytes of UDP payload at most (512 to 65527; IPv4 collectors never get more than 65507). "
                    + "A larger record is cut at a field boundary and marked \"_Truncated\": true. "
                    + "1472 (IPv4) or 1452 (IPv6) on a 1500-byte MTU path avoids IP fragmentation",
            min = "512", max = "65527")
    int max_datagram() default UdpSink.DEFAULT_MAX_DATAGRAM;
}
