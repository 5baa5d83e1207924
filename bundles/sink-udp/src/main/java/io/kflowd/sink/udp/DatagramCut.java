package io.kflowd.sink.udp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Makes a record that is larger than a datagram fit into one, without ever producing
 * invalid JSON.
 *
 * <p>JSON (compact or pretty, an object or an array at the top) is read with Jackson's
 * streaming parser and written again in the json-min form (spec 2.1: {@code ": "} and
 * {@code ", "}), member by member and element by element, descending into nested objects
 * and arrays, until the next member would not fit together with what it takes to close
 * everything that is open. Then every open array and object is closed and the top level gets
 * the marker {@code "_Truncated": true} (a top-level array gets {@code {"_Truncated": true}}
 * as its last element). Every member before the cut is intact and in its place; the member
 * at the cut is left out, or, if it is an object or array, kept with the members that fit.
 * A pretty text whose compact form fits is sent compact and whole, without a marker.
 *
 * <p>Anything else (a text that is not JSON, or JSON the parser rejects) is cut at a UTF-8
 * character boundary and ends with {@link #TEXT_MARKER}.
 */
final class DatagramCut {

    /** The member added at the top level of a cut JSON record. */
    static final String MARKER_KEY = "_Truncated";
    /** What ends a cut text that is not JSON. */
    static final String TEXT_MARKER = " [_Truncated]";

    private static final byte[] OBJECT_MARKER = ("\"" + MARKER_KEY + "\": true").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ARRAY_MARKER = ("{\"" + MARKER_KEY + "\": true}").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEPARATOR = {',', ' '};
    /** The closing bytes besides one per open container: separator and the longer marker. */
    private static final int CLOSING_RESERVE = SEPARATOR.length + ARRAY_MARKER.length;
    /** The smallest limit a JSON cut can work with: {@code [{"_Truncated": true}]}. */
    static final int MIN_LIMIT = ARRAY_MARKER.length + 2;

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private DatagramCut() {
    }

    /**
     * The text made to fit {@code limit} bytes; the text itself when it fits already.
     *
     * @param limit at least {@link #MIN_LIMIT}
     */
    static byte[] fit(byte[] text, int limit) {
        if (text.length <= limit) {
            return text;
        }
        if (looksLikeJson(text)) {
            byte[] cut = cutJson(text, limit);
            if (cut != null) {
                return cut;
            }
        }
        return cutText(text, limit);
    }

    private static boolean looksLikeJson(byte[] text) {
        for (byte b : text) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b == '{' || b == '[';
            }
        }
        return false;
    }

    /** One open object or array of the output. */
    private static final class Open {
        final boolean object;
        boolean hasEntries;

        Open(boolean object) {
            this.object = object;
        }
    }

    /** The JSON cut; null when the text is not JSON after all (the caller cuts characters). */
    static byte[] cutJson(byte[] text, int limit) {
        if (pretty(text)) {
            // the room kept for closing a cut must not cut a record whose compact form fits
            byte[] whole = emit(text, Long.MAX_VALUE);
            if (whole == null || whole.length <= limit) {
                return whole;
            }
        }
        return emit(text, limit);
    }

    private static boolean pretty(byte[] text) {
        for (byte b : text) {
            if (b == '\n') {
                return true;
            }
        }
        return false;
    }

    /** Writes the JSON text in json-min form, cut to fit {@code limit}; null when it is not JSON. */
    private static byte[] emit(byte[] text, long limit) {
        Output out = new Output((int) Math.min(limit, 64 * 1024));
        Deque<Open> open = new ArrayDeque<>();
        boolean markerPresent = false;
        try (JsonParser parser = JSON.createParser(text)) {
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
                return null;
            }
            open.push(new Open(token == JsonToken.START_OBJECT));
            out.write(token == JsonToken.START_OBJECT ? '{' : '[');
            String name = null;
            while ((token = parser.nextToken()) != null) {
                switch (token) {
                    case FIELD_NAME -> {
                        // written together with its value: a name never ends a cut
                        name = parser.currentName();
                        continue;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        // always fits: every open container has its closer reserved
                        out.write(token == JsonToken.END_OBJECT ? '}' : ']');
                        open.pop();
                        if (open.isEmpty()) {
                            // the compact form of the whole text fits: nothing is cut
                            return out.toByteArray();
                        }
                        continue;
                    }
                    default -> {
                    }
                }
                Open parent = open.peek();
                Unit unit = new Unit();
                if (parent.hasEntries) {
                    unit.write(SEPARATOR);
                }
                if (name != null) {
                    unit.string(name);
                    unit.write(':');
                    unit.write(' ');
                }
                boolean starts = token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY;
                switch (token) {
                    case START_OBJECT -> unit.write('{');
                    case START_ARRAY -> unit.write('[');
                    case VALUE_STRING -> unit.string(parser.getText());
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE, VALUE_NULL ->
                        unit.write(parser.getText().getBytes(StandardCharsets.US_ASCII));
                    default -> {
                        return null;
                    }
                }
                int depthAfter = open.size() + (starts ? 1 : 0);
                if ((long) out.size() + unit.size() + depthAfter + CLOSING_RESERVE > limit) {
                    break;
                }
                if (open.size() == 1 && MARKER_KEY.equals(name)) {
                    markerPresent = true;
                }
                out.write(unit);
                parent.hasEntries = true;
                name = null;
                if (starts) {
                    open.push(new Open(token == JsonToken.START_OBJECT));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not JSON, or JSON beyond the parser's limits (nesting, number length)
            return null;
        }
        if (open.isEmpty()) {
            // the text ended without closing its top level: not JSON
            return null;
        }
        while (open.size() > 1) {
            out.write(open.pop().object ? '}' : ']');
        }
        Open top = open.pop();
        if (!markerPresent) {
            if (top.hasEntries) {
                out.write(SEPARATOR);
            }
            out.write(top.object ? OBJECT_MARKER : ARRAY_MARKER);
        }
        out.write(top.object ? '}' : ']');
        return out.toByteArray();
    }

    /**
     * Cuts at the last UTF-8 character boundary that leaves room for the marker. A cut
     * never falls inside a multi-byte character; an invalid byte counts as one character.
     */
    static byte[] cutText(byte[] text, int limit) {
        byte[] marker = TEXT_MARKER.getBytes(StandardCharsets.US_ASCII);
        int end = Math.max(0, Math.min(text.length, limit - marker.length));
        // the first byte left out must start a character; a UTF-8 character has at most
        // three continuation bytes (more in a row are invalid input, cut anywhere)
        for (int back = 0; back < 3 && end > 0 && end < text.length && (text[end] & 0xC0) == 0x80; back++) {
            end--;
        }
        byte[] cut = new byte[end + marker.length];
        System.arraycopy(text, 0, cut, 0, end);
        System.arraycopy(marker, 0, cut, end, marker.length);
        return cut;
    }

    /** The output so far: a byte buffer that never grows beyond the limit. */
    private static final class Output extends ByteArrayOutputStream {
        Output(int capacity) {
            super(capacity);
        }

        void write(Unit unit) {
            unit.copyTo(this);
        }

        @Override
        public void write(byte[] bytes) {
            write(bytes, 0, bytes.length);
        }
    }

    /**
     * One member or element as it would be written, measured before it is added. Strings
     * are escaped here rather than by a Jackson generator so that whatever the record holds
     * (a lone surrogate from a {@code \ud800} escape included) is written as valid JSON.
     */
    private static final class Unit extends ByteArrayOutputStream {
        Unit() {
            super(64);
        }

        void copyTo(ByteArrayOutputStream out) {
            out.write(buf, 0, count);
        }

        @Override
        public void write(byte[] bytes) {
            write(bytes, 0, bytes.length);
        }

        void string(String s) {
            write('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> escape('"');
                    case '\\' -> escape('\\');
                    case '\n' -> escape('n');
                    case '\r' -> escape('r');
                    case '\t' -> escape('t');
                    case '\b' -> escape('b');
                    case '\f' -> escape('f');
                    default -> {
                        if (c < 0x20) {
                            unicode(c);
                        } else if (c < 0x80) {
                            write(c);
                        } else if (c < 0x800) {
                            write(0xC0 | c >> 6);
                            write(0x80 | c & 0x3F);
                        } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                                && Character.isLowSurrogate(s.charAt(i + 1))) {
                            int cp = Character.toCodePoint(c, s.charAt(++i));
                            write(0xF0 | cp >> 18);
                            write(0x80 | cp >> 12 & 0x3F);
                            write(0x80 | cp >> 6 & 0x3F);
                            write(0x80 | cp & 0x3F);
                        } else if (Character.isSurrogate(c)) {
                            // a lone surrogate has no UTF-8 form; the escape keeps it
                            unicode(c);
                        } else {
                            write(0xE0 | c >> 12);
                            write(0x80 | c >> 6 & 0x3F);
                            write(0x80 | c & 0x3F);
                        }
                    }
                }
            }
            write('"');
        }

        private void escape(char c) {
            write('\\');
            write(c);
        }

        private void unicode(char c) {
            write('\\');
            write('u');
            write(HEX[c >> 12 & 0xF]);
            write(HEX[c >> 8 & 0xF]);
            write(HEX[c >> 4 & 0xF]);
            write(HEX[c & 0xF]);
        }
    }
}
