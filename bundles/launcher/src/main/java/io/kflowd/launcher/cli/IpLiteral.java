package io.kflowd.launcher.cli;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Strict IP address literals, with the rules of glibc's {@code inet_pton}, which kflowd uses
 * for {@code -u}. The text is turned into bytes here and only the bytes are handed to
 * {@link InetAddress}: {@code InetAddress.getByName} would resolve host names (a DNS lookup
 * at start-up, and a host name where kflowd demands a literal) and accepts forms such as
 * {@code 127.1} or {@code [::1]} that kflowd rejects.
 */
final class IpLiteral {

    private static final int IPV4_BYTES = 4;
    private static final int IPV6_BYTES = 16;

    private IpLiteral() {
    }

    /** The address written as {@code text} (IPv4 dotted quad first, then IPv6), or empty. */
    static Optional<InetAddress> parse(String text) {
        byte[] v4 = new byte[IPV4_BYTES];
        if (parseIpv4(text, 0, text.length(), v4, 0)) {
            return Optional.of(v4Address(text, v4));
        }
        byte[] v6 = parseIpv6(text);
        return v6 == null ? Optional.empty() : Optional.of(v6Address(text, v6));
    }

    /**
     * inet_pton(AF_INET): exactly four decimal parts 0-255 separated by dots, no leading
     * zeros (they would be octal elsewhere), nothing else.
     */
    static boolean parseIpv4(String s, int from, int to, byte[] dst, int offset) {
        int octets = 0;
        int value = 0;
        boolean sawDigit = false;
        for (int i = from; i < to; i++) {
            char ch = s.charAt(i);
            if (ch >= '0' && ch <= '9') {
                if (sawDigit && value == 0) {
                    return false;
                }
                value = value * 10 + (ch - '0');
                if (value > 255) {
                    return false;
                }
                if (!sawDigit) {
                    if (++octets > IPV4_BYTES) {
                        return false;
                    }
                    sawDigit = true;
                }
            } else if (ch == '.' && sawDigit) {
                if (octets == IPV4_BYTES) {
                    return false;
                }
                dst[offset + octets - 1] = (byte) value;
                value = 0;
                sawDigit = false;
            } else {
                return false;
            }
        }
        if (octets < IPV4_BYTES || !sawDigit) {
            return false;
        }
        dst[offset + IPV4_BYTES - 1] = (byte) value;
        return true;
    }

    /**
     * inet_pton(AF_INET6): up to eight groups of 1-4 hex digits, one "::" for a run of zero
     * groups, optionally a dotted-quad tail; no brackets, no zone id, no prefix length.
     * Returns the 16 bytes or null.
     */
    static byte[] parseIpv6(String s) {
        int end = s.length();
        byte[] tmp = new byte[IPV6_BYTES];
        int tp = 0;
        int colon = -1;
        int src = 0;
        if (src == end) {
            return null;
        }
        if (s.charAt(src) == ':') {
            src++;
            if (src == end || s.charAt(src) != ':') {
                return null;
            }
        }
        int token = src;
        int digits = 0;
        int value = 0;
        while (src < end) {
            char ch = s.charAt(src++);
            int digit = Character.digit(ch, 16);
            if (digit >= 0 && ch < 128) {
                if (digits == 4) {
                    return null;
                }
                value = (value << 4) | digit;
                digits++;
                continue;
            }
            if (ch == ':') {
                token = src;
                if (digits == 0) {
                    if (colon >= 0) {
                        return null;
                    }
                    colon = tp;
                    continue;
                } else if (src == end) {
                    return null;
                }
                if (tp + 2 > IPV6_BYTES) {
                    return null;
                }
                tmp[tp++] = (byte) (value >> 8);
                tmp[tp++] = (byte) value;
                digits = 0;
                value = 0;
                continue;
            }
            if (ch == '.' && tp + IPV4_BYTES <= IPV6_BYTES && parseIpv4(s, token, end, tmp, tp)) {
                tp += IPV4_BYTES;
                digits = 0;
                break;
            }
            return null;
        }
        if (digits > 0) {
            if (tp + 2 > IPV6_BYTES) {
                return null;
            }
            tmp[tp++] = (byte) (value >> 8);
            tmp[tp++] = (byte) value;
        }
        if (colon >= 0) {
            if (tp == IPV6_BYTES) {
                return null; // "::" must stand for at least one zero group
            }
            int n = tp - colon;
            System.arraycopy(tmp, colon, tmp, IPV6_BYTES - n, n);
            Arrays.fill(tmp, colon, IPV6_BYTES - n, (byte) 0);
            tp = IPV6_BYTES;
        }
        return tp == IPV6_BYTES ? tmp : null;
    }

    /**
     * Compressed text of an address (RFC 5952 for IPv6: lowercase, longest run of two or more
     * zero groups as "::"), because {@link InetAddress#getHostAddress()} writes every group.
     */
    static String format(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        if (isIpv4Mapped(b)) {
            return "::ffff:" + (b[12] & 0xFF) + "." + (b[13] & 0xFF) + "." + (b[14] & 0xFF) + "." + (b[15] & 0xFF);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
    }

    private static InetAddress v4Address(String text, byte[] bytes) {
        try {
            // The literal as host name: getHostName() then needs no reverse lookup.
            return Inet4Address.getByAddress(text, bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always a valid IPv4 address", e);
        }
    }

    private static InetAddress v6Address(String text, byte[] bytes) {
        try {
            // Inet6Address keeps IPv4-mapped addresses as IPv6 (InetAddress.getByAddress would
            // turn ::ffff:a.b.c.d into an Inet4Address); -1 means "no scope id".
            return Inet6Address.getByAddress(text, bytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are always a valid IPv6 address", e);
        }
    }
}
