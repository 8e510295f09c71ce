package dev.lanner.server.e2e.http2;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A frame received from the server. For HEADERS (and PUSH_PROMISE) the payload is the whole
 * field block after any CONTINUATION frames were appended, and {@code fields} holds the decoded
 * field list; for other frames {@code fields} is empty.
 *
 * @param type     the frame type (RFC 9113 §4.1)
 * @param flags    the flags octet
 * @param streamId the stream identifier, reserved bit cleared
 * @param payload  the payload octets
 * @param fields   decoded header fields, in order, for HEADERS
 */
record H2Frame(int type, int flags, int streamId, byte[] payload, List<Map.Entry<String, String>> fields) {

    boolean is(int frameType) {
        return type == frameType;
    }

    boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    boolean endStream() {
        return (type == H2Frames.DATA || type == H2Frames.HEADERS) && hasFlag(H2Frames.FLAG_END_STREAM);
    }

    boolean ack() {
        return (type == H2Frames.SETTINGS || type == H2Frames.PING) && hasFlag(H2Frames.FLAG_ACK);
    }

    /** RST_STREAM's error code, or GOAWAY's. */
    int errorCode() {
        return switch (type) {
            case H2Frames.RST_STREAM -> readInt(0);
            case H2Frames.GOAWAY -> readInt(4);
            default -> throw new IllegalStateException("no error code in " + this);
        };
    }

    /** DATA's data, without the padding (RFC 9113 §6.1). */
    byte[] data() {
        requireType(H2Frames.DATA);
        if (!hasFlag(H2Frames.FLAG_PADDED)) {
            return payload;
        }
        int padLength = payload[0] & 0xFF;
        return java.util.Arrays.copyOfRange(payload, 1, payload.length - padLength);
    }

    /** GOAWAY's last-stream-id. */
    int lastStreamId() {
        requireType(H2Frames.GOAWAY);
        return readInt(0) & 0x7FFF_FFFF;
    }

    /** GOAWAY's additional debug data, as text. */
    String debugData() {
        requireType(H2Frames.GOAWAY);
        return new String(payload, 8, payload.length - 8, StandardCharsets.UTF_8);
    }

    /** WINDOW_UPDATE's increment. */
    int windowIncrement() {
        requireType(H2Frames.WINDOW_UPDATE);
        return readInt(0) & 0x7FFF_FFFF;
    }

    /** SETTINGS entries by identifier, in order (a repeated identifier keeps its last value). */
    Map<Integer, Long> settings() {
        requireType(H2Frames.SETTINGS);
        Map<Integer, Long> settings = new LinkedHashMap<>();
        for (int p = 0; p + 6 <= payload.length; p += 6) {
            int id = ((payload[p] & 0xFF) << 8) | (payload[p + 1] & 0xFF);
            settings.put(id, readInt(p + 2) & 0xFFFF_FFFFL);
        }
        return settings;
    }

    /** The first value of a decoded header field, or null. */
    String field(String name) {
        for (Map.Entry<String, String> field : fields) {
            if (field.getKey().equals(name)) {
                return field.getValue();
            }
        }
        return null;
    }

    int readInt(int offset) {
        return ((payload[offset] & 0xFF) << 24) | ((payload[offset + 1] & 0xFF) << 16)
                | ((payload[offset + 2] & 0xFF) << 8) | (payload[offset + 3] & 0xFF);
    }

    private void requireType(int expected) {
        if (type != expected) {
            throw new AssertionError("expected a " + H2Frames.typeName(expected) + " frame, got " + this);
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(H2Frames.typeName(type)).append(" stream=").append(streamId)
                .append(" flags=0x").append(Integer.toHexString(flags)).append(" length=").append(payload.length);
        switch (type) {
            case H2Frames.RST_STREAM -> {
                if (payload.length == 4) {
                    s.append(" error=").append(H2Frames.errorName(errorCode()));
                }
            }
            case H2Frames.GOAWAY -> {
                if (payload.length >= 8) {
                    s.append(" last-stream-id=").append(lastStreamId()).append(" error=")
                            .append(H2Frames.errorName(errorCode())).append(" debug=\"").append(debugData()).append('"');
                }
            }
            case H2Frames.WINDOW_UPDATE -> {
                if (payload.length == 4) {
                    s.append(" increment=").append(windowIncrement());
                }
            }
            case H2Frames.SETTINGS -> s.append(" ").append(settings());
            case H2Frames.HEADERS -> s.append(" ").append(fields);
            default -> { }
        }
        return s.toString();
    }
}
