package io.kflowd.format.table;

import java.time.Instant;

/** Times as the table shows them, in UTC like every kflowd timestamp. */
final class Times {

    private static final long SECONDS_PER_DAY = 86_400L;

    private Times() {
    }

    /** {@code HH:MM:SS.mmm}, milliseconds truncated. */
    static String timeOfDay(Instant instant) {
        int second = (int) Math.floorMod(instant.getEpochSecond(), SECONDS_PER_DAY);
        int millis = instant.getNano() / 1_000_000;
        StringBuilder text = new StringBuilder(12);
        clock(second, text);
        text.append('.').append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10))
                .append((char) ('0' + millis % 10));
        return text.toString();
    }

    /**
     * {@code yyyy-MM-dd HH:MM:SS}, proleptic Gregorian; a year before 0 has a minus sign, a
     * year after 9999 more digits (any {@link Instant} works, unlike DateTimeFormatter).
     */
    static String dateTime(Instant instant) {
        long days = Math.floorDiv(instant.getEpochSecond(), SECONDS_PER_DAY);
        int second = (int) Math.floorMod(instant.getEpochSecond(), SECONDS_PER_DAY);
        // Civil date from days since 1970-01-01 (H. Hinnant's civil_from_days), as the JSON
        // formatter's timestamps.
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long shiftedMonth = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
        int month = (int) (shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

        StringBuilder text = new StringBuilder(19);
        if (year < 0) {
            text.append('-');
            year = -year;
        }
        String digits = Long.toString(year);
        text.repeat('0', Math.max(0, 4 - digits.length())).append(digits).append('-');
        two(month, text);
        text.append('-');
        two(day, text);
        text.append(' ');
        clock(second, text);
        return text.toString();
    }

    private static void clock(int second, StringBuilder text) {
        two(second / 3600, text);
        text.append(':');
        two(second / 60 % 60, text);
        text.append(':');
        two(second % 60, text);
    }

    private static void two(int value, StringBuilder text) {
        text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
