package dev.lanner.module.internal.forwarding;

import java.io.IOException;

/** Why a request could not be forwarded, and whether the client's response had already begun. */
public final class ForwardingException extends IOException {

    /** What went wrong, each with its own page and status. */
    public enum Kind {
        /** No connection to the backend (it is not listening: exited, crashed or not started). */
        CONNECT_FAILED,
        /** The backend did not answer within the request timeout. */
        TIMEOUT,
        /** The connection ended or failed before the response was complete. */
        CONNECTION_LOST,
        /** The backend's response was not valid HTTP/1.1. */
        BAD_RESPONSE
    }

    private final Kind kind;
    private final boolean responseStarted;

    ForwardingException(Kind kind, boolean responseStarted, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.responseStarted = responseStarted;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether status and headers already went to the client (then only an abort is left). */
    public boolean responseStarted() {
        return responseStarted;
    }
}
