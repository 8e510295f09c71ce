package dev.lanner.samples.hello;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A bare HTTP/2 client with prior knowledge (RFC 9113 §3.3) for one test: it opens several streams
 * on one connection at once, each with its own header fields, and collects each stream's DATA. Field
 * blocks are sent as HPACK literals without indexing (RFC 7541 §6.2.2), so no table is kept; the
 * response field blocks are not decoded (only their stream and END_STREAM flag matter here).
 * Debian's curl 7.88 cannot reuse a prior-knowledge connection (curl issue 10634), hence this.
 */
final class H2cStreams {

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0, HEADERS = 1, RST_STREAM = 3, SETTINGS = 4, PING = 6, GOAWAY = 7;
    private static final int END_STREAM = 0x1, END_HEADERS = 0x4, ACK = 0x1;

    private H2cStreams() {
    }

    /**
     * Sends one GET per entry of {@code requests} (each a list of extra name/value pairs) on a single
     * connection, all before reading any response, and returns the bodies by request index.
     */
    static Map<Integer, String> getAll(int port, String path, List<List<String>> requests) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(PREFACE);
            frame(out, SETTINGS, 0, 0, new byte[0]);
            for (int i = 0; i < requests.size(); i++) {
                ByteArrayOutputStream block = new ByteArrayOutputStream();
                literal(block, ":method", "GET");
                literal(block, ":scheme", "http");
                literal(block, ":authority", "127.0.0.1:" + port);
                literal(block, ":path", path);
                List<String> fields = requests.get(i);
                for (int f = 0; f < fields.size(); f += 2) {
                    literal(block, fields.get(f), fields.get(f + 1));
                }
                frame(out, HEADERS, END_STREAM | END_HEADERS, 1 + 2 * i, block.toByteArray());
            }
            out.flush();

            DataInputStream in = new DataInputStream(socket.getInputStream());
            Map<Integer, ByteArrayOutputStream> bodies = new HashMap<>();
            int ended = 0;
            while (ended < requests.size()) {
                int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int stream = in.readInt() & 0x7fffffff;
                byte[] payload = in.readNBytes(length);
                switch (type) {
                    case SETTINGS -> {
                        if ((flags & ACK) == 0) {
                            frame(out, SETTINGS, ACK, 0, new byte[0]);
                        }
                    }
                    case PING -> {
                        if ((flags & ACK) == 0) {
                            frame(out, PING, ACK, 0, payload);
                        }
                    }
                    case DATA -> bodies.computeIfAbsent(stream, s -> new ByteArrayOutputStream()).write(payload);
                    case RST_STREAM, GOAWAY -> throw new IOException("frame type " + type + " on stream " + stream);
                    default -> { }
                }
                if ((type == DATA || type == HEADERS) && (flags & END_STREAM) != 0) {
                    ended++;
                }
            }
            Map<Integer, String> result = new HashMap<>();
            for (int i = 0; i < requests.size(); i++) {
                ByteArrayOutputStream body = bodies.get(1 + 2 * i);
                result.put(i, body == null ? "" : body.toString(StandardCharsets.UTF_8));
            }
            return result;
        }
    }

    private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
        out.write(new byte[] {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
                (byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream});
        out.write(payload);
        out.flush();
    }

    /** A literal header field without indexing, new name (RFC 7541 §6.2.2), strings without Huffman coding. */
    private static void literal(ByteArrayOutputStream block, String name, String value) {
        block.write(0x00);
        string(block, name.getBytes(StandardCharsets.US_ASCII));
        string(block, value.getBytes(StandardCharsets.US_ASCII));
    }

    private static void string(ByteArrayOutputStream block, byte[] octets) {
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
}
