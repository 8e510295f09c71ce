package dev.lanner.server.internal.http2;

/**
 * A connection error (RFC 9113 §5.4.1): answered with GOAWAY carrying {@link #errorCode()}, then
 * close. Thrown and handled on the connection's reader thread.
 */
public final class Http2ConnectionException extends Exception {

    private final Http2ErrorCode errorCode;

    public Http2ConnectionException(Http2ErrorCode errorCode, String message) {
        super(message, null, false, false);
        this.errorCode = errorCode;
    }

    public Http2ErrorCode errorCode() {
        return errorCode;
    }
}
