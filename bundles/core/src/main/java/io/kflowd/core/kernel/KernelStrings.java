package io.kflowd.core.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Bytes from the kernel (file names, paths, comm) as Java strings. Linux names are bytes,
 * not text: valid UTF-8 is decoded as such, and every byte that is not part of a valid
 * UTF-8 sequence becomes the four visible characters {@code \xNN} (lowercase hex). So a
 * name is never silently altered into U+FFFD and two different names never look alike,
 * except a name that really contains a backslash followed by {@code xNN} (documented).
 */
public final class KernelStrings {

    private KernelStrings() {
    }

    /** Decodes {@code length} bytes at {@code offset}, stopping early at a NUL. */
    public static String decode(MemorySegment segment, long offset, int length) {
        return decode(segment, offset, length, false);
    }

    /**
     * Decodes {@code length} bytes at {@code offset}; {@code binary}: payload bytes, where a
     * NUL is data ({@code \x00}), not the end of a C string.
     */
    public static String decode(MemorySegment segment, long offset, int length, boolean binary) {
        StringBuilder out = new StringBuilder(length);
        int i = 0;
        while (i < length) {
            int b0 = Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, offset + i));
            if (b0 == 0) {
                if (!binary) {
                    break;
                }
                escape(out, b0);
                i++;
                continue;
            }
            if (b0 < 0x80) {
                out.append((char) b0);
                i++;
                continue;
            }
            int need;
            int codePoint;
            int min;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                need = 1;
                codePoint = b0 & 0x1F;
                min = 0x80;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                need = 2;
                codePoint = b0 & 0x0F;
                min = 0x800;
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                need = 3;
                codePoint = b0 & 0x07;
                min = 0x10000;
            } else {
                escape(out, b0);
                i++;
                continue;
            }
            boolean valid = i + need < length;
            for (int k = 1; valid && k <= need; k++) {
                int b = Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, offset + i + k));
                if ((b & 0xC0) != 0x80) {
                    valid = false;
                } else {
                    codePoint = (codePoint << 6) | (b & 0x3F);
                }
            }
            // overlong forms, surrogates and values above U+10FFFF are not valid UTF-8
            if (valid && codePoint >= min && codePoint <= 0x10FFFF && (codePoint < 0xD800 || codePoint > 0xDFFF)) {
                out.appendCodePoint(codePoint);
                i += need + 1;
            } else {
                escape(out, b0);
                i++;
            }
        }
        return out.toString();
    }

    public static String decode(byte[] bytes) {
        return decode(MemorySegment.ofArray(bytes), 0, bytes.length);
    }

    private static void escape(StringBuilder out, int b) {
        out.append("\\x").append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xF, 16));
    }
}
