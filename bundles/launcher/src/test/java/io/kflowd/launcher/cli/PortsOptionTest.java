package io.kflowd.launcher.cli;

import static io.kflowd.launcher.cli.Parsing.error;
import static io.kflowd.launcher.cli.Parsing.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Option -p (spec 6.1, 10.1), with our TLS application. */
class PortsOptionTest {

    @Test
    void defaults() {
        Options options = run();
        assertEquals(AppPorts.of(PortEntry.udp(53), PortEntry.tcp(53)), options.portsOf(App.DNS));
        assertEquals(AppPorts.of(PortEntry.tcp(80)), options.portsOf(App.HTTP));
        assertEquals(AppPorts.of(PortEntry.udp(514), PortEntry.tcp(514), PortEntry.unix()), options.portsOf(App.SYSLOG));
        assertEquals(AppPorts.of(PortEntry.tcp(443)), options.portsOf(App.TLS));
        assertEquals(App.values().length, options.ports().size());
    }

    @Test
    void eachAppTakesItsList() {
        assertEquals(AppPorts.of(PortEntry.udp(5353), PortEntry.tcp(5353)),
                run("-p", "dns=udp/5353,tcp/5353").portsOf(App.DNS));
        assertEquals(AppPorts.of(PortEntry.tcp(8080), PortEntry.tcp(80)), run("-p", "http=tcp/8080,tcp/80").portsOf(App.HTTP));
        assertEquals(AppPorts.of(PortEntry.unix(), PortEntry.udp(1514)), run("-p", "syslog=unix,udp/1514").portsOf(App.SYSLOG));
        assertEquals(AppPorts.of(PortEntry.tcp(8443)), run("-p", "tls=tcp/8443").portsOf(App.TLS));
    }

    @Test
    void aListReplacesOnlyThatAppsDefaults() {
        Options options = run("-p", "http=tcp/8080");
        assertEquals(App.DNS.defaultPorts(), options.portsOf(App.DNS));
        assertEquals(App.SYSLOG.defaultPorts(), options.portsOf(App.SYSLOG));
        assertEquals(App.TLS.defaultPorts(), options.portsOf(App.TLS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dns", "http", "syslog", "tls"})
    void off(String app) {
        Options options = run("-p", app + "=off");
        App which = App.valueOf(app.toUpperCase());
        assertTrue(options.portsOf(which).isOff());
        assertEquals(List.of(), options.portsOf(which).entries());
    }

    @Test
    void severalApps() {
        Options options = run("-p", "dns=off", "-p", "http=tcp/8080", "-p", "tls=off");
        assertTrue(options.portsOf(App.DNS).isOff());
        assertEquals(AppPorts.of(PortEntry.tcp(8080)), options.portsOf(App.HTTP));
        assertTrue(options.portsOf(App.TLS).isOff());
        assertEquals(App.SYSLOG.defaultPorts(), options.portsOf(App.SYSLOG));
    }

    @Test
    void appNameAndEntriesAreCaseInsensitive() {
        assertEquals(AppPorts.of(PortEntry.udp(53)), run("-p", "DNS=UDP/53").portsOf(App.DNS));
        assertEquals(AppPorts.of(PortEntry.unix(), PortEntry.tcp(514)), run("-p", "SysLog=Unix,Tcp/514").portsOf(App.SYSLOG));
        assertEquals(AppPorts.of(PortEntry.tcp(443)), run("-p", "TLS=TCP/443").portsOf(App.TLS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"DNS=off", "Http=off", "dns=OFF", "syslog=Off", "tls=OFF"})
    void offIsCaseSensitive(String value) {
        assertTrue(error("-p", value).startsWith("Invalid protocol"), value);
    }

    @Test
    void duplicateEntry() {
        assertEquals("Duplicate DNS port 'UDP/53'", error("-p", "dns=udp/53,UDP/53"));
        assertEquals("Duplicate SYSLOG port 'unix'", error("-p", "syslog=unix,unix"));
        assertEquals("Duplicate HTTP port 'tcp/080'", error("-p", "http=tcp/80,tcp/080"));
    }

    @Test
    void eightEntriesAtMost() {
        String eight = IntStream.rangeClosed(1, 8).mapToObj(i -> "tcp/" + i).collect(Collectors.joining(","));
        assertEquals(8, run("-p", "http=" + eight).portsOf(App.HTTP).entries().size());
        assertEquals("Too many HTTP ports (at most 8)", error("-p", "http=" + eight + ",tcp/9"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dns=unix", "dns=sctp/53", "dns=tcp53", "dns=tcp:53", "http=udp/80", "http=unix",
        "tls=udp/443", "tls=unix", "syslog=raw/514", "syslog=unix/514", "dns=off,tcp/53", "dns=/53"})
    void badProtocolPerApp(String value) {
        assertTrue(error("-p", value).startsWith("Invalid protocol"), value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dns=udp/123456", "dns=udp/", "dns=udp/5x", "dns=udp/-1", "http=tcp/ 80", "http=tcp/65536",
        "http=tcp/99999", "syslog=tcp/+514"})
    void badPort(String value) {
        assertTrue(error("-p", value).matches("Invalid (DNS|HTTP|SYSLOG) port '.*'"), value);
    }

    @Test
    void portZeroAndLargestPortAreAccepted() {
        assertEquals(AppPorts.of(PortEntry.tcp(0)), run("-p", "http=tcp/0").portsOf(App.HTTP));
        assertEquals(AppPorts.of(PortEntry.tcp(65535)), run("-p", "http=tcp/65535").portsOf(App.HTTP));
        assertEquals(AppPorts.of(PortEntry.tcp(80)), run("-p", "http=tcp/00080").portsOf(App.HTTP));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dns=", "dns=,", "dns=,,,", "dns", "HTTP="})
    void emptyList(String value) {
        assertTrue(error("-p", value).startsWith("Missing"), value);
    }

    @Test
    void emptyListItemsAreSkipped() {
        assertEquals(AppPorts.of(PortEntry.udp(53), PortEntry.tcp(53)), run("-p", "dns=udp/53,,tcp/53,").portsOf(App.DNS));
    }

    @Test
    void appGivenTwice() {
        assertEquals("DNS ports given twice (one -p per application)",
                error("-p", "dns=udp/53", "-p", "dns=tcp/53"));
        assertTrue(error("-p", "tls=tcp/443", "-p", "TLS=tcp/8443").startsWith("TLS ports given twice"));
        assertTrue(error("-p", "dns=udp/53", "-p", "dns=off", "-p", "dns=tcp/53").startsWith("DNS ports given twice"));
    }

    @Test
    void offDoesNotCountAsGiven() {
        assertEquals(AppPorts.of(PortEntry.udp(53)), run("-p", "dns=off", "-p", "dns=udp/53").portsOf(App.DNS));
        assertTrue(run("-p", "dns=udp/53", "-p", "dns=off").portsOf(App.DNS).isOff());
        assertTrue(run("-p", "http=off", "-p", "http=off").portsOf(App.HTTP).isOff());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ftp=tcp/21", "=udp/53", "dnsx=udp/53", "dn=udp/53", "off", "=", "udp/53",
        "ssl=tcp/443"})
    void unknownAppOrFormat(String value) {
        assertTrue(error("-p", value).startsWith("Invalid -p argument"), value);
    }

    @Test
    void portEntryText() {
        assertEquals("tcp/80", PortEntry.tcp(80).toString());
        assertEquals("udp/53", PortEntry.udp(53).toString());
        assertEquals("unix", PortEntry.unix().toString());
        assertEquals("udp/514, tcp/514, unix", App.SYSLOG.defaultPorts().toString());
        assertEquals("off", AppPorts.off().toString());
    }
}
