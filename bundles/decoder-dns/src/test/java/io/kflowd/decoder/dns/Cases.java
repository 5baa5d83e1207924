package io.kflowd.decoder.dns;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * The responses the loopback responder gives dig, one per case, built around the query
 * dig sent (its id, RD bit and question copied), with what the decoder must make of them
 * and what dig must show of them.
 */
final class Cases {

    static final byte[] ECH = HexFormat.of().parseHex("0045fe0d0041aa0020");

    /**
     * @param id        name of the case
     * @param qname     what dig asks for
     * @param qtype     dig's type argument
     * @param rcode     response code
     * @param an        answer count
     * @param ns        authority count
     * @param records   writes answers, then authority records, after the question (at 12)
     * @param expected  the decoded ResourceRecords
     * @param authority the decoded AuthorityRecords, null when none
     * @param digSees   what dig's output must contain
     */
    record Case(String id, String qname, String qtype, int rcode, int an, int ns, Consumer<DnsWire> records,
            String expected, String authority, List<String> digSees) {
    }

    /** Offset of the question name in a response. */
    static final int Q = 12;

    static final List<Case> ALL = List.of(
            new Case("a", "a.test", "A", 0, 2, 0, w -> {
                int m = w.pointer(Q).rr(1, 1, 300);
                w.a("192.0.2.1").end(m);
                m = w.pointer(Q).rr(1, 1, 300);
                w.a("192.0.2.2").end(m);
            }, "[[\"A\", \"a.test\", 300, \"IN\", \"192.0.2.1\"], [\"A\", \"a.test\", 300, \"IN\", \"192.0.2.2\"]]",
                    null, List.of("a.test.\t\t\t300\tIN\tA\t192.0.2.1", "a.test.\t\t\t300\tIN\tA\t192.0.2.2")),
            new Case("aaaa", "v6.test", "AAAA", 0, 3, 0, w -> {
                int m = w.pointer(Q).rr(28, 1, 60);
                w.bytes(DnsWire.ip6("2001:db8::1")).end(m);
                m = w.pointer(Q).rr(28, 1, 60);
                w.bytes(DnsWire.ip6("::ffff:192.0.2.1")).end(m);
                m = w.pointer(Q).rr(28, 1, 60);
                w.bytes(DnsWire.ip6("2001:db8:0:0:1:0:0:1")).end(m);
            }, "[[\"AAAA\", \"v6.test\", 60, \"IN\", \"2001:db8::1\"], [\"AAAA\", \"v6.test\", 60, \"IN\", \"::ffff:192.0.2.1\"],"
                    + " [\"AAAA\", \"v6.test\", 60, \"IN\", \"2001:db8::1:0:0:1\"]]",
                    null, List.of("AAAA\t2001:db8::1", "AAAA\t::ffff:192.0.2.1", "AAAA\t2001:db8::1:0:0:1")),
            new Case("ns", "zone.test", "NS", 0, 2, 0, w -> {
                int m = w.pointer(Q).rr(2, 1, 86400);
                w.nameThen("ns1", Q).end(m);
                m = w.pointer(Q).rr(2, 1, 86400);
                w.name("ns2.elsewhere.test").end(m);
            }, "[[\"NS\", \"zone.test\", 86400, \"IN\", \"ns1.zone.test\"], [\"NS\", \"zone.test\", 86400, \"IN\", \"ns2.elsewhere.test\"]]",
                    null, List.of("NS\tns1.zone.test.", "NS\tns2.elsewhere.test.")),
            new Case("cname", "www.site.test", "A", 0, 2, 0, w -> {
                int m = w.pointer(Q).rr(5, 1, 3600);
                int target = w.pos();
                w.nameThen("web", Q + 4).end(m);
                m = w.pointer(target).rr(1, 1, 3600);
                w.a("192.0.2.80").end(m);
            }, "[[\"CNAME\", \"www.site.test\", 3600, \"IN\", \"web.site.test\"], [\"A\", \"web.site.test\", 3600, \"IN\", \"192.0.2.80\"]]",
                    null, List.of("CNAME\tweb.site.test.", "web.site.test.\t\t3600\tIN\tA\t192.0.2.80")),
            new Case("ptr", "1.2.0.192.in-addr.arpa", "PTR", 0, 1, 0, w -> {
                int m = w.pointer(Q).rr(12, 1, 600);
                w.name("host.test").end(m);
            }, "[[\"PTR\", \"1.2.0.192.in-addr.arpa\", 600, \"IN\", \"host.test\"]]", null, List.of("PTR\thost.test.")),
            new Case("mx", "mail.test", "MX", 0, 2, 0, w -> {
                int m = w.pointer(Q).rr(15, 1, 300);
                w.u16(10).nameThen("mx1", Q).end(m);
                m = w.pointer(Q).rr(15, 1, 300);
                w.u16(20).name("backup.test").end(m);
            }, "[[\"MX\", \"mail.test\", 300, \"IN\", \"10 mx1.mail.test\"], [\"MX\", \"mail.test\", 300, \"IN\", \"20 backup.test\"]]",
                    null, List.of("MX\t10 mx1.mail.test.", "MX\t20 backup.test.")),
            new Case("txt", "txt.test", "TXT", 0, 2, 0, w -> {
                int m = w.pointer(Q).rr(16, 1, 300);
                w.string("v=spf1 -all").end(m);
                m = w.pointer(Q).rr(16, 1, 300);
                w.string("say \"hi\" \\ now").bytes(new byte[] {5, 't', 'a', 'b', '\t', (byte) 0xe9}).string("").end(m);
            }, "[[\"TXT\", \"txt.test\", 300, \"IN\", \"\\\"v=spf1 -all\\\"\"], [\"TXT\", \"txt.test\", 300, \"IN\","
                    + " \"\\\"say \\\\\\\"hi\\\\\\\" \\\\\\\\ now\\\" \\\"tab\\\\009\\\\233\\\" \\\"\\\"\"]]",
                    null, List.of("TXT\t\"v=spf1 -all\"", "TXT\t\"say \\\"hi\\\" \\\\ now\" \"tab\\009\\233\" \"\"")),
            new Case("soa", "soa.test", "SOA", 0, 1, 0, w -> {
                int m = w.pointer(Q).rr(6, 1, 3600);
                w.nameThen("ns1", Q).nameThen("hostmaster", Q).u32(2025010101L).u32(7200).u32(3600).u32(1209600)
                        .u32(4294967295L).end(m);
            }, "[[\"SOA\", \"soa.test\", 3600, \"IN\", \"ns1.soa.test hostmaster.soa.test 2025010101 7200 3600 1209600 4294967295\"]]",
                    null, List.of("SOA\tns1.soa.test. hostmaster.soa.test. 2025010101 7200 3600 1209600 4294967295")),
            new Case("srv", "_sip._tcp.test", "SRV", 0, 1, 0, w -> {
                int m = w.pointer(Q).rr(33, 1, 120);
                w.u16(10).u16(60).u16(5060).name("sip.test").end(m);
            }, "[[\"SRV\", \"_sip._tcp.test\", 120, \"IN\", \"10 60 5060 sip.test\"]]", null,
                    List.of("SRV\t10 60 5060 sip.test.")),
            new Case("caa", "caa.test", "CAA", 0, 2, 0, w -> {
                int m = w.pointer(Q).rr(257, 1, 300);
                w.u8(0).string("issue").bytes("letsencrypt.org".getBytes()).end(m);
                m = w.pointer(Q).rr(257, 1, 300);
                w.u8(128).string("iodef").bytes("mailto:sec@caa.test".getBytes()).end(m);
            }, "[[\"CAA\", \"caa.test\", 300, \"IN\", \"0 issue \\\"letsencrypt.org\\\"\"], [\"CAA\", \"caa.test\", 300, \"IN\","
                    + " \"128 iodef \\\"mailto:sec@caa.test\\\"\"]]",
                    null, List.of("CAA\t0 issue \"letsencrypt.org\"", "CAA\t128 iodef \"mailto:sec@caa.test\"")),
            new Case("https", "svc.test", "HTTPS", 0, 1, 0, w -> {
                int m = w.pointer(Q).rr(65, 1, 300);
                w.u16(1).name(".");
                w.u16(1).u16(6).string("h2").string("h3");
                w.u16(3).u16(2).u16(443);
                w.u16(4).u16(8).a("192.0.2.1").a("192.0.2.2");
                w.u16(5).u16(ECH.length).bytes(ECH);
                w.u16(6).u16(16).bytes(DnsWire.ip6("2001:db8::1"));
                w.end(m);
            }, "[[\"HTTPS\", \"svc.test\", 300, \"IN\", \"1 . alpn=h2,h3 port=443 ipv4hint=192.0.2.1,192.0.2.2 ech="
                    + Base64.getEncoder().encodeToString(ECH) + " ipv6hint=2001:db8::1\"]]", null,
                    List.of("HTTPS\t1 . alpn=\"h2,h3\" port=443 ipv4hint=192.0.2.1,192.0.2.2 ech=", "ipv6hint=2001:db8::1")),
            new Case("svcb", "_dns.resolver.test", "SVCB", 0, 2, 0, w -> {
                int m = w.pointer(Q).rr(64, 1, 300);
                w.u16(1).name("dns.resolver.test");
                w.u16(0).u16(2).u16(1);
                w.u16(1).u16(4).string("dot");
                w.u16(2).u16(0);
                w.u16(65000).u16(3).hex("010203");
                w.end(m);
                m = w.pointer(Q).rr(64, 1, 300);
                w.u16(0).name("alias.test").end(m);
            }, "[[\"SVCB\", \"_dns.resolver.test\", 300, \"IN\", \"1 dns.resolver.test mandatory=alpn alpn=dot no-default-alpn key65000=010203\"],"
                    + " [\"SVCB\", \"_dns.resolver.test\", 300, \"IN\", \"0 alias.test\"]]",
                    null, List.of("SVCB\t1 dns.resolver.test. mandatory=alpn alpn=\"dot\" no-default-alpn key65000=",
                            "SVCB\t0 alias.test.")),
            new Case("unknown", "private.test", "TYPE65280", 0, 1, 0, w -> {
                int m = w.pointer(Q).rr(65280, 1, 5);
                w.hex("deadbeef00").end(m);
            }, "[[\"65280\", \"private.test\", 5, \"IN\", \"deadbeef00\"]]", null, List.of("TYPE65280 \\# 5 DEADBEEF00")),
            new Case("nxdomain", "missing.test", "A", 3, 0, 1, w -> {
                int m = w.name("test").rr(6, 1, 900);
                w.name("ns.test").name("admin.test").u32(7).u32(1800).u32(900).u32(604800).u32(86400).end(m);
            }, "[]", "[[\"SOA\", \"test\", 900, \"IN\", \"ns.test admin.test 7 1800 900 604800 86400\"]]",
                    List.of("status: NXDOMAIN", "test.\t\t\t900\tIN\tSOA\tns.test. admin.test. 7 1800 900 604800 86400")),
            new Case("refused", "refused.test", "A", 5, 0, 0, w -> {
            }, "[]", null, List.of("status: REFUSED")),
            new Case("compressed", "www.example.test", "A", 0, 3, 0, w -> {
                // www.example.test CNAME cdn.example.test; cdn... CNAME edge.cdn.example.test; edge... A
                int m = w.pointer(Q).rr(5, 1, 30);
                int cdn = w.pos();
                w.nameThen("cdn", Q + 4).end(m);
                m = w.pointer(cdn).rr(5, 1, 30);
                int edge = w.pos();
                w.nameThen("edge", cdn).end(m);
                m = w.pointer(edge).rr(1, 1, 30);
                w.a("192.0.2.99").end(m);
            }, "[[\"CNAME\", \"www.example.test\", 30, \"IN\", \"cdn.example.test\"], [\"CNAME\", \"cdn.example.test\", 30, \"IN\","
                    + " \"edge.cdn.example.test\"], [\"A\", \"edge.cdn.example.test\", 30, \"IN\", \"192.0.2.99\"]]",
                    null, List.of("CNAME\tedge.cdn.example.test.", "edge.cdn.example.test.\t30\tIN\tA\t192.0.2.99")));

    static Case byId(String id) {
        return ALL.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    private Cases() {
    }

    /** End of the question section of a one-question query (uncompressed name). */
    static int questionEnd(byte[] query, int start) {
        int p = start + 12;
        while (query[p] != 0) {
            p += 1 + (query[p] & 0xff);
        }
        return p + 1 + 4;
    }

    /** The response to a query (without TCP prefix): its id, RD and question, the case's records, an OPT record. */
    static byte[] respond(Case c, byte[] query) {
        int id = (query[0] & 0xff) << 8 | query[1] & 0xff;
        int rd = query[2] & 0x01;
        int flags = DnsWire.QR | DnsWire.AA | rd << 8 | DnsWire.RA | c.rcode();
        DnsWire w = DnsWire.message(id, flags, 1, c.an(), c.ns(), 1);
        int qEnd = questionEnd(query, 0);
        w.bytes(java.util.Arrays.copyOfRange(query, 12, qEnd));
        c.records().accept(w);
        int m = w.name(".").rr(41, 1232, 0);
        w.end(m);
        return w.bytes();
    }

    /** AXFR of zone "test" over TCP: two messages, SOA + A, then AAAA + SOA. */
    static byte[][] axfr(byte[] query) {
        int id = (query[0] & 0xff) << 8 | query[1] & 0xff;
        byte[] question = java.util.Arrays.copyOfRange(query, 12, questionEnd(query, 0));
        DnsWire first = DnsWire.message(id, DnsWire.QR | DnsWire.AA, 1, 2, 0, 0).bytes(question);
        int m = first.pointer(Q).rr(6, 1, 3600);
        first.nameThen("ns", Q).nameThen("admin", Q).u32(42).u32(3600).u32(600).u32(86400).u32(60).end(m);
        m = first.nameThen("www", Q).rr(1, 1, 3600);
        first.a("192.0.2.10").end(m);
        DnsWire second = DnsWire.message(id, DnsWire.QR | DnsWire.AA, 0, 2, 0, 0);
        m = second.name("www.test").rr(28, 1, 3600);
        second.bytes(DnsWire.ip6("2001:db8::10")).end(m);
        m = second.name("test").rr(6, 1, 3600);
        second.name("ns.test").name("admin.test").u32(42).u32(3600).u32(600).u32(86400).u32(60).end(m);
        return new byte[][] {first.bytes(), second.bytes()};
    }

    static final String AXFR_FIRST = "[[\"SOA\", \"test\", 3600, \"IN\", \"ns.test admin.test 42 3600 600 86400 60\"],"
            + " [\"A\", \"www.test\", 3600, \"IN\", \"192.0.2.10\"]]";
    static final String AXFR_SECOND = "[[\"AAAA\", \"www.test\", 3600, \"IN\", \"2001:db8::10\"],"
            + " [\"SOA\", \"test\", 3600, \"IN\", \"ns.test admin.test 42 3600 600 86400 60\"]]";
}
