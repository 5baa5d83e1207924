package io.kflowd.format.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ValueTextTest {

    private final char[] buf = new char[ValueText.BUFFER_SIZE];

    private String duration(long nanos) {
        return new String(buf, 0, ValueText.duration(nanos, buf));
    }

    private String signed(long nanos) {
        return new String(buf, 0, ValueText.signedSeconds(nanos, buf));
    }

    private String timestamp(String instant) {
        Instant t = Instant.parse(instant);
        return new String(buf, 0, ValueText.timestamp(t.getEpochSecond(), t.getNano(), buf));
    }

    private String permissions(int mode) {
        return new String(buf, 0, ValueText.permissions(mode, buf));
    }

    private String unsigned(long value) {
        return new String(buf, 0, ValueText.unsigned(value, buf, 0));
    }

    @Test
    void secondsValuesHaveExactlyNineDecimals() {
        assertEquals("21.262713426", duration(21_262_713_426L));
        assertEquals("0.811829334", duration(811_829_334L));
        assertEquals("0.000000001", duration(1));
        assertEquals("0.000043571", duration(43_571));
        assertEquals("1.000000000", duration(1_000_000_000L));
        assertEquals("9223372036.854775807", duration(Long.MAX_VALUE));
    }

    @Test
    void zeroIsTheBareIntegerLiteral() {
        assertEquals("0", duration(0));
        assertEquals("0", signed(0));
    }

    @Test
    void aNegativeDurationIsZero() {
        assertEquals("0", duration(-1));
        assertEquals("0", duration(Long.MIN_VALUE));
    }

    @Test
    void signedChangesKeepTheirSign() {
        assertEquals("-0.500000000", signed(-500_000_000L));
        assertEquals("-0.000000001", signed(-1));
        assertEquals("-3600.000000000", signed(-3_600_000_000_000L));
        assertEquals("2.031872871", signed(2_031_872_871L));
        assertEquals("-9223372036.854775808", signed(Long.MIN_VALUE));
    }

    @Test
    void timestampsAreUtcWithEnglishNames() {
        assertEquals("Thu, Apr 04 2024 15:34:35.643031330 UTC", timestamp("2024-04-04T15:34:35.643031330Z"));
        assertEquals("Thu, Apr 04 2024 15:12:01.435718956 UTC", timestamp("2024-04-04T15:12:01.435718956Z"));
        assertEquals("Thu, Jan 01 1970 00:00:00.000000000 UTC", timestamp("1970-01-01T00:00:00Z"));
        assertEquals("Thu, Feb 29 2024 23:59:59.999999999 UTC", timestamp("2024-02-29T23:59:59.999999999Z"));
        assertEquals("Sun, Dec 31 2000 09:05:07.000000100 UTC", timestamp("2000-12-31T09:05:07.000000100Z"));
    }

    @Test
    void nanosecondsArePaddedToNineDigits() {
        assertEquals("Mon, Jan 01 2024 00:00:00.000000005 UTC", timestamp("2024-01-01T00:00:00.000000005Z"));
        assertEquals("Mon, Jan 01 2024 00:00:00.050000000 UTC", timestamp("2024-01-01T00:00:00.050Z"));
    }

    @Test
    void timestampsBeforeTheEpoch() {
        assertEquals("Wed, Dec 31 1969 23:59:59.999999999 UTC", timestamp("1969-12-31T23:59:59.999999999Z"));
        assertEquals("Fri, Nov 22 1963 18:30:00.000000000 UTC", timestamp("1963-11-22T18:30:00Z"));
        assertEquals("Mon, Jan 01 0001 00:00:00.000000000 UTC", timestamp("0001-01-01T00:00:00Z"));
    }

    @Test
    void timestampsAgreeWithJavaTimeOverYearsOneTo9999() {
        DateTimeFormatter expected = DateTimeFormatter.ofPattern("EEE, MMM dd uuuu HH:mm:ss.nnnnnnnnn 'UTC'",
                Locale.ENGLISH).withZone(ZoneOffset.UTC);
        long first = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(first, last + 1), random.nextInt(1_000_000_000));
            assertEquals(expected.format(t), new String(buf, 0, ValueText.timestamp(t.getEpochSecond(), t.getNano(), buf)),
                    t::toString);
        }
    }

    @Test
    void timestampsOutsideFourDigitYears() {
        assertEquals("Sat, Jan 01 10000 00:00:00.000000000 UTC", timestamp("+10000-01-01T00:00:00Z"));
        Instant max = Instant.MAX;
        assertEquals("Sun, Dec 31 1000000000 23:59:59.999999999 UTC",
                new String(buf, 0, ValueText.timestamp(max.getEpochSecond(), max.getNano(), buf)));
        Instant min = Instant.MIN;
        assertEquals("Sat, Jan 01 -1000000000 00:00:00.000000000 UTC",
                new String(buf, 0, ValueText.timestamp(min.getEpochSecond(), min.getNano(), buf)));
    }

    @Test
    void permissionsOfARegularFile() {
        assertEquals("0755/-rwxr-xr-x", permissions(0100755));
        assertEquals("0644/-rw-r--r--", permissions(0100644));
        assertEquals("0000/----------", permissions(0100000));
        assertEquals("0640/-rw-r-----", permissions(0100640));
    }

    @Test
    void permissionsOfOtherFileTypes() {
        assertEquals("0755/drwxr-xr-x", permissions(0040755));
        assertEquals("0777/lrwxrwxrwx", permissions(0120777));
        assertEquals("0660/brw-rw----", permissions(0060660));
        assertEquals("0666/crw-rw-rw-", permissions(0020666));
        assertEquals("0600/prw-------", permissions(0010600));
        assertEquals("0777/srwxrwxrwx", permissions(0140777));
        // Permission bits only, no type (e.g. kflowd's inode-0 case): kflowd's '-'.
        assertEquals("0755/-rwxr-xr-x", permissions(0755));
    }

    @Test
    void setuidSetgidAndStickyAsLsShowsThem() {
        assertEquals("4755/-rwsr-xr-x", permissions(0104755));
        assertEquals("4644/-rwSr--r--", permissions(0104644));
        assertEquals("2755/-rwxr-sr-x", permissions(0102755));
        assertEquals("2745/-rwxr-Sr-x", permissions(0102745));
        assertEquals("1777/drwxrwxrwt", permissions(0041777));
        assertEquals("1776/drwxrwxrwT", permissions(0041776));
        assertEquals("7777/-rwsrwsrwt", permissions(0107777));
        assertEquals("7000/---S--S--T", permissions(0107000));
    }

    @Test
    void unsignedDecimals() {
        assertEquals("0", unsigned(0));
        assertEquals("4712", unsigned(4712));
        assertEquals("9223372036854775807", unsigned(Long.MAX_VALUE));
        assertEquals("9223372036854775808", unsigned(Long.MIN_VALUE));
        assertEquals("18446744073709551615", unsigned(-1));
    }
}
