package io.kflowd.decoder.http;

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
 * HTTP/1.x messages of one direction of a TCP connection (spec 7.3), several per captured
 * message. Stateless: everything lives on the stack of one {@link #decode} call.
 */
@Component(service = AppDecoder.class,
        property = {AppDecoder.APP + "=HTTP", PluginKind.PROPERTY + "=decoder"})
public final class HttpDecoder implements AppDecoder {

    /** Headers given per message; more set {@code _Truncated}. */
    static final int MAX_HEADERS = 64;
    /** HTTP messages decoded from one captured message. */
    static final int MAX_MESSAGES = 256;

    private static final int NONE = 0;
    private static final int REQUEST = 1;
    private static final int RESPONSE = 2;

    private static final byte[][] METHODS = ascii("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH", "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "REPORT", "SEARCH",
            "PURGE", "LINK", "UNLINK", "MKCALENDAR", "ACL", "BIND", "REBIND", "UNBIND", "CHECKOUT", "MERGE");

    private static final Member TRUNCATED = AppMessage.member("_Truncated", AppMessage.bool(true));

    public HttpDecoder() {
    }

    @Override
    public List<AppMessage> decode(AppPayload payload) {
        byte[] d = payload.data();
        int end = d.length;
        AppMessage.Value timestamp = AppMessage.seconds(payload.sinceStartNanos());
        List<Message> messages = new ArrayList<>(2);
        int pos = 0;
        boolean gap = payload.gap();
        for (int count = 0; count < MAX_MESSAGES && pos < end; count++) {
            pos = skipBlankLines(d, pos, end);
            if (pos >= end) {
                break;
            }
            int kind = gap ? completeStartLine(d, pos, end) : startLine(d, pos, end);
            gap = false;
            Message m = new Message(timestamp);
            messages.add(m);
            if (kind == NONE) {
                int next = nextStartLine(d, pos + 1, end);
                body(m, d, pos, next, null, false, next - pos);
                pos = next;
                continue;
            }
            pos = kind == REQUEST ? request(m, d, pos, end) : response(m, d, pos, end);
            if (pos < 0) {
                break; // malformed or the rest is not HTTP: nothing more to find
            }
        }
        if (payload.truncated() && !messages.isEmpty()) {
            messages.getLast().truncated = true;
        }
        List<AppMessage> out = new ArrayList<>(messages.size());
        for (Message m : messages) {
            out.add(m.toAppMessage());
        }
        return out;
    }

    /** One message under construction: members in order, the markers added last. */
    private static final class Message {
        final ArrayList<Member> members = new ArrayList<>(16);
        String malformed;
        boolean truncated;

        Message(AppMessage.Value timestamp) {
            members.add(AppMessage.member("_Timestamp", timestamp));
        }

        void add(String key, AppMessage.Value value) {
            members.add(AppMessage.member(key, value));
        }

        void malformed(String reason) {
            if (malformed == null) {
                malformed = reason;
            }
        }

        AppMessage toAppMessage() {
            if (malformed != null) {
                add("_Malformed", AppMessage.string(malformed));
            }
            if (truncated) {
                members.add(TRUNCATED);
            }
            return new AppMessage(members);
        }
    }

    /** What the headers say about the body. */
    private static final class Framing {
        long contentLength = -1;
        boolean chunked;
        byte[] contentType;
        int contentTypeFrom;
        int contentTypeTo;
        boolean encoded;
    }

    // ---- start lines ---------------------------------------------------------------------

    /** Request line: {@code METHOD SP target SP HTTP/x.y}. Returns the position after it, -1 to stop. */
    private static int request(Message m, byte[] d, int pos, int end) {
        int lf = indexOf(d, pos, end, (byte) '\n');
        int lineEnd = lf < 0 ? end : trimCr(d, pos, lf);
        int sp1 = indexOf(d, pos, lineEnd, (byte) ' ');
        if (sp1 < 0) {
            m.add("_Method", AppMessage.string(PayloadText.of(d, pos, lineEnd)));
            return lf < 0 ? -1 : malformedStop(m, "request line without target");
        }
        boolean head = sp1 - pos == 4 && d[pos] == 'H' && d[pos + 1] == 'E' && d[pos + 2] == 'A' && d[pos + 3] == 'D';
        m.add("_Method", AppMessage.string(PayloadText.of(d, pos, sp1)));
        int t = skip(d, sp1, lineEnd, (byte) ' ');
        int sp2 = lastIndexOf(d, t, lineEnd, (byte) ' ');
        int targetEnd = sp2 < 0 ? lineEnd : sp2;
        if (targetEnd > t) {
            m.add("_Url", AppMessage.string(PayloadText.of(d, t, targetEnd)));
        }
        if (sp2 >= 0 && lineEnd > sp2 + 1) {
            m.add("_Version", AppMessage.string(PayloadText.of(d, sp2 + 1, lineEnd)));
        }
        if (lf < 0) {
            return -1; // the capture ends inside the request line
        }
        if (sp2 < 0 || !isVersion(d, sp2 + 1, lineEnd)) {
            m.malformed("request line without HTTP version");
        }
        Framing f = new Framing();
        int pos2 = headers(m, d, lf + 1, end, f);
        if (pos2 < 0) {
            return -1;
        }
        // a request without Content-Length or chunked coding has no body
        boolean hasBody = f.chunked || f.contentLength > 0;
        return hasBody ? body(m, d, pos2, end, f) : pos2;
    }

    /** Status line: {@code HTTP/x.y SP 3DIGIT SP reason}. */
    private static int response(Message m, byte[] d, int pos, int end) {
        int lf = indexOf(d, pos, end, (byte) '\n');
        int lineEnd = lf < 0 ? end : trimCr(d, pos, lf);
        int sp1 = indexOf(d, pos, lineEnd, (byte) ' ');
        int versionEnd = sp1 < 0 ? lineEnd : sp1;
        m.add("_Version", AppMessage.string(PayloadText.of(d, pos, versionEnd)));
        if (sp1 < 0) {
            return lf < 0 ? -1 : malformedStop(m, "status line without status code");
        }
        int s = skip(d, sp1, lineEnd, (byte) ' ');
        int status = 0;
        int digits = 0;
        while (s + digits < lineEnd && digits < 3 && isDigit(d[s + digits])) {
            status = status * 10 + (d[s + digits] - '0');
            digits++;
        }
        if (digits > 0) {
            m.add("_Status", AppMessage.number(status));
        }
        int r = s + digits;
        if (r < lineEnd && d[r] == ' ') {
            r++;
        }
        if (digits == 3 && r < lineEnd) {
            m.add("_Reason", AppMessage.string(PayloadText.of(d, r, lineEnd)));
        }
        if (lf < 0) {
            return -1;
        }
        if (digits != 3 || (s + 3 < lineEnd && d[s + 3] != ' ')) {
            return malformedStop(m, "status code is not three digits");
        }
        Framing f = new Framing();
        int pos2 = headers(m, d, lf + 1, end, f);
        if (pos2 < 0) {
            return -1;
        }
        if (status == 101) {
            return -1; // the connection now speaks another protocol
        }
        if (status < 200 || status == 204 || status == 304) {
            return pos2;
        }
        if (f.chunked) {
            return body(m, d, pos2, end, f);
        }
        if (f.contentLength >= 0) {
            if (f.contentLength > 0 && completeStartLine(d, pos2, end) == RESPONSE) {
                return pos2; // the answer to a HEAD request: the next response follows at once
            }
            return body(m, d, pos2, end, f);
        }
        // no framing: the body runs to the end of the connection
        body(m, d, pos2, end, f.contentType == null ? null : f, f.encoded, end - pos2);
        return end;
    }

    private static int malformedStop(Message m, String reason) {
        m.malformed(reason);
        return -1;
    }

    // ---- headers -------------------------------------------------------------------------

    /** Header lines up to the empty line; returns the position of the body, -1 if the capture ends first. */
    private static int headers(Message m, byte[] d, int pos, int end, Framing f) {
        int count = 0;
        int lastValue = -1; // index in m.members of the last header given, for obs-fold
        while (pos < end) {
            int lf = indexOf(d, pos, end, (byte) '\n');
            int lineEnd = lf < 0 ? end : trimCr(d, pos, lf);
            if (lineEnd == pos) {
                if (lf < 0) {
                    return -1; // a lone CR at the end of the capture
                }
                return lf + 1;
            }
            if (d[pos] == ' ' || d[pos] == '\t') {
                // obs-fold: continues the previous value
                if (lastValue >= 0 && lf >= 0) {
                    int vs = skipSpace(d, pos, lineEnd);
                    int ve = trimSpace(d, vs, lineEnd);
                    Member prev = m.members.get(lastValue);
                    String joined = ((AppMessage.StringValue) prev.value()).text() + " " + PayloadText.of(d, vs, ve);
                    m.members.set(lastValue, AppMessage.member(prev.key(), AppMessage.string(joined)));
                }
            } else {
                int colon = indexOf(d, pos, lineEnd, (byte) ':');
                if (colon <= pos) {
                    if (lf >= 0) {
                        m.malformed(colon == pos ? "header without name" : "header line without colon");
                    }
                } else if (lf >= 0 || colon + 1 < lineEnd) {
                    int ne = trimSpace(d, pos, colon);
                    int vs = skipSpace(d, colon + 1, lineEnd);
                    int ve = trimSpace(d, vs, lineEnd);
                    framing(f, d, pos, ne, vs, ve, m);
                    if (count < MAX_HEADERS) {
                        m.add(PayloadText.of(d, pos, ne), AppMessage.string(PayloadText.of(d, vs, ve)));
                        lastValue = m.members.size() - 1;
                    } else {
                        m.truncated = true;
                        lastValue = -1;
                    }
                    count++;
                }
            }
            if (lf < 0) {
                return -1;
            }
            pos = lf + 1;
        }
        return -1;
    }

    private static final byte[] CONTENT_LENGTH = ascii("content-length")[0];
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding")[0];
    private static final byte[] CONTENT_TYPE = ascii("content-type")[0];
    private static final byte[] CONTENT_ENCODING = ascii("content-encoding")[0];
    private static final byte[] CHUNKED = ascii("chunked")[0];
    private static final byte[] IDENTITY = ascii("identity")[0];

    private static void framing(Framing f, byte[] d, int ns, int ne, int vs, int ve, Message m) {
        int n = ne - ns;
        if (n == 14 && equalsIgnoreCase(d, ns, ne, CONTENT_LENGTH)) {
            long v = 0;
            int i = vs;
            while (i < ve && isDigit(d[i]) && v < 1_000_000_000_000_000L) {
                v = v * 10 + (d[i] - '0');
                i++;
            }
            if (i == vs || i != ve) {
                m.malformed("bad Content-Length");
            } else if (f.contentLength >= 0 && f.contentLength != v) {
                m.malformed("conflicting Content-Length");
            } else {
                f.contentLength = v;
            }
        } else if (n == 17 && equalsIgnoreCase(d, ns, ne, TRANSFER_ENCODING)) {
            // chunked counts only as the final coding; any other (gzip, chunked) makes the body binary
            f.chunked = ve - vs >= 7 && equalsIgnoreCase(d, ve - 7, ve, CHUNKED);
            if (!f.chunked || trimSpace(d, vs, ve - 7) > vs) {
                f.encoded = true;
            }
        } else if (n == 12 && equalsIgnoreCase(d, ns, ne, CONTENT_TYPE)) {
            f.contentType = d;
            f.contentTypeFrom = vs;
            f.contentTypeTo = ve;
        } else if (n == 16 && equalsIgnoreCase(d, ns, ne, CONTENT_ENCODING)) {
            f.encoded = !(ve - vs == 8 && equalsIgnoreCase(d, vs, ve, IDENTITY)) && ve > vs;
        }
    }

    // ---- bodies --------------------------------------------------------------------------

    /** A framed body (Content-Length or chunked); returns the position after it, -1 to stop. */
    private static int body(Message m, byte[] d, int pos, int end, Framing f) {
        if (f.chunked) {
            return chunked(m, d, pos, end, f);
        }
        long available = end - pos;
        int to = (int) Math.min(available, f.contentLength);
        body(m, d, pos, pos + to, f.contentType == null ? null : f, f.encoded, f.contentLength);
        return f.contentLength <= available ? pos + to : -1;
    }

    /** De-chunks as far as captured: size line (hex, extensions), data, CRLF; trailers skipped. */
    private static int chunked(Message m, byte[] d, int pos, int end, Framing f) {
        byte[] buf = new byte[end - pos];
        int n = 0;
        long declared = 0;
        int next = -1;
        while (pos < end) {
            int i = pos;
            long size = 0;
            while (i < end && i - pos < 16 && hex(d[i]) >= 0) {
                size = (size << 4) | hex(d[i]);
                i++;
            }
            if (i == pos) {
                m.malformed("bad chunk size");
                break;
            }
            if (i - pos >= 16) {
                m.malformed("chunk size too large");
                break;
            }
            int lf = indexOf(d, i, end, (byte) '\n');
            if (lf < 0) {
                break; // the capture ends in the size line
            }
            if (i < lf && d[i] != ';' && d[i] != ' ' && d[i] != '\t' && d[i] != '\r') {
                m.malformed("bad chunk size");
                break;
            }
            pos = lf + 1;
            if (size == 0) {
                next = trailers(d, pos, end);
                break;
            }
            declared += size;
            long available = end - pos;
            int take = (int) Math.min(size, available);
            System.arraycopy(d, pos, buf, n, take);
            n += take;
            if (size > available) {
                pos = end;
                break;
            }
            pos += take;
            if (pos < end && d[pos] == '\r') {
                pos++;
            }
            if (pos < end) {
                if (d[pos] != '\n') {
                    m.malformed("chunk data not followed by CRLF");
                    break;
                }
                pos++;
            }
        }
        body(m, buf, 0, n, f.contentType == null ? null : f, f.encoded, declared);
        return next;
    }

    /** Skips trailer fields up to the empty line; the position after it, -1 if the capture ends. */
    private static int trailers(byte[] d, int pos, int end) {
        while (pos < end) {
            int lf = indexOf(d, pos, end, (byte) '\n');
            if (lf < 0) {
                return -1;
            }
            if (trimCr(d, pos, lf) == pos) {
                return lf + 1;
            }
            pos = lf + 1;
        }
        return -1;
    }

    /**
     * {@code _Body} with the text of {@code b[from, to)}, or {@code _BodyBytes} with
     * {@code length} if the body is binary. Nothing if no byte of it was captured (an empty
     * body, the answer to HEAD).
     */
    private static void body(Message m, byte[] b, int from, int to, Framing f, boolean encoded, long length) {
        if (to <= from) {
            return;
        }
        boolean text;
        if (encoded) {
            text = false;
        } else if (f != null) {
            text = isTextType(f.contentType, f.contentTypeFrom, f.contentTypeTo);
        } else {
            text = PayloadText.looksLikeText(b, from, to);
        }
        if (text) {
            m.add("_Body", AppMessage.string(PayloadText.of(b, from, to)));
        } else {
            m.add("_BodyBytes", AppMessage.number(Math.max(length, to - from)));
        }
    }

    private static final byte[][] TEXT_TYPES = ascii("text/", "json", "xml", "form", "javascript", "ecmascript",
            "yaml", "csv", "graphql", "x-ndjson");

    /** text/*, JSON, XML, form data, JavaScript, YAML and friends, as substrings of the media type. */
    private static boolean isTextType(byte[] d, int from, int to) {
        int semi = indexOf(d, from, to, (byte) ';');
        int typeEnd = semi < 0 ? to : semi;
        for (byte[] t : TEXT_TYPES) {
            if (containsIgnoreCase(d, from, typeEnd, t)) {
                return true;
            }
        }
        return false;
    }

    // ---- recognising start lines ---------------------------------------------------------

    /** The kind of start line at {@code pos}, allowing it to be cut by the end of the capture. */
    private static int startLine(byte[] d, int pos, int end) {
        if (startsWith(d, pos, end, HTTP_SLASH)) {
            return RESPONSE;
        }
        int i = pos;
        while (i < end && i - pos <= 12 && isMethodChar(d[i])) {
            i++;
        }
        if (i < end && d[i] == ' ' && i > pos && isKnownMethod(d, pos, i)) {
            return REQUEST;
        }
        return completeStartLine(d, pos, end);
    }

    private static final byte[] HTTP_SLASH = ascii("HTTP/")[0];

    /**
     * The kind of start line at {@code pos} if a whole, well-formed one is there:
     * {@code HTTP/d.d SP ddd (SP|CR|LF)} or {@code TOKEN SP target SP HTTP/d.d CRLF}.
     */
    private static int completeStartLine(byte[] d, int pos, int end) {
        if (pos + 12 > end) {
            return NONE;
        }
        if (d[pos] == 'H' && isVersion(d, pos, pos + 8) && d[pos + 8] == ' ' && isDigit(d[pos + 9])
                && isDigit(d[pos + 10]) && isDigit(d[pos + 11])
                && (pos + 12 == end || d[pos + 12] == ' ' || d[pos + 12] == '\r' || d[pos + 12] == '\n')) {
            return RESPONSE;
        }
        int i = pos;
        while (i < end && i - pos <= 20 && isMethodChar(d[i])) {
            i++;
        }
        if (i == pos || i >= end || d[i] != ' ') {
            return NONE;
        }
        int lf = indexOf(d, i, Math.min(end, i + 16384), (byte) '\n');
        if (lf < 0) {
            return NONE;
        }
        int lineEnd = trimCr(d, i, lf);
        return lineEnd - 9 > i && d[lineEnd - 9] == ' ' && isVersion(d, lineEnd - 8, lineEnd) ? REQUEST : NONE;
    }

    /** The next position at or after {@code from} where a whole start line begins, else {@code end}. */
    private static int nextStartLine(byte[] d, int from, int end) {
        for (int i = from; i + 12 <= end; i++) {
            byte b = d[i];
            if (b >= 'A' && b <= 'Z' && (i == from || !isMethodChar(d[i - 1]))
                    && completeStartLine(d, i, end) != NONE) {
                return i;
            }
        }
        return end;
    }

    private static boolean isKnownMethod(byte[] d, int from, int to) {
        for (byte[] m : METHODS) {
            if (m.length == to - from && startsWith(d, from, to, m)) {
                return true;
            }
        }
        return false;
    }

    /** {@code HTTP/d.d} exactly in {@code d[from, to)}. */
    private static boolean isVersion(byte[] d, int from, int to) {
        return to - from == 8 && startsWith(d, from, to, HTTP_SLASH) && isDigit(d[from + 5]) && d[from + 6] == '.'
                && isDigit(d[from + 7]);
    }

    // ---- bytes ---------------------------------------------------------------------------

    private static int skipBlankLines(byte[] d, int pos, int end) {
        while (pos < end && (d[pos] == '\r' || d[pos] == '\n')) {
            pos++;
        }
        return pos;
    }

    private static int indexOf(byte[] d, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (d[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] d, int from, int to, byte b) {
        for (int i = to - 1; i >= from; i--) {
            if (d[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int trimCr(byte[] d, int from, int lf) {
        return lf > from && d[lf - 1] == '\r' ? lf - 1 : lf;
    }

    private static int skip(byte[] d, int from, int to, byte b) {
        while (from < to && d[from] == b) {
            from++;
        }
        return from;
    }

    private static int skipSpace(byte[] d, int from, int to) {
        while (from < to && (d[from] == ' ' || d[from] == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimSpace(byte[] d, int from, int to) {
        while (to > from && (d[to - 1] == ' ' || d[to - 1] == '\t')) {
            to--;
        }
        return to;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isMethodChar(byte b) {
        return (b >= 'A' && b <= 'Z') || b == '-' || b == '_';
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    private static boolean startsWith(byte[] d, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (d[from + k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    /** {@code lower} is lower-case ASCII. */
    private static boolean equalsIgnoreCase(byte[] d, int from, int to, byte[] lower) {
        if (to - from != lower.length) {
            return false;
        }
        for (int k = 0; k < lower.length; k++) {
            int b = d[from + k];
            if (b >= 'A' && b <= 'Z') {
                b += 32;
            }
            if (b != lower[k]) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsIgnoreCase(byte[] d, int from, int to, byte[] lower) {
        for (int i = from; i + lower.length <= to; i++) {
            if (equalsIgnoreCase(d, i, i + lower.length, lower)) {
                return true;
            }
        }
        return false;
    }

    private static byte[][] ascii(String... s) {
        byte[][] out = new byte[s.length][];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        return out;
    }
}
