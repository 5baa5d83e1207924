package io.kflowd.format.table;

import static io.kflowd.format.table.Golden.assertRow;

import io.kflowd.api.MonitorRecord;
import io.kflowd.api.SocketRecord.App;
import org.junit.jupiter.api.Test;

/** Socket rows, exact, at 160 and 80 columns: table rows like file rows, never JSON. */
class SocketRowsTest {

    @Test
    void header() {
        Golden.assertHeader(1,
                "TIME UTC     PROTO ROLE   STATE  LOCAL                     REMOTE                         TX BYTES/PKTS  RX BYTES/PKTS APP    PROCESS             PID #",
                "TIME UTC     PROTO ROLE LPORT REMOTE                    TX     RX PROCESS");
    }

    /** curl to 127.0.0.1:80, HTTP captured. */
    @Test
    void tcpClientIpv4WithApp() {
        MonitorRecord record = new Records.Socket().build();
        assertRow(record,
                "15:34:36.007 TCP   CLIENT CLOSE  127.0.0.1:41234           127.0.0.1:80                            78/6         1523/5 HTTP   curl               4800 2",
                "15:34:36.007 TCP   CLI  41234 127.0.0.1:80              78   1523 curl");
    }

    /** A server on 8080 (local port), no payload captured: APP -. */
    @Test
    void tcpServerIpv4() {
        MonitorRecord record = new Records.Socket().server(8080).noApp().build();
        assertRow(record,
                "15:34:36.007 TCP   SERVER CLOSE  127.0.0.1:8080            127.0.0.1:41234                         78/6         1523/5 -      python3            4900 2",
                "15:34:36.007 TCP   SRV   8080 127.0.0.1:41234           78   1523 python3");
    }

    /** IPv6 in brackets. */
    @Test
    void tcpClientIpv6() {
        MonitorRecord record = new Records.Socket().v6("::1", "::1").build();
        assertRow(record,
                "15:34:36.007 TCP   CLIENT CLOSE  [::1]:41234               [::1]:80                                78/6         1523/5 HTTP   curl               4800 2",
                "15:34:36.007 TCP   CLI  41234 [::1]:80                  78   1523 curl");
    }

    /** Long IPv6 addresses: cut inside the brackets, the port kept. */
    @Test
    void tcpServerIpv6LongAddresses() {
        MonitorRecord record = new Records.Socket()
                .v6("2001:db8:85a3::8a2e:370:7334", "2001:db8:85a3:1234:5678:8a2e:370:7335").server(443).build();
        assertRow(record,
                "15:34:36.007 TCP   SERVER CLOSE  [2001:db8:85a3::8a2…]:443 [2001:db8:85a3:1234:5…]:41234           78/6         1523/5 HTTP   python3            4900 2",
                "15:34:36.007 TCP   SRV    443 [2001:db8:85a…]:41234     78   1523 python3");
    }

    /** dig over UDP, DNS captured; UDP_ESTABLISHED is ESTAB. */
    @Test
    void udpWithDns() {
        MonitorRecord record = udpDns().build();
        assertRow(record,
                "15:34:36.007 UDP   CLIENT ESTAB  127.0.0.1:41234           127.0.0.1:53                            51/1           67/1 DNS    dig                4800 2",
                "15:34:36.007 UDP   CLI  41234 127.0.0.1:53              51     67 dig");
    }

    /** logger to journald: no local endpoint, the path as REMOTE, no state. */
    @Test
    void unixWithSyslog() {
        MonitorRecord record = unixSyslog().build();
        assertRow(record,
                "15:34:36.007 UNIX  CLIENT -      -                         /run/systemd/journal/dev-log            61/1            0/0 SYSLOG logger             4800 2",
                "15:34:36.007 UNIX  CLI      - …temd/journal/dev-log     61      0 logger");
    }

    /** A long path cut at its start; counters too long in units. */
    @Test
    void unixLongPathAndHugeCounters() {
        MonitorRecord record = unixLong().build();
        assertRow(record,
                "15:34:36.007 UNIX  CLIENT -      -                         …ectory/for/a/socket/path/bus   12345G/1234M            0/0 -      dbus-daemon        4800 2",
                "15:34:36.007 UNIX  CLI      - …or/a/socket/path/bus 12345G      0 dbus-daemon");
    }

    /** A connect that got no answer: no Rx block is 0/0. */
    @Test
    void tcpSynSentWithoutReply() {
        MonitorRecord record = synSent().build();
        assertRow(record,
                "15:34:36.007 TCP   CLIENT SYN-S  127.0.0.1:41234           10.0.0.1:443                             0/1            0/0 -      curl               4800 2",
                "15:34:36.007 TCP   CLI  41234 10.0.0.1:443               0      0 curl");
    }

    private static Records.Socket udpDns() {
        Records.Socket socket = new Records.Socket().udp();
        socket.remotePort = 53;
        socket.app = App.DNS;
        socket.procName = "dig";
        socket.txPackets = 1;
        socket.txBytes = 51;
        socket.rxPackets = 1;
        socket.rxBytes = 67;
        return socket;
    }

    private static Records.Socket unixSyslog() {
        Records.Socket socket = new Records.Socket().unix("/run/systemd/journal/dev-log");
        socket.app = App.SYSLOG;
        socket.procName = "logger";
        socket.txPackets = 1;
        socket.txBytes = 61;
        return socket;
    }

    private static Records.Socket unixLong() {
        Records.Socket socket = new Records.Socket().unix("/run/user/1000/very/long/directory/for/a/socket/path/bus")
                .noApp();
        socket.procName = "dbus-daemon";
        socket.txBytes = 12_345_678_901_234L;
        socket.txPackets = 1_234_567_890L;
        return socket;
    }

    private static Records.Socket synSent() {
        Records.Socket socket = new Records.Socket().noApp();
        socket.state = "TCP_SYN_SENT";
        socket.remoteIp = "10.0.0.1";
        socket.remotePort = 443;
        socket.txPackets = 1;
        socket.txBytes = 0;
        socket.rxPackets = 0;
        return socket;
    }
}
