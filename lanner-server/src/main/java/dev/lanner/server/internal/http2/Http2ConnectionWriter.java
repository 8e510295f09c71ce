package dev.lanner.server.internal.http2;

import dev.lanner.http.HttpHeaders;
import dev.lanner.http.RequestAbortedException;
import dev.lanner.http.server.core.EndOfContent;
import dev.lanner.http.server.core.ResponseFraming;
import dev.lanner.server.internal.http2.flow.OutputFlowWindow;
import dev.lanner.server.internal.http2.hpack.HeaderBlockBuffer;
import dev.lanner.server.internal.http2.hpack.HpackEncoder;
import dev.lanner.server.internal.infrastructure.ServerContext;
import dev.lanner.server.transport.TransportConnection;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Everything one connection sends (Helidon's {@code Http2ConnectionWriter}): it owns the write lock and,
 * behind it, the frame buffer, the HPACK encoder (whose state must follow the order of header blocks on
 * the wire, RFC 7541 §2.2), the connection's send window and the streams blocked on it (RFC 9113 §6.9),
 * the settings the client announced, and GOAWAY. Every method takes the lock itself, so no caller ever
 * holds it; frames of all streams leave in as few transport writes as a batch allows: the reader thread
 * flushes once per batch of input ({@link #flush}), any other thread after each call. Called by the
 * connection's reader thread, the streams' application threads and the heartbeat (which only ever
 * tries the lock).
 */
final class Http2ConnectionWriter {

    /** A blocking writer waits while this much of its stream's response is queued behind flow control. */
    static final int MAX_QUEUED_RESPONSE = 64 * 1024;
    /** Frames buffered beyond this go out before more are framed. */
    private static final int MAX_BATCH = 256 * 1024;
    /** The frame buffer shrinks back to this after a burst. */
    private static final int RETAINED_BUFFER = 64 * 1024;
    /** What an idle connection keeps of its frame buffer (a SETTINGS ACK, a PING, a small HEADERS fit). */
    static final int IDLE_BUFFER = 256;
    private static final byte[] NO_BYTES = new byte[0];
    private static final byte[] PING_PAYLOAD = new byte[8];

    /** Whether the connection may still send, and whether it announced its end. */
    enum Phase {
        /** Serving. */
        OPEN,
        /** GOAWAY sent (RFC 9113 §6.8): streams up to its last id finish, later ones are ignored. */
        GOING_AWAY,
        /** Nothing more is written (GOAWAY and FIN sent, or the transport failed). */
        CLOSED
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition windowOpened = lock.newCondition();
    private final ServerContext server;
    private final TransportConnection transport;
    private final Http2Connection connection;
    private final Http2FrameWriter out = new Http2FrameWriter(16 * 1024);
    private final HpackEncoder encoder = new HpackEncoder();
    private final HeaderBlockBuffer headerScratch = new HeaderBlockBuffer(256);
    private final ResponseFraming framing = new ResponseFraming();
    private final OutputFlowWindow connectionWindow = new OutputFlowWindow(Http2PeerSettings.DEFAULT_WINDOW);
    private final Http2PeerSettings peer = new Http2PeerSettings();
    private final ArrayDeque<Http2Stream> blocked = new ArrayDeque<>();
    private final boolean addServerHeader;
    private Thread readerThread;
    private volatile Phase phase = Phase.OPEN;
    private int goAwayLastStreamId = Integer.MAX_VALUE;
    /** When streams started waiting on a closed window (0: none waits): the heartbeat's stall clock. */
    private volatile long stalledSinceNanos;
    /** When the transport write in progress started (0: none), and its size: the heartbeat's rate check. */
    private volatile long writeStartedNanos;
    private volatile long bytesInWrite;

    Http2ConnectionWriter(ServerContext server, TransportConnection transport, Http2Connection connection) {
        this.server = server;
        this.transport = transport;
        this.connection = connection;
        this.addServerHeader = server.options().addServerHeader();
    }

    /** The thread that reads the connection: its writes wait for the end of its batch. */
    void setReaderThread(Thread reader) {
        this.readerThread = reader;
    }

    boolean onReaderThread() {
        return Thread.currentThread() == readerThread;
    }

    /** The client's SETTINGS_INITIAL_WINDOW_SIZE, for a new stream's send window (reader thread). */
    long peerInitialWindowSize() {
        return peer.initialWindowSize;
    }

    Phase phase() {
        return phase;
    }

    boolean isClosed() {
        return phase == Phase.CLOSED;
    }

    /** The last stream id of the GOAWAY sent, or {@link Integer#MAX_VALUE}. */
    int goAwayLastStreamId() {
        lock.lock();
        try {
            return goAwayLastStreamId;
        } finally {
            lock.unlock();
        }
    }

    long stalledSinceNanos() {
        return stalledSinceNanos;
    }

    long writeStartedNanos() {
        return writeStartedNanos;
    }

    long bytesInWrite() {
        return bytesInWrite;
    }

    // --- connection frames ---

    /** The server's connection preface: SETTINGS, and a WINDOW_UPDATE for a larger connection window (§3.4, §6.9.2). */
    void sendPreface(int[] settings, int connectionWindowIncrement) throws IOException {
        lock.lock();
        try {
            out.settings(settings);
            if (connectionWindowIncrement > 0) {
                out.windowUpdate(0, connectionWindowIncrement);
            }
            writeOut();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies the client's SETTINGS (§6.5.3) and acknowledges them; a changed initial window moves every
     * open stream's send window (§6.9.2) and may release blocked streams.
     */
    void applySettings(byte[] buf, int offset, int length, Collection<Http2Stream> streams) throws Http2ConnectionException {
        lock.lock();
        try {
            for (int i = offset; i < offset + length; i += 6) {
                int id = (buf[i] & 0xff) << 8 | (buf[i + 1] & 0xff);
                long value = Http2FrameReader.readInt(buf, i + 2) & 0xffffffffL;
                Http2PeerSettings.validate(id, value);
                switch (id) {
                    case Http2PeerSettings.HEADER_TABLE_SIZE -> {
                        peer.headerTableSize = value;
                        encoder.setMaxTableSize((int) Math.min(value, HpackEncoder.DEFAULT_TABLE_SIZE));
                    }
                    case Http2PeerSettings.INITIAL_WINDOW_SIZE -> {
                        long delta = value - peer.initialWindowSize;
                        peer.initialWindowSize = value;
                        for (Http2Stream s : streams) {
                            if (!s.outputWindow.adjust(delta)) {
                                throw new Http2ConnectionException(Http2ErrorCode.FLOW_CONTROL_ERROR,
                                        "SETTINGS_INITIAL_WINDOW_SIZE makes stream " + s.id + "'s window exceed 2^31-1"); // §6.9.2
                            }
                        }
                    }
                    case Http2PeerSettings.MAX_FRAME_SIZE -> peer.maxFrameSize = (int) value;
                    case Http2PeerSettings.MAX_HEADER_LIST_SIZE -> peer.maxHeaderListSize = value;
                    default -> {
                        // ENABLE_PUSH: the server never pushes; MAX_CONCURRENT_STREAMS: it opens none.
                    }
                }
            }
            out.settingsAck();
            drainBlocked();
            windowOpened.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Answers a PING (§6.7). */
    void pingAck(byte[] buf, int offset) {
        lock.lock();
        try {
            out.ping(true, buf, offset);
        } finally {
            lock.unlock();
        }
    }

    /** A keep-alive PING from the heartbeat; false when the lock is busy (the next beat tries again). */
    boolean tryKeepAlivePing() {
        if (!lock.tryLock()) {
            return false;
        }
        try {
            out.ping(false, PING_PAYLOAD, 0);
            writeOut();
            return true;
        } catch (IOException e) {
            markClosed();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** WINDOW_UPDATE on the connection: more may be sent (§6.9.1). */
    void connectionWindowUpdate(int increment) throws Http2ConnectionException {
        lock.lock();
        try {
            if (!connectionWindow.adjust(increment)) {
                throw new Http2ConnectionException(Http2ErrorCode.FLOW_CONTROL_ERROR, "connection window above 2^31-1"); // §6.9.1
            }
            drainBlocked();
            windowOpened.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** WINDOW_UPDATE on a stream; false when its window would exceed 2^31-1 (a stream error, §6.9.1). */
    boolean streamWindowUpdate(Http2Stream stream, int increment) {
        lock.lock();
        try {
            if (!stream.outputWindow.adjust(increment)) {
                return false;
            }
            drain(stream);
            windowOpened.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Gives receive credit back (§6.9); either increment may be 0. */
    void windowUpdates(int connectionIncrement, int streamId, int streamIncrement) {
        lock.lock();
        try {
            if (connectionIncrement > 0) {
                out.windowUpdate(0, connectionIncrement);
            }
            if (streamIncrement > 0) {
                out.windowUpdate(streamId, streamIncrement);
            }
        } finally {
            lock.unlock();
        }
        flushIfNotReader();
    }

    /** RST_STREAM for a stream that has no {@link Http2Stream} (refused, or never admitted). */
    void rstStream(int streamId, Http2ErrorCode code) {
        lock.lock();
        try {
            out.rstStream(streamId, code);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks {@code stream} reset (by the server or the client) and drops its queued response octets;
     * false when it was reset already. The caller then tells the application and, for a server reset,
     * sends the RST_STREAM ({@link #rstStream}), so that the application hears of it first.
     */
    boolean reset(Http2Stream stream, boolean byServer) {
        lock.lock();
        try {
            if (!stream.markReset(byServer)) {
                return false;
            }
            stream.clearPending();
            blocked.remove(stream);
            windowOpened.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    // --- responses ---

    /**
     * Sends the response head of {@code stream}, framed as {@link ResponseFraming} decides; with
     * {@code complete}, the whole response (what is queued, then END_STREAM or trailers).
     */
    void writeHead(Http2Stream s, boolean complete) throws IOException {
        lock.lock();
        try {
            if (s.isReset()) {
                throw new RequestAbortedException("the stream was reset");
            }
            if (s.progress != Http2Stream.Progress.NOT_STARTED) {
                return;
            }
            HttpHeaders headers = s.response.headers();
            boolean hasTrailers = s.hasTrailers();
            EndOfContent end = framing.decide(ResponseFraming.Protocol.HTTP_2, s.response.statusCode(), s.isHead(), s.isConnect(),
                    headers.get("content-length"), null, null, true, complete, s.pendingLength(), hasTrailers);
            s.progress = complete ? Http2Stream.Progress.ENDED : Http2Stream.Progress.HEAD_SENT;
            s.endOfContent = end;
            encodeHead(s.response.statusCode(), headers);
            s.response.markStarted(); // what went out cannot change any more
            if (end == EndOfContent.NONE) {
                s.clearPending();
            }
            int queued = s.pendingLength();
            boolean endNow = complete && queued == 0 && !hasTrailers;
            out.headers(s.id, headerScratch, endNow, peer.maxFrameSize);
            if (endNow) {
                localEnd(s);
            } else if (complete || queued > 0) {
                drain(s);
            }
        } finally {
            lock.unlock();
        }
        flushIfNotReader();
    }

    private void encodeHead(int status, HttpHeaders headers) {
        headerScratch.clear();
        encoder.startBlock(headerScratch);
        encoder.encodeHeader(":status", statusText(status), false, headerScratch);
        boolean hasDate = false;
        boolean hasServer = false;
        for (int i = 0, n = headers.size(); i < n; i++) {
            String lower = lowerCase(headers.nameAt(i));
            if (Http2RequestHeaderValidator.isConnectionSpecific(lower)) {
                continue; // §8.2.2: not carried by HTTP/2
            }
            switch (lower) {
                case "date" -> hasDate = true;
                case "server" -> hasServer = true;
                case "content-length" -> {
                    if (framing.dropContentLength()) {
                        continue;
                    }
                }
                default -> { }
            }
            encoder.encodeHeader(lower, headers.valueAt(i), false, headerScratch);
        }
        if (!hasDate) {
            encoder.encodeHeader("date", server.date().value(), false, headerScratch);
        }
        if (!hasServer && addServerHeader) {
            encoder.encodeHeader("server", "Lanner", false, headerScratch);
        }
        if (framing.addContentLength()) {
            encoder.encodeHeader("content-length", Long.toString(framing.contentLength()), false, headerScratch);
        }
    }

    /** Queues response octets and sends what the windows allow; a blocking writer waits while too much is queued. */
    void writeData(Http2Stream stream, byte[] b, int off, int len) throws IOException {
        boolean reader = onReaderThread();
        lock.lock();
        try {
            if (stream.isReset()) {
                throw new RequestAbortedException("the stream was reset");
            }
            stream.appendPending(b, off, len);
            drain(stream);
            if (!reader) {
                writeOut();
                while (stream.pendingLength() > MAX_QUEUED_RESPONSE && !stream.isReset() && phase != Phase.CLOSED) {
                    windowOpened.await(1, TimeUnit.SECONDS);
                }
                if (stream.isReset() || phase == Phase.CLOSED) {
                    throw new RequestAbortedException("the stream was reset");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the response");
        } finally {
            lock.unlock();
        }
    }

    /** The application completed a response whose head was already sent: END_STREAM after what is queued. */
    void endStream(Http2Stream stream) {
        lock.lock();
        try {
            if (stream.isReset() || stream.progress == Http2Stream.Progress.ENDED) {
                return;
            }
            stream.progress = Http2Stream.Progress.ENDED;
            drain(stream);
        } finally {
            lock.unlock();
        }
        flushIfNotReader();
    }

    /**
     * Frames queued octets of {@code stream} as far as both send windows and the peer's frame size allow
     * (§6.9, §4.2), then END_STREAM or trailers once everything is out and the application has ended.
     */
    private void drain(Http2Stream s) {
        if (s.isReset() || s.state().localEnded() || s.progress == Http2Stream.Progress.NOT_STARTED) {
            return;
        }
        boolean hasTrailers = s.hasTrailers();
        boolean ending = s.progress == Http2Stream.Progress.ENDED;
        while (s.pendingLength() > 0) {
            long window = Math.min(s.outputWindow.available(), connectionWindow.available());
            if (window <= 0) {
                if (!blocked.contains(s)) {
                    blocked.add(s);
                }
                if (stalledSinceNanos == 0) {
                    stalledSinceNanos = server.nowNanos();
                }
                return;
            }
            int n = (int) Math.min(Math.min(window, peer.maxFrameSize), s.pendingLength());
            boolean last = n == s.pendingLength() && ending && !hasTrailers;
            out.data(s.id, s.pending, s.pendingStart, n, last);
            s.pendingStart += n;
            s.outputWindow.consume(n);
            connectionWindow.consume(n);
            if (stalledSinceNanos != 0) {
                stalledSinceNanos = 0;
            }
            if (last) {
                s.clearPending();
                localEnd(s);
                return;
            }
            if (out.length() >= MAX_BATCH) {
                try {
                    writeOut();
                } catch (IOException e) {
                    markClosed();
                    return;
                }
            }
        }
        s.clearPending();
        if (ending) {
            if (hasTrailers) {
                headerScratch.clear();
                encoder.startBlock(headerScratch);
                HttpHeaders t = s.trailers;
                for (int i = 0, n = t.size(); i < n; i++) {
                    String lower = lowerCase(t.nameAt(i));
                    if (!Http2RequestHeaderValidator.isConnectionSpecific(lower)) {
                        encoder.encodeHeader(lower, t.valueAt(i), false, headerScratch);
                    }
                }
                out.headers(s.id, headerScratch, true, peer.maxFrameSize);
            } else {
                out.data(s.id, NO_BYTES, 0, 0, true);
            }
            localEnd(s);
        }
    }

    /** END_STREAM is queued for {@code stream} (§5.1: the server's side is closed). */
    private void localEnd(Http2Stream stream) {
        Http2StreamState now = stream.endStreamSent();
        blocked.remove(stream);
        windowOpened.signalAll();
        connection.onEndStreamQueued(stream, now);
    }

    /** Drains every stream waiting on a window. */
    private void drainBlocked() {
        int n = blocked.size();
        for (int i = 0; i < n && !blocked.isEmpty(); i++) {
            drain(blocked.poll());
        }
    }

    /** Whether no stream waits on a window; false when the lock is busy (heartbeat). */
    boolean tryBlockedIsEmpty() {
        if (!lock.tryLock()) {
            return false;
        }
        try {
            return blocked.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    // --- writing out ---

    /** Writes what is buffered (the reader, once per batch of input). */
    void flush() throws IOException {
        lock.lock();
        try {
            writeOut();
        } finally {
            lock.unlock();
        }
    }

    /** Writes what is buffered unless the caller is the reader, which flushes once per batch. */
    void flushIfNotReader() {
        if (!onReaderThread()) {
            flushQuietly();
        }
    }

    /** Writes what is buffered; a failed write closes the writer (the reader finds out on its next read). */
    void flushQuietly() {
        lock.lock();
        try {
            writeOut();
        } catch (IOException e) {
            markClosed();
        } finally {
            lock.unlock();
        }
    }

    /**
     * While the connection is idle (the heartbeat): an empty frame buffer shrinks to {@link #IDLE_BUFFER}, so an
     * idle connection holds 16 KiB less; the next frames grow it again. Never waits for a writer.
     */
    void trimWhileIdle() {
        if (!lock.tryLock()) {
            return;
        }
        try {
            if (out.isEmpty()) {
                out.trim(IDLE_BUFFER);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The frame buffer's capacity; for tests. */
    int bufferCapacity() {
        return out.capacity();
    }

    private void writeOut() throws IOException {
        if (out.isEmpty() || phase == Phase.CLOSED) {
            return;
        }
        writeStartedNanos = server.nowNanos();
        bytesInWrite = out.length();
        try {
            transport.write(out.asByteBuffer());
        } finally {
            writeStartedNanos = 0;
        }
        out.clear();
        out.trim(RETAINED_BUFFER);
    }

    // --- ending ---

    /** GOAWAY with {@code code}, then FIN; nothing is written after (§5.4.1, §6.8). */
    void goAwayAndClose(Http2ErrorCode code, String message, int lastStreamId) {
        lock.lock();
        try {
            if (phase != Phase.CLOSED) {
                out.goAway(lastStreamId, code, message == null ? NO_BYTES : message.getBytes(StandardCharsets.UTF_8));
                goAwayLastStreamId = Math.min(goAwayLastStreamId, lastStreamId);
                writeOut();
                transport.shutdownOutput();
            }
        } catch (IOException e) {
            // the client is gone; closing anyway
        } finally {
            markClosed();
            lock.unlock();
        }
    }

    /** {@link #goAwayAndClose} from the heartbeat, which never waits for the lock; false when it was busy. */
    boolean tryGoAwayAndClose(Http2ErrorCode code, String message, int lastStreamId) {
        if (!lock.tryLock()) {
            return false;
        }
        try {
            goAwayAndClose(code, message, lastStreamId);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** A graceful drain: GOAWAY NO_ERROR; streams up to {@code lastStreamId} finish (§6.8). */
    void gracefulGoAway(int lastStreamId) {
        lock.lock();
        try {
            if (phase != Phase.OPEN) {
                return;
            }
            phase = Phase.GOING_AWAY;
            goAwayLastStreamId = lastStreamId;
            out.goAway(lastStreamId, Http2ErrorCode.NO_ERROR, NO_BYTES);
            writeOut();
        } catch (IOException e) {
            markClosed();
        } finally {
            lock.unlock();
        }
    }

    /** Nothing more is written; blocked writers wake and fail. */
    void markClosed() {
        lock.lock();
        try {
            phase = Phase.CLOSED;
            windowOpened.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Closed without the lock (the heartbeat aborting a connection whose writer is stuck in a write). */
    void markClosedNow() {
        phase = Phase.CLOSED;
    }

    private static String statusText(int status) {
        return switch (status) {
            case 200 -> "200";
            case 204 -> "204";
            case 304 -> "304";
            case 404 -> "404";
            case 500 -> "500";
            default -> Integer.toString(status);
        };
    }

    private static String lowerCase(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return name.toLowerCase(Locale.ROOT);
            }
        }
        return name;
    }
}
