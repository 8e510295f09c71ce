package dev.lanner.logging;

import ch.qos.logback.classic.Level;
import dev.lanner.hosting.config.ConfigurationException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The log levels of {@code Logging:LogLevel:*}, named as in ASP.NET Core, and the Logback level each
 * one sets. Logback has no level above ERROR, so {@code Critical} logs what {@code Error} does.
 */
enum LogLevel {
    TRACE("Trace", Level.TRACE),
    DEBUG("Debug", Level.DEBUG),
    INFORMATION("Information", Level.INFO),
    WARNING("Warning", Level.WARN),
    ERROR("Error", Level.ERROR),
    CRITICAL("Critical", Level.ERROR),
    NONE("None", Level.OFF);

    /** The accepted names, in order, for error messages. */
    static final String ACCEPTED = Arrays.stream(values()).map(LogLevel::displayName).collect(Collectors.joining(", "));

    private final String displayName;
    private final Level logback;

    LogLevel(String displayName, Level logback) {
        this.displayName = displayName;
        this.logback = logback;
    }

    String displayName() {
        return displayName;
    }

    Level logback() {
        return logback;
    }

    /**
     * The level named {@code value} (case-insensitive, surrounding blanks ignored).
     *
     * @throws ConfigurationException naming {@code key}, its {@code source} and the accepted names
     */
    static LogLevel parse(String key, String value, String source) {
        String name = value.strip();
        for (LogLevel level : values()) {
            if (level.displayName.equalsIgnoreCase(name)) {
                return level;
            }
        }
        throw new ConfigurationException("Invalid log level '" + value + "' for '" + key + "' from " + source
                + "; expected one of " + ACCEPTED, key, source);
    }
}
