package dev.lanner.server.internal.http2;

/** HTTP/2 error codes (RFC 9113 §7). Immutable; safe from any thread. */
public enum Http2ErrorCode {
    NO_ERROR(0x0),
    PROTOCOL_ERROR(0x1),
    INTERNAL_ERROR(0x2),
    FLOW_CONTROL_ERROR(0x3),
    SETTINGS_TIMEOUT(0x4),
    STREAM_CLOSED(0x5),
    FRAME_SIZE_ERROR(0x6),
    REFUSED_STREAM(0x7),
    CANCEL(0x8),
    COMPRESSION_ERROR(0x9),
    CONNECT_ERROR(0xa),
    ENHANCE_YOUR_CALM(0xb),
    INADEQUATE_SECURITY(0xc),
    HTTP_1_1_REQUIRED(0xd);


    private static final Http2ErrorCode[] ALL = values();

    private final int code;

    Http2ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The error code with this value, or null for one this server does not know (legal, RFC 9113 §7). */
    public static Http2ErrorCode byCode(long code) {
        for (Http2ErrorCode c : ALL) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }

    /** The name of a code as received; unknown codes are legal (RFC 9113 §7) and named by number. */
    public static String nameOf(long code) {
        Http2ErrorCode known = byCode(code);
        return known != null ? known.name() : "0x" + Long.toHexString(code);
    }
}
