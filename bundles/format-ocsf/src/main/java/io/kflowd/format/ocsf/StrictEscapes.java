package io.kflowd.format.ocsf;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * Escaping on top of what JSON requires (quote, backslash, U+0000-U+001F, which Jackson
 * escapes anyway): DEL and the C1 controls U+0080-U+009F, so that a hostile file name
 * cannot drive the terminal that shows the output, and U+2028/U+2029, which JavaScript
 * before ES2019 does not accept inside string literals. Everything else non-ASCII stays
 * UTF-8.
 */
final class StrictEscapes extends CharacterEscapes {

    private static final long serialVersionUID = 1L;

    static final StrictEscapes INSTANCE = new StrictEscapes();

    private static final SerializedString[] C1 = new SerializedString[0xA0 - 0x80];
    private static final SerializedString LINE_SEPARATOR = new SerializedString("\\u2028");
    private static final SerializedString PARAGRAPH_SEPARATOR = new SerializedString("\\u2029");

    static {
        for (int ch = 0x80; ch < 0xA0; ch++) {
            C1[ch - 0x80] = new SerializedString(String.format("\\u%04X", ch));
        }
    }

    private final int[] asciiEscapes;

    private StrictEscapes() {
        asciiEscapes = standardAsciiEscapesForJSON();
        asciiEscapes[0x7F] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return asciiEscapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        if (ch >= 0x80 && ch < 0xA0) {
            return C1[ch - 0x80];
        }
        if (ch == 0x2028) {
            return LINE_SEPARATOR;
        }
        if (ch == 0x2029) {
            return PARAGRAPH_SEPARATOR;
        }
        return null;
    }
}
