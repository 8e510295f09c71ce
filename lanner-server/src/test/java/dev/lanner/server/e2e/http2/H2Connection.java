package dev.lanner.server.e2e.http2;

import static dev.lanner.server.e2e.http2.H2Frames.CONTINUATION;
import static dev.lanner.server.e2e.http2.H2Frames.DATA;
import static dev.lanner.server.e2e.http2.H2Frames.FLAG_ACK;
import static dev.lanner.server.e2e.http2.H2Frames.FLAG_END_HEADERS;
import static dev.lanner.server.e2e.http2.H2Frames.FLAG_END_STREAM;
import static dev.lanner.server.e2e.http2.H2Frames.FLAG_PADDED;
import static dev.lanner.server.e2e.http2.H2Frames.FLAG_PRIORITY;
import static dev.lanner.server.e2e.http2.H2Frames.GOAWAY;
import static dev.lanner.server.e2e.http2.H2Frames.HEADERS;
import static dev.lanner.server.e2e.http2.H2Frames.PING;
import static dev.lanner.server.e2e.http2.H2Frames.PUSH_PROMISE;
import static dev.lanner.server.e2e.http2.H2Frames.RST_STREAM;
import static dev.lanner.server.e2e.http2.H2Frames.SETTINGS;
import static dev.lanner.server.e2e.http2.H2Frames.WINDOW_UPDATE;
import static dev.lanner.server.e2e.http2.H2Frames.errorName;

import dev.lanner.server.internal.http2.hpack.HeaderBlockBuffer;
import dev.lanner.server.internal.http2.hpack.HeaderSink;
import dev.lanner.server.internal.http2.hpack.HpackDecoder;
import dev.lanner.server.internal.http2.hpack.HpackEncoder;
import dev.lanner.server.internal.http2.hpack.HpackException;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * A minimal HTTP/2 client over a plain loopback socket, for conformance tests: it writes
 * whatever octets a test gives it, and reads frames back with the bookkeeping a well-behaved
 * peer does (RFC 9113): it acknowledges the server's SETTINGS, answers its PINGs, tracks the
 * send windows the server grants, decodes every field block in order (so the HPACK tables stay
 * in step) and, unless told otherwise, gives back the flow-control credit of every DATA frame
 * it receives.
 *
 * <p>Every read has a socket timeout ({@link #READ_TIMEOUT}), so no test can hang on a server
 * that stays silent; a timeout turns into an {@link AssertionError} that lists the frames seen.
 */
final class H2Connection implements AutoCloseable {

    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Object writeLock = new Object();
    private final String authority;

    private final HpackEncoder encoder = new HpackEncoder();
    private final HpackDecoder decoder = new HpackDecoder(1 << 20, 1 << 20);

    // Input buffer: frames are taken out only once complete, so a read timeout loses nothing.
    private byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;

    /** Frames read but not yet consumed by a test (other streams' frames met while waiting). */
    private final Deque<H2Frame> pending = new ArrayDeque<>();
    /** The last frames read, for failure messages. */
    private final Deque<H2Frame> recent = new ArrayDeque<>();
    /** Our SETTINGS not yet acknowledged, oldest first: their HEADER_TABLE_SIZE applies on ACK. */
    private final Deque<int[]> unacknowledgedSettings = new ArrayDeque<>();

    private H2Frame serverSettings;
    private long connectionSendWindow = H2Frames.DEFAULT_WINDOW;
    private final Map<Integer, Long> streamSendWindows = new HashMap<>();
    private long peerInitialWindowSize = H2Frames.DEFAULT_WINDOW;
    private int peerMaxFrameSize = H2Frames.DEFAULT_MAX_FRAME_SIZE;
    private int nextStreamId = 1;
    private boolean autoWindowUpdate = true;

    private H2Connection(Socket socket, int port) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.authority = "127.0.0.1:" + port;
    }

    /** A TCP connection to the loopback port; nothing sent yet. */
    static H2Connection open(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        socket.setTcpNoDelay(true);
        return new H2Connection(socket, port);
    }

    /**
     * Sends the client preface and a SETTINGS frame (ENABLE_PUSH 0, then {@code settings} as
     * (id, value) pairs), then reads until the server's SETTINGS came and ours was acknowledged
     * (RFC 9113 §3.4, §6.5.3).
     */
    H2Connection handshake(int... settings) throws IOException {
        int[] all = new int[settings.length + 2];
        all[0] = H2Frames.SETTINGS_ENABLE_PUSH;
        all[1] = 0;
        System.arraycopy(settings, 0, all, 2, settings.length);
        unacknowledgedSettings.add(all);
        send(H2Frames.concat(H2Frames.CLIENT_PREFACE, H2Frames.settings(all)));
        while (serverSettings == null || !unacknowledgedSettings.isEmpty()) {
            H2Frame frame = nextFrameOrFail("the server's SETTINGS and the ACK of ours");
            if (!frame.is(SETTINGS) && !frame.is(WINDOW_UPDATE)) {
                throw new AssertionError("unexpected frame during the handshake: " + frame + recentFrames());
            }
        }
        return this;
    }

    /** The server's first SETTINGS frame, once read. */
    H2Frame serverSettings() {
        return serverSettings;
    }

    /** Whether to give back flow-control credit for every DATA frame received (default true). */
    void setAutoWindowUpdate(boolean value) {
        autoWindowUpdate = value;
    }

    void setReadTimeout(Duration timeout) throws SocketException {
        socket.setSoTimeout((int) timeout.toMillis());
    }

    // ------------------------------------------------------------------------------------------
    // Sending

    /** Writes octets as they are (one or more frames, or anything else). */
    void send(byte[] octets) throws IOException {
        synchronized (writeLock) {
            out.write(octets);
            out.flush();
        }
    }

    /** Writes several frames in one write. */
    void send(byte[]... frames) throws IOException {
        send(H2Frames.concat(frames));
    }

    /** Sends a SETTINGS frame whose HEADER_TABLE_SIZE, if any, applies to our decoder once acknowledged. */
    void sendSettings(int... idValuePairs) throws IOException {
        unacknowledgedSettings.add(idValuePairs);
        send(H2Frames.settings(idValuePairs));
    }

    /** The next client stream identifier (1, 3, 5, ...), RFC 9113 §5.1.1. */
    int newStreamId() {
        int id = nextStreamId;
        nextStreamId += 2;
        streamSendWindows.putIfAbsent(id, peerInitialWindowSize);
        return id;
    }

    /** Makes {@link #newStreamId()} continue above {@code streamId}, after a test used ids by hand. */
    void skipStreamIdsUpTo(int streamId) {
        while (nextStreamId <= streamId) {
            nextStreamId += 2;
        }
    }

    /** :method, :scheme http, :authority 127.0.0.1:port, :path, then (name, value) pairs. */
    List<Map.Entry<String, String>> requestFields(String method, String path, String... extraNameValuePairs) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        fields.add(Map.entry(":method", method));
        fields.add(Map.entry(":scheme", "http"));
        fields.add(Map.entry(":authority", authority));
        fields.add(Map.entry(":path", path));
        for (int i = 0; i < extraNameValuePairs.length; i += 2) {
            fields.add(Map.entry(extraNameValuePairs[i], extraNameValuePairs[i + 1]));
        }
        return fields;
    }

    /** Encodes a field block with this connection's HPACK encoder; the block must then be sent. */
    byte[] encode(List<Map.Entry<String, String>> fields) {
        HeaderBlockBuffer block = new HeaderBlockBuffer();
        encoder.encode(fields, block);
        return block.toByteArray();
    }

    /** Encodes a request header section; the block must then be sent. */
    byte[] requestBlock(String method, String path, String... extraNameValuePairs) {
        return encode(requestFields(method, path, extraNameValuePairs));
    }

    /** Starts a request on a new stream; returns the stream id. */
    int request(String method, String path, boolean endStream, String... extraNameValuePairs) throws IOException {
        int streamId = newStreamId();
        sendHeaders(streamId, requestBlock(method, path, extraNameValuePairs), endStream);
        return streamId;
    }

    /** HEADERS, then CONTINUATIONs if the block is larger than the server's SETTINGS_MAX_FRAME_SIZE. */
    void sendHeaders(int streamId, byte[] block, boolean endStream) throws IOException {
        int endStreamFlag = endStream ? FLAG_END_STREAM : 0;
        if (block.length <= peerMaxFrameSize) {
            send(H2Frames.headers(streamId, FLAG_END_HEADERS | endStreamFlag, block));
            return;
        }
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        frames.writeBytes(H2Frames.headers(streamId, endStreamFlag, Arrays.copyOfRange(block, 0, peerMaxFrameSize)));
        for (int offset = peerMaxFrameSize; offset < block.length; offset += peerMaxFrameSize) {
            int to = Math.min(block.length, offset + peerMaxFrameSize);
            frames.writeBytes(H2Frames.continuation(streamId, to == block.length ? FLAG_END_HEADERS : 0,
                    Arrays.copyOfRange(block, offset, to)));
        }
        send(frames.toByteArray());
    }

    /**
     * Sends DATA within the windows the server granted (RFC 9113 §6.9.1), in frames no larger than
     * its SETTINGS_MAX_FRAME_SIZE, waiting for WINDOW_UPDATEs when a window is exhausted.
     */
    void sendData(int streamId, byte[] data, boolean endStream) throws IOException {
        if (data.length == 0) {
            send(H2Frames.data(streamId, endStream ? FLAG_END_STREAM : 0, data));
            return;
        }
        streamSendWindows.putIfAbsent(streamId, peerInitialWindowSize);
        int offset = 0;
        while (offset < data.length) {
            long window = Math.min(connectionSendWindow, streamSendWindows.get(streamId));
            int chunk = (int) Math.min(Math.min(window, peerMaxFrameSize), data.length - offset);
            if (chunk <= 0) {
                awaitWindowUpdate(streamId);
                continue;
            }
            boolean last = offset + chunk == data.length;
            send(H2Frames.data(streamId, last && endStream ? FLAG_END_STREAM : 0,
                    Arrays.copyOfRange(data, offset, offset + chunk)));
            connectionSendWindow -= chunk;
            streamSendWindows.merge(streamId, (long) -chunk, Long::sum);
            offset += chunk;
        }
    }

    private void awaitWindowUpdate(int streamId) throws IOException {
        H2Frame frame = readFrameOrFail("a WINDOW_UPDATE to send more DATA on stream " + streamId
                + " (connection window " + connectionSendWindow + ", stream window " + streamSendWindows.get(streamId) + ")");
        if (frame.is(GOAWAY) || frame.is(RST_STREAM) && frame.streamId() == streamId) {
            throw new AssertionError("the server ended the upload on stream " + streamId + ": " + frame + recentFrames());
        }
        if (frame.streamId() != 0 && !frame.is(WINDOW_UPDATE)) {
            pending.addLast(frame);
        }
    }

    /** GET on a new stream, then its response. */
    H2Response get(String path, String... extraNameValuePairs) throws IOException {
        return readResponse(request("GET", path, true, extraNameValuePairs));
    }

    /** POST with a body on a new stream, then its response. */
    H2Response post(String path, byte[] body, String... extraNameValuePairs) throws IOException {
        int streamId = request("POST", path, false, extraNameValuePairs);
        sendData(streamId, body, true);
        return readResponse(streamId);
    }

    /** Sends PING with 8 random octets and waits for its ACK: proves the server still reads and answers. */
    void ping() throws IOException {
        byte[] opaque = new byte[8];
        ThreadLocalRandom.current().nextBytes(opaque);
        send(H2Frames.ping(0, opaque));
        expect(f -> f.is(PING) && f.ack() && Arrays.equals(f.payload(), opaque), "PING ACK",
                f -> f.is(GOAWAY));
    }

    /** A GET / on a new stream answers 200 "hello": the connection still serves requests. */
    void assertServes() throws IOException {
        H2Response response = get("/");
        if (response.status() != 200 || !response.bodyText().equals("hello")) {
            throw new AssertionError("GET / on a new stream did not answer 200 \"hello\": " + response + recentFrames());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Receiving

    /** The response on {@code streamId}: header section, DATA, trailers, up to END_STREAM or RST_STREAM. */
    H2Response readResponse(int streamId) throws IOException {
        List<H2Frame> others = new ArrayList<>();
        try {
            List<Map.Entry<String, String>> fields = null;
            List<Map.Entry<String, String>> trailers = List.of();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int dataFrames = 0;
            while (true) {
                H2Frame frame = nextFrameOrFail("the response on stream " + streamId);
                if (frame.streamId() != streamId) {
                    if (frame.is(GOAWAY)) {
                        // RFC 9113 §6.8: streams up to the last-stream-id of a graceful GOAWAY may complete.
                        if (frame.payload().length >= 8 && frame.errorCode() == H2Frames.NO_ERROR
                                && frame.lastStreamId() >= streamId) {
                            others.add(frame);
                            continue;
                        }
                        throw new AssertionError("the server sent " + frame + " while stream " + streamId
                                + " waited for its response" + recentFrames());
                    }
                    if (frame.streamId() != 0) {
                        others.add(frame);
                    }
                    continue;
                }
                switch (frame.type()) {
                    case HEADERS -> {
                        if (fields == null) {
                            String status = frame.field(":status");
                            if (status != null && status.startsWith("1") && status.length() == 3) {
                                continue; // RFC 9113 §8.1: informational responses precede the final one
                            }
                            fields = frame.fields();
                        } else {
                            trailers = frame.fields();
                        }
                    }
                    case DATA -> {
                        body.writeBytes(frame.data());
                        dataFrames++;
                    }
                    case RST_STREAM -> {
                        return new H2Response(streamId, fields == null ? List.of() : fields, body.toByteArray(),
                                trailers, dataFrames, frame.errorCode());
                    }
                    case WINDOW_UPDATE, H2Frames.PRIORITY -> {
                        continue;
                    }
                    default -> throw new AssertionError("unexpected frame on stream " + streamId + ": " + frame);
                }
                if (frame.endStream()) {
                    return new H2Response(streamId, fields == null ? List.of() : fields, body.toByteArray(),
                            trailers, dataFrames, -1);
                }
            }
        } finally {
            for (int i = others.size() - 1; i >= 0; i--) {
                pending.addFirst(others.get(i));
            }
        }
    }

    /**
     * Reads until a frame matches {@code wanted} and returns it. Frames of other streams met on
     * the way are kept for later reads; a frame matching {@code fatal} fails at once.
     */
    H2Frame expect(Predicate<H2Frame> wanted, String what, Predicate<H2Frame> fatal) throws IOException {
        List<H2Frame> others = new ArrayList<>();
        try {
            while (true) {
                H2Frame frame = nextFrameOrFail(what);
                if (wanted.test(frame)) {
                    return frame;
                }
                if (fatal.test(frame)) {
                    throw new AssertionError("expected " + what + " but got " + frame + recentFrames());
                }
                if (frame.streamId() != 0) {
                    others.add(frame);
                }
            }
        } finally {
            for (int i = others.size() - 1; i >= 0; i--) {
                pending.addFirst(others.get(i));
            }
        }
    }

    /**
     * A connection error (RFC 9113 §5.4.1): GOAWAY with {@code errorCode}, then the server closes
     * the connection. A RST_STREAM with an error first fails the test: that would be a stream error instead.
     */
    H2Frame expectGoAway(int errorCode) throws IOException {
        // RST_STREAM NO_ERROR may follow a response sent before the request ended (§8.1); any other is a stream error.
        H2Frame goAway = expect(f -> f.is(GOAWAY), "GOAWAY " + errorName(errorCode),
                f -> f.is(RST_STREAM) && f.errorCode() != H2Frames.NO_ERROR);
        if (goAway.payload().length < 8 || goAway.errorCode() != errorCode) {
            throw new AssertionError("expected GOAWAY " + errorName(errorCode) + " but got " + goAway + recentFrames());
        }
        expectClosed();
        return goAway;
    }

    /**
     * A stream error (RFC 9113 §5.4.2): RST_STREAM on {@code streamId} with {@code errorCode}.
     * A GOAWAY, or a response on that stream, fails the test.
     */
    H2Frame expectRstStream(int streamId, int errorCode) throws IOException {
        H2Frame reset = expect(f -> f.is(RST_STREAM) && f.streamId() == streamId,
                "RST_STREAM " + errorName(errorCode) + " on stream " + streamId,
                f -> f.is(GOAWAY) || f.streamId() == streamId && (f.is(HEADERS) || f.is(DATA)));
        if (reset.payload().length != 4 || reset.errorCode() != errorCode) {
            throw new AssertionError("expected RST_STREAM " + errorName(errorCode) + " on stream " + streamId
                    + " but got " + reset + recentFrames());
        }
        return reset;
    }

    /** The next GOAWAY, skipping any other frame (for floods, where the server may also reset streams). */
    H2Frame awaitGoAway() throws IOException {
        pending.clear();
        while (true) {
            H2Frame frame = readFrameOrFail("GOAWAY");
            if (frame.is(GOAWAY)) {
                return frame;
            }
        }
    }

    /** Reads until the server closes the connection; fails if it is still open after the read timeout. */
    void expectClosed() throws IOException {
        pending.clear();
        try {
            while (true) {
                readFrame();
            }
        } catch (EOFException | SocketException closed) {
            // closed (a reset also means closed: the server may close with our octets unread)
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection within " + READ_TIMEOUT + recentFrames());
        }
    }

    /** Whether the server closed the connection: reads (skipping frames) until end of stream or timeout. */
    boolean closesWithin(Duration timeout) throws IOException {
        pending.clear();
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            while (true) {
                readFrame();
            }
        } catch (EOFException | SocketException closed) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            }
        }
    }

    /**
     * Reads every frame that arrives until none has for {@code quiet} or the server closes the
     * connection; returns them (frames put aside earlier first). For checking what the server
     * sends, and that it then stops.
     */
    List<H2Frame> drain(Duration quiet) throws IOException {
        List<H2Frame> frames = new ArrayList<>(pending);
        pending.clear();
        socket.setSoTimeout((int) quiet.toMillis());
        try {
            while (true) {
                frames.add(readFrame());
            }
        } catch (SocketTimeoutException | EOFException | SocketException e) {
            return frames;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            }
        }
    }

    /**
     * Reads DATA of {@code streamId} until {@code expected} octets came (failing on a timeout,
     * GOAWAY or RST_STREAM), then every frame for {@code quiet} more; returns all the DATA octets
     * received on the stream, which a server honouring flow control keeps at {@code expected}.
     */
    int readDataThenQuiet(int streamId, int expected, Duration quiet) throws IOException {
        int received = 0;
        while (received < expected) {
            H2Frame frame = expect(f -> f.is(DATA) && f.streamId() == streamId,
                    "DATA on stream " + streamId + " (" + received + " of " + expected + " octets so far)",
                    f -> f.is(GOAWAY) || f.is(RST_STREAM));
            received += frame.data().length;
        }
        return received + dataOctets(streamId, drain(quiet));
    }

    /** The DATA octets on {@code streamId} among {@code frames}; a GOAWAY or RST_STREAM among them fails. */
    static int dataOctets(int streamId, List<H2Frame> frames) {
        int octets = 0;
        for (H2Frame frame : frames) {
            if (frame.is(GOAWAY) || frame.is(RST_STREAM)) {
                throw new AssertionError("unexpected " + frame + " among " + frames);
            }
            if (frame.streamId() == streamId && frame.is(DATA)) {
                octets += frame.data().length;
            }
        }
        return octets;
    }

    /**
     * Reads one frame from the socket (for HEADERS and PUSH_PROMISE: with its CONTINUATIONs) and
     * does a peer's bookkeeping for it.
     *
     * @throws EOFException when the server closed the connection
     * @throws SocketTimeoutException after the read timeout; nothing is lost, a later read resumes
     */
    H2Frame readFrame() throws IOException {
        ensure(9);
        int length = length(start);
        int type = buffer[start + 3] & 0xFF;
        int flags = buffer[start + 4] & 0xFF;
        int streamId = readInt(start + 5) & 0x7FFF_FFFF;
        ensure(9 + length);
        int total = 9 + length;
        ByteArrayOutputStream payload = new ByteArrayOutputStream(length);
        payload.write(buffer, start + 9, length);
        if ((type == HEADERS || type == PUSH_PROMISE) && (flags & FLAG_END_HEADERS) == 0) {
            // RFC 9113 §4.3: the block continues in CONTINUATION frames of the same stream, nothing between.
            while (true) {
                ensure(total + 9);
                int continuationLength = length(start + total);
                int continuationType = buffer[start + total + 3] & 0xFF;
                int continuationFlags = buffer[start + total + 4] & 0xFF;
                int continuationStream = readInt(start + total + 5) & 0x7FFF_FFFF;
                if (continuationType != CONTINUATION || continuationStream != streamId) {
                    throw new AssertionError("the server interleaved a " + H2Frames.typeName(continuationType)
                            + " frame on stream " + continuationStream + " into the field block of stream " + streamId);
                }
                ensure(total + 9 + continuationLength);
                payload.write(buffer, start + total + 9, continuationLength);
                total += 9 + continuationLength;
                if ((continuationFlags & FLAG_END_HEADERS) != 0) {
                    break;
                }
            }
            flags |= FLAG_END_HEADERS;
        }
        start += total;
        H2Frame frame = new H2Frame(type, flags, streamId, payload.toByteArray(),
                type == HEADERS ? decode(payload.toByteArray(), flags, streamId) : List.of());
        recent.addLast(frame);
        if (recent.size() > 20) {
            recent.removeFirst();
        }
        onFrame(frame);
        return frame;
    }

    private void onFrame(H2Frame frame) throws IOException {
        switch (frame.type()) {
            case SETTINGS -> {
                if (frame.ack()) {
                    int[] acknowledged = unacknowledgedSettings.pollFirst();
                    if (acknowledged != null) {
                        for (int i = 0; i < acknowledged.length; i += 2) {
                            if (acknowledged[i] == H2Frames.SETTINGS_HEADER_TABLE_SIZE) {
                                decoder.setMaxTableSize(acknowledged[i + 1]); // RFC 9113 §6.5.3: in force once acknowledged
                            }
                        }
                    }
                    return;
                }
                if (serverSettings == null) {
                    serverSettings = frame;
                }
                if (frame.payload().length % 6 == 0) {
                    for (Map.Entry<Integer, Long> setting : frame.settings().entrySet()) {
                        applyServerSetting(setting.getKey(), setting.getValue());
                    }
                }
                send(H2Frames.settingsAck());
            }
            case PING -> {
                if (!frame.ack() && frame.payload().length == 8) {
                    send(H2Frames.ping(FLAG_ACK, frame.payload()));
                }
            }
            case WINDOW_UPDATE -> {
                if (frame.payload().length == 4) {
                    if (frame.streamId() == 0) {
                        connectionSendWindow += frame.windowIncrement();
                    } else {
                        streamSendWindows.putIfAbsent(frame.streamId(), peerInitialWindowSize);
                        streamSendWindows.merge(frame.streamId(), (long) frame.windowIncrement(), Long::sum);
                    }
                }
            }
            case DATA -> {
                int credit = frame.payload().length;
                if (autoWindowUpdate && credit > 0) {
                    if (frame.endStream()) {
                        send(H2Frames.windowUpdate(0, credit));
                    } else {
                        send(H2Frames.windowUpdate(0, credit), H2Frames.windowUpdate(frame.streamId(), credit));
                    }
                }
            }
            default -> { }
        }
    }

    private void applyServerSetting(int id, long value) {
        switch (id) {
            case H2Frames.SETTINGS_INITIAL_WINDOW_SIZE -> {
                long delta = value - peerInitialWindowSize; // RFC 9113 §6.9.2: applies to every open stream
                streamSendWindows.replaceAll((stream, window) -> window + delta);
                peerInitialWindowSize = value;
            }
            case H2Frames.SETTINGS_MAX_FRAME_SIZE -> peerMaxFrameSize = (int) value;
            case H2Frames.SETTINGS_HEADER_TABLE_SIZE -> encoder.setMaxTableSize((int) Math.min(value, Integer.MAX_VALUE));
            default -> { }
        }
    }

    private List<Map.Entry<String, String>> decode(byte[] payload, int flags, int streamId) {
        int from = 0;
        int to = payload.length;
        if ((flags & FLAG_PADDED) != 0) {
            from = 1;
            to -= payload[0] & 0xFF;
        }
        if ((flags & FLAG_PRIORITY) != 0) {
            from += 5;
        }
        if (from > to) {
            throw new AssertionError("the server sent a HEADERS frame with bad padding on stream " + streamId);
        }
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        try {
            decoder.decode(Arrays.copyOfRange(payload, from, to),
                    HeaderSink.ofStrings((name, value, neverIndexed) -> fields.add(Map.entry(name, value))));
        } catch (HpackException e) {
            throw new AssertionError("the server sent an undecodable field block on stream " + streamId + ": "
                    + e.getMessage(), e);
        }
        return List.copyOf(fields);
    }

    private H2Frame nextFrameOrFail(String what) throws IOException {
        H2Frame frame = pending.pollFirst();
        return frame != null ? frame : readFrameOrFail(what);
    }

    private H2Frame readFrameOrFail(String what) throws IOException {
        try {
            return readFrame();
        } catch (EOFException | SocketException e) {
            throw new AssertionError("the connection closed (" + e.getMessage() + ") while waiting for " + what
                    + recentFrames(), e);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("nothing came within " + READ_TIMEOUT + " while waiting for " + what
                    + recentFrames(), e);
        }
    }

    /** The last frames read, for failure messages. */
    String recentFrames() {
        StringBuilder s = new StringBuilder("\nlast frames received:");
        if (recent.isEmpty()) {
            s.append(" none");
        }
        for (H2Frame frame : recent) {
            s.append("\n  ").append(frame);
        }
        return s.toString();
    }

    private void ensure(int count) throws IOException {
        if (end - start >= count) {
            return;
        }
        if (buffer.length - start < count) {
            byte[] larger = buffer.length >= count ? buffer : new byte[Math.max(count, buffer.length * 2)];
            System.arraycopy(buffer, start, larger, 0, end - start);
            end -= start;
            start = 0;
            buffer = larger;
        }
        while (end - start < count) {
            int n = in.read(buffer, end, buffer.length - end);
            if (n < 0) {
                throw new EOFException("end of stream");
            }
            end += n;
        }
    }

    private int length(int offset) {
        return ((buffer[offset] & 0xFF) << 16) | ((buffer[offset + 1] & 0xFF) << 8) | (buffer[offset + 2] & 0xFF);
    }

    private int readInt(int offset) {
        return ((buffer[offset] & 0xFF) << 24) | ((buffer[offset + 1] & 0xFF) << 16)
                | ((buffer[offset + 2] & 0xFF) << 8) | (buffer[offset + 3] & 0xFF);
    }

    /** Half-closes our side: the server reads end of stream. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
