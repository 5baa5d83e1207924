package io.kflowd.decoder.dns;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The saved dig captures in src/test/resources/captures. */
final class Captures {

    private Captures() {
    }

    static byte[] load(String name) {
        try (InputStream in = Captures.class.getResourceAsStream("/captures/" + name + ".hex")) {
            if (in == null) {
                throw new IllegalArgumentException("no capture " + name);
            }
            return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every saved DNS message, UDP ones as they are, the TCP streams as streams. */
    static List<byte[]> udpMessages() {
        List<byte[]> all = new ArrayList<>();
        for (Cases.Case c : Cases.ALL) {
            all.add(load(c.id() + ".query"));
            all.add(load(c.id() + ".response"));
        }
        return all;
    }
}
