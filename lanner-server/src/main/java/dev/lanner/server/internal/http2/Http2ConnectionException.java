package dev.lanner.server.internal.http2;

import dev.lanner.server.diagnostics.RejectionReason;

/**
 * A connection error (RFC 9113 §5.4.1): answered with GOAWAY carrying {@link #errorCode()}, then
 * close. Thrown and handled on the connection's reader thread.
 */
public final class Http2ConnectionException extends Exception {

    private final Http2ErrorCode errorCode;
    private final RejectionReason reason;

    /**
     * A protocol error: {@link RejectionReason#HTTP2_PROTOCOL_ERROR}, except ENHANCE_YOUR_CALM, which the
     * frame reader raises only for an oversized header block: the CONTINUATION flood defence.
     */
    public Http2ConnectionException(Http2ErrorCode errorCode, String message) {
        this(errorCode, message, errorCode == Http2ErrorCode.ENHANCE_YOUR_CALM
                ? RejectionReason.HTTP2_CONTINUATION_FLOOD : RejectionReason.HTTP2_PROTOCOL_ERROR);
    }

    public Http2ConnectionException(Http2ErrorCode errorCode, String message, RejectionReason reason) {
        super(message, null, false, false);
        this.errorCode = errorCode;
        this.reason = reason;
    }

    /** Why the connection is refused, for metrics and the debug log. */
    public RejectionReason reason() {
        return reason;
    }

    public Http2ErrorCode errorCode() {
        return errorCode;
    }
}
