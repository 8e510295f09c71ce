package dev.lanner.http.server;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The configuration a server reads at creation: flat keys separated by {@code :} and compared
 * case-insensitively ({@code Server:Limits:MaxRequestBodySize}). Hosting adapts its configuration
 * to this interface, which keeps servers independent of hosting.
 */
public interface ServerSettings {

    /** The value at {@code key}, or {@code null}. */
    String get(String key);

    /** The immediate child names below {@code sectionKey} (e.g. endpoint names below {@code Server:Endpoints}). */
    Set<String> childKeys(String sectionKey);

    /** Where the value at {@code key} came from (a file name, "command line", ...), for error messages. */
    default String sourceOf(String key) {
        return "configuration";
    }

    /**
     * The value at {@code key} parsed by {@code parser} (given the trimmed text; null or an exception
     * means malformed), or {@code fallback} when the key is absent.
     *
     * @throws IllegalArgumentException in one line naming the source, the key, the value and {@code expected}
     */
    default <T> T parse(String key, T fallback, String expected, Function<String, T> parser) {
        String raw = get(key);
        if (raw == null) {
            return fallback;
        }
        try {
            T value = parser.apply(raw.trim());
            if (value == null) {
                throw new IllegalArgumentException();
            }
            return value;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Invalid configuration value in " + sourceOf(key) + ": '" + key
                    + "' = \"" + oneLine(raw) + "\" is not a valid " + expected);
        }
    }

    /** A value as it may appear in a one-line message: line breaks and tabs escaped ({@code \n}, {@code \r}, {@code \t}). */
    private static String oneLine(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\u000B', '\f', '\u0085', '\u2028', '\u2029' -> out.append(String.format("\\u%04X", (int) c));
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** An {@code int} setting; see {@link #parse}. */
    default int intValue(String key, int fallback) {
        return parse(key, fallback, "integer (expected type int)", Integer::parseInt);
    }

    /** A {@code true}/{@code false} setting (any case); see {@link #parse}. */
    default boolean booleanValue(String key, boolean fallback) {
        return parse(key, fallback, "boolean (expected type boolean)", s -> {
            if (s.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (s.equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
            return null;
        });
    }

    /** A {@code long} setting where an empty value or {@code null} means "none"; see {@link #parse}. */
    default Long nullableLongValue(String key, Long fallback) {
        String raw = get(key);
        if (raw != null && (raw.isBlank() || raw.trim().equalsIgnoreCase("null"))) {
            return null;
        }
        return parse(key, fallback, "integer or null (expected type long)", Long::parseLong);
    }

    /** A duration setting, as {@link #parseDuration} reads it; see {@link #parse}. */
    default Duration durationValue(String key, Duration fallback) {
        return parse(key, fallback, "duration (seconds, HH:MM:SS or ISO-8601)", ServerSettings::parseDuration);
    }

    /** Whether the {@code Environment} setting is {@code Development}. */
    default boolean isDevelopment() {
        String environment = get("Environment");
        return environment != null && environment.trim().equalsIgnoreCase("Development");
    }

    /**
     * Seconds ({@code 30}, {@code 1.5}), {@code [d.]HH:MM:SS[.fff]} (like .NET TimeSpan) or ISO-8601
     * ({@code PT30S}).
     *
     * @throws IllegalArgumentException (or {@link NumberFormatException}) when {@code s} is none of these
     */
    static Duration parseDuration(String s) {
        if (s.startsWith("P") || s.startsWith("p")) {
            try {
                return Duration.parse(s);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(e);
            }
        }
        if (s.indexOf(':') < 0) {
            double seconds = Double.parseDouble(s);
            return Duration.ofNanos((long) (seconds * 1e9));
        }
        long days = 0;
        String time = s;
        int dot = s.indexOf('.');
        int colon = s.indexOf(':');
        if (dot >= 0 && dot < colon) {
            days = Long.parseLong(s.substring(0, dot));
            time = s.substring(dot + 1);
        }
        String[] parts = time.split(":");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException(s);
        }
        long hours = Long.parseLong(parts[0]);
        long minutes = Long.parseLong(parts[1]);
        double seconds = parts.length == 3 ? Double.parseDouble(parts[2]) : 0;
        if (minutes >= 60 || seconds >= 60) {
            throw new IllegalArgumentException(s);
        }
        return Duration.ofDays(days).plusHours(hours).plusMinutes(minutes).plusNanos((long) (seconds * 1e9));
    }

    /** Settings from a map (keys compared case-insensitively). */
    static ServerSettings of(Map<String, String> values) {
        return new MapServerSettings(values);
    }

    /** No settings: every server default applies. */
    static ServerSettings empty() {
        return of(Map.of());
    }
}
