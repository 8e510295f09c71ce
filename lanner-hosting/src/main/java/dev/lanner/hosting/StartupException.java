package dev.lanner.hosting;

/** An application could not start. The message is one line that names the cause. */
public class StartupException extends RuntimeException {
    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
