package dev.lanner.server.internal.http1;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The pre-encoded {@code Date: <IMF-fixdate>\r\n} response line (RFC 9110 §6.6.1, §5.6.7), e.g.
 * {@code Date: Sun, 06 Nov 1994 08:49:37 GMT}. Encoding a date per response is wasted work, so the
 * server's clock calls {@link #refresh} (typically once a second from its timer); responses copy
 * {@link #headerLine()}. No thread inside: the caller owns the schedule.
 *
 * <p>Safe for one refreshing thread and any number of readers: each refresh publishes a new
 * immutable snapshot through a volatile field, so a reader never sees a torn line.
 */
public final class DateHeaderValue {

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
        "Aug", "Sep", "Oct", "Nov", "Dec"};

    private record Snapshot(long epochSecond, String value, byte[] headerLine) {
    }

    private volatile Snapshot current;

    /** A value for the given instant. */
    public DateHeaderValue(long epochMillis) {
        current = snapshot(Math.floorDiv(epochMillis, 1000L));
    }

    /**
     * Re-encodes the value if {@code epochMillis} falls in another second than the current value;
     * otherwise does nothing (no allocation).
     */
    public void refresh(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000L);
        if (second != current.epochSecond()) {
            current = snapshot(second);
        }
    }

    /** {@code Date: <IMF-fixdate>\r\n} as bytes; shared, never modify. */
    public byte[] headerLine() {
        return current.headerLine();
    }

    /** The IMF-fixdate alone, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    public String value() {
        return current.value();
    }

    private static Snapshot snapshot(long epochSecond) {
        String value = imfFixdate(epochSecond);
        return new Snapshot(epochSecond, value, AsciiStrings.ascii("Date: " + value + "\r\n"));
    }

    /** RFC 9110 §5.6.7: {@code day-name "," SP date1 SP time-of-day SP GMT}, always in UTC. */
    static String imfFixdate(long epochSecond) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        if (t.getYear() < 0 || t.getYear() > 9999) {
            throw new IllegalArgumentException("year not representable: " + t.getYear());
        }
        StringBuilder sb = new StringBuilder(29);
        sb.append(DAYS[t.getDayOfWeek().ordinal()]).append(", ");
        twoDigits(sb, t.getDayOfMonth()).append(' ');
        sb.append(MONTHS[t.getMonthValue() - 1]).append(' ');
        int year = t.getYear();
        twoDigits(sb, year / 100);
        twoDigits(sb, year % 100).append(' ');
        twoDigits(sb, t.getHour()).append(':');
        twoDigits(sb, t.getMinute()).append(':');
        twoDigits(sb, t.getSecond()).append(" GMT");
        return sb.toString();
    }

    private static StringBuilder twoDigits(StringBuilder sb, int v) {
        return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
