package io.kflowd.decoder.tls;

import io.kflowd.api.AppDecoder;
import io.kflowd.api.AppMessage;
import io.kflowd.api.AppMessage.Member;
import io.kflowd.api.AppPayload;
import io.kflowd.api.PayloadText;
import io.kflowd.api.PluginKind;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * The plaintext start of a TLS connection, one direction: ClientHello and ServerHello
 * (reassembled across records, several per record), and one summary per other record type.
 * Stateless.
 */
@Component(service = AppDecoder.class,
        property = {AppDecoder.APP + "=TLS", PluginKind.PROPERTY + "=decoder"})
public final class TlsDecoder implements AppDecoder {

    static final int CHANGE_CIPHER_SPEC = 20;
    static final int ALERT = 21;
    static final int HANDSHAKE = 22;
    static final int APPLICATION_DATA = 23;
    static final int HEARTBEAT = 24;
    /** Largest TLSCiphertext fragment (RFC 5246 6.2.3). */
    static final int MAX_RECORD = 16384 + 2048;
    /** Items read from one list (cipher suites, extensions, ALPN names, versions). */
    static final int MAX_ITEMS = 512;

    private static final Member TRUNCATED = AppMessage.member("_Truncated", AppMessage.bool(true));

    /** SHA-256("HelloRetryRequest"), the random of a ServerHello that is a HelloRetryRequest (RFC 8446 4.1.3). */
    private static final byte[] HRR_RANDOM = hex("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

    public TlsDecoder() {
    }

    @Override
    public List<AppMessage> decode(AppPayload payload) {
        byte[] d = payload.data();
        int end = d.length;
        AppMessage.Value ts = AppMessage.seconds(payload.sinceStartNanos());
        List<Object> out = new ArrayList<>(4); // List<Member> or Summary, in order
        if (end == 0) {
            return List.of();
        }
        int pos = 0;
        if (payload.gap()) {
            pos = resync(d, end);
            if (pos < 0) {
                out.add(summary(ts, "Continuation", end));
                return finish(out, payload.truncated());
            }
        } else if ((d[0] & 0x80) != 0 && end >= 3 && d[2] == 1) {
            out.add(sslv2ClientHello(ts, d, end));
            return finish(out, payload.truncated());
        } else if (!plausibleHeader(d, 0, end)) {
            List<Member> m = new ArrayList<>(4);
            m.add(AppMessage.member("_Timestamp", ts));
            m.add(AppMessage.member("Record", AppMessage.string("Unknown")));
            m.add(AppMessage.member("Length", AppMessage.number(end)));
            m.add(AppMessage.member("_Malformed", AppMessage.string("not a TLS record")));
            out.add(m);
            return finish(out, payload.truncated());
        }
        Summary[] summaries = new Summary[6];
        byte[] hs = null;
        int hsLen = 0;
        int hsPos = 0;
        boolean encrypted = false;
        String malformed = null;
        while (pos < end) {
            if (end - pos < 5) {
                break; // a header cut by the capture
            }
            if (!plausibleHeader(d, pos, end)) {
                malformed = "bad record header";
                break;
            }
            int type = d[pos];
            int len = u16(d, pos + 3);
            int from = pos + 5;
            int to = Math.min(end, from + len);
            pos = from + len;
            if (type == HANDSHAKE && !encrypted) {
                if (hs == null) {
                    hs = new byte[end];
                }
                System.arraycopy(d, from, hs, hsLen, to - from);
                hsLen += to - from;
                // every complete handshake message so far
                while (hsLen - hsPos >= 4) {
                    int mlen = u24(hs, hsPos + 1);
                    if (hsPos + 4 + mlen > hsLen) {
                        break;
                    }
                    handshake(out, ts, hs, hsPos, hsPos + 4 + mlen, true);
                    hsPos += 4 + mlen;
                }
            } else {
                int slot = type == HANDSHAKE ? 5 : type - CHANGE_CIPHER_SPEC;
                if (summaries[slot] == null) {
                    summaries[slot] = summary(ts, type == HANDSHAKE ? "EncryptedHandshake" : recordName(type), 0);
                    out.add(summaries[slot]);
                }
                summaries[slot].records++;
                summaries[slot].length += len;
                if (type == CHANGE_CIPHER_SPEC) {
                    encrypted = true; // what follows in this direction is protected
                }
            }
        }
        if (hs != null && hsLen - hsPos >= 1) {
            // a handshake message the capture cut: decode what there is
            int type = hs[hsPos];
            if (type == 1 || type == 2) {
                handshake(out, ts, hs, hsPos, hsLen, false);
            }
        }
        if (malformed != null) {
            List<Member> last = lastMembers(out);
            if (last == null) {
                last = new ArrayList<>();
                last.add(AppMessage.member("_Timestamp", ts));
                out.add(last);
            }
            boolean marked = !last.isEmpty() && last.getLast().key().equals("_Truncated");
            last.add(marked ? last.size() - 1 : last.size(), AppMessage.member("_Malformed", AppMessage.string(malformed)));
        }
        return finish(out, payload.truncated());
    }

    /** One record type's summary: how many records and bytes of it the payload holds. */
    private static final class Summary {
        final AppMessage.Value timestamp;
        final String record;
        int records;
        long length;

        Summary(AppMessage.Value timestamp, String record, long length) {
            this.timestamp = timestamp;
            this.record = record;
            this.length = length;
        }

        List<Member> members() {
            List<Member> m = new ArrayList<>(4);
            m.add(AppMessage.member("_Timestamp", timestamp));
            m.add(AppMessage.member("Record", AppMessage.string(record)));
            m.add(AppMessage.member("Length", AppMessage.number(length)));
            if (records > 1) {
                m.add(AppMessage.member("Records", AppMessage.number(records)));
            }
            return m;
        }
    }

    private static Summary summary(AppMessage.Value ts, String record, long length) {
        return new Summary(ts, record, length);
    }

    @SuppressWarnings("unchecked")
    private static List<Member> lastMembers(List<Object> out) {
        for (int i = out.size() - 1; i >= 0; i--) {
            if (out.get(i) instanceof List<?> l) {
                return (List<Member>) l;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static List<AppMessage> finish(List<Object> out, boolean truncated) {
        List<AppMessage> messages = new ArrayList<>(out.size());
        for (int i = 0; i < out.size(); i++) {
            Object o = out.get(i);
            List<Member> m = o instanceof Summary s ? s.members() : (List<Member>) o;
            boolean marked = !m.isEmpty() && m.getLast().key().equals("_Truncated");
            if (truncated && i == out.size() - 1 && !marked) {
                m.add(TRUNCATED);
            }
            messages.add(new AppMessage(m));
        }
        return messages;
    }

    // ---- handshake messages --------------------------------------------------------------

    /** The handshake message in {@code b[from, to)} (type, 24-bit length, body); complete or cut. */
    private static void handshake(List<Object> out, AppMessage.Value ts, byte[] b, int from, int to,
            boolean complete) {
        int type = b[from];
        if (type == 1) {
            out.add(clientHello(ts, b, Math.min(to, from + 4), to, complete));
        } else if (type == 2) {
            out.add(serverHello(ts, b, Math.min(to, from + 4), to, complete));
        }
        // Certificate, ServerKeyExchange, ServerHelloDone, NewSessionTicket, ...: not shown
    }

    /** Bounds-checked reading; a read past the end sets {@link #short_} and yields zeros. */
    private static final class Reader {
        final byte[] b;
        int pos;
        int end;
        boolean short_;

        Reader(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        boolean has(int n) {
            if (end - pos >= n) {
                return true;
            }
            short_ = true;
            return false;
        }

        int u8() {
            return has(1) ? b[pos++] & 0xFF : 0;
        }

        int u16() {
            if (!has(2)) {
                pos = end;
                return 0;
            }
            int v = TlsDecoder.u16(b, pos);
            pos += 2;
            return v;
        }

        /** Skips n bytes, as far as there are. */
        void skip(int n) {
            if (!has(n)) {
                pos = end;
                return;
            }
            pos += n;
        }
    }

    private static List<Member> clientHello(AppMessage.Value ts, byte[] b, int from, int to, boolean complete) {
        Reader r = new Reader(b, from, to);
        String malformed = null;
        int legacy = r.u16();
        r.skip(32); // random
        r.skip(r.u8()); // session id
        int suitesLen = r.u16();
        int suites = -1;
        if (!r.short_) {
            if ((suitesLen & 1) != 0) {
                malformed = "odd cipher suites length";
            }
            suites = Math.min(suitesLen, r.end - r.pos) / 2;
            r.skip(suitesLen);
        }
        r.skip(r.u8()); // compression methods
        String serverName = null;
        List<AppMessage.Value> alpn = null;
        List<AppMessage.Value> versions = null;
        if (!r.short_ && r.pos < r.end) {
            int extEnd = Math.min(r.end, r.pos + 2 + r.u16());
            for (int n = 0; n < MAX_ITEMS && extEnd - r.pos >= 4; n++) {
                int type = r.u16();
                int len = r.u16();
                int dataEnd = r.pos + len;
                if (dataEnd > extEnd) {
                    if (extEnd < r.end || complete) {
                        malformed = "bad extension length";
                    }
                    dataEnd = extEnd;
                }
                Reader e = new Reader(b, r.pos, dataEnd);
                if (type == 0) {
                    serverName = serverName(e);
                } else if (type == 16) {
                    alpn = alpn(e);
                } else if (type == 43) {
                    versions = new ArrayList<>();
                    int listEnd = Math.min(e.end, e.pos + 1 + e.u8());
                    for (int k = 0; k < MAX_ITEMS && listEnd - e.pos >= 2; k++) {
                        int v = e.u16();
                        if (!isGrease(v)) {
                            versions.add(AppMessage.string(versionName(v)));
                        }
                    }
                }
                r.pos = dataEnd;
            }
        }
        List<Member> m = new ArrayList<>(8);
        m.add(AppMessage.member("_Timestamp", ts));
        m.add(AppMessage.member("Handshake", AppMessage.string("ClientHello")));
        if (serverName != null) {
            m.add(AppMessage.member("ServerName", AppMessage.string(serverName)));
        }
        if (alpn != null) {
            m.add(AppMessage.member("ALPN", new AppMessage.ArrayValue(alpn)));
        }
        if (versions == null || versions.isEmpty()) {
            if (to - from >= 2) {
                m.add(AppMessage.member("SupportedVersions", AppMessage.array(AppMessage.string(versionName(legacy)))));
            }
        } else {
            m.add(AppMessage.member("SupportedVersions", new AppMessage.ArrayValue(versions)));
        }
        if (suites >= 0) {
            m.add(AppMessage.member("CipherSuites", AppMessage.number(suites)));
        }
        markers(m, malformed, complete, r.short_);
        return m;
    }

    private static List<Member> serverHello(AppMessage.Value ts, byte[] b, int from, int to, boolean complete) {
        Reader r = new Reader(b, from, to);
        String malformed = null;
        int legacy = r.u16();
        boolean retry = r.has(32) && equals(b, r.pos, HRR_RANDOM);
        r.skip(32);
        r.skip(r.u8()); // session id
        int suite = r.u16();
        boolean haveSuite = !r.short_;
        r.u8(); // compression method
        int selected = -1;
        String alpn = null;
        if (!r.short_ && r.pos < r.end) {
            int extEnd = Math.min(r.end, r.pos + 2 + r.u16());
            for (int n = 0; n < MAX_ITEMS && extEnd - r.pos >= 4; n++) {
                int type = r.u16();
                int len = r.u16();
                int dataEnd = r.pos + len;
                if (dataEnd > extEnd) {
                    if (extEnd < r.end || complete) {
                        malformed = "bad extension length";
                    }
                    dataEnd = extEnd;
                }
                Reader e = new Reader(b, r.pos, dataEnd);
                if (type == 43 && len >= 2) {
                    selected = e.u16();
                } else if (type == 16) {
                    List<AppMessage.Value> names = alpn(e);
                    if (!names.isEmpty()) {
                        alpn = ((AppMessage.StringValue) names.getFirst()).text();
                    }
                }
                r.pos = dataEnd;
            }
        }
        List<Member> m = new ArrayList<>(7);
        m.add(AppMessage.member("_Timestamp", ts));
        m.add(AppMessage.member("Handshake", AppMessage.string(retry ? "HelloRetryRequest" : "ServerHello")));
        if (to - from >= 2) {
            m.add(AppMessage.member("Version", AppMessage.string(versionName(selected >= 0 ? selected : legacy))));
        }
        if (haveSuite) {
            m.add(AppMessage.member("CipherSuite", AppMessage.string(CipherSuites.name(suite))));
        }
        if (alpn != null) {
            m.add(AppMessage.member("ALPN", AppMessage.string(alpn)));
        }
        markers(m, malformed, complete, r.short_);
        return m;
    }

    private static void markers(List<Member> m, String malformed, boolean complete, boolean shortRead) {
        if (malformed == null && complete && shortRead) {
            malformed = "handshake message too short";
        }
        if (malformed != null) {
            m.add(AppMessage.member("_Malformed", AppMessage.string(malformed)));
        }
        if (!complete) {
            m.add(TRUNCATED);
        }
    }

    /** server_name extension: the first host_name entry. */
    private static String serverName(Reader e) {
        int listEnd = Math.min(e.end, e.pos + 2 + e.u16());
        for (int k = 0; k < MAX_ITEMS && listEnd - e.pos >= 3; k++) {
            int type = e.u8();
            int len = e.u16();
            int nameEnd = Math.min(listEnd, e.pos + len);
            if (type == 0) {
                return PayloadText.of(e.b, e.pos, nameEnd);
            }
            e.pos = nameEnd;
        }
        return null;
    }

    /** ALPN extension: the protocol names. */
    private static List<AppMessage.Value> alpn(Reader e) {
        List<AppMessage.Value> names = new ArrayList<>(3);
        int listEnd = Math.min(e.end, e.pos + 2 + e.u16());
        for (int k = 0; k < MAX_ITEMS && listEnd - e.pos >= 1; k++) {
            int len = e.u8();
            int nameEnd = Math.min(listEnd, e.pos + len);
            names.add(AppMessage.string(PayloadText.of(e.b, e.pos, nameEnd)));
            e.pos = nameEnd;
        }
        return names;
    }

    /**
     * SSL 2.0-compatible ClientHello (RFC 5246 E.2): 2-byte header with the high bit set,
     * msg type 1, version, cipher spec / session id / challenge lengths, 3-byte cipher specs.
     */
    private static List<Member> sslv2ClientHello(AppMessage.Value ts, byte[] d, int end) {
        List<Member> m = new ArrayList<>(6);
        m.add(AppMessage.member("_Timestamp", ts));
        m.add(AppMessage.member("Handshake", AppMessage.string("ClientHello")));
        m.add(AppMessage.member("Format", AppMessage.string("SSLv2")));
        int length = ((d[0] & 0x7F) << 8) | (end > 1 ? d[1] & 0xFF : 0);
        if (end >= 5) {
            m.add(AppMessage.member("SupportedVersions", AppMessage.array(AppMessage.string(versionName(u16(d, 3))))));
        }
        if (end >= 7) {
            m.add(AppMessage.member("CipherSuites", AppMessage.number(u16(d, 5) / 3)));
        }
        if (end < 2 + length) {
            m.add(TRUNCATED);
        }
        return m;
    }

    // ---- records -------------------------------------------------------------------------

    /** A record header: known content type, version 3.x, length within the limit. */
    private static boolean plausibleHeader(byte[] d, int pos, int end) {
        if (end - pos < 5) {
            return end - pos >= 1 && d[pos] >= CHANGE_CIPHER_SPEC && d[pos] <= HEARTBEAT
                    && (end - pos < 2 || d[pos + 1] == 3);
        }
        return d[pos] >= CHANGE_CIPHER_SPEC && d[pos] <= HEARTBEAT && d[pos + 1] == 3 && (d[pos + 2] & 0xFF) <= 4
                && u16(d, pos + 3) <= MAX_RECORD;
    }

    /**
     * After a gap: the first position where a record header is followed by another one, or
     * by the end of the capture; -1 if there is none.
     */
    private static int resync(byte[] d, int end) {
        int limit = Math.min(end - 5, MAX_RECORD + 5);
        for (int i = 0; i <= limit; i++) {
            if (plausibleHeader(d, i, end) && end - i >= 5) {
                int next = i + 5 + u16(d, i + 3);
                if (next >= end || (end - next >= 5 && plausibleHeader(d, next, end))) {
                    return i;
                }
            }
        }
        return -1;
    }

    static String recordName(int type) {
        return switch (type) {
            case CHANGE_CIPHER_SPEC -> "ChangeCipherSpec";
            case ALERT -> "Alert";
            case HANDSHAKE -> "Handshake";
            case APPLICATION_DATA -> "ApplicationData";
            case HEARTBEAT -> "Heartbeat";
            default -> "Unknown";
        };
    }

    static String versionName(int v) {
        return switch (v) {
            case 0x0002, 0x0200 -> "SSL 2.0";
            case 0x0300 -> "SSL 3.0";
            case 0x0301 -> "TLS 1.0";
            case 0x0302 -> "TLS 1.1";
            case 0x0303 -> "TLS 1.2";
            case 0x0304 -> "TLS 1.3";
            default -> (v >> 8) == 0x7F ? "TLS 1.3 (draft " + (v & 0xFF) + ")" : String.format("0x%04X", v);
        };
    }

    /** GREASE values (RFC 8701): 0x0A0A, 0x1A1A, ... 0xFAFA. */
    private static boolean isGrease(int v) {
        return (v & 0x0F0F) == 0x0A0A && (v >> 8) == (v & 0xFF);
    }

    private static int u16(byte[] d, int i) {
        return ((d[i] & 0xFF) << 8) | (d[i + 1] & 0xFF);
    }

    private static int u24(byte[] d, int i) {
        return ((d[i] & 0xFF) << 16) | ((d[i + 1] & 0xFF) << 8) | (d[i + 2] & 0xFF);
    }

    private static boolean equals(byte[] d, int from, byte[] expected) {
        for (int k = 0; k < expected.length; k++) {
            if (d[from + k] != expected[k]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }
}
