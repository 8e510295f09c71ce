package dev.lanner.server.internal.http2;

/**
 * The settings the client announced (RFC 9113 §6.5.2), validated as they arrive (§6.5.3): the
 * values the server obeys when it sends. Not thread-safe: {@link Http2ConnectionWriter} owns it,
 * changes it under its lock on the reader thread that received the SETTINGS, and reads it under
 * that lock or on the reader thread.
 */
public final class Http2PeerSettings {

    public static final int HEADER_TABLE_SIZE = 0x1;
    public static final int ENABLE_PUSH = 0x2;
    public static final int MAX_CONCURRENT_STREAMS = 0x3;
    public static final int INITIAL_WINDOW_SIZE = 0x4;
    public static final int MAX_FRAME_SIZE = 0x5;
    public static final int MAX_HEADER_LIST_SIZE = 0x6;
    public static final int ENABLE_CONNECT_PROTOCOL = 0x8;

    public static final int DEFAULT_WINDOW = 65_535;

    long headerTableSize = 4096;
    long initialWindowSize = DEFAULT_WINDOW;
    int maxFrameSize = 16_384;
    long maxHeaderListSize = Long.MAX_VALUE;

    public long headerTableSize() {
        return headerTableSize;
    }

    public long initialWindowSize() {
        return initialWindowSize;
    }

    public int maxFrameSize() {
        return maxFrameSize;
    }

    public long maxHeaderListSize() {
        return maxHeaderListSize;
    }

    /** Checks one setting against RFC 9113 §6.5.2; unknown identifiers are ignored. */
    static void validate(int id, long value) throws Http2ConnectionException {
        switch (id) {
            case ENABLE_PUSH -> {
                if (value != 0 && value != 1) {
                    throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR,
                            "SETTINGS_ENABLE_PUSH must be 0 or 1, was " + value);
                }
            }
            case INITIAL_WINDOW_SIZE -> {
                if (value > Integer.MAX_VALUE) {
                    throw new Http2ConnectionException(Http2ErrorCode.FLOW_CONTROL_ERROR,
                            "SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1: " + value);
                }
            }
            case MAX_FRAME_SIZE -> {
                if (value < 16_384 || value > 16_777_215) {
                    throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR,
                            "SETTINGS_MAX_FRAME_SIZE outside 16384..16777215: " + value);
                }
            }
            case ENABLE_CONNECT_PROTOCOL -> {
                if (value != 0 && value != 1) {
                    throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR,
                            "SETTINGS_ENABLE_CONNECT_PROTOCOL must be 0 or 1, was " + value);
                }
            }
            default -> {
                // RFC 9113 §6.5.2: unknown or unsupported identifiers are ignored.
            }
        }
    }
}
