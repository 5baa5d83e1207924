package io.kflowd.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Strict literals with inet_pton's rules; nothing is ever resolved. */
class IpLiteralTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "1.2.3.4", "127.0.0.1", "255.255.255.255", "10.0.0.10", "192.168.100.200"})
    void ipv4Accepted(String text) {
        InetAddress address = IpLiteral.parse(text).orElseThrow();
        assertInstanceOf(Inet4Address.class, address);
        assertEquals(text, address.getHostAddress());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1.2", "127.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "00.1.2.3",
        "1.2.3.256", "1..3.4", ".1.2.3", "1.2.3.4.", " 1.2.3.4", "1.2.3.4 ", "0x1.2.3.4", "1.2.3.-4", "1,2,3,4",
        "\uFF11.2.3.4", "localhost", "example.com", "1.2.3.4%eth0"})
    void ipv4AndHostNamesRejected(String text) {
        assertTrue(IpLiteral.parse(text).isEmpty(), text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "::;::",
        "::1;::1",
        "1::;1::",
        "1:2:3:4:5:6:7:8;1:2:3:4:5:6:7:8",
        "FE80::1;fe80::1",
        "2001:db8::;2001:db8::",
        "2001:0db8:0000:0000:0001:0000:0000:0001;2001:db8::1:0:0:1",
        "1:0:2:0:3:0:4:0;1:0:2:0:3:0:4:0",
        "1::8;1::8",
        "::1:2:3:4:5:6:7;0:1:2:3:4:5:6:7",
        "1:2:3:4:5:6:1.2.3.4;1:2:3:4:5:6:102:304",
        "::ffff:1.2.3.4;::ffff:1.2.3.4",
        "::1.2.3.4;::102:304"})
    void ipv6Accepted(String text, String formatted) {
        InetAddress address = IpLiteral.parse(text).orElseThrow(() -> new AssertionError(text));
        assertInstanceOf(Inet6Address.class, address);
        assertEquals(formatted, IpLiteral.format(address));
    }

    @ParameterizedTest
    @ValueSource(strings = {":", ":::", ":1", "1:", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8",
        "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "1::2::3", "12345::", "g::", "[::1]", "::1%eth0", "fe80::1%1",
        "::1/128", "::1.2.3", "::01.2.3.4", "::1.2.3.4.5", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4:5", " ::1", "::1 ",
        "::\uFF11"})
    void ipv6Rejected(String text) {
        assertTrue(IpLiteral.parse(text).isEmpty(), text);
    }

    @Test
    void bytesOfAnIpv6WithIpv4Tail() {
        byte[] expected = {0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4};
        assertArrayEquals(expected, IpLiteral.parse("1:2:3:4:5:6:1.2.3.4").orElseThrow().getAddress());
    }

    @Test
    void literalIsKeptAsHostNameSoNoReverseLookupHappens() {
        assertEquals("::1", IpLiteral.parse("::1").orElseThrow().getHostName());
        assertEquals("10.1.2.3", IpLiteral.parse("10.1.2.3").orElseThrow().getHostName());
    }

    @Test
    void formatOfIpv4() {
        assertEquals("10.1.2.3", IpLiteral.format(IpLiteral.parse("10.1.2.3").orElseThrow()));
    }
}
