package dev.lanner.benchmarks.soak;

import dev.lanner.server.internal.http2.hpack.HeaderSink;
import dev.lanner.server.internal.http2.hpack.HpackDecoder;
import dev.lanner.server.internal.http2.hpack.HpackException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal HTTP/2 client connection (RFC 9113) over a socket the caller opened (plain for h2c
 * with prior knowledge, or TLS with ALPN h2): it sends a batch of requests as concurrent streams
 * and reads until every one has ended. Requests go out as HPACK literals ({@link H2Frames});
 * response header blocks are decoded with the server module's {@link HpackDecoder} (verified
 * against the RFC 7541 examples and other implementations' interoperability stories), since a
 * server's encoder may index and Huffman-code.
 *
 * <p>Flow control: the client advertises a 1 MiB stream window, larger than any response it asks
 * for, and gives the connection window back after each batch; it sends request DATA only within
 * the server's connection window, reading frames while it waits.
 */
final class H2ClientConnection implements Closeable {

    /** A stream's response. */
    record Response(int status, byte[] body) {
    }

    /** The server ended the connection or refused a stream: GOAWAY or RST_STREAM with its code. */
    static final class H2Error extends IOException {
        final String frame;
        final int code;

        H2Error(String frame, int code) {
            super(frame + " 0x" + Integer.toHexString(code));
            this.frame = frame;
            this.code = code;
        }
    }

    private static final int STREAM_WINDOW = 1 << 20;
    private static final int MAX_FRAME = 16 * 1024;

    private final Socket socket;
    private final String scheme;
    private final String authority;
    private final DataInputStream in;
    private final OutputStream out;
    private final HpackDecoder decoder = new HpackDecoder(64 * 1024, 64 * 1024);

    private int nextStream = 1;
    private long sendWindow = 65_535;
    private long receivedSinceUpdate;
    private final Map<Integer, Integer> statuses = new HashMap<>();
    private final Map<Integer, ByteArrayOutputStream> bodies = new HashMap<>();
    private final Map<Integer, Boolean> ended = new HashMap<>();
    /** The header block being assembled (HEADERS then CONTINUATION), and its stream. */
    private ByteArrayOutputStream block;
    private int blockStream;
    private boolean blockEndsStream;

    H2ClientConnection(Socket socket, String scheme, String authority) throws IOException {
        this.socket = socket;
        this.scheme = scheme;
        this.authority = authority;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 32 * 1024));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 32 * 1024);
        out.write(H2Frames.PREFACE);
        H2Frames.write(out, H2Frames.SETTINGS, 0, 0, H2Frames.settings(H2Frames.SETTINGS_INITIAL_WINDOW_SIZE, STREAM_WINDOW));
        out.flush();
    }

    /**
     * Sends {@code requests} as concurrent streams, each with {@code extraFields} (name/value
     * pairs), and returns their responses in order once every stream has ended.
     */
    List<Response> exchange(List<WellBehavedRequest> requests, String... extraFields) throws IOException {
        List<Integer> streams = new ArrayList<>(requests.size());
        for (WellBehavedRequest request : requests) {
            int stream = nextStream;
            nextStream += 2;
            streams.add(stream);
            ended.put(stream, false);
            boolean hasBody = request.body().length > 0;
            String[] fields = hasBody
                    ? concat(extraFields, "content-type", "application/octet-stream", "content-length",
                            Integer.toString(request.body().length))
                    : extraFields;
            writeHeaders(stream, H2Frames.requestBlock(request.method(), scheme, authority, request.path(), fields), !hasBody);
            byte[] body = request.body();
            for (int at = 0; at < body.length; at += MAX_FRAME) {
                int length = Math.min(MAX_FRAME, body.length - at);
                while (sendWindow < length) {
                    out.flush();
                    readFrame();
                }
                sendWindow -= length;
                H2Frames.write(out, H2Frames.DATA, at + length == body.length ? H2Frames.END_STREAM : 0, stream, body, at, length);
            }
        }
        out.flush();
        while (streams.stream().anyMatch(s -> !ended.get(s))) {
            readFrame();
        }
        List<Response> responses = new ArrayList<>(streams.size());
        for (int stream : streams) {
            ByteArrayOutputStream body = bodies.remove(stream);
            Integer status = statuses.remove(stream);
            ended.remove(stream);
            responses.add(new Response(status == null ? -1 : status, body == null ? new byte[0] : body.toByteArray()));
        }
        if (receivedSinceUpdate > 0) {
            H2Frames.windowUpdate(out, 0, (int) receivedSinceUpdate);
            receivedSinceUpdate = 0;
            out.flush();
        }
        return responses;
    }

    /** Writes a header block as HEADERS and as many CONTINUATION frames as it needs. */
    private void writeHeaders(int stream, byte[] block, boolean endStream) throws IOException {
        int first = Math.min(MAX_FRAME, block.length);
        int flags = (endStream ? H2Frames.END_STREAM : 0) | (first == block.length ? H2Frames.END_HEADERS : 0);
        H2Frames.write(out, H2Frames.HEADERS, flags, stream, block, 0, first);
        for (int at = first; at < block.length; at += MAX_FRAME) {
            int length = Math.min(MAX_FRAME, block.length - at);
            H2Frames.write(out, H2Frames.CONTINUATION, at + length == block.length ? H2Frames.END_HEADERS : 0,
                    stream, block, at, length);
        }
    }

    private void readFrame() throws IOException {
        H2Frames.Frame frame = H2Frames.readRequired(in);
        switch (frame.type()) {
            case H2Frames.SETTINGS -> {
                if (!frame.has(H2Frames.ACK)) {
                    H2Frames.write(out, H2Frames.SETTINGS, H2Frames.ACK, 0, new byte[0]);
                    out.flush();
                }
            }
            case H2Frames.PING -> {
                if (!frame.has(H2Frames.ACK)) {
                    H2Frames.write(out, H2Frames.PING, H2Frames.ACK, 0, frame.payload());
                    out.flush();
                }
            }
            case H2Frames.WINDOW_UPDATE -> {
                if (frame.stream() == 0) {
                    sendWindow += ((frame.payload()[0] & 0x7fL) << 24) | ((frame.payload()[1] & 0xffL) << 16)
                            | ((frame.payload()[2] & 0xffL) << 8) | (frame.payload()[3] & 0xffL);
                }
            }
            case H2Frames.GOAWAY -> throw new H2Error("GOAWAY", frame.errorCode());
            case H2Frames.RST_STREAM -> {
                if (ended.containsKey(frame.stream()) && !ended.get(frame.stream())) {
                    throw new H2Error("RST_STREAM", frame.errorCode());
                }
            }
            case H2Frames.DATA -> {
                receivedSinceUpdate += frame.payload().length;
                byte[] data = unpad(frame);
                bodies.computeIfAbsent(frame.stream(), s -> new ByteArrayOutputStream()).write(data, 0, data.length);
                if (frame.has(H2Frames.END_STREAM)) {
                    ended.put(frame.stream(), true);
                }
            }
            case H2Frames.HEADERS -> {
                block = new ByteArrayOutputStream();
                blockStream = frame.stream();
                blockEndsStream = frame.has(H2Frames.END_STREAM);
                block.writeBytes(headerFragment(frame));
                if (frame.has(H2Frames.END_HEADERS)) {
                    endBlock();
                }
            }
            case H2Frames.CONTINUATION -> {
                if (block == null || frame.stream() != blockStream) {
                    throw new IOException("CONTINUATION out of place");
                }
                block.writeBytes(frame.payload());
                if (frame.has(H2Frames.END_HEADERS)) {
                    endBlock();
                }
            }
            default -> {
                // PRIORITY, PUSH_PROMISE (never enabled by a server unasked), unknown types: ignored
            }
        }
    }

    private void endBlock() throws IOException {
        int stream = blockStream;
        try {
            decoder.decode(block.toByteArray(), HeaderSink.ofStrings((name, value, neverIndexed) -> {
                if (name.equals(":status") && !statuses.containsKey(stream)) {
                    statuses.put(stream, Integer.parseInt(value));
                }
            }));
        } catch (HpackException e) {
            throw new IOException("HPACK: " + e.getMessage(), e);
        }
        block = null;
        if (blockEndsStream) {
            ended.put(stream, true);
        }
    }

    private static byte[] headerFragment(H2Frames.Frame frame) {
        byte[] p = frame.payload();
        int start = 0;
        int end = p.length;
        if (frame.has(H2Frames.PADDED)) {
            start = 1;
            end -= p[0] & 0xff;
        }
        if (frame.has(H2Frames.PRIORITY_FLAG)) {
            start += 5;
        }
        return java.util.Arrays.copyOfRange(p, start, end);
    }

    private static byte[] unpad(H2Frames.Frame frame) {
        byte[] p = frame.payload();
        return frame.has(H2Frames.PADDED) ? java.util.Arrays.copyOfRange(p, 1, p.length - (p[0] & 0xff)) : p;
    }

    private static String[] concat(String[] a, String... b) {
        String[] result = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, result, a.length, b.length);
        return result;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
