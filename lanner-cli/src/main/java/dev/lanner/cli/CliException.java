package dev.lanner.cli;

/**
 * An error the user can act on: {@link LannerCli} prints its message as one line on
 * stderr, without a stack trace, and exits with status 1.
 */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CliException(String message) {
        super(message, null, false, false);
    }
}
