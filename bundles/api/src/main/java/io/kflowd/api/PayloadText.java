package io.kflowd.api;

import java.nio.charset.StandardCharsets;

/**
 * Captured payload bytes as text, the same way in every decoder: strict UTF-8, and every
 * byte that is not part of a valid sequence as the four characters {@code \xNN} (upper-case
 * hex), so no byte is silently lost or altered. For decoder authors; no state.
 */
public final class PayloadText {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PayloadText() {
    }

    /** The text of {@code d[from, to)}. */
    public static String of(byte[] d, int from, int to) {
        int i = from;
        while (i < to && d[i] >= 0) {
            i++;
        }
        if (i == to) {
            // all ASCII: the JDK's Latin-1 path builds a compact string without decoding
            return new String(d, from, to - from, StandardCharsets.ISO_8859_1);
        }
        StringBuilder sb = new StringBuilder(to - from + 8);
        sb.append(new String(d, from, i - from, StandardCharsets.ISO_8859_1));
        while (i < to) {
            int b0 = d[i] & 0xFF;
            if (b0 < 0x80) {
                sb.append((char) b0);
                i++;
                continue;
            }
            int n = sequenceLength(d, i, to);
            if (n == 0) {
                sb.append('\\').append('x').append(HEX[b0 >> 4]).append(HEX[b0 & 0xF]);
                i++;
                continue;
            }
            int cp;
            if (n == 2) {
                cp = ((b0 & 0x1F) << 6) | (d[i + 1] & 0x3F);
            } else if (n == 3) {
                cp = ((b0 & 0x0F) << 12) | ((d[i + 1] & 0x3F) << 6) | (d[i + 2] & 0x3F);
            } else {
                cp = ((b0 & 0x07) << 18) | ((d[i + 1] & 0x3F) << 12) | ((d[i + 2] & 0x3F) << 6) | (d[i + 3] & 0x3F);
            }
            sb.appendCodePoint(cp);
            i += n;
        }
        return sb.toString();
    }

    /** Length of the valid UTF-8 sequence at {@code i} (Unicode table 3-7), 0 if invalid. */
    private static int sequenceLength(byte[] d, int i, int to) {
        int b0 = d[i] & 0xFF;
        int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            n = 2;
        } else if (b0 == 0xE0) {
            n = 3;
            lo = 0xA0;
        } else if (b0 >= 0xE1 && b0 <= 0xEF) {
            n = 3;
            if (b0 == 0xED) {
                hi = 0x9F; // no surrogates
            }
        } else if (b0 == 0xF0) {
            n = 4;
            lo = 0x90;
        } else if (b0 >= 0xF1 && b0 <= 0xF3) {
            n = 4;
        } else if (b0 == 0xF4) {
            n = 4;
            hi = 0x8F;
        } else {
            return 0;
        }
        if (i + n > to) {
            return 0;
        }
        int b1 = d[i + 1] & 0xFF;
        if (b1 < lo || b1 > hi) {
            return 0;
        }
        for (int k = 2; k < n; k++) {
            int b = d[i + k] & 0xFF;
            if (b < 0x80 || b > 0xBF) {
                return 0;
            }
        }
        return n;
    }

    /** Whether {@code d[from, to)} looks like text: no control bytes but TAB, LF, FF, CR, ESC. */
    public static boolean looksLikeText(byte[] d, int from, int to) {
        int limit = Math.min(to, from + 512);
        int invalid = 0;
        int i = from;
        while (i < limit) {
            int b = d[i] & 0xFF;
            if (b < 0x20) {
                if (b != '\t' && b != '\n' && b != '\r' && b != 0x0C && b != 0x1B) {
                    return false;
                }
                i++;
            } else if (b < 0x7F) {
                i++;
            } else if (b == 0x7F) {
                return false;
            } else {
                int n = sequenceLength(d, i, to);
                if (n == 0) {
                    // a sequence cut by the sniff window is fine; other invalid bytes are not
                    if (i + 4 < limit && ++invalid > 2) {
                        return false;
                    }
                    i++;
                } else {
                    i += n;
                }
            }
        }
        return true;
    }
}
