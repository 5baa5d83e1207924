package io.kflowd.decoder.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kflowd.api.AppMessage;
import io.kflowd.api.AppPayload;
import io.kflowd.api.SocketRecord;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hostile and broken input: a partial decode and a marker, never an exception or a hang. */
@Timeout(60)
class MalformedTest {

    private static AppMessage one(byte[] message) {
        List<AppMessage> messages = Expect.DECODER.decode(Expect.udp(message, false));
        Invariants.check(message, messages);
        return messages.getFirst();
    }

    private static String malformed(byte[] message) {
        return Render.member(one(message), "_Malformed");
    }

    @Test
    void pointerToItself() {
        byte[] m = DnsWire.message(1, 0, 1, 0, 0, 0).pointer(12).u16(1).u16(1).bytes();
        assertEquals("\"forward compression pointer at byte 12\"", malformed(m));
    }

    @Test
    void pointerLoopThroughLabels() {
        byte[] m = DnsWire.message(1, 0, 1, 0, 0, 0).string("a").pointer(12).u16(1).u16(1).bytes();
        assertEquals("\"compression pointer loop at byte 14\"", malformed(m));
    }

    @Test
    void pointerLoopBetweenTwoNames() {
        // question: "a" -> answer owner at 20; answer owner: "b" -> 12 (back to the question)
        DnsWire w = DnsWire.message(1, DnsWire.QR, 1, 1, 0, 0).string("a").pointer(20).u16(1).u16(1);
        { int mark = w.nameThen("b", 12).rr(1, 1, 1); w.a("192.0.2.1").end(mark); }
        assertEquals("\"forward compression pointer at byte 14\"", malformed(w.bytes()));
        // answer owner "b" -> 12, where "a" -> 20 (the answer, after the question: a loop)
        DnsWire v = DnsWire.message(1, DnsWire.QR, 1, 1, 0, 0).question("q.test", 1);
        int owner = v.pos();
        v.string("b").pointer(owner + 4).u16(1).u16(1).u32(1).u16(4).a("192.0.2.1");
        byte[] bytes = v.bytes();
        bytes[owner + 2] = (byte) 0xc0;
        bytes[owner + 3] = (byte) 12;
        bytes[12] = (byte) 0xc0;
        bytes[13] = (byte) owner;
        assertTrue(malformed(bytes).contains("compression pointer"), malformed(bytes));
    }

    @Test
    void labelLongerThan63() {
        byte[] m = DnsWire.message(1, 0, 1, 0, 0, 0).u8(64).bytes(new byte[64]).u8(0).u16(1).u16(1).bytes();
        assertEquals("\"label type 0x40 (longer than 63) at byte 12\"", malformed(m));
        byte[] n = DnsWire.message(1, 0, 1, 0, 0, 0).u8(0x80).u8(0).u16(1).u16(1).bytes();
        assertEquals("\"label type 0x80 (longer than 63) at byte 12\"", malformed(n));
    }

    @Test
    void nameLongerThan255() {
        DnsWire w = DnsWire.message(1, 0, 1, 0, 0, 0);
        for (int i = 0; i < 4; i++) {
            w.label(new byte[63]);
        }
        w.u8(0).u16(1).u16(1);
        assertEquals("\"name longer than 255 at byte 204\"", malformed(w.bytes()));
        DnsWire ok = DnsWire.message(1, 0, 1, 0, 0, 0);
        for (int i = 0; i < 3; i++) {
            ok.label(new byte[63]);
        }
        ok.label(new byte[61]).u8(0).u16(1).u16(1);
        AppMessage m = one(ok.bytes());
        assertEquals(null, Render.member(m, "_Malformed"), "255 bytes is the limit, not over it");
    }

    @Test
    void countsLargerThanTheMessage() {
        DnsWire w = DnsWire.message(1, DnsWire.QR, 1, 5000, 3, 9).question("x.test", 1);
        { int mark = w.pointer(12).rr(1, 1, 1); w.a("192.0.2.1").end(mark); }
        AppMessage m = one(w.bytes());
        assertEquals("[[\"A\", \"x.test\", 1, \"IN\", \"192.0.2.1\"]]", Render.member(m, "ResourceRecords"));
        assertEquals("5000", Render.member(m, "AnswerCount"));
        assertEquals("\"answer count exceeds message at byte 40\"", Render.member(m, "_Malformed"));
        byte[] q = DnsWire.message(1, 0, 65535, 0, 0, 0).question("x.test", 1).bytes();
        assertEquals("\"question count exceeds message at byte 24\"", malformed(q));
    }

    @Test
    void trailingBytes() {
        byte[] m = DnsWire.message(1, 0, 1, 0, 0, 0).question("x.test", 1).u8(0).bytes();
        assertEquals("\"trailing bytes at byte 24\"", malformed(m));
    }

    @Test
    void everyPrefixOfEveryCapture() {
        int decoded = 0;
        for (byte[] full : Captures.udpMessages()) {
            assertEquals(null, Render.member(one(full), "_Malformed"));
            for (int length = 1; length < full.length; length++) {
                byte[] cut = Arrays.copyOf(full, length);
                List<AppMessage> messages = Expect.DECODER.decode(new AppPayload(SocketRecord.App.DNS,
                        SocketRecord.Protocol.UDP, false, SocketRecord.Role.CLIENT, 0, cut, full.length, true, false));
                Invariants.check(cut, messages);
                assertTrue(Invariants.malformed(messages.getFirst()), Render.json(messages));
                assertEquals("true", Render.member(messages.getFirst(), "_Truncated"));
                decoded++;
            }
        }
        for (String name : List.of("axfr.query.tcp", "axfr.response.tcp")) {
            byte[] full = Captures.load(name);
            for (int length = 1; length < full.length; length++) {
                byte[] cut = Arrays.copyOf(full, length);
                List<AppMessage> messages = Expect.DECODER.decode(new AppPayload(SocketRecord.App.DNS,
                        SocketRecord.Protocol.TCP, false, SocketRecord.Role.CLIENT, 0, cut, full.length, true, false));
                Invariants.check(cut, messages);
                // cut inside a message: _Malformed; cut between two: the last complete one says _Truncated
                assertEquals("true", Render.member(messages.getLast(), "_Truncated"), Render.json(messages));
                decoded++;
            }
        }
        assertTrue(decoded > 2000, "prefixes: " + decoded);
    }

    @Test
    void randomMutationsOfEveryCapture() {
        Random random = new Random(20251126);
        List<byte[]> seeds = Captures.udpMessages();
        int iterations = 200_000;
        for (int i = 0; i < iterations; i++) {
            byte[] data = mutate(seeds.get(random.nextInt(seeds.size())), random);
            Invariants.check(data, Expect.DECODER.decode(Expect.udp(data, false)));
            Invariants.check(data, Expect.DECODER.decode(Expect.tcp(data, false)));
        }
    }

    /** A few byte flips, small-value writes (pointers, counts, lengths), cuts, inserts or deletes. */
    static byte[] mutate(byte[] seed, Random random) {
        byte[] data = seed.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && data.length > 0; e++) {
            int at = random.nextInt(data.length);
            switch (random.nextInt(6)) {
                case 0 -> data[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> data[at] = (byte) random.nextInt(256);
                case 2 -> data[at] = (byte) (0xc0 | random.nextInt(2));
                case 3 -> data = Arrays.copyOf(data, at + 1);
                case 4 -> {
                    byte[] longer = new byte[data.length + 1];
                    System.arraycopy(data, 0, longer, 0, at);
                    longer[at] = (byte) random.nextInt(64);
                    System.arraycopy(data, at, longer, at + 1, data.length - at);
                    data = longer;
                }
                default -> {
                    byte[] shorter = new byte[data.length - 1];
                    System.arraycopy(data, 0, shorter, 0, at);
                    System.arraycopy(data, at + 1, shorter, at, data.length - at - 1);
                    data = shorter;
                }
            }
        }
        return data;
    }
}
