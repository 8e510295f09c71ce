package dev.lanner.server.internal.http2;

/** A stream error (RFC 9113 §5.4.2): answered with RST_STREAM; the connection goes on. */
public final class Http2StreamException extends Exception {

    private final int streamId;
    private final Http2ErrorCode errorCode;

    public Http2StreamException(int streamId, Http2ErrorCode errorCode, String message) {
        super(message, null, false, false);
        this.streamId = streamId;
        this.errorCode = errorCode;
    }

    public int streamId() {
        return streamId;
    }

    public Http2ErrorCode errorCode() {
        return errorCode;
    }
}
