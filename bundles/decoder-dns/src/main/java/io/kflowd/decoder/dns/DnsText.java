package io.kflowd.decoder.dns;

import io.kflowd.api.AppMessage;
import io.kflowd.api.AppMessage.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * Mnemonics and the text forms of addresses, hex and escaped bytes. The values used for
 * every message (mnemonics, flag arrays) are made once, so a typical message allocates
 * only its names, data and numbers.
 */
final class DnsText {

    static final int TYPE_A = 1, TYPE_NS = 2, TYPE_CNAME = 5, TYPE_SOA = 6, TYPE_PTR = 12, TYPE_MX = 15,
            TYPE_TXT = 16, TYPE_AAAA = 28, TYPE_SRV = 33, TYPE_OPT = 41, TYPE_SVCB = 64, TYPE_HTTPS = 65,
            TYPE_CAA = 257;

    private static final Value A = str("A"), NS = str("NS"), CNAME = str("CNAME"), SOA = str("SOA"),
            PTR = str("PTR"), MX = str("MX"), TXT = str("TXT"), AAAA = str("AAAA"), SRV = str("SRV"),
            OPT = str("OPT"), SVCB = str("SVCB"), HTTPS = str("HTTPS"), CAA = str("CAA");

    private static final Value IN = str("IN"), CS = str("CS"), CH = str("CH"), HS = str("HS"),
            NONE = str("NONE"), ANY = str("ANY");

    private static final Value[] OPCODES = values("QUERY", "IQUERY", "STATUS", null, "NOTIFY", "UPDATE", "DSO");

    /** RCODEs 0-23 by name; 16 is BADVERS in a header (BADSIG only in a TSIG record). */
    private static final Value[] RCODES = values("NOERROR", "FORMERROR", "SERVFAIL", "NXDOMAIN", "NOTIMP",
            "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE", "DSOTYPENI", null, null, null,
            null, "BADVERS", "BADKEY", "BADTIME", "BADMODE", "BADNAME", "BADALG", "BADTRUNC", "BADCOOKIE");

    /** Header flag bits, in output order: QR AA TC RD RA AD CD. */
    private static final int[] FLAG_BITS = {0x8000, 0x0400, 0x0200, 0x0100, 0x0080, 0x0020, 0x0010};
    private static final String[] FLAG_NAMES = {"QR", "AA", "TC", "RD", "RA", "AD", "CD"};
    /** All 128 combinations of the seven flags, indexed by {@link #flagIndex}. */
    private static final Value[] FLAGS = new Value[1 << FLAG_BITS.length];

    static {
        for (int combo = 0; combo < FLAGS.length; combo++) {
            List<Value> names = new ArrayList<>(FLAG_BITS.length);
            for (int i = 0; i < FLAG_BITS.length; i++) {
                if ((combo & 1 << i) != 0) {
                    names.add(str(FLAG_NAMES[i]));
                }
            }
            FLAGS[combo] = new AppMessage.ArrayValue(names);
        }
    }

    static final Value ROOT = str(".");

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private DnsText() {
    }

    private static Value str(String text) {
        return new AppMessage.StringValue(text);
    }

    private static Value[] values(String... names) {
        Value[] values = new Value[names.length];
        for (int i = 0; i < names.length; i++) {
            values[i] = names[i] == null ? null : str(names[i]);
        }
        return values;
    }

    static Value type(int type) {
        return switch (type) {
            case TYPE_A -> A;
            case TYPE_NS -> NS;
            case TYPE_CNAME -> CNAME;
            case TYPE_SOA -> SOA;
            case TYPE_PTR -> PTR;
            case TYPE_MX -> MX;
            case TYPE_TXT -> TXT;
            case TYPE_AAAA -> AAAA;
            case TYPE_SRV -> SRV;
            case TYPE_OPT -> OPT;
            case TYPE_SVCB -> SVCB;
            case TYPE_HTTPS -> HTTPS;
            case TYPE_CAA -> CAA;
            default -> str(Integer.toString(type));
        };
    }

    static Value dnsClass(int dnsClass) {
        return switch (dnsClass) {
            case 1 -> IN;
            case 2 -> CS;
            case 3 -> CH;
            case 4 -> HS;
            case 254 -> NONE;
            case 255 -> ANY;
            default -> str(Integer.toString(dnsClass));
        };
    }

    static Value opcode(int opcode) {
        Value name = opcode < OPCODES.length ? OPCODES[opcode] : null;
        return name != null ? name : str(Integer.toString(opcode));
    }

    static Value rcode(int rcode) {
        Value name = rcode < RCODES.length ? RCODES[rcode] : null;
        return name != null ? name : str(Integer.toString(rcode));
    }

    static Value flags(int headerFlags) {
        int index = 0;
        for (int i = 0; i < FLAG_BITS.length; i++) {
            if ((headerFlags & FLAG_BITS[i]) != 0) {
                index |= 1 << i;
            }
        }
        return FLAGS[index];
    }

    static void ipv4(byte[] d, int at, StringBuilder sb) {
        sb.append(d[at] & 0xff).append('.').append(d[at + 1] & 0xff).append('.')
                .append(d[at + 2] & 0xff).append('.').append(d[at + 3] & 0xff);
    }

    /** RFC 5952: lower case, no leading zeros, the longest run (first of equals) of two or more zero groups as "::", IPv4-mapped as ::ffff:a.b.c.d. */
    static void ipv6(byte[] d, int at, StringBuilder sb) {
        int bestStart = -1, bestLength = 1, runStart = -1;
        for (int g = 0; g < 8; g++) {
            boolean zero = d[at + 2 * g] == 0 && d[at + 2 * g + 1] == 0;
            if (zero) {
                if (runStart < 0) {
                    runStart = g;
                }
                if (g - runStart + 1 > bestLength) {
                    bestStart = runStart;
                    bestLength = g - runStart + 1;
                }
            } else {
                runStart = -1;
            }
        }
        if (bestStart == 0 && bestLength == 5 && (d[at + 10] & 0xff) == 0xff && (d[at + 11] & 0xff) == 0xff) {
            sb.append("::ffff:");
            ipv4(d, at + 12, sb);
            return;
        }
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                sb.append("::");
                g += bestLength - 1;
                continue;
            }
            if (g > 0 && g != bestStart + bestLength) {
                sb.append(':');
            }
            int group = (d[at + 2 * g] & 0xff) << 8 | d[at + 2 * g + 1] & 0xff;
            boolean started = false;
            for (int shift = 12; shift >= 0; shift -= 4) {
                int nibble = group >> shift & 0xf;
                if (nibble != 0 || started || shift == 0) {
                    sb.append(HEX[nibble]);
                    started = true;
                }
            }
        }
    }

    static void hex(byte[] d, int from, int to, StringBuilder sb) {
        for (int i = from; i < to; i++) {
            sb.append(HEX[(d[i] & 0xf0) >> 4]).append(HEX[d[i] & 0xf]);
        }
    }

    /** {@code \DDD}, RFC 1035 master file style. */
    static void escapeDecimal(int b, StringBuilder sb) {
        sb.append('\\').append((char) ('0' + b / 100)).append((char) ('0' + b / 10 % 10))
                .append((char) ('0' + b % 10));
    }

    /**
     * A byte of a label: printable ASCII as it is, except the master file specials
     * {@code . \ " ( ) ; @ $}; everything else (space, controls, DEL, non-ASCII) as \DDD.
     */
    static void labelByte(int b, StringBuilder sb) {
        if (b > 0x20 && b < 0x7f && b != '.' && b != '\\' && b != '"' && b != '(' && b != ')' && b != ';'
                && b != '@' && b != '$') {
            sb.append((char) b);
        } else {
            escapeDecimal(b, sb);
        }
    }

    /** A byte inside a quoted string: {@code \"} and {@code \\}, non-printables as \DDD. */
    static void quotedByte(int b, StringBuilder sb) {
        if (b == '"' || b == '\\') {
            sb.append('\\').append((char) b);
        } else if (b >= 0x20 && b < 0x7f) {
            sb.append((char) b);
        } else {
            escapeDecimal(b, sb);
        }
    }

    /** A byte of an SvcParam value list (alpn): as in a label, and ',' escaped too. */
    static void listByte(int b, StringBuilder sb) {
        if (b == ',') {
            escapeDecimal(b, sb);
        } else {
            labelByte(b, sb);
        }
    }

    static String svcKey(int key) {
        return switch (key) {
            case 0 -> "mandatory";
            case 1 -> "alpn";
            case 2 -> "no-default-alpn";
            case 3 -> "port";
            case 4 -> "ipv4hint";
            case 5 -> "ech";
            case 6 -> "ipv6hint";
            default -> "key" + key;
        };
    }
}
