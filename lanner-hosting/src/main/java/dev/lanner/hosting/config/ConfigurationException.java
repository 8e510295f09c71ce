package dev.lanner.hosting.config;

import java.io.Serial;

/**
 * Thrown when configuration cannot be loaded or bound: a file is missing or is not valid JSON, a
 * command-line argument is malformed, or a value cannot be converted to the type it is bound to.
 *
 * <p>The message is always a single line, so it reads well in a log or on a terminal, and names the
 * source and, where known, the key involved.
 */
public class ConfigurationException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String key;
    private final String source;

    /**
     * Creates an exception that concerns no particular key or source.
     *
     * @param message what went wrong; line breaks are folded into spaces
     */
    public ConfigurationException(String message) {
        this(message, null, null, null);
    }

    /**
     * Creates an exception about a key and the source that supplied it.
     *
     * @param message what went wrong; line breaks are folded into spaces
     * @param key     the full configuration key involved, or {@code null} when unknown
     * @param source  the source involved (file path, environment variable, ...), or {@code null}
     */
    public ConfigurationException(String message, String key, String source) {
        this(message, key, source, null);
    }

    /**
     * Creates an exception about a key and its source, caused by another failure.
     *
     * @param message what went wrong; line breaks are folded into spaces
     * @param key     the full configuration key involved, or {@code null} when unknown
     * @param source  the source involved (file path, environment variable, ...), or {@code null}
     * @param cause   the underlying failure, or {@code null}
     */
    public ConfigurationException(String message, String key, String source, Throwable cause) {
        super(oneLine(message), cause);
        this.key = key;
        this.source = source;
    }

    /** The full configuration key the problem concerns, or {@code null} when not known. */
    public String key() {
        return key;
    }

    /** The source the problem concerns (a file path or a source display name), or {@code null} when not known. */
    public String source() {
        return source;
    }

    static String oneLine(String text) {
        return text == null ? null : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
