package io.kflowd.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void defaultsAreKflowdsDefaults() {
        Options options = Options.defaults();
        assertEquals(EnumSet.allOf(Monitor.class), options.monitors());
        assertEquals(15, options.idleTimeout());
        assertEquals(1800, options.activeTimeout());
        assertEquals(0, options.maxEvents());
        assertEquals(OutputFormat.JSON, options.output());
        assertFalse(options.versions());
        assertFalse(options.checksums());
        assertEquals(AppPorts.of(PortEntry.udp(53), PortEntry.tcp(53)), options.portsOf(App.DNS));
        assertEquals(AppPorts.of(PortEntry.tcp(80)), options.portsOf(App.HTTP));
        assertEquals(AppPorts.of(PortEntry.udp(514), PortEntry.tcp(514), PortEntry.unix()), options.portsOf(App.SYSLOG));
        assertEquals(AppPorts.of(PortEntry.tcp(443)), options.portsOf(App.TLS));
        assertEquals(List.of(), options.collectors());
        assertFalse(options.quiet());
        assertFalse(options.daemon());
        assertNull(options.hostToken());
        assertNull(options.pluginPath());
        assertFalse(options.verbose());
        assertNull(options.debugFilter());
        assertFalse(options.shell());
        assertTrue(options.stdoutOutput());
    }

    @Test
    void isImmutable() {
        Options options = Options.defaults();
        assertThrows(UnsupportedOperationException.class, () -> options.monitors().clear());
        assertThrows(UnsupportedOperationException.class, () -> options.ports().put(App.DNS, AppPorts.off()));
        assertThrows(UnsupportedOperationException.class, () -> options.collectors().clear());
        assertThrows(UnsupportedOperationException.class, () -> options.portsOf(App.DNS).entries().clear());
    }

    @Test
    void copiesWhatItIsGiven() {
        Set<Monitor> monitors = EnumSet.of(Monitor.FILE);
        Map<App, AppPorts> ports = new EnumMap<>(Options.defaults().ports());
        Options options = new Options(monitors, 1, 2, 0, OutputFormat.JSON, false, false, ports, List.of(),
                false, false, "", null, false, "", false);
        monitors.add(Monitor.SOCKET);
        ports.put(App.DNS, AppPorts.off());
        assertEquals(Set.of(Monitor.FILE), options.monitors());
        assertFalse(options.portsOf(App.DNS).isOff());
        assertNull(options.hostToken());
        assertNull(options.debugFilter());
    }

    @Test
    void rejectsInconsistentValues() {
        Map<App, AppPorts> ports = Options.defaults().ports();
        assertThrows(IllegalArgumentException.class, () -> new Options(Set.of(), 1, 2, 0, OutputFormat.JSON,
                false, false, ports, List.of(), false, false, null, null, false, null, false));
        assertThrows(IllegalArgumentException.class, () -> new Options(Set.of(Monitor.FILE), 0, 2, 0,
                OutputFormat.JSON, false, false, ports, List.of(), false, false, null, null, false, null, false));
        assertThrows(IllegalArgumentException.class, () -> new Options(Set.of(Monitor.FILE), 1, 2, 0,
                OutputFormat.JSON, false, false, Map.of(App.DNS, AppPorts.off()), List.of(), false, false, null,
                null, false, null, false));
        assertThrows(IllegalArgumentException.class, () -> new Options(Set.of(Monitor.FILE), 1, 2, 0,
                OutputFormat.JSON, false, false, ports, List.of(), false, false, null, "", false, null, false));
        assertThrows(IllegalArgumentException.class, () -> AppPorts.of(List.of()));
        assertThrows(IllegalArgumentException.class, () -> AppPorts.of(PortEntry.tcp(1), PortEntry.tcp(1)));
        assertThrows(IllegalArgumentException.class, () -> new PortEntry(PortEntry.Proto.UNIX, 5));
        assertThrows(IllegalArgumentException.class, () -> PortEntry.tcp(65536));
    }

    @Test
    void describeDefaults() {
        assertEquals("""
                monitors: file,socket
                idle timeout: 15 s
                active timeout: 1800 s
                max events: off
                output: json
                versions: off
                checksums: off
                ports dns: udp/53, tcp/53
                ports http: tcp/80
                ports syslog: udp/514, tcp/514, unix
                ports tls: tcp/443
                collectors: none
                quiet: off
                daemon: off
                host token: none
                plugin path: default
                verbose: off
                debug filter: off
                shell: off
                """, Options.defaults().describe());
    }

    @Test
    void describeGivenOptions() {
        Options options = Parsing.run("-m", "sock", "-e", "1", "-o", "json-min", "-p", "dns=off", "-u",
                "127.0.0.1:2056,::1:2057", "-d", "-T", "tok", "-P", "/p", "-D", "*", "-v");
        String text = options.describe();
        assertTrue(text.contains("monitors: socket\n"), text);
        assertTrue(text.contains("max events: 1 (no aggregation)\n"), text);
        assertTrue(text.contains("output: json-min (not to stdout)\n"), text);
        assertTrue(text.contains("ports dns: off\n"), text);
        assertTrue(text.contains("collectors: 127.0.0.1:2056, [::1]:2057\n"), text);
        assertTrue(text.contains("daemon: on\n"), text);
        assertTrue(text.contains("host token: tok\n"), text);
        assertTrue(text.contains("plugin path: /p\n"), text);
        assertTrue(text.contains("debug filter: *\n"), text);
        assertTrue(text.contains("versions: on\n"), text);
    }
}
