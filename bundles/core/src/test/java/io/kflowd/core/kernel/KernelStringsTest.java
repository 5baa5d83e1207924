package io.kflowd.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KernelStringsTest {

    private static String decode(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return KernelStrings.decode(b);
    }

    @Test
    void validUtf8IsDecoded() {
        String name = "grüße-файл-😀.txt";
        assertEquals(name, KernelStrings.decode(name.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void invalidBytesBecomeVisibleHexEscapes() {
        assertEquals("a\\xffb", decode('a', 0xff, 'b'));
        assertEquals("\\xc3(", decode(0xc3, '('), "truncated two-byte sequence");
        assertEquals("\\xc0\\xaf", decode(0xc0, 0xaf), "overlong encoding");
        assertEquals("\\xed\\xa0\\x80", decode(0xed, 0xa0, 0x80), "UTF-8-encoded surrogate");
        assertEquals("\\xe2\\x82", decode(0xe2, 0x82), "sequence cut by the end");
        assertEquals("\\xf5\\x80\\x80\\x80", decode(0xf5, 0x80, 0x80, 0x80), "above U+10FFFF");
    }

    @Test
    void stopsAtNulAndKeepsControlCharacters() {
        assertEquals("a\nb\u0001", decode('a', '\n', 'b', 1, 0, 'c'));
    }
}
