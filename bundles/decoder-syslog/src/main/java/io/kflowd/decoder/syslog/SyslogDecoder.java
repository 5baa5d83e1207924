package io.kflowd.decoder.syslog;

import io.kflowd.api.AppDecoder;
import io.kflowd.api.AppMessage;
import io.kflowd.api.AppMessage.Member;
import io.kflowd.api.AppPayload;
import io.kflowd.api.PayloadText;
import io.kflowd.api.PluginKind;
import io.kflowd.api.SocketRecord;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * Syslog messages (spec 7.4): RFC 3164 and RFC 5424 over UDP, TCP (octet-counting or
 * LF/NUL-delimited framing, several per captured message) and UNIX datagrams, and the
 * journald native protocol. Stateless.
 */
@Component(service = AppDecoder.class,
        property = {AppDecoder.APP + "=SYSLOG", PluginKind.PROPERTY + "=decoder"})
public final class SyslogDecoder implements AppDecoder {

    /** Syslog messages decoded from one captured message. */
    static final int MAX_MESSAGES = 256;
    /** journald fields read from one datagram. */
    static final int MAX_FIELDS = 1024;

    static final String[] FACILITIES = {"Kernel", "User", "Mail System", "System Daemon", "Security/Authorization",
        "Internal", "Line Printer", "Network News", "UUCP", "Clock Daemon", "Security/Authorization", "FTP Daemon",
        "NTP", "Log Audit", "Log Alert", "Clock Daemon", "Local0", "Local1", "Local2", "Local3", "Local4", "Local5",
        "Local6", "Local7"};

    static final String[] SEVERITIES = {"Emergency (0)", "Alert (1)", "Critical (2)", "Error (3)", "Warning (4)",
        "Notice (5)", "Informational (6)", "Debug (7)"};

    private static final byte[][] MONTHS = {b("Jan"), b("Feb"), b("Mar"), b("Apr"), b("May"), b("Jun"), b("Jul"),
        b("Aug"), b("Sep"), b("Oct"), b("Nov"), b("Dec")};

    private static final Member TRUNCATED = AppMessage.member("_Truncated", AppMessage.bool(true));

    /** RFC 3164 4.3.3: a message without PRI is user.notice. */
    private static final int DEFAULT_PRIORITY = 13;

    public SyslogDecoder() {
    }

    @Override
    public List<AppMessage> decode(AppPayload payload) {
        byte[] d = payload.data();
        int end = d.length;
        List<Fields> messages = new ArrayList<>(1);
        if (isJournald(d, end)) {
            messages.add(journald(d, end));
        } else {
            boolean stream = payload.protocol() == SocketRecord.Protocol.TCP;
            int pos = 0;
            for (int count = 0; count < MAX_MESSAGES && pos < end; count++) {
                while (pos < end && (d[pos] == '\n' || d[pos] == '\r' || d[pos] == 0 || d[pos] == ' ')) {
                    pos++;
                }
                if (pos >= end) {
                    break;
                }
                int frameEnd;
                int next;
                int digits = 0;
                long length = 0;
                while (pos + digits < end && digits < 9 && isDigit(d[pos + digits])) {
                    length = length * 10 + (d[pos + digits] - '0');
                    digits++;
                }
                if (digits > 0 && pos + digits + 1 < end && d[pos + digits] == ' ' && d[pos + digits + 1] == '<') {
                    // octet counting (RFC 6587 3.4.1): LEN SP MSG
                    int start = pos + digits + 1;
                    frameEnd = (int) Math.min(end, start + length);
                    next = frameEnd;
                    pos = start;
                } else if (stream) {
                    frameEnd = pos;
                    while (frameEnd < end && d[frameEnd] != '\n' && d[frameEnd] != 0) {
                        frameEnd++;
                    }
                    next = frameEnd + 1;
                } else {
                    frameEnd = end; // one datagram, one message
                    next = end;
                }
                messages.add(message(d, pos, frameEnd));
                pos = next;
            }
        }
        if (payload.truncated() && !messages.isEmpty()) {
            messages.getLast().truncated = true;
        }
        List<AppMessage> out = new ArrayList<>(messages.size());
        for (Fields f : messages) {
            out.add(f.toAppMessage());
        }
        return out;
    }

    /** The decoded fields of one message, rendered in the spec's order. */
    private static final class Fields {
        int priority = DEFAULT_PRIORITY;
        int version;
        String timestamp;
        String hostname;
        String appname = "";
        String procId;
        String msgId;
        String data;
        String message = "";
        String malformed;
        boolean truncated;

        void malformed(String reason) {
            if (malformed == null) {
                malformed = reason;
            }
        }

        AppMessage toAppMessage() {
            List<Member> m = new ArrayList<>(13);
            int facility = priority >> 3;
            m.add(AppMessage.member("Facility", AppMessage.string(facility < FACILITIES.length ? FACILITIES[facility]
                    : "Unknown (" + facility + ")")));
            m.add(AppMessage.member("Severity", AppMessage.string(SEVERITIES[priority & 7])));
            m.add(AppMessage.member("Priority", AppMessage.number(priority)));
            m.add(AppMessage.member("Version", AppMessage.number(version)));
            optional(m, "Timestamp", timestamp);
            optional(m, "Hostname", hostname);
            m.add(AppMessage.member("Appname", AppMessage.string(appname)));
            optional(m, "ProcId", procId);
            optional(m, "MsgId", msgId);
            optional(m, "Data", data);
            m.add(AppMessage.member("Message", AppMessage.string(message)));
            if (malformed != null) {
                m.add(AppMessage.member("_Malformed", AppMessage.string(malformed)));
            }
            if (truncated) {
                m.add(TRUNCATED);
            }
            return new AppMessage(m);
        }

        private static void optional(List<Member> m, String key, String value) {
            if (value != null && !value.isEmpty()) {
                m.add(AppMessage.member(key, AppMessage.string(value)));
            }
        }
    }

    // ---- syslog lines --------------------------------------------------------------------

    /** One syslog message in {@code d[pos, end)}: PRI, then RFC 5424 (version) or RFC 3164. */
    private static Fields message(byte[] d, int pos, int end) {
        Fields f = new Fields();
        while (end > pos && (d[end - 1] == '\n' || d[end - 1] == '\r' || d[end - 1] == 0)) {
            end--;
        }
        int i = pos;
        if (i < end && d[i] == '<') {
            int pri = 0;
            int digits = 0;
            while (i + 1 + digits < end && digits < 3 && isDigit(d[i + 1 + digits])) {
                pri = pri * 10 + (d[i + 1 + digits] - '0');
                digits++;
            }
            if (digits > 0 && i + 1 + digits < end && d[i + 1 + digits] == '>') {
                f.priority = pri;
                i += digits + 2;
            } else {
                f.malformed("bad PRI");
                f.message = PayloadText.of(d, pos, end);
                return f;
            }
        } else {
            f.malformed("no PRI");
        }
        int v = 0;
        int vd = 0;
        while (i + vd < end && vd < 2 && isDigit(d[i + vd])) {
            v = v * 10 + (d[i + vd] - '0');
            vd++;
        }
        if (vd > 0 && v > 0 && i + vd < end && d[i + vd] == ' ') {
            f.version = v;
            rfc5424(f, d, i + vd + 1, end);
        } else {
            rfc3164(f, d, i, end);
        }
        return f;
    }

    /** {@code TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP SD [SP MSG]}, '-' is nil. */
    private static void rfc5424(Fields f, byte[] d, int i, int end) {
        String[] header = new String[5];
        for (int k = 0; k < 5; k++) {
            int sp = indexOf(d, i, end, (byte) ' ');
            int tokenEnd = sp < 0 ? end : sp;
            if (tokenEnd > i && !(tokenEnd - i == 1 && d[i] == '-')) {
                header[k] = PayloadText.of(d, i, tokenEnd);
            }
            if (sp < 0) {
                i = end;
                if (k < 4) {
                    f.malformed("RFC 5424 header cut short");
                }
                break;
            }
            i = sp + 1;
        }
        f.timestamp = header[0];
        f.hostname = header[1];
        f.appname = header[2] == null ? "" : header[2];
        f.procId = header[3];
        f.msgId = header[4];
        if (i >= end) {
            return;
        }
        if (d[i] == '-') {
            i++;
        } else if (d[i] == '[') {
            int sdStart = i;
            i = structuredData(d, i, end);
            if (i < 0) {
                f.data = PayloadText.of(d, sdStart, end);
                f.malformed("unterminated structured data");
                return;
            }
            f.data = PayloadText.of(d, sdStart, i);
        } else {
            f.malformed("no structured data");
            i--; // the rest is the message
        }
        if (i < end && d[i] == ' ') {
            i++;
        }
        if (end - i >= 3 && (d[i] & 0xFF) == 0xEF && (d[i + 1] & 0xFF) == 0xBB && (d[i + 2] & 0xFF) == 0xBF) {
            i += 3; // the BOM that marks a UTF-8 MSG
        }
        if (i < end) {
            f.message = PayloadText.of(d, i, end);
        }
    }

    /** SD-ELEMENTs from {@code [}: the position after the last {@code ]}, -1 if one is not closed. */
    private static int structuredData(byte[] d, int i, int end) {
        while (i < end && d[i] == '[') {
            boolean quoted = false;
            i++;
            while (i < end) {
                byte b = d[i];
                if (quoted && b == '\\') {
                    i += 2; // \" \\ \]
                    continue;
                }
                if (b == '"') {
                    quoted = !quoted;
                } else if (b == ']' && !quoted) {
                    break;
                }
                i++;
            }
            if (i >= end) {
                return -1;
            }
            i++; // past ]
        }
        return i;
    }

    /** {@code [Mmm dd hh:mm:ss SP] [HOSTNAME SP] TAG[PID]: MSG}. */
    private static void rfc3164(Fields f, byte[] d, int i, int end) {
        boolean stamped = false;
        if (isBsdTimestamp(d, i, end)) {
            f.timestamp = PayloadText.of(d, i, i + 15);
            i += 15;
            stamped = true;
        } else if (end - i > 10 && isDigit(d[i]) && isDigit(d[i + 3]) && d[i + 4] == '-' && d[i + 7] == '-') {
            // an RFC 3339 stamp in a BSD-style line (rsyslog's high-precision format)
            int sp = indexOf(d, i, end, (byte) ' ');
            int te = sp < 0 ? end : sp;
            f.timestamp = PayloadText.of(d, i, te);
            i = te;
            stamped = true;
        }
        if (stamped && i < end && d[i] == ' ') {
            i++;
        }
        int w1 = wordEnd(d, i, end);
        if (stamped && !isTag(d, i, w1) && w1 < end) {
            int w2s = w1 + 1;
            int w2 = wordEnd(d, w2s, end);
            if (isTag(d, w2s, w2)) {
                f.hostname = PayloadText.of(d, i, w1);
                i = w2s;
                w1 = w2;
            }
        }
        if (isTag(d, i, w1)) {
            int colon = w1 - 1;
            int bracket = indexOf(d, i, colon, (byte) '[');
            if (bracket >= 0) {
                f.appname = PayloadText.of(d, i, bracket);
                int close = colon - 1; // tag[pid]:
                if (close > bracket + 1) {
                    f.procId = PayloadText.of(d, bracket + 1, close);
                }
            } else {
                f.appname = PayloadText.of(d, i, colon);
            }
            i = w1;
            if (i < end && d[i] == ' ') {
                i++;
            }
        }
        if (i < end) {
            f.message = PayloadText.of(d, i, end);
        }
    }

    /** {@code Mmm dd hh:mm:ss} with the day space-padded or zero-padded. */
    private static boolean isBsdTimestamp(byte[] d, int i, int end) {
        if (end - i < 15 || d[i + 3] != ' ' || d[i + 6] != ' ' || d[i + 9] != ':' || d[i + 12] != ':') {
            return false;
        }
        boolean month = false;
        for (byte[] m : MONTHS) {
            if (d[i] == m[0] && d[i + 1] == m[1] && d[i + 2] == m[2]) {
                month = true;
                break;
            }
        }
        return month && (d[i + 4] == ' ' || isDigit(d[i + 4])) && isDigit(d[i + 5]) && isDigit(d[i + 7])
                && isDigit(d[i + 8]) && isDigit(d[i + 10]) && isDigit(d[i + 11]) && isDigit(d[i + 13])
                && isDigit(d[i + 14]);
    }

    /** {@code tag:} or {@code tag[pid]:}, at most 64 bytes, no space. */
    private static boolean isTag(byte[] d, int from, int to) {
        int n = to - from;
        if (n < 2 || n > 64 || d[to - 1] != ':') {
            return false;
        }
        int bracket = indexOf(d, from, to - 1, (byte) '[');
        if (bracket < 0) {
            return indexOf(d, from, to - 1, (byte) ']') < 0;
        }
        return bracket > from && d[to - 2] == ']' && indexOf(d, bracket + 1, to - 2, (byte) '[') < 0;
    }

    private static int wordEnd(byte[] d, int i, int end) {
        while (i < end && d[i] != ' ') {
            i++;
        }
        return i;
    }

    // ---- journald native protocol --------------------------------------------------------

    /** Starts with a journal field name ({@code [A-Z_][A-Z0-9_]*}) followed by '=' or LF. */
    private static boolean isJournald(byte[] d, int end) {
        if (end == 0 || !(d[0] >= 'A' && d[0] <= 'Z' || d[0] == '_')) {
            return false;
        }
        for (int i = 1; i < end && i <= 64; i++) {
            byte b = d[i];
            if (b == '=' || b == '\n') {
                return true;
            }
            if (!isFieldChar(b)) {
                return false;
            }
        }
        return false;
    }

    /** {@code KEY=VALUE\n} or {@code KEY\n<64-bit LE length><value>\n}, one entry per datagram. */
    private static Fields journald(byte[] d, int end) {
        Fields f = new Fields();
        int severity = 6; // journald's default, LOG_INFO
        int facility = 1; // journald forwards facility 0 as user (syslog_fixup_facility)
        int i = 0;
        for (int count = 0; count < MAX_FIELDS && i < end; count++) {
            int nameStart = i;
            while (i < end && i - nameStart <= 64 && isFieldChar(d[i])) {
                i++;
            }
            if (i == nameStart || i >= end || (d[i] != '=' && d[i] != '\n')) {
                if (i < end || i == nameStart) {
                    f.malformed("bad journal field name");
                }
                break;
            }
            int nameEnd = i;
            int valueStart;
            int valueEnd;
            if (d[i] == '=') {
                valueStart = i + 1;
                int lf = indexOf(d, valueStart, end, (byte) '\n');
                valueEnd = lf < 0 ? end : lf;
                i = valueEnd + 1;
            } else {
                if (end - (i + 1) < 8) {
                    f.malformed("journal field length cut short");
                    break;
                }
                long length = 0;
                for (int k = 7; k >= 0; k--) {
                    length = (length << 8) | (d[i + 1 + k] & 0xFF);
                }
                valueStart = i + 9;
                if (length < 0 || length > end - valueStart) {
                    valueEnd = end;
                    i = end;
                    if (length < 0) {
                        f.malformed("bad journal field length");
                    }
                } else {
                    valueEnd = valueStart + (int) length;
                    i = valueEnd;
                    if (i < end && d[i] != '\n') {
                        f.malformed("journal field not followed by LF");
                        field(f, d, nameStart, nameEnd, valueStart, valueEnd);
                        break;
                    }
                    i++;
                }
            }
            int code = field(f, d, nameStart, nameEnd, valueStart, valueEnd);
            if (code >= 0 && is(d, nameStart, nameEnd, PRIORITY)) {
                severity = code & 7;
            } else if (code >= 0 && is(d, nameStart, nameEnd, SYSLOG_FACILITY)) {
                facility = code;
            }
        }
        f.priority = (Math.min(facility, 127) << 3) | severity;
        return f;
    }

    private static final byte[] MESSAGE = b("MESSAGE");
    private static final byte[] PRIORITY = b("PRIORITY");
    private static final byte[] SYSLOG_FACILITY = b("SYSLOG_FACILITY");
    private static final byte[] SYSLOG_IDENTIFIER = b("SYSLOG_IDENTIFIER");
    private static final byte[] SYSLOG_PID = b("SYSLOG_PID");

    /** Takes one field; returns its decimal value for PRIORITY and SYSLOG_FACILITY, else -1. */
    private static int field(Fields f, byte[] d, int ns, int ne, int vs, int ve) {
        if (is(d, ns, ne, MESSAGE)) {
            while (ve > vs && (d[ve - 1] == '\n' || d[ve - 1] == '\r' || d[ve - 1] == 0)) {
                ve--;
            }
            f.message = PayloadText.of(d, vs, ve);
        } else if (is(d, ns, ne, SYSLOG_IDENTIFIER)) {
            f.appname = PayloadText.of(d, vs, ve);
        } else if (is(d, ns, ne, SYSLOG_PID)) {
            f.procId = PayloadText.of(d, vs, ve);
        } else if (is(d, ns, ne, PRIORITY) || is(d, ns, ne, SYSLOG_FACILITY)) {
            int v = 0;
            int k = vs;
            while (k < ve && k - vs < 3 && isDigit(d[k])) {
                v = v * 10 + (d[k] - '0');
                k++;
            }
            if (k == vs || k != ve) {
                f.malformed("bad " + new String(d, ns, ne - ns, java.nio.charset.StandardCharsets.US_ASCII));
                return -1;
            }
            return v;
        }
        return -1;
    }

    // ---- bytes ---------------------------------------------------------------------------

    private static boolean is(byte[] d, int from, int to, byte[] name) {
        if (to - from != name.length) {
            return false;
        }
        for (int k = 0; k < name.length; k++) {
            if (d[from + k] != name[k]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isFieldChar(byte b) {
        return (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_';
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static int indexOf(byte[] d, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (d[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] b(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
