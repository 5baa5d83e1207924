package io.kflowd.launcher.cli;

import static io.kflowd.launcher.cli.Parsing.error;
import static io.kflowd.launcher.cli.Parsing.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Option -u (spec 10.1, quirk Q25). */
class CollectorsOptionTest {

    @Test
    void ipv4() {
        Collector collector = run("-u", "127.0.0.1:2056").collectors().getFirst();
        assertInstanceOf(Inet4Address.class, collector.address());
        assertArrayEquals(new byte[] {127, 0, 0, 1}, collector.address().getAddress());
        assertEquals(2056, collector.port());
        assertEquals("127.0.0.1:2056", collector.toString());
    }

    @Test
    void ipv6SplitAtTheLastColon() {
        Collector collector = run("-u", "::1:2056").collectors().getFirst();
        assertInstanceOf(Inet6Address.class, collector.address());
        assertTrue(collector.address().isLoopbackAddress());
        assertEquals(2056, collector.port());
        assertEquals("[::1]:2056", collector.toString());
        assertEquals("[2001:db8::7]:65535", run("-u", "2001:DB8::7:65535").collectors().getFirst().toString());
    }

    @Test
    void unspecifiedIpv6Address() {
        assertEquals("[::]:2056", run("-u", ":::2056").collectors().getFirst().toString());
    }

    @Test
    void ipv4MappedIpv6StaysIpv6() {
        Collector collector = run("-u", "::ffff:127.0.0.1:9").collectors().getFirst();
        assertInstanceOf(Inet6Address.class, collector.address());
        assertEquals("[::ffff:127.0.0.1]:9", collector.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[::1]:2056", "localhost:2056", "example.com:2056", "127.1:2056", "1.2.3:2056",
        "1.2.3.4.5:2056", "01.2.3.4:2056", "256.1.1.1:2056", "fe80::1%eth0:2056", "::1/128:2056", " 1.2.3.4:2056",
        "1.2.3.4 :2056", "a:2056", "::1"})
    void rejectedAddresses(String value) {
        assertTrue(error("-u", value).startsWith("Invalid UDP collector address"), value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:0", "127.0.0.1:00000", "127.0.0.1:123456", "127.0.0.1:", "127.0.0.1:20a6",
        "127.0.0.1:-1", "127.0.0.1:65536", "127.0.0.1:2056:"})
    void rejectedPorts(String value) {
        assertTrue(error("-u", value).startsWith("Invalid UDP collector port"), value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", ":2056", "", ",", "host"})
    void rejectedForms(String value) {
        assertTrue(error("-u", value).startsWith("Invalid UDP collector '"), value);
    }

    @Test
    void portIsCheckedBeforeTheAddress() {
        assertTrue(error("-u", "nohost:0").startsWith("Invalid UDP collector port"));
    }

    @Test
    void listAndAccumulation() {
        List<Collector> collectors = run("-u", "1.2.3.4:2056,127.0.0.1:2057", "-u", "::1:2058").collectors();
        assertEquals(List.of("1.2.3.4:2056", "127.0.0.1:2057", "[::1]:2058"),
                collectors.stream().map(Collector::toString).toList());
    }

    @Test
    void duplicatesAreAllowed() {
        assertEquals(2, run("-u", "127.0.0.1:2056,127.0.0.1:2056").collectors().size());
    }

    @Test
    void sevenCollectorsAtMost() {
        String seven = IntStream.rangeClosed(1, 7).mapToObj(i -> "127.0.0." + i + ":2056").collect(Collectors.joining(","));
        assertEquals(7, run("-u", seven).collectors().size());
        assertEquals("Too many UDP collectors (at most 7)", error("-u", seven + ",127.0.0.8:2056"));
        // The limit counts across -u options.
        assertEquals("Too many UDP collectors (at most 7)", error("-u", seven, "-u", "127.0.0.8:2056"));
        assertEquals(7, run("-u", "127.0.0.1:1,127.0.0.1:2,127.0.0.1:3", "-u", "127.0.0.1:4,127.0.0.1:5",
                "-u", "127.0.0.1:6", "-u", "127.0.0.1:7").collectors().size());
    }
}
