package dev.lanner.module.site;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The durations a site file writes: the same formats as hosting's configuration. */
final class SiteDurations {

    private static final Pattern SECONDS = Pattern.compile("\\d+(\\.\\d+)?");
    private static final Pattern TIME_SPAN = Pattern.compile("(?:(\\d+)\\.)?(\\d{1,2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?");

    private SiteDurations() {
    }

    /**
     * Seconds (a JSON number, or a string of digits with an optional fraction), {@code [d.]HH:MM:SS[.fffffffff]}
     * or ISO-8601 ({@code PT2M}); {@code null} for anything else. The same formats as hosting's configuration.
     */
    static Duration parse(JsonNode node) {
        try {
            if (node.isNumber()) {
                return seconds(node.decimalValue());
            }
            if (!node.isTextual()) {
                return null;
            }
            String text = node.textValue().strip();
            if (SECONDS.matcher(text).matches()) {
                return seconds(new BigDecimal(text));
            }
            Matcher span = TIME_SPAN.matcher(text);
            if (span.matches()) {
                long hours = Long.parseLong(span.group(2));
                long minutes = Long.parseLong(span.group(3));
                long seconds = Long.parseLong(span.group(4));
                if ((span.group(1) != null && hours > 23) || minutes > 59 || seconds > 59) {
                    return null;
                }
                long days = span.group(1) == null ? 0 : Long.parseLong(span.group(1));
                long nanos = span.group(5) == null ? 0 : Long.parseLong((span.group(5) + "00000000").substring(0, 9));
                return Duration.ofDays(days).plusHours(hours).plusMinutes(minutes).plusSeconds(seconds).plusNanos(nanos);
            }
            if (!text.isEmpty() && (text.charAt(0) == 'P' || text.charAt(0) == 'p')) {
                return Duration.parse(text);
            }
            return null;
        } catch (ArithmeticException | DateTimeParseException | NumberFormatException e) {
            return null;
        }
    }

    private static Duration seconds(BigDecimal seconds) {
        return Duration.ofNanos(seconds.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact());
    }
}
