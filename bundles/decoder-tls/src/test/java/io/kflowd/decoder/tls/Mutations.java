package io.kflowd.decoder.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kflowd.api.AppMessage;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Bounded random mutations of a seed (byte flips, inserts, deletes, splices, CR/LF/digits). */
final class Mutations {

    private static final byte[] INTERESTING = {'\r', '\n', ' ', ':', '0', '9', 'f', ';', 0, (byte) 0xFF, (byte) 0xC3,
        '<', '>', '[', ']', '"', '\\', '-', 0x16, 0x03, 0x01};

    private Mutations() {
    }

    static byte[] mutate(byte[] seed, Random r) {
        byte[] d = seed.clone();
        int edits = 1 + r.nextInt(8);
        for (int e = 0; e < edits; e++) {
            int len = d.length;
            switch (r.nextInt(6)) {
                case 0 -> {
                    if (len > 0) {
                        d[r.nextInt(len)] ^= (byte) (1 << r.nextInt(8));
                    }
                }
                case 1 -> {
                    if (len > 0) {
                        d[r.nextInt(len)] = INTERESTING[r.nextInt(INTERESTING.length)];
                    }
                }
                case 2 -> {
                    int at = r.nextInt(len + 1);
                    int n = 1 + r.nextInt(16);
                    byte[] x = new byte[len + n];
                    System.arraycopy(d, 0, x, 0, at);
                    for (int i = 0; i < n; i++) {
                        x[at + i] = r.nextBoolean() ? INTERESTING[r.nextInt(INTERESTING.length)] : (byte) r.nextInt();
                    }
                    System.arraycopy(d, at, x, at + n, len - at);
                    d = x;
                }
                case 3 -> {
                    if (len > 1) {
                        int at = r.nextInt(len);
                        int n = 1 + r.nextInt(Math.min(32, len - at));
                        byte[] x = new byte[len - n];
                        System.arraycopy(d, 0, x, 0, at);
                        System.arraycopy(d, at + n, x, at, len - at - n);
                        d = x;
                    }
                }
                case 4 -> {
                    if (len > 2) {
                        // duplicate a slice (pipelining, repeated headers, repeated records)
                        int from = r.nextInt(len);
                        int n = 1 + r.nextInt(Math.min(256, len - from));
                        byte[] x = Arrays.copyOf(d, len + n);
                        System.arraycopy(d, from, x, len, n);
                        d = x;
                    }
                }
                default -> {
                    if (len > 0) {
                        d = Arrays.copyOf(d, r.nextInt(len));
                    }
                }
            }
        }
        return d;
    }

    /** Output is a list of messages whose members all have keys; markers are last. */
    static void checkShape(List<AppMessage> out, int inputLength) {
        assertTrue(out.size() <= inputLength + 1, "more messages than bytes");
        for (AppMessage m : out) {
            List<AppMessage.Member> members = m.members();
            for (int i = 0; i < members.size(); i++) {
                if (members.get(i).key().equals("_Truncated")) {
                    assertEquals(members.size() - 1, i, "_Truncated not last");
                }
            }
        }
    }
}
