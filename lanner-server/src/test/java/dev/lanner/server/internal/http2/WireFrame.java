package dev.lanner.server.internal.http2;

import dev.lanner.server.internal.http2.hpack.HeaderBlockBuffer;
import dev.lanner.server.internal.http2.hpack.HeaderSink;
import dev.lanner.server.internal.http2.hpack.HpackDecoder;
import dev.lanner.server.internal.http2.hpack.HpackEncoder;
import dev.lanner.server.internal.http2.hpack.HpackException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One frame as it crossed the wire, for protocol tests that feed the connection bytes: the client's
 * frames are made with the server's own {@link Http2FrameWriter} and an {@link HpackEncoder}; the
 * server's octets are cut back into frames and their header blocks decoded in order.
 */
record WireFrame(int type, int flags, int streamId, byte[] payload, Map<String, String> fields) {

    boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    /** RST_STREAM's code, or GOAWAY's. */
    int errorCode() {
        int p = type == Http2FrameType.GOAWAY ? 4 : 0;
        return Http2FrameReader.readInt(payload, p);
    }

    int windowIncrement() {
        return Http2FrameReader.readInt(payload, 0) & 0x7fffffff;
    }

    String text() {
        return new String(payload, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return Http2FrameType.name(type) + "(stream " + streamId + ", flags 0x" + Integer.toHexString(flags)
                + ", " + payload.length + " octets" + (fields == null ? "" : ", " + fields) + ")";
    }

    /** Cuts {@code octets} into frames, decoding HEADERS (and CONTINUATION-completed) blocks with {@code decoder}. */
    static List<WireFrame> parse(byte[] octets, HpackDecoder decoder) throws HpackException {
        List<WireFrame> frames = new ArrayList<>();
        int p = 0;
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        while (octets.length - p >= 9) {
            int length = (octets[p] & 0xff) << 16 | (octets[p + 1] & 0xff) << 8 | (octets[p + 2] & 0xff);
            int type = octets[p + 3] & 0xff;
            int flags = octets[p + 4] & 0xff;
            int streamId = Http2FrameReader.readInt(octets, p + 5) & 0x7fffffff;
            byte[] payload = java.util.Arrays.copyOfRange(octets, p + 9, p + 9 + length);
            p += 9 + length;
            Map<String, String> fields = null;
            if (type == Http2FrameType.HEADERS || type == Http2FrameType.CONTINUATION) {
                block.writeBytes(payload);
                if ((flags & Http2FrameType.FLAG_END_HEADERS) != 0) {
                    Map<String, String> decoded = new LinkedHashMap<>();
                    decoder.decode(block.toByteArray(), HeaderSink.ofStrings((name, value, sensitive) -> decoded.put(name, value)));
                    block.reset();
                    fields = decoded;
                }
            }
            frames.add(new WireFrame(type, flags, streamId, payload, fields));
        }
        return frames;
    }

    /** Makes the client's frames. */
    static final class Client {
        private final HpackEncoder encoder = new HpackEncoder();
        private final Http2FrameWriter out = new Http2FrameWriter(1024);

        /** The connection preface and an empty SETTINGS (RFC 9113 §3.4). */
        byte[] preface(int... settings) {
            out.clear();
            out.settings(settings);
            return concat(Http2FrameReader.PREFACE, out.toByteArray());
        }

        /** A request's header block on {@code streamId}, split into HEADERS + CONTINUATIONs of {@code maxFrameSize}. */
        byte[] request(int streamId, String method, String path, boolean endStream, int maxFrameSize, String... extra) {
            HeaderBlockBuffer block = new HeaderBlockBuffer(128);
            encoder.startBlock(block);
            encoder.encodeHeader(":method", method, false, block);
            encoder.encodeHeader(":scheme", "http", false, block);
            encoder.encodeHeader(":authority", "localhost", false, block);
            encoder.encodeHeader(":path", path, false, block);
            for (int i = 0; i < extra.length; i += 2) {
                encoder.encodeHeader(extra[i], extra[i + 1], false, block);
            }
            out.clear();
            out.headers(streamId, block, endStream, maxFrameSize);
            return out.toByteArray();
        }

        byte[] request(int streamId, String method, String path, boolean endStream, String... extra) {
            return request(streamId, method, path, endStream, 16_384, extra);
        }

        byte[] data(int streamId, String text, boolean endStream) {
            byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            out.clear();
            out.data(streamId, bytes, 0, bytes.length, endStream);
            return out.toByteArray();
        }

        byte[] rstStream(int streamId, Http2ErrorCode code) {
            out.clear();
            out.rstStream(streamId, code);
            return out.toByteArray();
        }

        byte[] windowUpdate(int streamId, int increment) {
            out.clear();
            out.windowUpdate(streamId, increment);
            return out.toByteArray();
        }

        byte[] ping(byte[] payload) {
            out.clear();
            out.ping(false, payload, 0);
            return out.toByteArray();
        }

        static byte[] concat(byte[]... parts) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (byte[] part : parts) {
                all.writeBytes(part);
            }
            return all.toByteArray();
        }
    }
}
