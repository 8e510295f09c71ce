package dev.lanner.hosting.config;

/**
 * One setting as supplied by a source: its key, its value and the display name of the source.
 *
 * @param key    the full key, segments joined by {@code ':'}
 * @param value  the value, never {@code null}
 * @param source the display name of the source, e.g. {@code appsettings.json} or {@code command line}
 */
record ConfigurationEntry(String key, String value, String source) {
}
