package dev.lanner.module.internal.identity;

import java.io.IOException;
import java.io.Serial;
import java.nio.file.Path;

/**
 * A credentials file that cannot be used: missing, unreadable, or with a line out of its rules. The
 * message is one line naming the file, the line number when there is one, and what was expected, e.g.
 * {@code users.txt:3: duplicate user 'alice' (first on line 1); expected each user once}. It never
 * contains a password hash.
 */
public final class CredentialsFileException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;

    CredentialsFileException(Path file, int line, String message, Throwable cause) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message.strip().replaceAll("\\s*\\R\\s*", " "), cause);
        this.file = file;
        this.line = line;
    }

    /** The credentials file, as it was given to {@link CredentialsFile#load}. */
    public Path file() {
        return file;
    }

    /** The line (from 1) the problem is on, or 0 for the whole file. */
    public int line() {
        return line;
    }
}
