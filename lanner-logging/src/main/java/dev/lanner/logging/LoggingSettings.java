package dev.lanner.logging;

import dev.lanner.hosting.config.Configuration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code Logging} section, validated: the default level, the level of each category (a logger name
 * prefix such as {@code dev.lanner.server}) and the console format.
 *
 * @param defaultLevel {@code Logging:LogLevel:Default}; default {@code Information}
 * @param categories   {@code Logging:LogLevel:{category}} for every other child of {@code Logging:LogLevel}
 * @param format       {@code Logging:Console:Format}; default {@code simple}
 */
record LoggingSettings(LogLevel defaultLevel, Map<String, LogLevel> categories, ConsoleFormat format) {

    static final String LOG_LEVEL_SECTION = "Logging:LogLevel";
    static final String DEFAULT_CATEGORY = "Default";
    static final String FORMAT_KEY = "Logging:Console:Format";

    /** What applies before (or without) any configuration. */
    static final LoggingSettings DEFAULTS = new LoggingSettings(LogLevel.INFORMATION, Map.of(), ConsoleFormat.SIMPLE);

    LoggingSettings {
        categories = Map.copyOf(categories);
    }

    /**
     * Reads and validates the settings of {@code configuration}.
     *
     * @throws dev.lanner.hosting.config.ConfigurationException for an unknown level or format, naming the key
     */
    static LoggingSettings from(Configuration configuration) {
        LogLevel defaultLevel = DEFAULTS.defaultLevel();
        Map<String, LogLevel> categories = new LinkedHashMap<>();
        Configuration levels = configuration.section(LOG_LEVEL_SECTION);
        for (String category : levels.childKeys()) {
            String key = LOG_LEVEL_SECTION + ":" + category;
            String value = configuration.get(key);
            if (value == null) {
                continue; // a deeper section (Logging:LogLevel:a:b) is not a level
            }
            LogLevel level = LogLevel.parse(key, value, configuration.sourceOf(key));
            if (category.equalsIgnoreCase(DEFAULT_CATEGORY)) {
                defaultLevel = level;
            } else {
                categories.put(category, level);
            }
        }
        String format = configuration.get(FORMAT_KEY);
        ConsoleFormat consoleFormat = format == null ? DEFAULTS.format()
                : ConsoleFormat.parse(FORMAT_KEY, format, configuration.sourceOf(FORMAT_KEY));
        return new LoggingSettings(defaultLevel, categories, consoleFormat);
    }
}
