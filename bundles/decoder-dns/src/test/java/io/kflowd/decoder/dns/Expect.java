package io.kflowd.decoder.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kflowd.api.AppMessage;
import io.kflowd.api.AppPayload;
import io.kflowd.api.SocketRecord;
import java.util.List;

/** What the decoder must make of a case's query (as dig sent it) and response. */
final class Expect {

    static final DnsDecoder DECODER = new DnsDecoder();

    private Expect() {
    }

    static AppPayload udp(byte[] data, boolean transmitted) {
        return new AppPayload(SocketRecord.App.DNS, SocketRecord.Protocol.UDP, transmitted, SocketRecord.Role.CLIENT,
                0, data, data.length, false, false);
    }

    static AppPayload tcp(byte[] data, boolean transmitted) {
        return new AppPayload(SocketRecord.App.DNS, SocketRecord.Protocol.TCP, transmitted, SocketRecord.Role.CLIENT,
                0, data, data.length, false, false);
    }

    static int id(byte[] message) {
        return (message[0] & 0xff) << 8 | message[1] & 0xff;
    }

    /** The flags dig set, rendered, from the raw header. */
    static String flags(byte[] message) {
        int f = (message[2] & 0xff) << 8 | message[3] & 0xff;
        StringBuilder sb = new StringBuilder("[");
        String[] names = {"QR", "AA", "TC", "RD", "RA", "AD", "CD"};
        int[] bits = {0x8000, 0x0400, 0x0200, 0x0100, 0x0080, 0x0020, 0x0010};
        for (int i = 0; i < names.length; i++) {
            if ((f & bits[i]) != 0) {
                sb.append(sb.length() > 1 ? ", " : "").append('"').append(names[i]).append('"');
            }
        }
        return sb.append(']').toString();
    }

    /** A query of dig's: one question, an OPT record with a client cookie (option 10, 8 bytes). */
    static void query(AppMessage m, byte[] query, String type, String name) {
        assertEquals(List.of("_Timestamp", "TransactionId", "OpCode", "Flags", "ResourceRecords", "AdditionalRecords"),
                Render.keys(m), Render.json(m));
        assertEquals(Long.toString(id(query)), Render.member(m, "TransactionId"));
        assertEquals("\"QUERY\"", Render.member(m, "OpCode"));
        assertEquals(flags(query), Render.member(m, "Flags"));
        assertTrue(Render.member(m, "Flags").contains("\"RD\""));
        assertEquals("[[\"" + type + "\", \"" + name + "\"]]", Render.member(m, "ResourceRecords"));
        String additional = Render.member(m, "AdditionalRecords");
        assertTrue(additional.matches("\\[\\[\"OPT\", \"\\.\", 0, \"1232\", \"udp=1232 ednsversion=0 do=0 opt10=[0-9a-f]{16}\"\\]\\]"),
                additional);
    }

    static String rcodeName(int rcode) {
        return switch (rcode) {
            case 0 -> "NOERROR";
            case 3 -> "NXDOMAIN";
            case 5 -> "REFUSED";
            default -> throw new IllegalArgumentException();
        };
    }

    static void response(Cases.Case c, AppMessage m, byte[] query) {
        String expected = "{\"_Timestamp\": 0, \"TransactionId\": " + id(query) + ", \"ResponseCode\": \""
                + rcodeName(c.rcode()) + "\", \"Flags\": [\"QR\", \"AA\", \"RD\", \"RA\"], \"AnswerCount\": " + c.an()
                + ", \"ResourceRecords\": " + c.expected()
                + (c.authority() == null ? "" : ", \"AuthorityRecords\": " + c.authority())
                + ", \"AdditionalRecords\": [[\"OPT\", \".\", 0, \"1232\", \"udp=1232 ednsversion=0 do=0\"]]}";
        assertEquals(expected, Render.json(m));
    }

    static void axfrQuery(AppMessage m, byte[] query) {
        assertEquals(Long.toString(id(query)), Render.member(m, "TransactionId"));
        assertEquals("[[\"252\", \"test\"]]", Render.member(m, "ResourceRecords"), Render.json(m));
    }

    static void axfrResponse(List<AppMessage> messages, byte[] query) {
        assertEquals(2, messages.size(), Render.json(messages));
        String head = "{\"_Timestamp\": 0, \"TransactionId\": " + id(query)
                + ", \"ResponseCode\": \"NOERROR\", \"Flags\": [\"QR\", \"AA\"], \"AnswerCount\": 2, \"ResourceRecords\": ";
        assertEquals(head + Cases.AXFR_FIRST + "}", Render.json(messages.get(0)));
        assertEquals(head + Cases.AXFR_SECOND + "}", Render.json(messages.get(1)));
    }
}
