package dev.lanner.logging;

import dev.lanner.hosting.config.ConfigurationException;

/** How log events are written to the console ({@code Logging:Console:Format}). */
enum ConsoleFormat {
    /** One readable line: {@code 2026-12-06 14:05:53.123 INFO  dev.lanner.hosting.WebApplication - Now listening on: ...}. */
    SIMPLE("simple"),
    /** One JSON object per line: timestamp, level, logger, thread, message and exception (if any). */
    JSON("json");

    private final String displayName;

    ConsoleFormat(String displayName) {
        this.displayName = displayName;
    }

    /**
     * The format named {@code value} (case-insensitive, surrounding blanks ignored).
     *
     * @throws ConfigurationException naming {@code key}, its {@code source} and the accepted names
     */
    static ConsoleFormat parse(String key, String value, String source) {
        String name = value.strip();
        for (ConsoleFormat format : values()) {
            if (format.displayName.equalsIgnoreCase(name)) {
                return format;
            }
        }
        throw new ConfigurationException("Invalid console format '" + value + "' for '" + key + "' from " + source
                + "; expected one of simple, json", key, source);
    }
}
