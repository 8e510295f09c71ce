package dev.lanner.benchmarks.connections;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/2 with prior knowledge (RFC 9113 §3.3): the preface and an empty SETTINGS, the server's
 * SETTINGS acknowledged, one stream per {@link #get()}. Just enough HPACK to send a request (literals
 * without indexing, no Huffman) and to read the response's {@code :status}.
 */
final class H2cClientConnection extends ClientConnection {

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0x0;
    private static final int HEADERS = 0x1;
    private static final int RST_STREAM = 0x3;
    private static final int SETTINGS = 0x4;
    private static final int PING = 0x6;
    private static final int GOAWAY = 0x7;
    private static final int END_STREAM = 0x1;
    private static final int ACK = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int PADDED = 0x8;
    private static final int PRIORITY = 0x20;

    private final byte[] headerBlock;
    private int nextStreamId = 1;

    H2cClientConnection(Socket socket, String authority) throws IOException {
        super(socket);
        // RFC 7541 §6.2.2: literal without indexing, indexed name (4-bit prefix), value not Huffman-coded.
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        literal(block, 2, "GET");
        literal(block, 6, "http");
        literal(block, 4, "/plaintext");
        literal(block, 1, authority);
        this.headerBlock = block.toByteArray();
    }

    @Override
    int get() throws IOException {
        int stream = nextStreamId;
        nextStreamId += 2;
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        if (stream == 1) {
            request.writeBytes(PREFACE);
            frame(request, SETTINGS, 0, 0, new byte[0]);
        }
        frame(request, HEADERS, END_HEADERS | END_STREAM, stream, headerBlock);
        out.write(request.toByteArray());
        out.flush();
        int status = -1;
        byte[] head = new byte[9];
        while (true) {
            readFully(head, 9);
            int length = (head[0] & 0xff) << 16 | (head[1] & 0xff) << 8 | head[2] & 0xff;
            int type = head[3] & 0xff;
            int flags = head[4] & 0xff;
            int streamId = ((head[5] & 0x7f) << 24) | (head[6] & 0xff) << 16 | (head[7] & 0xff) << 8 | head[8] & 0xff;
            byte[] payload = new byte[length];
            readFully(payload, length);
            switch (type) {
                case SETTINGS -> {
                    if ((flags & ACK) == 0) {
                        writeFrame(SETTINGS, ACK, 0, new byte[0]);
                    }
                }
                case PING -> {
                    if ((flags & ACK) == 0) {
                        writeFrame(PING, ACK, 0, payload);
                    }
                }
                case GOAWAY -> throw new IOException("GOAWAY, error code " + (length >= 8 ? readInt(payload, 4) : -1));
                case RST_STREAM -> {
                    if (streamId == stream) {
                        throw new IOException("RST_STREAM, error code " + readInt(payload, 0));
                    }
                }
                case HEADERS -> {
                    if (streamId == stream) {
                        if (status < 0) {
                            status = status(payload, flags);
                        }
                        if ((flags & END_STREAM) != 0) {
                            return status;
                        }
                    }
                }
                case DATA -> {
                    if (streamId == stream && (flags & END_STREAM) != 0) {
                        return status;
                    }
                }
                default -> {
                    // WINDOW_UPDATE, CONTINUATION, PRIORITY, unknown: nothing to do for one small response
                }
            }
        }
    }

    private void writeFrame(int type, int flags, int stream, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(9 + payload.length);
        frame(frame, type, flags, stream, payload);
        out.write(frame.toByteArray());
        out.flush();
    }

    private static void frame(ByteArrayOutputStream out, int type, int flags, int stream, byte[] payload) {
        int length = payload.length;
        out.write(length >>> 16);
        out.write(length >>> 8);
        out.write(length);
        out.write(type);
        out.write(flags);
        out.write(stream >>> 24);
        out.write(stream >>> 16);
        out.write(stream >>> 8);
        out.write(stream);
        out.writeBytes(payload);
    }

    private static void literal(ByteArrayOutputStream out, int staticNameIndex, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > 126) {
            throw new IllegalArgumentException("value too long for a one-byte length: " + value);
        }
        out.write(staticNameIndex);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }

    private static int readInt(byte[] b, int offset) {
        return (b[offset] & 0xff) << 24 | (b[offset + 1] & 0xff) << 16 | (b[offset + 2] & 0xff) << 8 | b[offset + 3] & 0xff;
    }

    /**
     * The {@code :status} of a response header block whose first field is {@code :status} (RFC 9113
     * §8.3: pseudo-header fields come first): indexed from the static table (RFC 7541 Appendix A,
     * entries 8 to 14) or a literal with the static name 8 and a plain or Huffman-coded value; -1 for
     * anything else (a dynamic-table index).
     */
    static int status(byte[] payload, int flags) {
        int[] at = {0};
        if ((flags & PADDED) != 0) {
            at[0]++;
        }
        if ((flags & PRIORITY) != 0) {
            at[0] += 5;
        }
        while ((payload[at[0]] & 0xe0) == 0x20) {
            integer(payload, at, 5); // dynamic table size update (§6.3)
        }
        int b = payload[at[0]] & 0xff;
        if ((b & 0x80) != 0) {
            return switch (integer(payload, at, 7)) {
                case 8 -> 200;
                case 9 -> 204;
                case 10 -> 206;
                case 11 -> 304;
                case 12 -> 400;
                case 13 -> 404;
                case 14 -> 500;
                default -> -1;
            };
        }
        int nameIndex = integer(payload, at, (b & 0x40) != 0 ? 6 : 4);
        if (nameIndex != 8) {
            return -1;
        }
        boolean huffman = (payload[at[0]] & 0x80) != 0;
        int length = integer(payload, at, 7);
        return huffman ? huffmanDigits(payload, at[0], length) : Integer.parseInt(
                new String(payload, at[0], length, StandardCharsets.US_ASCII));
    }

    /** RFC 7541 §5.1 integer with an {@code prefixBits}-bit prefix at {@code at[0]}; advances it. */
    private static int integer(byte[] b, int[] at, int prefixBits) {
        int max = (1 << prefixBits) - 1;
        int value = b[at[0]++] & max;
        if (value < max) {
            return value;
        }
        int shift = 0;
        int next;
        do {
            next = b[at[0]++] & 0xff;
            value += (next & 0x7f) << shift;
            shift += 7;
        } while ((next & 0x80) != 0);
        return value;
    }

    /** Three Huffman-coded digits (RFC 7541 Appendix B: '0'-'2' are 5 bits 00000-00010, '3'-'9' 6 bits 011001-011111). */
    private static int huffmanDigits(byte[] b, int offset, int length) {
        long bits = 0;
        for (int i = 0; i < length; i++) {
            bits = bits << 8 | (b[offset + i] & 0xff);
        }
        int available = length * 8;
        int value = 0;
        for (int digit = 0; digit < 3; digit++) {
            if (available < 5) {
                return -1;
            }
            int five = (int) (bits >>> (available - 5)) & 0x1f;
            if (five <= 2) {
                value = value * 10 + five;
                available -= 5;
            } else {
                if (available < 6) {
                    return -1;
                }
                int six = (int) (bits >>> (available - 6)) & 0x3f;
                if (six < 0b011001 || six > 0b011111) {
                    return -1;
                }
                value = value * 10 + 3 + (six - 0b011001);
                available -= 6;
            }
        }
        return value;
    }
}
