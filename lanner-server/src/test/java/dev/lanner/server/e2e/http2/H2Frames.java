package dev.lanner.server.e2e.http2;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encodes raw HTTP/2 frames (RFC 9113 §4.1) octet by octet, independently of the server's frame
 * code, so that tests can also send frames that are malformed on purpose (wrong lengths, bad
 * padding, stream 0 where a stream is needed). Every method returns the whole frame: the 9-octet
 * header followed by the payload.
 */
final class H2Frames {

    /** RFC 9113 §3.4: the client connection preface, before its SETTINGS frame. */
    static final byte[] CLIENT_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    // RFC 9113 §6: frame types.
    static final int DATA = 0x0;
    static final int HEADERS = 0x1;
    static final int PRIORITY = 0x2;
    static final int RST_STREAM = 0x3;
    static final int SETTINGS = 0x4;
    static final int PUSH_PROMISE = 0x5;
    static final int PING = 0x6;
    static final int GOAWAY = 0x7;
    static final int WINDOW_UPDATE = 0x8;
    static final int CONTINUATION = 0x9;

    // RFC 9113 §6: flags.
    static final int FLAG_ACK = 0x1;
    static final int FLAG_END_STREAM = 0x1;
    static final int FLAG_END_HEADERS = 0x4;
    static final int FLAG_PADDED = 0x8;
    static final int FLAG_PRIORITY = 0x20;

    // RFC 9113 §7: error codes.
    static final int NO_ERROR = 0x0;
    static final int PROTOCOL_ERROR = 0x1;
    static final int INTERNAL_ERROR = 0x2;
    static final int FLOW_CONTROL_ERROR = 0x3;
    static final int SETTINGS_TIMEOUT = 0x4;
    static final int STREAM_CLOSED = 0x5;
    static final int FRAME_SIZE_ERROR = 0x6;
    static final int REFUSED_STREAM = 0x7;
    static final int CANCEL = 0x8;
    static final int COMPRESSION_ERROR = 0x9;
    static final int CONNECT_ERROR = 0xa;
    static final int ENHANCE_YOUR_CALM = 0xb;
    static final int INADEQUATE_SECURITY = 0xc;
    static final int HTTP_1_1_REQUIRED = 0xd;

    // RFC 9113 §6.5.2: settings.
    static final int SETTINGS_HEADER_TABLE_SIZE = 0x1;
    static final int SETTINGS_ENABLE_PUSH = 0x2;
    static final int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
    static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
    static final int SETTINGS_MAX_FRAME_SIZE = 0x5;
    static final int SETTINGS_MAX_HEADER_LIST_SIZE = 0x6;

    /** RFC 9113 §4.2: the initial SETTINGS_MAX_FRAME_SIZE, which this server also advertises. */
    static final int DEFAULT_MAX_FRAME_SIZE = 16_384;
    /** RFC 9113 §6.9.2: the initial window of every stream and of the connection. */
    static final int DEFAULT_WINDOW = 65_535;

    private H2Frames() {
    }

    /** A frame of any type, flags and stream (the reserved bit included if {@code streamId} has it). */
    static byte[] frame(int type, int flags, int streamId, byte[] payload) {
        byte[] frame = new byte[9 + payload.length];
        int length = payload.length;
        frame[0] = (byte) (length >>> 16);
        frame[1] = (byte) (length >>> 8);
        frame[2] = (byte) length;
        frame[3] = (byte) type;
        frame[4] = (byte) flags;
        putInt(frame, 5, streamId);
        System.arraycopy(payload, 0, frame, 9, payload.length);
        return frame;
    }

    /** Only the 9-octet header, announcing {@code length} payload octets that the caller sends (or not). */
    static byte[] header(int length, int type, int flags, int streamId) {
        byte[] header = new byte[9];
        header[0] = (byte) (length >>> 16);
        header[1] = (byte) (length >>> 8);
        header[2] = (byte) length;
        header[3] = (byte) type;
        header[4] = (byte) flags;
        putInt(header, 5, streamId);
        return header;
    }

    static byte[] data(int streamId, int flags, byte[] data) {
        return frame(DATA, flags, streamId, data);
    }

    /** DATA with PADDED set: a pad length octet, the data, then {@code padLength} zero octets. */
    static byte[] paddedData(int streamId, int flags, byte[] data, int padLength) {
        return frame(DATA, flags | FLAG_PADDED, streamId, padded(data, padLength));
    }

    static byte[] headers(int streamId, int flags, byte[] fieldBlock) {
        return frame(HEADERS, flags, streamId, fieldBlock);
    }

    static byte[] paddedHeaders(int streamId, int flags, byte[] fieldBlock, int padLength) {
        return frame(HEADERS, flags | FLAG_PADDED, streamId, padded(fieldBlock, padLength));
    }

    /** HEADERS with the PRIORITY flag: exclusive bit + stream dependency, weight, then the block. */
    static byte[] headersWithPriority(int streamId, int flags, int dependency, boolean exclusive, int weight,
            byte[] fieldBlock) {
        byte[] payload = new byte[5 + fieldBlock.length];
        putInt(payload, 0, exclusive ? dependency | 0x8000_0000 : dependency);
        payload[4] = (byte) (weight - 1);
        System.arraycopy(fieldBlock, 0, payload, 5, fieldBlock.length);
        return frame(HEADERS, flags | FLAG_PRIORITY, streamId, payload);
    }

    static byte[] continuation(int streamId, int flags, byte[] fragment) {
        return frame(CONTINUATION, flags, streamId, fragment);
    }

    /** RFC 9113 §6.3: 5 octets, exclusive bit + dependency, weight - 1. */
    static byte[] priority(int streamId, int dependency, boolean exclusive, int weight) {
        byte[] payload = new byte[5];
        putInt(payload, 0, exclusive ? dependency | 0x8000_0000 : dependency);
        payload[4] = (byte) (weight - 1);
        return frame(PRIORITY, 0, streamId, payload);
    }

    static byte[] rstStream(int streamId, int errorCode) {
        return frame(RST_STREAM, 0, streamId, int32(errorCode));
    }

    /** SETTINGS with (identifier, value) pairs. */
    static byte[] settings(int... idValuePairs) {
        if (idValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException("settings need (id, value) pairs");
        }
        byte[] payload = new byte[idValuePairs.length / 2 * 6];
        for (int i = 0, p = 0; i < idValuePairs.length; i += 2, p += 6) {
            payload[p] = (byte) (idValuePairs[i] >>> 8);
            payload[p + 1] = (byte) idValuePairs[i];
            putInt(payload, p + 2, idValuePairs[i + 1]);
        }
        return frame(SETTINGS, 0, 0, payload);
    }

    static byte[] settingsAck() {
        return frame(SETTINGS, FLAG_ACK, 0, new byte[0]);
    }

    static byte[] pushPromise(int streamId, int promisedStreamId, byte[] fieldBlock) {
        byte[] payload = new byte[4 + fieldBlock.length];
        putInt(payload, 0, promisedStreamId);
        System.arraycopy(fieldBlock, 0, payload, 4, fieldBlock.length);
        return frame(PUSH_PROMISE, FLAG_END_HEADERS, streamId, payload);
    }

    static byte[] ping(int flags, byte[] opaque) {
        return frame(PING, flags, 0, opaque);
    }

    static byte[] goAway(int lastStreamId, int errorCode, String debug) {
        byte[] text = debug.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[8 + text.length];
        putInt(payload, 0, lastStreamId);
        putInt(payload, 4, errorCode);
        System.arraycopy(text, 0, payload, 8, text.length);
        return frame(GOAWAY, 0, 0, payload);
    }

    static byte[] windowUpdate(int streamId, int increment) {
        return frame(WINDOW_UPDATE, 0, streamId, int32(increment));
    }

    static byte[] int32(int value) {
        byte[] bytes = new byte[4];
        putInt(bytes, 0, value);
        return bytes;
    }

    /** Concatenates frames, to send them in one write. */
    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static String typeName(int type) {
        return switch (type) {
            case DATA -> "DATA";
            case HEADERS -> "HEADERS";
            case PRIORITY -> "PRIORITY";
            case RST_STREAM -> "RST_STREAM";
            case SETTINGS -> "SETTINGS";
            case PUSH_PROMISE -> "PUSH_PROMISE";
            case PING -> "PING";
            case GOAWAY -> "GOAWAY";
            case WINDOW_UPDATE -> "WINDOW_UPDATE";
            case CONTINUATION -> "CONTINUATION";
            default -> "UNKNOWN(0x" + Integer.toHexString(type) + ")";
        };
    }

    static String errorName(int code) {
        return switch (code) {
            case NO_ERROR -> "NO_ERROR";
            case PROTOCOL_ERROR -> "PROTOCOL_ERROR";
            case INTERNAL_ERROR -> "INTERNAL_ERROR";
            case FLOW_CONTROL_ERROR -> "FLOW_CONTROL_ERROR";
            case SETTINGS_TIMEOUT -> "SETTINGS_TIMEOUT";
            case STREAM_CLOSED -> "STREAM_CLOSED";
            case FRAME_SIZE_ERROR -> "FRAME_SIZE_ERROR";
            case REFUSED_STREAM -> "REFUSED_STREAM";
            case CANCEL -> "CANCEL";
            case COMPRESSION_ERROR -> "COMPRESSION_ERROR";
            case CONNECT_ERROR -> "CONNECT_ERROR";
            case ENHANCE_YOUR_CALM -> "ENHANCE_YOUR_CALM";
            case INADEQUATE_SECURITY -> "INADEQUATE_SECURITY";
            case HTTP_1_1_REQUIRED -> "HTTP_1_1_REQUIRED";
            default -> "0x" + Integer.toHexString(code);
        };
    }

    private static byte[] padded(byte[] content, int padLength) {
        byte[] payload = new byte[1 + content.length + padLength];
        payload[0] = (byte) padLength;
        System.arraycopy(content, 0, payload, 1, content.length);
        return payload;
    }

    private static void putInt(byte[] target, int offset, int value) {
        target[offset] = (byte) (value >>> 24);
        target[offset + 1] = (byte) (value >>> 16);
        target[offset + 2] = (byte) (value >>> 8);
        target[offset + 3] = (byte) value;
    }
}
