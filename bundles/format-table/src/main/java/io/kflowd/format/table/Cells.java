package io.kflowd.format.table;

/**
 * Turning values into cells of a fixed width: hostile text made visible, widths counted in
 * terminal columns, values too long for their column cut with {@link #MARKER}, numbers too
 * long shown in units of a thousand.
 */
final class Cells {

    /** Ends (or, for paths, starts) a value cut to its column. One column wide. */
    static final String MARKER = "\u2026";

    private static final String UNITS = "kMGTPE";

    private Cells() {
    }

    /**
     * The text with everything that could break a row made visible: C0 and C1 control
     * characters and DEL as {@code \xNN} (lower-case hex, as the core shows invalid UTF-8),
     * format characters (bidirectional marks, embeddings, overrides and isolates,
     * zero-width characters, the BOM, the soft hyphen) and the line and paragraph separators
     * as a backslash, {@code u} and at least four hex digits (lower-case), an unpaired surrogate as U+FFFD.
     */
    static String visible(String text) {
        if (isPlain(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x20 || cp >= 0x7F && cp <= 0x9F) {
                out.append("\\x").append(Character.forDigit(cp >> 4, 16)).append(Character.forDigit(cp & 0xF, 16));
            } else if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
                out.append('\uFFFD');
            } else if (isInvisible(cp)) {
                String hex = Integer.toHexString(cp);
                out.append("\\u");
                out.repeat('0', Math.max(0, 4 - hex.length()));
                out.append(hex);
            } else {
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }

    /** Printable ASCII only: nothing to do (the common case). */
    private static boolean isPlain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c >= 0x7F) {
                return false;
            }
        }
        return true;
    }

    private static boolean isInvisible(int cp) {
        int type = Character.getType(cp);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /**
     * Terminal columns of one code point of visible text: 0 for combining marks (they sit
     * on the character before) and Hangul medial vowels and final consonants, 2 for East
     * Asian wide and fullwidth characters and the emoji blocks, 1 otherwise.
     */
    static int columns(int cp) {
        if (cp < 0x300) {
            return 1;
        }
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || cp >= 0x1160 && cp <= 0x11FF) {
            return 0;
        }
        return isWide(cp) ? 2 : 1;
    }

    /** East Asian Width W and F (Unicode 15, the ranges wcwidth implementations use). */
    private static boolean isWide(int cp) {
        return cp >= 0x1100 && cp <= 0x115F
                || cp == 0x2329 || cp == 0x232A
                || cp >= 0x231A && cp <= 0x231B
                || cp >= 0x23E9 && cp <= 0x23EC
                || cp >= 0x25FD && cp <= 0x25FE
                || cp >= 0x2614 && cp <= 0x2615
                || cp >= 0x2648 && cp <= 0x2653
                || cp >= 0x26AA && cp <= 0x26AB
                || cp >= 0x26BD && cp <= 0x26BE
                || cp >= 0x26C4 && cp <= 0x26C5
                || cp == 0x26A1 || cp == 0x26CE || cp == 0x26D4 || cp == 0x26EA || cp == 0x26F5 || cp == 0x26FA
                || cp == 0x26FD || cp == 0x2705 || cp == 0x2728 || cp == 0x274C || cp == 0x274E || cp == 0x27B0
                || cp == 0x27BF || cp == 0x2B50 || cp == 0x2B55
                || cp >= 0x2753 && cp <= 0x2755
                || cp >= 0x2795 && cp <= 0x2797
                || cp >= 0x2B1B && cp <= 0x2B1C
                || cp >= 0x2E80 && cp <= 0x303E
                || cp >= 0x3041 && cp <= 0x33FF
                || cp >= 0x3400 && cp <= 0x4DBF
                || cp >= 0x4E00 && cp <= 0x9FFF
                || cp >= 0xA000 && cp <= 0xA4CF
                || cp >= 0xA960 && cp <= 0xA97F
                || cp >= 0xAC00 && cp <= 0xD7A3
                || cp >= 0xF900 && cp <= 0xFAFF
                || cp >= 0xFE10 && cp <= 0xFE19
                || cp >= 0xFE30 && cp <= 0xFE6F
                || cp >= 0xFF00 && cp <= 0xFF60
                || cp >= 0xFFE0 && cp <= 0xFFE6
                || cp >= 0x16FE0 && cp <= 0x18CFF
                || cp >= 0x1AFF0 && cp <= 0x1B2FF
                || cp == 0x1F004 || cp == 0x1F0CF || cp == 0x1F18E
                || cp >= 0x1F191 && cp <= 0x1F19A
                || cp >= 0x1F200 && cp <= 0x1F251
                || cp >= 0x1F300 && cp <= 0x1F64F
                || cp >= 0x1F680 && cp <= 0x1F6FF
                || cp >= 0x1F7E0 && cp <= 0x1F7EB
                || cp >= 0x1F90C && cp <= 0x1F9FF
                || cp >= 0x1FA70 && cp <= 0x1FAFF
                || cp >= 0x20000 && cp <= 0x2FFFD
                || cp >= 0x30000 && cp <= 0x3FFFD;
    }

    /** Terminal columns of visible text. */
    static int columns(CharSequence text) {
        int columns = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = Character.codePointAt(text, i);
            i += Character.charCount(cp);
            columns += columns(cp);
        }
        return columns;
    }

    /** Text made visible and cut at its end to {@code width} columns. */
    static String text(String text, int width) {
        return cutEnd(visible(text), width);
    }

    /** Visible text cut at its end: the first {@code width - 1} columns and the marker. */
    static String cutEnd(String visible, int width) {
        if (columns(visible) <= width) {
            return visible;
        }
        StringBuilder out = new StringBuilder(width + 2);
        int used = 0;
        for (int i = 0; i < visible.length(); ) {
            int cp = visible.codePointAt(i);
            int w = columns(cp);
            if (used + w > width - 1) {
                break;
            }
            out.appendCodePoint(cp);
            used += w;
            i += Character.charCount(cp);
        }
        return out.append(MARKER).toString();
    }

    /** Visible text cut at its start: the marker and the last {@code width - 1} columns. */
    static String cutStart(String visible, int width) {
        if (columns(visible) <= width) {
            return visible;
        }
        int used = 0;
        int start = visible.length();
        while (start > 0) {
            int cp = visible.codePointBefore(start);
            int w = columns(cp);
            if (used + w > width - 1) {
                break;
            }
            used += w;
            start -= Character.charCount(cp);
        }
        // Combining marks left at the start would sit on the marker: drop them.
        while (start < visible.length() && columns(visible.codePointAt(start)) == 0) {
            start += Character.charCount(visible.codePointAt(start));
        }
        return MARKER + visible.substring(start);
    }

    /**
     * An unsigned 64-bit number in decimal, or, when that is wider than the column, in the
     * first unit that fits: {@code 12345k} is 12,345,xxx (k = 10^3, then M, G, T, P, E;
     * truncated, never rounded up). The largest value needs 3 columns ({@code 18E}).
     */
    static String number(long value, int width) {
        String exact = Long.toUnsignedString(value);
        if (exact.length() <= width) {
            return exact;
        }
        long scaled = value;
        for (int unit = 0; unit < UNITS.length(); unit++) {
            scaled = Long.divideUnsigned(scaled, 1000);
            String text = Long.toUnsignedString(scaled) + UNITS.charAt(unit);
            if (text.length() <= width) {
                return text;
            }
        }
        return cutEnd(exact, width);
    }

    /**
     * Seconds with three decimals ({@code 0.044}), rounded; fewer decimals when that is wider
     * than the column, then whole seconds as a {@link #number}. Empty when not positive
     * (spec 4.9: empty unless the last event is after the first).
     */
    static String seconds(long nanos, int width) {
        if (nanos <= 0) {
            return "";
        }
        long divisor = 1_000_000;
        for (int decimals = 3; decimals > 0; decimals--, divisor *= 10) {
            long units = nanos / divisor + (nanos % divisor >= divisor / 2 ? 1 : 0);
            long scale = decimals == 3 ? 1000 : decimals == 2 ? 100 : 10;
            String fraction = Long.toString(units % scale);
            String text = units / scale + "." + "0".repeat(decimals - fraction.length()) + fraction;
            if (text.length() <= width) {
                return text;
            }
        }
        return number(nanos / 1_000_000_000L, width);
    }

    /** The cell padded with spaces to {@code width} columns, on the left when right-aligned. */
    static void pad(StringBuilder row, String cell, int width, boolean right) {
        int fill = Math.max(0, width - columns(cell));
        if (right) {
            row.repeat(' ', fill).append(cell);
        } else {
            row.append(cell).repeat(' ', fill);
        }
    }
}
