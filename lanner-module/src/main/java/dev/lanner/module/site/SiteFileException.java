package dev.lanner.module.site;

import java.io.Serial;
import java.nio.file.Path;

/**
 * A site file that cannot be used: missing, not JSON, or with a value out of its rules.
 *
 * <p>The message is one line: the file, the key as a JSON path ({@code applications[0].startupTimeLimit})
 * and what was expected, with the value found, e.g.
 * {@code site.json: applications[0].startupTimeLimit has the invalid value 0; expected a duration greater than zero ...}.
 */
public final class SiteFileException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String key;

    /** A problem found after loading (a file the site names cannot be read); {@code message} names file and key. */
    public SiteFileException(Path file, String key, String message, Throwable cause) {
        super(message.strip().replaceAll("\\s*\\R\\s*", " "), cause);
        this.file = file;
        this.key = key;
    }

    /** The site file, as it was given to {@link SiteFile#load}. */
    public Path file() {
        return file;
    }

    /** The key the problem concerns ({@code applications[0].path}), or {@code null} for the whole file. */
    public String key() {
        return key;
    }
}
