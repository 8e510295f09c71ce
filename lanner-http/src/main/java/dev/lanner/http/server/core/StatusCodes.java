package dev.lanner.http.server.core;

/** The one rule for response status codes, applied by every server when the application sets one. */
public final class StatusCodes {

    /** The lowest status a response may carry (RFC 9110 §15: three digits, first digit 1–9). */
    public static final int MIN = 100;
    /** The highest. Codes 600–999 are legal on the wire (RFC 9110 §15), as Kestrel allows them. */
    public static final int MAX = 999;

    private StatusCodes() {
    }

    /**
     * Returns {@code status} when it is a three-digit code from 100 to 999.
     *
     * @throws IllegalArgumentException naming the value otherwise
     */
    public static int check(int status) {
        if (status < MIN || status > MAX) {
            throw new IllegalArgumentException("Invalid status code " + status + ": must be from " + MIN + " to " + MAX);
        }
        return status;
    }
}
