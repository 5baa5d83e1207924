package io.kflowd.decoder.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kflowd.api.AppMessage;
import io.kflowd.api.AppPayload;
import io.kflowd.api.SocketRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rendering rules, on messages written by {@link DnsWire}. */
class DnsDecoderTest {

    private static AppMessage one(byte[] message) {
        List<AppMessage> messages = Expect.DECODER.decode(Expect.udp(message, false));
        assertEquals(1, messages.size());
        return messages.getFirst();
    }

    private static DnsWire response(int flags, int an, int ns, int ar) {
        return DnsWire.message(0x1234, DnsWire.QR | flags, 1, an, ns, ar).question("x.test", 1);
    }

    @Test
    void timestampAndKeyOrderOfAResponseWithAllSections() {
        DnsWire w = response(DnsWire.RD | DnsWire.RA, 1, 1, 2);
        int m = w.pointer(12).rr(1, 1, 7);
        w.a("192.0.2.1").end(m);
        m = w.name("test").rr(2, 1, 8);
        w.name("ns.test").end(m);
        m = w.name("ns.test").rr(1, 1, 9);
        w.a("192.0.2.53").end(m);
        m = w.name(".").rr(41, 4096, 0x00008000L);
        w.u16(10).u16(8).hex("0102030405060708").u16(12).u16(0).end(m);
        byte[] bytes = w.bytes();
        AppMessage msg = Expect.DECODER.decode(new AppPayload(SocketRecord.App.DNS, SocketRecord.Protocol.UDP, false,
                SocketRecord.Role.CLIENT, 1_500_000_000L, bytes, bytes.length, false, false)).getFirst();
        assertEquals("{\"_Timestamp\": 1.500000000, \"TransactionId\": 4660, \"ResponseCode\": \"NOERROR\","
                + " \"Flags\": [\"QR\", \"RD\", \"RA\"], \"AnswerCount\": 1,"
                + " \"ResourceRecords\": [[\"A\", \"x.test\", 7, \"IN\", \"192.0.2.1\"]],"
                + " \"AuthorityRecords\": [[\"NS\", \"test\", 8, \"IN\", \"ns.test\"]],"
                + " \"AdditionalRecords\": [[\"A\", \"ns.test\", 9, \"IN\", \"192.0.2.53\"],"
                + " [\"OPT\", \".\", 32768, \"4096\", \"udp=4096 ednsversion=0 do=1 opt10=0102030405060708 opt12=\"]]}",
                Render.json(msg));
    }

    @Test
    void queryShowsEveryQuestionAndTheOpCode() {
        byte[] q = DnsWire.message(7, DnsWire.RD | 5 << 11, 3, 0, 0, 0).question("a.test", 1).question("b.test", 28)
                .question(".", 255).bytes();
        assertEquals("{\"_Timestamp\": 0, \"TransactionId\": 7, \"OpCode\": \"UPDATE\", \"Flags\": [\"RD\"],"
                + " \"ResourceRecords\": [[\"A\", \"a.test\"], [\"AAAA\", \"b.test\"], [\"255\", \".\"]]}", Render.json(one(q)));
    }

    @Test
    void opCodes() {
        String[] names = {"QUERY", "IQUERY", "STATUS", "3", "NOTIFY", "UPDATE", "DSO", "7", "8", "15"};
        int[] codes = {0, 1, 2, 3, 4, 5, 6, 7, 8, 15};
        for (int i = 0; i < codes.length; i++) {
            byte[] q = DnsWire.message(1, codes[i] << 11, 0, 0, 0, 0).bytes();
            assertEquals("\"" + names[i] + "\"", Render.member(one(q), "OpCode"));
        }
    }

    @Test
    void everyResponseCodeByName() {
        String[] names = {"NOERROR", "FORMERROR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET",
            "NXRRSET", "NOTAUTH", "NOTZONE", "DSOTYPENI", "12", "13", "14", "15"};
        for (int rcode = 0; rcode < 16; rcode++) {
            AppMessage m = one(DnsWire.message(1, DnsWire.QR | rcode, 0, 0, 0, 0).bytes());
            assertEquals("\"" + names[rcode] + "\"", Render.member(m, "ResponseCode"));
            assertNull(Render.member(m, "OpCode"));
        }
    }

    @Test
    void extendedResponseCodesFromTheOptRecord() {
        String[] names = {"BADVERS", "BADKEY", "BADTIME", "BADMODE", "BADNAME", "BADALG", "BADTRUNC", "BADCOOKIE", "24"};
        for (int rcode = 16; rcode <= 24; rcode++) {
            DnsWire w = DnsWire.message(1, DnsWire.QR | rcode & 0xf, 0, 0, 0, 1);
            int m = w.name(".").rr(41, 1232, (long) (rcode >> 4) << 24);
            w.end(m);
            assertEquals("\"" + names[rcode - 16] + "\"", Render.member(one(w.bytes()), "ResponseCode"));
        }
        DnsWire w = DnsWire.message(1, DnsWire.QR | 1, 0, 0, 0, 1);
        w.end(w.name(".").rr(41, 1232, 0xff000000L));
        assertEquals("\"4081\"", Render.member(one(w.bytes()), "ResponseCode"));
    }

    @Test
    void flagsInOrder() {
        int all = DnsWire.QR | DnsWire.AA | DnsWire.TC | DnsWire.RD | DnsWire.RA | 0x40 | DnsWire.AD | DnsWire.CD;
        assertEquals("[\"QR\", \"AA\", \"TC\", \"RD\", \"RA\", \"AD\", \"CD\"]",
                Render.member(one(DnsWire.message(1, all, 0, 0, 0, 0).bytes()), "Flags"));
        assertEquals("[\"AD\", \"CD\"]", Render.member(one(DnsWire.message(1, 0x30, 0, 0, 0, 0).bytes()), "Flags"));
        assertEquals("[]", Render.member(one(DnsWire.message(1, 0, 0, 0, 0, 0).bytes()), "Flags"));
    }

    @Test
    void classes() {
        int[] classes = {1, 2, 3, 4, 254, 255, 0, 77};
        String[] names = {"IN", "CS", "CH", "HS", "NONE", "ANY", "0", "77"};
        for (int i = 0; i < classes.length; i++) {
            DnsWire w = response(0, 1, 0, 0);
            { int mark = w.pointer(12).rr(1, classes[i], 1); w.a("192.0.2.1").end(mark); }
            assertEquals("[[\"A\", \"x.test\", 1, \"" + names[i] + "\", \"192.0.2.1\"]]",
                    Render.member(one(w.bytes()), "ResourceRecords"));
        }
    }

    private static String ipv6(String address) {
        DnsWire w = response(0, 1, 0, 0);
        { int mark = w.pointer(12).rr(28, 1, 1); w.bytes(DnsWire.ip6(address)).end(mark); }
        String rr = Render.member(one(w.bytes()), "ResourceRecords");
        return rr.substring(rr.lastIndexOf(", \"") + 3, rr.length() - 3);
    }

    @Test
    void ipv6InRfc5952Form() {
        assertEquals("::", ipv6("::"));
        assertEquals("::1", ipv6("::1"));
        assertEquals("1::", ipv6("1::"));
        assertEquals("2001:db8:0:1:1:1:1:1", ipv6("2001:db8:0:1:1:1:1:1"));
        assertEquals("2001:0:0:1::1", ipv6("2001:0:0:1:0:0:0:1"));
        assertEquals("2001:db8::1:0:0:1", ipv6("2001:db8:0:0:1:0:0:1"));
        assertEquals("fe80::abcd:ef01", ipv6("FE80:0:0:0:0:0:ABCD:EF01"));
        assertEquals("::ffff:192.0.2.128", ipv6("::ffff:192.0.2.128"));
        assertEquals("::fffe:c000:280", ipv6("::fffe:192.0.2.128"));
        assertEquals("1:2:3:4:5:6:7:8", ipv6("1:2:3:4:5:6:7:8"));
    }

    @Test
    void specialBytesInLabelsAreEscaped() {
        DnsWire w = DnsWire.message(1, 0, 1, 0, 0, 0);
        w.label(new byte[] {'a', '.', 'b'}).label(new byte[] {' ', 0, (byte) 0xff, '\\', '"', '(', ')', ';', '@', '$'})
                .label("_x-y*".getBytes()).u8(0).u16(1).u16(1);
        assertEquals("[[\"A\", \"a\\\\046b.\\\\032\\\\000\\\\255\\\\092\\\\034\\\\040\\\\041\\\\059\\\\064\\\\036._x-y*\"]]",
                Render.member(one(w.bytes()), "ResourceRecords"));
    }

    @Test
    void rootNameAndUnknownTypeAsHex() {
        DnsWire w = DnsWire.message(1, DnsWire.QR, 0, 2, 0, 0);
        { int mark = w.name(".").rr(99, 1, 1); w.hex("00ff").end(mark); }
        w.end(w.name(".").rr(48, 1, 1));
        assertEquals("[[\"99\", \".\", 1, \"IN\", \"00ff\"], [\"48\", \".\", 1, \"IN\", \"\"]]",
                Render.member(one(w.bytes()), "ResourceRecords"));
    }

    @Test
    void rdataOfTheWrongShapeIsHexAndMarkedButTheWalkGoesOn() {
        DnsWire w = response(0, 3, 0, 0);
        { int mark = w.pointer(12).rr(1, 1, 1); w.hex("c00002").end(mark); }
        { int mark = w.pointer(12).rr(15, 1, 1); w.u16(5).name("mx.test").u8(9).end(mark); }
        { int mark = w.pointer(12).rr(1, 1, 1); w.a("192.0.2.3").end(mark); }
        AppMessage m = one(w.bytes());
        assertEquals("[[\"A\", \"x.test\", 1, \"IN\", \"c00002\"], [\"MX\", \"x.test\", 1, \"IN\", \"0005026d7804746573740009\"],"
                + " [\"A\", \"x.test\", 1, \"IN\", \"192.0.2.3\"]]", Render.member(m, "ResourceRecords"));
        assertEquals("\"A rdata not 4 bytes at byte 36\"", Render.member(m, "_Malformed"));
    }

    @Test
    void recordsPerSectionAreCappedAt64() {
        DnsWire w = response(0, 70, 0, 1);
        for (int i = 0; i < 70; i++) {
            { int mark = w.pointer(12).rr(1, 1, i); w.a("192.0.2." + i).end(mark); }
        }
        w.end(w.name(".").rr(41, 1232, 1L << 24));
        AppMessage m = one(w.bytes());
        assertEquals("70", Render.member(m, "AnswerCount"));
        assertTrue(Render.member(m, "ResourceRecords").endsWith("[\"A\", \"x.test\", 63, \"IN\", \"192.0.2.63\"]]"));
        assertEquals(64, Render.member(m, "ResourceRecords").split("\"A\"").length - 1);
        assertEquals("true", Render.member(m, "_Truncated"));
        assertEquals("\"BADVERS\"", Render.member(m, "ResponseCode"), "the OPT record after the cap still counts");
        assertEquals("_Truncated", Render.keys(m).getLast());
    }

    @Test
    void captureTruncationIsMarked() {
        byte[] full = Captures.load("a.response");
        byte[] cut = java.util.Arrays.copyOf(full, 40);
        AppMessage m = Expect.DECODER.decode(new AppPayload(SocketRecord.App.DNS, SocketRecord.Protocol.UDP, false,
                SocketRecord.Role.CLIENT, 0, cut, full.length, true, false)).getFirst();
        List<String> keys = Render.keys(m);
        assertEquals(List.of("_Truncated", "_Malformed"), keys.subList(keys.size() - 2, keys.size()));
        assertEquals("[[\"A\", \"a.test\", 300, \"IN\", \"192.0.2.1\"]]", Render.member(m, "ResourceRecords"));
        assertEquals("\"answer count exceeds message at byte 40\"", Render.member(m, "_Malformed"));
    }

    @Test
    void tcpStreamOfSeveralMessagesAndACutLastOne() {
        byte[] a = Captures.load("a.response");
        byte[] mx = Captures.load("mx.response");
        byte[] stream = DnsWire.tcp(a, mx, a);
        byte[] cut = java.util.Arrays.copyOf(stream, stream.length - 10);
        List<AppMessage> messages = Expect.DECODER.decode(Expect.tcp(cut, false));
        assertEquals(3, messages.size());
        assertEquals(Render.json(one(a)), Render.json(messages.get(0)));
        assertEquals(Render.json(one(mx)), Render.json(messages.get(1)));
        AppMessage last = messages.get(2);
        assertEquals("[[\"A\", \"a.test\", 300, \"IN\", \"192.0.2.1\"], [\"A\", \"a.test\", 300, \"IN\", \"192.0.2.2\"]]",
                Render.member(last, "ResourceRecords"));
        assertEquals("true", Render.member(last, "_Truncated"));
        assertEquals("\"additional record truncated at byte 57\"", Render.member(last, "_Malformed"));
    }

    @Test
    void tcpFramingFaults() {
        byte[] a = Captures.load("a.response");
        byte[] stray = java.util.Arrays.copyOf(DnsWire.tcp(a), a.length + 3);
        List<AppMessage> messages = Expect.DECODER.decode(Expect.tcp(stray, false));
        assertEquals(2, messages.size());
        assertEquals("{\"_Timestamp\": 0, \"_Truncated\": true, \"_Malformed\": \"TCP length prefix truncated at byte "
                + (a.length + 2) + "\"}", Render.json(messages.get(1)));
        AppPayload gap = new AppPayload(SocketRecord.App.DNS, SocketRecord.Protocol.TCP, false, SocketRecord.Role.CLIENT,
                0, a, a.length, false, true);
        assertEquals("[{\"_Timestamp\": 0, \"_Malformed\": \"capture gap, stream starts mid-message at byte 0\"}]",
                Render.json(Expect.DECODER.decode(gap)));
        assertEquals(List.of(), Expect.DECODER.decode(Expect.tcp(new byte[0], false)));
        assertEquals(List.of(), Expect.DECODER.decode(Expect.udp(new byte[0], false)));
    }

    @Test
    void atMost64MessagesPerTcpPayload() {
        byte[] q = DnsWire.message(1, 0, 0, 0, 0, 0).bytes();
        byte[][] many = new byte[100][];
        java.util.Arrays.fill(many, q);
        List<AppMessage> messages = Expect.DECODER.decode(Expect.tcp(DnsWire.tcp(many), false));
        assertEquals(64, messages.size());
        assertEquals("true", Render.member(messages.getLast(), "_Truncated"));
        assertNull(Render.member(messages.getFirst(), "_Truncated"));
    }

    @Test
    void shortHeaders() {
        assertEquals("{\"_Timestamp\": 0, \"_Malformed\": \"header truncated at byte 1\"}", Render.json(one(new byte[] {1})));
        assertEquals("{\"_Timestamp\": 0, \"TransactionId\": 258, \"_Malformed\": \"header truncated at byte 3\"}",
                Render.json(one(new byte[] {1, 2, (byte) 0x81})));
        assertEquals("{\"_Timestamp\": 0, \"TransactionId\": 258, \"ResponseCode\": \"NXDOMAIN\", \"Flags\": [\"QR\", \"RD\"],"
                + " \"_Malformed\": \"header truncated at byte 6\"}", Render.json(one(new byte[] {1, 2, (byte) 0x81, 3, 0, 0})));
    }
}
