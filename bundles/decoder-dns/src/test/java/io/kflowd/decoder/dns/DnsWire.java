package io.kflowd.decoder.dns;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Writes DNS messages for tests: header, names (plain or as pointers), records, rdata. */
final class DnsWire {

    static final int QR = 0x8000, AA = 0x0400, TC = 0x0200, RD = 0x0100, RA = 0x0080, AD = 0x0020, CD = 0x0010;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static DnsWire message(int id, int flags, int qd, int an, int ns, int ar) {
        return new DnsWire().u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
    }

    int pos() {
        return out.size();
    }

    DnsWire u8(int v) {
        out.write(v);
        return this;
    }

    DnsWire u16(int v) {
        return u8(v >> 8 & 0xff).u8(v & 0xff);
    }

    DnsWire u32(long v) {
        return u16((int) (v >> 16) & 0xffff).u16((int) v & 0xffff);
    }

    DnsWire bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    DnsWire hex(String hex) {
        return bytes(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    /** Labels of a dotted name, the root byte at the end; "." is the root alone. */
    DnsWire name(String dotted) {
        if (!dotted.equals(".")) {
            for (String label : dotted.split("\\.")) {
                label(label.getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return u8(0);
    }

    DnsWire label(byte[] label) {
        u8(label.length);
        return bytes(label);
    }

    /** Labels of a dotted name, then a pointer instead of the root. */
    DnsWire nameThen(String labels, int pointer) {
        for (String label : labels.split("\\.")) {
            label(label.getBytes(StandardCharsets.ISO_8859_1));
        }
        return pointer(pointer);
    }

    DnsWire pointer(int offset) {
        return u16(0xc000 | offset);
    }

    DnsWire question(String name, int type) {
        return name(name).u16(type).u16(1);
    }

    /** Type, class, TTL and a placeholder rdlength; {@link #end} fills it in. */
    int rr(int type, int dnsClass, long ttl) {
        u16(type).u16(dnsClass).u32(ttl);
        int mark = pos();
        u16(0);
        return mark;
    }

    DnsWire end(int mark) {
        byte[] b = out.toByteArray();
        int length = b.length - mark - 2;
        b[mark] = (byte) (length >> 8);
        b[mark + 1] = (byte) length;
        out.reset();
        out.writeBytes(b);
        return this;
    }

    DnsWire a(String address) {
        return bytes(ip(address));
    }

    DnsWire string(String text) {
        return label(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    static byte[] ip(String address) {
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    /** The same as an IPv6 address (for IPv4-mapped, which InetAddress turns into IPv4). */
    static byte[] ip6(String address) {
        byte[] b = ip(address);
        if (b.length == 4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(b, 0, mapped, 12, 4);
            return mapped;
        }
        return b;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** The message with its TCP length prefix. */
    static byte[] tcp(byte[]... messages) {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        for (byte[] m : messages) {
            s.write(m.length >> 8);
            s.write(m.length & 0xff);
            s.writeBytes(m);
        }
        return s.toByteArray();
    }
}
