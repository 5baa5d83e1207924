package io.kflowd.launcher.cli;

import io.kflowd.launcher.cli.PortEntry.Proto;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** An application whose payload is captured and decoded (option {@code -p}). */
public enum App {
    DNS(EnumSet.of(Proto.TCP, Proto.UDP), AppPorts.of(PortEntry.udp(53), PortEntry.tcp(53))),
    HTTP(EnumSet.of(Proto.TCP), AppPorts.of(PortEntry.tcp(80))),
    SYSLOG(EnumSet.of(Proto.TCP, Proto.UDP, Proto.UNIX),
            AppPorts.of(PortEntry.udp(514), PortEntry.tcp(514), PortEntry.unix())),
    /** Not in kflowd: our TLS handshake decoder (ClientHello/ServerHello), TCP only. */
    TLS(EnumSet.of(Proto.TCP), AppPorts.of(PortEntry.tcp(443)));

    private final Set<Proto> protocols;
    private final AppPorts defaultPorts;

    App(Set<Proto> protocols, AppPorts defaultPorts) {
        this.protocols = Set.copyOf(protocols);
        this.defaultPorts = defaultPorts;
    }

    /** The name before {@code =} in {@code -p}: {@code dns}, {@code http}, {@code syslog}, {@code tls}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The name in messages and in the {@code App} key: {@code DNS}, {@code HTTP}, ... */
    public String displayName() {
        return name();
    }

    /** Whether entries of this protocol are allowed for the application. */
    public boolean accepts(Proto proto) {
        return protocols.contains(proto);
    }

    /** The capture entries used when {@code -p} does not mention the application. */
    public AppPorts defaultPorts() {
        return defaultPorts;
    }
}
