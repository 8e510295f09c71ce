package dev.lanner.server.internal.http1;

import java.util.Objects;

/**
 * Thrown by the HTTP/1.x engines when a request must be rejected. It carries the
 * {@link RequestRejectionReason} (and so the status code) and a short detail for logs. Thrown on
 * the thread reading the request (the event loop inline, else the connection's virtual thread).
 *
 * <p>Cheap to throw: it records no stack trace, since a malformed request is an expected,
 * client-caused event at the edge and may be sent in volume by an attacker.
 */
public final class BadRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient RequestRejectionReason reason;
    private final String detail;

    /**
     * @param reason why the request is rejected
     * @param detail a short, log-safe detail (never echo unbounded client bytes); may be empty
     */
    public BadRequestException(RequestRejectionReason reason, String detail) {
        super(reason.description() + (detail == null || detail.isEmpty() ? "" : ": " + detail),
                null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.detail = detail == null ? "" : detail;
    }

    /** @param reason why the request is rejected */
    public BadRequestException(RequestRejectionReason reason) {
        this(reason, "");
    }

    /** Why the request is rejected. */
    public RequestRejectionReason reason() {
        return reason;
    }

    /** The status code to answer with; shorthand for {@code reason().statusCode()}. */
    public int statusCode() {
        return reason.statusCode();
    }

    /** The short detail given when thrown, or an empty string. */
    public String detail() {
        return detail;
    }
}
