package io.kflowd.decoder.dns;

import static io.kflowd.api.AppMessage.array;
import static io.kflowd.api.AppMessage.member;
import static io.kflowd.api.AppMessage.number;
import static io.kflowd.api.AppMessage.string;

import io.kflowd.api.AppMessage;
import io.kflowd.api.AppMessage.Member;
import io.kflowd.api.AppMessage.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * One DNS message, {@code d[base, end)}, parsed byte by byte and rendered into an
 * {@link AppMessage} (layout: package-info). Used once. Every loop is bounded: by a count
 * and the bytes left (each record or question consumes at least one byte), by the 255-byte
 * name limit, or by compression pointers that must point strictly before the run of labels
 * they end. A fault stops the section walk (or, inside well-framed rdata, only renders that
 * rdata as hex) and becomes the {@code _Malformed} member: what was decoded before it stays.
 */
final class DnsMessageParser {

    /** Records (questions) rendered per section; the rest are walked, not rendered. */
    static final int MAX_RECORDS = 64;
    /** RFC 1035 2.3.4: a name is at most 255 bytes on the wire. */
    static final int MAX_NAME = 255;

    private static final Value TRUE = AppMessage.bool(true);

    private final byte[] d;
    private final int base;
    private final int end;
    private final StringBuilder sb = new StringBuilder(64);
    private String error;
    private boolean capped;
    private boolean hasOpt;
    private int optTtl;

    DnsMessageParser(byte[] data, int base, int end) {
        this.d = data;
        this.base = base;
        this.end = end;
    }

    /** A parse fault; no stack trace, it is a value. */
    static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Malformed(String reason) {
            super(reason, null, false, false);
        }
    }

    private Malformed fail(String reason, int pos) {
        return new Malformed(reason + " at byte " + (pos - base));
    }

    private void note(Malformed fault) {
        if (error == null) {
            error = fault.getMessage();
        }
    }

    /** A message of only a timestamp and markers, for a TCP stream that cannot be framed. */
    static AppMessage framingOnly(Value timestamp, boolean truncated, String reason) {
        return truncated
                ? AppMessage.of(member("_Timestamp", timestamp), member("_Truncated", TRUE),
                        member("_Malformed", string(reason)))
                : AppMessage.of(member("_Timestamp", timestamp), member("_Malformed", string(reason)));
    }

    /** The message with {@code _Truncated: true}, before a {@code _Malformed} member. */
    static AppMessage markTruncated(AppMessage message) {
        List<Member> members = new ArrayList<>(message.members());
        for (Member m : members) {
            if (m.key().equals("_Truncated")) {
                return message;
            }
        }
        int at = members.size();
        if (at > 0 && members.get(at - 1).key().equals("_Malformed")) {
            at--;
        }
        members.add(at, member("_Truncated", TRUE));
        return new AppMessage(members);
    }

    AppMessage parse(Value timestamp, boolean truncated) {
        List<Member> members = new ArrayList<>(10);
        members.add(member("_Timestamp", timestamp));
        int length = end - base;
        if (length >= 2) {
            members.add(member("TransactionId", number(u16(base))));
        }
        if (length < 4) {
            error = "header truncated at byte " + length;
            return finish(members, truncated);
        }
        int flags = u16(base + 2);
        boolean response = (flags & 0x8000) != 0;
        if (length < 12) {
            members.add(response ? member("ResponseCode", DnsText.rcode(flags & 0xf))
                    : member("OpCode", DnsText.opcode(flags >> 11 & 0xf)));
            members.add(member("Flags", DnsText.flags(flags)));
            error = "header truncated at byte " + length;
            return finish(members, truncated);
        }
        int qdCount = u16(base + 4);
        int anCount = u16(base + 6);
        int nsCount = u16(base + 8);
        int arCount = u16(base + 10);
        List<Value> questions = response ? null : new ArrayList<>(Math.min(qdCount, MAX_RECORDS));
        List<Value> answers = response ? new ArrayList<>(Math.min(anCount, MAX_RECORDS)) : null;
        List<Value> authority = nsCount == 0 ? null : new ArrayList<>(Math.min(nsCount, MAX_RECORDS));
        List<Value> additional = arCount == 0 ? null : new ArrayList<>(Math.min(arCount, MAX_RECORDS));
        try {
            int pos = questions(base + 12, qdCount, questions);
            pos = records(pos, anCount, answers, "answer", false);
            pos = records(pos, nsCount, authority, "authority", false);
            pos = records(pos, arCount, additional, "additional", true);
            if (pos < end) {
                throw fail("trailing bytes", pos);
            }
        } catch (Malformed fault) {
            note(fault);
        }
        if (response) {
            int rcode = flags & 0xf;
            if (hasOpt) {
                rcode |= (optTtl >>> 24) << 4;
            }
            members.add(member("ResponseCode", DnsText.rcode(rcode)));
        } else {
            members.add(member("OpCode", DnsText.opcode(flags >> 11 & 0xf)));
        }
        members.add(member("Flags", DnsText.flags(flags)));
        if (response) {
            members.add(member("AnswerCount", number(anCount)));
        }
        members.add(member("ResourceRecords", new AppMessage.ArrayValue(response ? answers : questions)));
        if (authority != null && !authority.isEmpty()) {
            members.add(member("AuthorityRecords", new AppMessage.ArrayValue(authority)));
        }
        if (additional != null && !additional.isEmpty()) {
            members.add(member("AdditionalRecords", new AppMessage.ArrayValue(additional)));
        }
        return finish(members, truncated || capped);
    }

    private AppMessage finish(List<Member> members, boolean truncated) {
        if (truncated) {
            members.add(member("_Truncated", TRUE));
        }
        if (error != null) {
            members.add(member("_Malformed", string(error)));
        }
        return new AppMessage(members);
    }

    private int u8(int pos) {
        return d[pos] & 0xff;
    }

    private int u16(int pos) {
        return (d[pos] & 0xff) << 8 | d[pos + 1] & 0xff;
    }

    private int s32(int pos) {
        return (d[pos] & 0xff) << 24 | (d[pos + 1] & 0xff) << 16 | (d[pos + 2] & 0xff) << 8 | d[pos + 3] & 0xff;
    }

    private int questions(int pos, int count, List<Value> out) {
        for (int i = 0; i < count; i++) {
            if (pos >= end) {
                throw fail("question count exceeds message", pos);
            }
            boolean render = out != null && i < MAX_RECORDS;
            if (out != null && !render) {
                capped = true;
            }
            String name = null;
            if (render) {
                sb.setLength(0);
                pos = name(pos, sb);
                name = sb.toString();
            } else {
                pos = name(pos, null);
            }
            if (end - pos < 4) {
                throw fail("question truncated", pos);
            }
            if (render) {
                out.add(array(DnsText.type(u16(pos)), string(name)));
            }
            pos += 4;
        }
        return pos;
    }

    private int records(int pos, int count, List<Value> out, String section, boolean additional) {
        for (int i = 0; i < count; i++) {
            if (pos >= end) {
                throw fail(section + " count exceeds message", pos);
            }
            boolean render = out != null && i < MAX_RECORDS;
            if (out != null && !render) {
                capped = true;
            }
            String owner = null;
            if (render) {
                sb.setLength(0);
                pos = name(pos, sb);
                owner = sb.toString();
            } else {
                pos = name(pos, null);
            }
            if (end - pos < 10) {
                throw fail(section + " record truncated", pos);
            }
            int type = u16(pos);
            int dnsClass = u16(pos + 2);
            int ttl = s32(pos + 4);
            int rdLength = u16(pos + 8);
            int rd = pos + 10;
            if (end - rd < rdLength) {
                throw fail(section + " rdata truncated", rd);
            }
            if (additional && type == DnsText.TYPE_OPT && !hasOpt) {
                hasOpt = true;
                optTtl = ttl;
            }
            if (render) {
                out.add(record(owner, type, dnsClass, ttl, rd, rd + rdLength));
            }
            pos = rd + rdLength;
        }
        return pos;
    }

    private Value record(String owner, int type, int dnsClass, int ttl, int rd, int rdEnd) {
        sb.setLength(0);
        try {
            rdata(type, dnsClass, ttl, rd, rdEnd);
        } catch (Malformed fault) {
            note(fault);
            sb.setLength(0);
            DnsText.hex(d, rd, rdEnd, sb);
        }
        // OPT's class is the requestor's UDP payload size, not a class.
        Value classValue = type == DnsText.TYPE_OPT ? string(Integer.toString(dnsClass)) : DnsText.dnsClass(dnsClass);
        return array(DnsText.type(type), string(owner), number(ttl & 0xffffffffL), classValue, string(sb.toString()));
    }

    /**
     * Reads the name at {@code pos}, appending its text to {@code out} unless null, and
     * returns the position after it where it was written (after its first pointer, if any).
     */
    private int name(int pos, StringBuilder out) {
        int after = -1;
        int segment = pos;
        int wire = 1;
        boolean first = true;
        // Each turn consumes a label (at most 127 fit in 255 bytes) or follows a pointer to
        // before the current segment (segments strictly decrease): bounded.
        while (true) {
            if (pos >= end) {
                throw fail("name truncated", pos);
            }
            int length = d[pos] & 0xff;
            if (length == 0) {
                pos++;
                break;
            }
            int kind = length & 0xc0;
            if (kind == 0xc0) {
                if (end - pos < 2) {
                    throw fail("name truncated", pos);
                }
                int target = base + ((length & 0x3f) << 8 | d[pos + 1] & 0xff);
                if (target >= pos) {
                    throw fail("forward compression pointer", pos);
                }
                if (target >= segment) {
                    throw fail("compression pointer loop", pos);
                }
                if (after < 0) {
                    after = pos + 2;
                }
                segment = target;
                pos = target;
                continue;
            }
            if (kind != 0) {
                throw fail("label type 0x" + Integer.toHexString(length) + " (longer than 63)", pos);
            }
            wire += length + 1;
            if (wire > MAX_NAME) {
                throw fail("name longer than 255", pos);
            }
            if (end - pos - 1 < length) {
                throw fail("label truncated", pos);
            }
            if (out != null) {
                if (!first) {
                    out.append('.');
                }
                for (int i = pos + 1, labelEnd = pos + 1 + length; i < labelEnd; i++) {
                    DnsText.labelByte(d[i] & 0xff, out);
                }
            }
            first = false;
            pos += 1 + length;
        }
        if (out != null && first) {
            out.append('.');
        }
        return after >= 0 ? after : pos;
    }

    private void need(int pos, int rdEnd, int bytes) {
        if (rdEnd - pos < bytes) {
            throw fail("rdata too short", pos);
        }
    }

    private void exactEnd(int pos, int rdEnd) {
        if (pos != rdEnd) {
            throw fail(pos > rdEnd ? "name overruns rdata" : "trailing bytes in rdata", Math.min(pos, rdEnd));
        }
    }

    private void rdata(int type, int dnsClass, int ttl, int p, int e) {
        switch (type) {
            case DnsText.TYPE_A -> {
                if (e - p != 4) {
                    throw fail("A rdata not 4 bytes", p);
                }
                DnsText.ipv4(d, p, sb);
            }
            case DnsText.TYPE_AAAA -> {
                if (e - p != 16) {
                    throw fail("AAAA rdata not 16 bytes", p);
                }
                DnsText.ipv6(d, p, sb);
            }
            case DnsText.TYPE_NS, DnsText.TYPE_CNAME, DnsText.TYPE_PTR -> exactEnd(name(p, sb), e);
            case DnsText.TYPE_MX -> {
                need(p, e, 3);
                sb.append(u16(p)).append(' ');
                exactEnd(name(p + 2, sb), e);
            }
            case DnsText.TYPE_TXT -> txt(p, e);
            case DnsText.TYPE_SOA -> {
                p = name(p, sb);
                sb.append(' ');
                p = name(p, sb);
                if (p > e) {
                    throw fail("name overruns rdata", e);
                }
                if (e - p != 20) {
                    throw fail("SOA rdata counters not 20 bytes", p);
                }
                for (int i = 0; i < 5; i++) {
                    sb.append(' ').append(s32(p + 4 * i) & 0xffffffffL);
                }
            }
            case DnsText.TYPE_SRV -> {
                need(p, e, 7);
                sb.append(u16(p)).append(' ').append(u16(p + 2)).append(' ').append(u16(p + 4)).append(' ');
                exactEnd(name(p + 6, sb), e);
            }
            case DnsText.TYPE_CAA -> caa(p, e);
            case DnsText.TYPE_SVCB, DnsText.TYPE_HTTPS -> svcb(p, e);
            case DnsText.TYPE_OPT -> opt(dnsClass, ttl, p, e);
            default -> DnsText.hex(d, p, e, sb);
        }
    }

    /** Each character-string quoted, master file style, separated by a space. */
    private void txt(int p, int e) {
        while (p < e) {
            int length = u8(p);
            if (e - p - 1 < length) {
                throw fail("TXT string overruns rdata", p);
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append('"');
            for (int i = p + 1, stringEnd = p + 1 + length; i < stringEnd; i++) {
                DnsText.quotedByte(d[i] & 0xff, sb);
            }
            sb.append('"');
            p += 1 + length;
        }
    }

    /** flags tag "value" (RFC 8659). */
    private void caa(int p, int e) {
        need(p, e, 2);
        int tagLength = u8(p + 1);
        if (tagLength == 0 || e - p - 2 < tagLength) {
            throw fail("CAA tag length", p + 1);
        }
        sb.append(u8(p)).append(' ');
        for (int i = p + 2, tagEnd = p + 2 + tagLength; i < tagEnd; i++) {
            DnsText.labelByte(d[i] & 0xff, sb);
        }
        sb.append(" \"");
        for (int i = p + 2 + tagLength; i < e; i++) {
            DnsText.quotedByte(d[i] & 0xff, sb);
        }
        sb.append('"');
    }

    /** priority target key=value... (RFC 9460 presentation, see package-info). */
    private void svcb(int p, int e) {
        need(p, e, 3);
        sb.append(u16(p)).append(' ');
        p = name(p + 2, sb);
        if (p > e) {
            throw fail("name overruns rdata", e);
        }
        while (p < e) {
            need(p, e, 4);
            int key = u16(p);
            int length = u16(p + 2);
            int v = p + 4;
            int ve = v + length;
            if (ve > e) {
                throw fail("SvcParam overruns rdata", p);
            }
            sb.append(' ').append(DnsText.svcKey(key));
            switch (key) {
                case 0 -> {
                    if (length == 0 || (length & 1) != 0) {
                        throw fail("bad mandatory SvcParam", p);
                    }
                    sb.append('=');
                    for (int q = v; q < ve; q += 2) {
                        if (q > v) {
                            sb.append(',');
                        }
                        sb.append(DnsText.svcKey(u16(q)));
                    }
                }
                case 1 -> {
                    sb.append('=');
                    for (int q = v; q < ve; ) {
                        int idLength = u8(q);
                        if (ve - q - 1 < idLength) {
                            throw fail("bad alpn SvcParam", q);
                        }
                        if (q > v) {
                            sb.append(',');
                        }
                        for (int i = q + 1; i < q + 1 + idLength; i++) {
                            DnsText.listByte(d[i] & 0xff, sb);
                        }
                        q += 1 + idLength;
                    }
                }
                case 2 -> {
                    if (length != 0) {
                        throw fail("bad no-default-alpn SvcParam", p);
                    }
                }
                case 3 -> {
                    if (length != 2) {
                        throw fail("bad port SvcParam", p);
                    }
                    sb.append('=').append(u16(v));
                }
                case 4 -> {
                    if (length == 0 || length % 4 != 0) {
                        throw fail("bad ipv4hint SvcParam", p);
                    }
                    sb.append('=');
                    for (int q = v; q < ve; q += 4) {
                        if (q > v) {
                            sb.append(',');
                        }
                        DnsText.ipv4(d, q, sb);
                    }
                }
                case 5 -> sb.append('=').append(Base64.getEncoder().encodeToString(Arrays.copyOfRange(d, v, ve)));
                case 6 -> {
                    if (length == 0 || length % 16 != 0) {
                        throw fail("bad ipv6hint SvcParam", p);
                    }
                    sb.append('=');
                    for (int q = v; q < ve; q += 16) {
                        if (q > v) {
                            sb.append(',');
                        }
                        DnsText.ipv6(d, q, sb);
                    }
                }
                default -> {
                    sb.append('=');
                    DnsText.hex(d, v, ve, sb);
                }
            }
            p = ve;
        }
    }

    /** udp=size ednsversion=v do=0|1, then each option as opt<code>=hex. */
    private void opt(int dnsClass, int ttl, int p, int e) {
        sb.append("udp=").append(dnsClass).append(" ednsversion=").append(ttl >>> 16 & 0xff).append(" do=")
                .append(ttl >>> 15 & 1);
        while (p < e) {
            need(p, e, 4);
            int code = u16(p);
            int length = u16(p + 2);
            if (e - p - 4 < length) {
                throw fail("EDNS option overruns rdata", p);
            }
            sb.append(" opt").append(code).append('=');
            DnsText.hex(d, p + 4, p + 4 + length, sb);
            p += 4 + length;
        }
    }
}
