package io.kflowd.format.json;

/**
 * kflowd's value encodings (spec 2.2, 4.5), written into a caller's char buffer so that a
 * record costs no allocation per field. Every method returns the number of chars written,
 * starting at index 0.
 */
final class ValueText {

    /** Enough for any output of this class (a timestamp of year one billion is 45 chars). */
    static final int BUFFER_SIZE = 64;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long SECONDS_PER_DAY = 86_400L;
    private static final char[][] WEEKDAYS = names("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun");
    private static final char[][] MONTHS = names("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
            "Oct", "Nov", "Dec");
    private static final char[] UTC = " UTC".toCharArray();

    private ValueText() {
    }

    /**
     * A seconds value of a duration or age: nanoseconds as seconds with exactly nine
     * decimals, the bare {@code 0} when zero. A negative duration (last before first, a
     * clock stepped back) is written as {@code 0}, as kflowd does when "last" is not
     * greater than "first".
     */
    static int duration(long nanos, char[] buf) {
        return nanos <= 0 ? zero(buf) : seconds(nanos, buf, 0);
    }

    /**
     * A signed seconds value, for changes such as {@code FileModificationTimeChange}:
     * {@code -0.500000000} when negative (kflowd wraps such values to huge unsigned
     * numbers, quirk Q17; we do not), the bare {@code 0} when zero.
     */
    static int signedSeconds(long nanos, char[] buf) {
        if (nanos == 0) {
            return zero(buf);
        }
        if (nanos > 0) {
            return seconds(nanos, buf, 0);
        }
        buf[0] = '-';
        // Long.MIN_VALUE has no positive counterpart: its magnitude is read as unsigned.
        return seconds(-nanos, buf, 1);
    }

    /** {@code <seconds>.<9 digits>} for a magnitude taken as unsigned. */
    private static int seconds(long magnitude, char[] buf, int pos) {
        long whole = Long.divideUnsigned(magnitude, NANOS_PER_SECOND);
        long fraction = Long.remainderUnsigned(magnitude, NANOS_PER_SECOND);
        pos = unsigned(whole, buf, pos);
        buf[pos++] = '.';
        return padded(fraction, 9, buf, pos);
    }

    private static int zero(char[] buf) {
        buf[0] = '0';
        return 1;
    }

    /**
     * An absolute timestamp, always UTC with English names:
     * {@code Www, Mmm DD YYYY HH:MM:SS.nnnnnnnnn UTC}. The year has at least four digits
     * (a sign before year 0).
     */
    static int timestamp(long epochSecond, int nano, char[] buf) {
        long days = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
        // 1970-01-01 was a Thursday, index 3 of WEEKDAYS.
        int weekday = (int) Math.floorMod(days + 3, 7L);

        // Civil date from days since 1970-01-01 (H. Hinnant's days_from_civil, inverted):
        // proleptic Gregorian, eras of 400 years starting on March 1st.
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long shiftedMonth = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
        int month = (int) (shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

        int pos = copy(WEEKDAYS[weekday], buf, 0);
        buf[pos++] = ',';
        buf[pos++] = ' ';
        pos = copy(MONTHS[month - 1], buf, pos);
        buf[pos++] = ' ';
        pos = padded(day, 2, buf, pos);
        buf[pos++] = ' ';
        if (year < 0) {
            buf[pos++] = '-';
            year = -year;
        }
        pos = year < 10_000 ? padded(year, 4, buf, pos) : unsigned(year, buf, pos);
        buf[pos++] = ' ';
        pos = padded(secondOfDay / 3600, 2, buf, pos);
        buf[pos++] = ':';
        pos = padded(secondOfDay / 60 % 60, 2, buf, pos);
        buf[pos++] = ':';
        pos = padded(secondOfDay % 60, 2, buf, pos);
        buf[pos++] = '.';
        pos = padded(nano, 9, buf, pos);
        return copy(UTC, buf, pos);
    }

    /**
     * {@code FilePermissions} from st_mode: {@code mode & 07777} as four octal digits, a
     * slash, and the ten-character symbolic form of ls(1): file type letter, then rwx for
     * user, group and other with setuid/setgid shown as s/S and the sticky bit as t/T.
     * (kflowd writes only {@code l} or {@code -} as type and never s/t, spec 4.5; we show
     * what ls shows, which is what an analyst compares it with.)
     */
    static int permissions(int mode, char[] buf) {
        buf[0] = (char) ('0' + (mode >> 9 & 7));
        buf[1] = (char) ('0' + (mode >> 6 & 7));
        buf[2] = (char) ('0' + (mode >> 3 & 7));
        buf[3] = (char) ('0' + (mode & 7));
        buf[4] = '/';
        buf[5] = typeLetter(mode);
        triad(mode >> 6, (mode & 04000) != 0, 's', buf, 6);
        triad(mode >> 3, (mode & 02000) != 0, 's', buf, 9);
        triad(mode, (mode & 01000) != 0, 't', buf, 12);
        return 15;
    }

    private static char typeLetter(int mode) {
        return switch (mode & 0170000) {
            case 0100000 -> '-';
            case 0040000 -> 'd';
            case 0120000 -> 'l';
            case 0020000 -> 'c';
            case 0060000 -> 'b';
            case 0010000 -> 'p';
            case 0140000 -> 's';
            // No type bits at all: what kflowd's "-" meant for anything not a symlink.
            case 0 -> '-';
            default -> '?';
        };
    }

    private static void triad(int bits, boolean special, char specialLetter, char[] buf, int pos) {
        buf[pos] = (bits & 4) != 0 ? 'r' : '-';
        buf[pos + 1] = (bits & 2) != 0 ? 'w' : '-';
        boolean execute = (bits & 1) != 0;
        buf[pos + 2] = special
                ? (execute ? specialLetter : Character.toUpperCase(specialLetter))
                : (execute ? 'x' : '-');
    }

    /** A 64-bit value read as unsigned, in decimal. */
    static int unsigned(long value, char[] buf, int pos) {
        if (value < 0) {
            // Above Long.MAX_VALUE: split off the last digit the unsigned way.
            long quotient = Long.divideUnsigned(value, 10);
            pos = unsigned(quotient, buf, pos);
            buf[pos] = (char) ('0' + (value - quotient * 10));
            return pos + 1;
        }
        int digits = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            digits++;
        }
        return padded(value, digits, buf, pos);
    }

    /** {@code value} (not negative) in exactly {@code width} digits, zero-padded on the left. */
    private static int padded(long value, int width, char[] buf, int pos) {
        int end = pos + width;
        for (int i = end - 1; i >= pos; i--) {
            buf[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return end;
    }

    private static int copy(char[] text, char[] buf, int pos) {
        System.arraycopy(text, 0, buf, pos, text.length);
        return pos + text.length;
    }

    private static char[][] names(String... names) {
        char[][] result = new char[names.length][];
        for (int i = 0; i < names.length; i++) {
            result[i] = names[i].toCharArray();
        }
        return result;
    }
}
