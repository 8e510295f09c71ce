package dev.lanner.benchmarks.soak;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The few pieces of HTTP/2 (RFC 9113) the soak clients write by hand: the preface, frames, and
 * header blocks as HPACK literals without indexing with plain (non-Huffman) strings (RFC 7541
 * §6.2.2, §5.2), so the client keeps no HPACK table of its own.
 */
final class H2Frames {

    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    static final int DATA = 0x0, HEADERS = 0x1, RST_STREAM = 0x3, SETTINGS = 0x4, PING = 0x6, GOAWAY = 0x7,
            WINDOW_UPDATE = 0x8, CONTINUATION = 0x9;
    static final int END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4, PADDED = 0x8, PRIORITY_FLAG = 0x20;

    static final int NO_ERROR = 0x0, CANCEL = 0x8, ENHANCE_YOUR_CALM = 0xb;
    static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;

    /** One frame as read: type, flags, stream and payload (RFC 9113 §4.1). */
    record Frame(int type, int flags, int stream, byte[] payload) {
        boolean has(int flag) {
            return (flags & flag) != 0;
        }

        /** The error code of a RST_STREAM or GOAWAY frame. */
        int errorCode() {
            int at = type == GOAWAY ? 4 : 0;
            return ((payload[at] & 0xff) << 24) | ((payload[at + 1] & 0xff) << 16)
                    | ((payload[at + 2] & 0xff) << 8) | (payload[at + 3] & 0xff);
        }
    }

    private H2Frames() {
    }

    /** Writes one frame; the caller flushes. */
    static void write(OutputStream out, int type, int flags, int stream, byte[] payload, int offset, int length)
            throws IOException {
        out.write(new byte[] {(byte) (length >>> 16), (byte) (length >>> 8), (byte) length, (byte) type, (byte) flags,
            (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream});
        out.write(payload, offset, length);
    }

    static void write(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
        write(out, type, flags, stream, payload, 0, payload.length);
    }

    static void rstStream(OutputStream out, int stream, int code) throws IOException {
        write(out, RST_STREAM, 0, stream, int32(code));
    }

    static void windowUpdate(OutputStream out, int stream, int increment) throws IOException {
        write(out, WINDOW_UPDATE, 0, stream, int32(increment));
    }

    /** Reads one frame, or returns null at a clean end of stream before its first octet. */
    static Frame read(DataInputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int length = (first << 16) | in.readUnsignedShort();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7fffffff;
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Frame(type, flags, stream, payload);
    }

    /** Reads one frame; a clean end of stream is an {@link EOFException}. */
    static Frame readRequired(DataInputStream in) throws IOException {
        Frame frame = read(in);
        if (frame == null) {
            throw new EOFException("connection closed");
        }
        return frame;
    }

    /** A request header block: the four pseudo-header fields, then {@code fields} as name/value pairs. */
    static byte[] requestBlock(String method, String scheme, String authority, String path, String... fields) {
        ByteArrayOutputStream block = new ByteArrayOutputStream(64 + path.length());
        literal(block, ":method", method);
        literal(block, ":scheme", scheme);
        literal(block, ":authority", authority);
        literal(block, ":path", path);
        for (int i = 0; i < fields.length; i += 2) {
            literal(block, fields[i], fields[i + 1]);
        }
        return block.toByteArray();
    }

    /** A literal header field without indexing, new name (RFC 7541 §6.2.2), strings without Huffman coding. */
    static void literal(ByteArrayOutputStream block, String name, String value) {
        block.write(0x00);
        string(block, name.getBytes(StandardCharsets.ISO_8859_1));
        string(block, value.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void string(ByteArrayOutputStream block, byte[] octets) {
        // RFC 7541 §5.1: a 7-bit prefix integer, H bit clear.
        int length = octets.length;
        if (length < 127) {
            block.write(length);
        } else {
            block.write(127);
            length -= 127;
            while (length >= 128) {
                block.write((length & 0x7f) | 0x80);
                length >>>= 7;
            }
            block.write(length);
        }
        block.writeBytes(octets);
    }

    static byte[] int32(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    /** SETTINGS payload from identifier/value pairs (RFC 9113 §6.5.1). */
    static byte[] settings(int... pairs) {
        byte[] payload = new byte[pairs.length / 2 * 6];
        for (int i = 0, at = 0; i < pairs.length; i += 2, at += 6) {
            payload[at] = (byte) (pairs[i] >>> 8);
            payload[at + 1] = (byte) pairs[i];
            System.arraycopy(int32(pairs[i + 1]), 0, payload, at + 2, 4);
        }
        return payload;
    }
}
