package io.kflowd.shell;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PortListTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"dns;udp/53,udp/5353", "syslog;udp/514,tcp/514,unix", "http;off", "tls;tcp/443",
        "dns;UDP/53"})
    void valid(String app, String list) {
        assertNull(PortList.check(app, list));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"dns;''", "dns;udp/0", "dns;udp/65536", "dns;udp/x", "dns;sctp/53", "http;udp/80",
        "dns;unix", "dns;udp/53,udp/53", "dns;udp/1,udp/2,udp/3,udp/4,udp/5,udp/6,udp/7,udp/8,udp/9", "dns;udp/53,"})
    void invalid(String app, String list) {
        assertNotNull(PortList.check(app, list), list);
    }
}
