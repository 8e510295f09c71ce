package dev.lanner.hosting.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The scalar types configuration values convert to (numbers, booleans, enums, {@code char}, durations,
 * {@code URI}, {@code Path}, {@code UUID}, {@code Locale}, strings), how a value's text converts, and how an
 * error names what was expected; used by {@link ConfigurationBinder} and {@link Configuration#getValue}.
 */
final class ConfigurationScalars {

    private static final Set<Class<?>> INTEGERS = Set.of(int.class, Integer.class, long.class, Long.class,
            short.class, Short.class, byte.class, Byte.class, BigInteger.class);
    private static final Set<Class<?>> NUMBERS = Set.of(double.class, Double.class, float.class, Float.class,
            BigDecimal.class);

    /** Seconds, possibly fractional: {@code 30}, {@code 1.5}. */
    private static final Pattern SECONDS = Pattern.compile("[-+]?\\d+(?:\\.\\d+)?");
    /** .NET TimeSpan: {@code [-][d.]hh:mm[:ss[.fraction]]}. */
    private static final Pattern TIME_SPAN =
            Pattern.compile("(-)?(?:(\\d+)\\.)?(\\d+):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?");
    /** The start of an ISO-8601 duration. */
    private static final Pattern ISO = Pattern.compile("[-+]?[Pp]");

    private ConfigurationScalars() {
    }

    /** {@code value} (stripped, not empty) as a {@code type}, or {@code null} when it is not one. */
    static Object convert(Class<?> type, String value) {
        if (type == int.class || type == Integer.class) {
            return Integer.parseInt(value);
        }
        if (type == long.class || type == Long.class) {
            return Long.parseLong(value);
        }
        if (type == boolean.class || type == Boolean.class) {
            return value.equalsIgnoreCase("true") ? Boolean.TRUE : value.equalsIgnoreCase("false") ? Boolean.FALSE : null;
        }
        if (type == Duration.class) {
            return parseDuration(value);
        }
        if (type.isEnum()) {
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equalsIgnoreCase(value)) {
                    return constant;
                }
            }
            return null;
        }
        if (type == double.class || type == Double.class) {
            return Double.parseDouble(value);
        }
        if (type == float.class || type == Float.class) {
            return Float.parseFloat(value);
        }
        if (type == short.class || type == Short.class) {
            return Short.parseShort(value);
        }
        if (type == byte.class || type == Byte.class) {
            return Byte.parseByte(value);
        }
        if (type == char.class || type == Character.class) {
            return value.length() == 1 ? value.charAt(0) : null;
        }
        if (type == BigInteger.class) {
            return new BigInteger(value);
        }
        if (type == BigDecimal.class) {
            return new BigDecimal(value);
        }
        if (type == URI.class) {
            return URI.create(value);
        }
        if (type == Path.class) {
            return Path.of(value);
        }
        if (type == UUID.class) {
            return UUID.fromString(value);
        }
        if (type == Locale.class) {
            return Locale.forLanguageTag(value.replace('_', '-'));
        }
        return null;
    }

    static boolean isScalar(Class<?> type) {
        return type.isPrimitive() || type.isEnum() || type == String.class || type == CharSequence.class
                || INTEGERS.contains(type) || NUMBERS.contains(type) || type == Boolean.class
                || type == Character.class || type == Duration.class || type == URI.class || type == Path.class
                || type == UUID.class || type == Locale.class;
    }

    /** Zero (or {@code false}, or {@code '\0'}) of a primitive type, boxed. */
    static Object zero(Class<?> type) {
        // One if per type: a chain of ?: would promote every branch to double.
        if (type == boolean.class) {
            return Boolean.FALSE;
        }
        if (type == char.class) {
            return '\0';
        }
        return convert(type, "0");
    }

    /**
     * Parses a duration: seconds ({@code 30}, {@code 1.5}), a .NET TimeSpan ({@code [-][d.]hh:mm[:ss[.fffffff]]})
     * or ISO-8601 ({@code PT30S}).
     *
     * @return the duration, or {@code null} when {@code text} is in none of these formats
     */
    static Duration parseDuration(String text) {
        String value = text.strip();
        try {
            if (SECONDS.matcher(value).matches()) {
                return seconds(value);
            }
            Matcher timeSpan = TIME_SPAN.matcher(value);
            if (timeSpan.matches()) {
                return timeSpan(timeSpan);
            }
            if (ISO.matcher(value).lookingAt()) {
                return Duration.parse(value);
            }
        } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
            return null;
        }
        return null;
    }

    /**
     * {@code [-+]digits[.digits]} seconds, to the nanosecond (rounded half up), without {@code BigDecimal}: its
     * class initialization alone took ~20 ms of the start.
     */
    private static Duration seconds(String value) {
        boolean negative = value.charAt(0) == '-';
        int start = value.charAt(0) == '-' || value.charAt(0) == '+' ? 1 : 0;
        int dot = value.indexOf('.');
        String whole = value.substring(start, dot < 0 ? value.length() : dot);
        long nanos = 0;
        if (dot >= 0) {
            String fraction = value.substring(dot + 1);
            String digits = (fraction + "000000000").substring(0, 9);
            nanos = Long.parseLong(digits);
            if (fraction.length() > 9 && fraction.charAt(9) >= '5') {
                nanos++;
            }
        }
        Duration duration = Duration.ofSeconds(Long.parseLong(whole)).plusNanos(nanos);
        return negative ? duration.negated() : duration;
    }

    private static Duration timeSpan(Matcher match) {
        long days = match.group(2) == null ? 0 : Long.parseLong(match.group(2));
        long hours = Long.parseLong(match.group(3));
        long minutes = Long.parseLong(match.group(4));
        long seconds = match.group(5) == null ? 0 : Long.parseLong(match.group(5));
        if ((match.group(2) != null && hours > 23) || minutes > 59 || seconds > 59) {
            return null;
        }
        long nanos = match.group(6) == null ? 0 : Long.parseLong((match.group(6) + "00000000").substring(0, 9));
        Duration duration = Duration.ofDays(days).plusHours(hours).plusMinutes(minutes).plusSeconds(seconds)
                .plusNanos(nanos);
        return match.group(1) != null ? duration.negated() : duration;
    }

    /** What a value of {@code type} must be, phrased to follow "is not". */
    static String expectation(Class<?> type) {
        if (INTEGERS.contains(type)) {
            return "a valid integer";
        }
        if (NUMBERS.contains(type)) {
            return "a valid number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "a valid boolean";
        }
        if (type == Duration.class) {
            return "a valid duration (seconds or HH:MM:SS)";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants())
                    .map(constant -> ((Enum<?>) constant).name())
                    .collect(Collectors.joining(", ", "[", "]"));
        }
        if (type == char.class || type == Character.class) {
            return "a single character";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (!type.isPrimitive() && !isScalar(type)) {
            return "a section";
        }
        return "a valid " + type.getSimpleName();
    }
}
