package io.kflowd.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpAddressesTest {

    @ParameterizedTest
    @CsvSource({
        "::1, ::1",
        "::, ::",
        "fe80::1, fe80::1",
        "2001:db8::ff00:42:8329, 2001:db8::ff00:42:8329",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",
        "::ffff:127.0.0.1, ::ffff:127.0.0.1",
        "ff02::fb, ff02::fb"})
    void ipv6InCanonicalForm(String address, String expected) throws Exception {
        byte[] bytes = new byte[16];
        byte[] parsed = InetAddress.getByName(address).getAddress();
        if (parsed.length == 4) {           // Java turns ::ffff:a.b.c.d into an IPv4 address
            bytes[10] = (byte) 0xff;
            bytes[11] = (byte) 0xff;
            System.arraycopy(parsed, 0, bytes, 12, 4);
        } else {
            bytes = parsed;
        }
        assertEquals(expected, IpAddresses.format(MemorySegment.ofArray(bytes), 0, false));
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1", "10.200.0.2", "255.255.255.255", "0.0.0.0"})
    void ipv4DottedQuad(String address) throws Exception {
        byte[] bytes = new byte[16];
        System.arraycopy(InetAddress.getByName(address).getAddress(), 0, bytes, 0, 4);
        assertEquals(address, IpAddresses.format(MemorySegment.ofArray(bytes), 0, true));
    }
}
