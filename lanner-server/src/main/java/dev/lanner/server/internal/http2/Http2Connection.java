package dev.lanner.server.internal.http2;

import static dev.lanner.server.internal.http2.Http2FrameType.*;

import dev.lanner.http.BadHttpRequestException;
import dev.lanner.http.HttpHeaders;
import dev.lanner.http.RequestAbortedException;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.MinDataRate;
import dev.lanner.http.features.ResponseCallback;
import dev.lanner.http.server.HttpApplication;
import dev.lanner.server.ConnectionContext;
import dev.lanner.server.Http2Limits;
import dev.lanner.server.ServerLimits;
import dev.lanner.server.internal.http2.hpack.HeaderBlockBuffer;
import dev.lanner.server.internal.http2.hpack.HpackDecoder;
import dev.lanner.server.internal.http2.hpack.HpackEncoder;
import dev.lanner.server.internal.http2.hpack.HpackException;
import dev.lanner.server.internal.infrastructure.Heartbeat;
import dev.lanner.server.internal.infrastructure.ServerContext;
import dev.lanner.server.internal.infrastructure.TimedConnection;
import dev.lanner.server.transport.TransportConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/2 connection (RFC 9113) in the straight-line style: this connection's virtual thread
 * reads and handles frames one after the other; each stream's application runs either right
 * there (non-blocking applications, once the request is complete) or on a virtual thread of its
 * own. Everything written — frames of every stream and of the connection — goes through one
 * {@link Http2FrameWriter} under {@link #writeLock} and leaves in as few transport writes as the
 * batch allows: the reader flushes once per batch of input, other threads after each write.
 */
public final class Http2Connection implements TimedConnection {

    private static final Logger log = LoggerFactory.getLogger(Http2Connection.class);

    /** RFC 9113 §3.4. */
    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Request bodies up to this size are collected before a non-blocking application runs inline. */
    private static final int INLINE_BODY_LIMIT = 64 * 1024;
    /** A blocking writer waits when this much of its stream's response is queued behind flow control. */
    private static final int MAX_QUEUED_RESPONSE = 64 * 1024;
    /** More CONTINUATION frames than this for one header block is a flood (RFC 9113 §10.5). */
    private static final int MAX_CONTINUATION_FRAMES = 32;
    /** Streams refused, reset or answered-before-finishing that the client may cause: token bucket. */
    private static final int RESET_BUDGET = 200;
    private static final double RESET_REFILL_PER_SECOND = 200.0 / 30;
    /** SETTINGS, PING, PRIORITY and empty DATA frames: token bucket (RFC 9113 §10.5). */
    private static final int CONTROL_BUDGET = 1000;
    private static final double CONTROL_REFILL_PER_SECOND = 100;
    /** Closed stream ids remembered to tell STREAM_CLOSED from PROTOCOL_ERROR, and frames to ignore. */
    private static final int REMEMBERED_CLOSED = 512;

    private static final byte[] NO_BYTES = new byte[0];

    private final ServerContext server;
    private final ServerLimits limits;
    private final Http2Limits h2;
    private final ConnectionContext connection;
    private final TransportConnection transport;
    private final HttpApplication<Object> application;
    private final Heartbeat heartbeat;
    private final String connectionId;
    private final String scheme;
    private InetAddress remoteAddress;
    private int remotePort;
    private final InetAddress localAddress;
    private final int localPort;

    // Reader state (this connection's thread only).
    private byte[] in;
    private int inStart;
    private int inEnd;
    private final HpackDecoder decoder;
    private final Map<Integer, Http2Stream> streams = new ConcurrentHashMap<>();
    private volatile int highestStreamId;
    private final ClosedStreams closedStreams = new ClosedStreams();
    private volatile int headerBlockStreamId;
    private int headerBlockFlags;
    private int continuationFrames;
    private Http2ErrorCode headerBlockStreamError;
    private byte[] headerBlock = new byte[1024];
    private int headerBlockLength;
    private final int maxHeaderBlock;
    private final InputFlowWindowGuarded connectionInput;
    private final TokenBucket resetBudget = new TokenBucket(RESET_BUDGET, RESET_REFILL_PER_SECOND);
    private final TokenBucket controlBudget = new TokenBucket(CONTROL_BUDGET, CONTROL_REFILL_PER_SECOND);
    private Thread readerThread;
    private final RequestHeaderSink requestSink = new RequestHeaderSink();
    /** Streams reset (either side) whose application has not returned yet. */
    private final java.util.concurrent.atomic.AtomicInteger resetButRunning = new java.util.concurrent.atomic.AtomicInteger();

    // Writer state, guarded by writeLock.
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Condition windowOpened = writeLock.newCondition();
    private final Http2FrameWriter out = new Http2FrameWriter(16 * 1024);
    private final HpackEncoder encoder = new HpackEncoder();
    private final HeaderBlockBuffer headerScratch = new HeaderBlockBuffer(256);
    private final dev.lanner.server.internal.http2.flow.OutputFlowWindow connectionOutput =
            new dev.lanner.server.internal.http2.flow.OutputFlowWindow(Http2PeerSettings.DEFAULT_WINDOW);
    private final Http2PeerSettings peer = new Http2PeerSettings();
    private final ArrayDeque<Http2Stream> blocked = new ArrayDeque<>();
    private boolean goAwaySent;
    private int goAwayLastStreamId = Integer.MAX_VALUE;
    private volatile boolean closed;

    // Heartbeat-visible state.
    private volatile long idleSinceNanos;
    private volatile long headerBlockStartNanos;
    private volatile long stalledSinceNanos;
    private volatile long writeStartedNanos;
    private volatile long bytesWrittenInWrite;
    private volatile boolean peerGoingAway;
    private volatile long lastReadNanos;
    private volatile long keepAlivePingSentNanos;

    @SuppressWarnings("unchecked")
    public Http2Connection(ServerContext server, ConnectionContext connection, HttpApplication<?> application,
                           Heartbeat heartbeat) {
        this.server = server;
        this.limits = server.options().limits();
        this.h2 = server.options().http2();
        this.connection = connection;
        this.transport = connection.transport();
        this.application = (HttpApplication<Object>) application;
        this.heartbeat = heartbeat;
        this.connectionId = connection.id();
        this.scheme = connection.features().get(dev.lanner.http.features.TlsConnectionFeature.class) != null ? "https" : "http";
        if (connection.localAddress() instanceof InetSocketAddress local) {
            this.localAddress = local.getAddress();
            this.localPort = local.getPort();
        } else {
            this.localAddress = null;
            this.localPort = 0;
        }
        if (connection.remoteAddress() instanceof InetSocketAddress remote) {
            this.remoteAddress = remote.getAddress();
            this.remotePort = remote.getPort();
        }
        this.in = new byte[Math.max(16 * 1024, h2.maxFrameSize()) + HEADER_LENGTH];
        int maxList = limits.maxRequestHeadersTotalSize();
        this.decoder = new HpackDecoder(maxList, Math.max(maxList, h2.maxRequestHeaderFieldSize()));
        this.decoder.setMaxTableSize(h2.headerTableSize());
        this.maxHeaderBlock = Math.max(64 * 1024, 2 * maxList);
        this.connectionInput = new InputFlowWindowGuarded(h2.initialConnectionWindowSize());
        this.idleSinceNanos = server.nowNanos();
        this.lastReadNanos = idleSinceNanos;
    }

    // --- accessors for streams ---

    FeatureCollection connectionFeatures() {
        return connection.features();
    }

    boolean allowSynchronousIO() {
        return server.options().allowSynchronousIO();
    }

    Long maxRequestBodySize() {
        return limits.maxRequestBodySize();
    }

    MinDataRate minResponseDataRate() {
        return limits.minResponseDataRate();
    }

    MinDataRate minRequestBodyDataRate() {
        return limits.minRequestBodyDataRate();
    }

    String connectionId() {
        return connectionId;
    }

    InetAddress remoteInetAddress() {
        return remoteAddress;
    }

    void setRemoteInetAddress(InetAddress address) {
        remoteAddress = address;
    }

    int remotePort() {
        return remotePort;
    }

    void setRemotePort(int port) {
        remotePort = port;
    }

    InetAddress localInetAddress() {
        return localAddress;
    }

    int localPort() {
        return localPort;
    }

    // --- the read loop ---

    /** Serves the connection until it ends. Never throws. */
    public void run() {
        readerThread = Thread.currentThread();
        heartbeat.register(this);
        try {
            if (!readPreface()) {
                return;
            }
            sendServerPreface();
            boolean first = true;
            while (true) {
                while (true) {
                    int available = inEnd - inStart;
                    if (available < HEADER_LENGTH) {
                        break;
                    }
                    int length = (in[inStart] & 0xff) << 16 | (in[inStart + 1] & 0xff) << 8 | (in[inStart + 2] & 0xff);
                    int type = in[inStart + 3] & 0xff;
                    if (first && type != SETTINGS) {
                        // RFC 9113 §3.4: the client preface ends with a SETTINGS frame.
                        throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR, "the connection preface must end with SETTINGS");
                    }
                    if (length > h2.maxFrameSize()) {
                        // RFC 9113 §4.2: larger than our SETTINGS_MAX_FRAME_SIZE.
                        throw new Http2ConnectionException(Http2ErrorCode.FRAME_SIZE_ERROR,
                                "frame of " + length + " octets exceeds SETTINGS_MAX_FRAME_SIZE " + h2.maxFrameSize());
                    }
                    if (available < HEADER_LENGTH + length) {
                        break;
                    }
                    first = false;
                    int flags = in[inStart + 4] & 0xff;
                    int streamId = ((in[inStart + 5] & 0x7f) << 24 | (in[inStart + 6] & 0xff) << 16
                            | (in[inStart + 7] & 0xff) << 8 | (in[inStart + 8] & 0xff));
                    int payload = inStart + HEADER_LENGTH;
                    inStart = payload + length;
                    handleFrame(type, flags, streamId, payload, length);
                }
                if (inStart == inEnd) {
                    inStart = 0;
                    inEnd = 0;
                } else if (inStart > 0 && in.length - inEnd < HEADER_LENGTH + h2.maxFrameSize()) {
                    System.arraycopy(in, inStart, in, 0, inEnd - inStart);
                    inEnd -= inStart;
                    inStart = 0;
                }
                flush();
                if (shouldClose()) {
                    return;
                }
                if (!fill()) {
                    return;
                }
            }
        } catch (Http2ConnectionException e) {
            log.debug("Connection {}: HTTP/2 connection error {}: {}", connectionId, e.errorCode(), e.getMessage());
            sendGoAwayAndClose(e.errorCode(), e.getMessage());
            lingerInput();
        } catch (IOException | RequestAbortedException e) {
            log.debug("Connection {} ended: {}", connectionId, e.toString());
        } catch (RuntimeException e) {
            log.warn("Connection {} failed", connectionId, e);
            sendGoAwayAndClose(Http2ErrorCode.INTERNAL_ERROR, "internal error");
        } finally {
            closeAll();
            heartbeat.unregister(this);
        }
    }

    /**
     * After GOAWAY and FIN, reads and drops what the client still sends for a moment: closing
     * with unread input would send a TCP reset, which can destroy the GOAWAY before it is read.
     */
    private void lingerInput() {
        Thread timer = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            shutdownInputQuietly();
        });
        try {
            long total = 0;
            while (total < 1 << 20) {
                int n = transport.read(ByteBuffer.wrap(in));
                if (n < 0) {
                    break;
                }
                total += n;
            }
        } catch (IOException ignored) {
            // the client is gone
        } finally {
            timer.interrupt();
        }
    }

    private boolean fill() throws IOException {
        int n = transport.read(ByteBuffer.wrap(in, inEnd, in.length - inEnd));
        if (n < 0) {
            return false;
        }
        inEnd += n;
        lastReadNanos = server.nowNanos();
        return true;
    }

    private boolean readPreface() throws IOException, Http2ConnectionException {
        while (inEnd < PREFACE.length) {
            if (!fill()) {
                return false;
            }
            int check = Math.min(inEnd, PREFACE.length);
            if (!Arrays.equals(in, 0, check, PREFACE, 0, check)) {
                throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR, "invalid connection preface");
            }
        }
        inStart = PREFACE.length;
        return true;
    }

    private void sendServerPreface() throws IOException {
        writeLock.lock();
        try {
            int[] settings = new int[12];
            int n = 0;
            if (h2.headerTableSize() != 4096) {
                settings[n++] = Http2PeerSettings.HEADER_TABLE_SIZE;
                settings[n++] = h2.headerTableSize();
            }
            settings[n++] = Http2PeerSettings.MAX_CONCURRENT_STREAMS;
            settings[n++] = h2.maxStreamsPerConnection();
            settings[n++] = Http2PeerSettings.INITIAL_WINDOW_SIZE;
            settings[n++] = h2.initialStreamWindowSize();
            if (h2.maxFrameSize() != 16_384) {
                settings[n++] = Http2PeerSettings.MAX_FRAME_SIZE;
                settings[n++] = h2.maxFrameSize();
            }
            settings[n++] = Http2PeerSettings.MAX_HEADER_LIST_SIZE;
            settings[n++] = limits.maxRequestHeadersTotalSize();
            out.settings(Arrays.copyOf(settings, n));
            int increment = h2.initialConnectionWindowSize() - Http2PeerSettings.DEFAULT_WINDOW;
            if (increment > 0) {
                out.windowUpdate(0, increment);
            }
            writeOut();
        } finally {
            writeLock.unlock();
        }
    }

    private boolean shouldClose() {
        if (closed) {
            return true;
        }
        if ((goAwaySent || peerGoingAway) && streams.isEmpty() && headerBlockStreamId == 0) {
            return true;
        }
        return false;
    }

    // --- frames ---

    private void handleFrame(int type, int flags, int streamId, int p, int length) throws IOException, Http2ConnectionException {
        if (headerBlockStreamId != 0 && type != CONTINUATION) {
            // RFC 9113 §4.3: a field block is contiguous; nothing else may come in between.
            throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR,
                    Http2FrameType.name(type) + " frame inside the header block of stream " + headerBlockStreamId);
        }
        switch (type) {
            case DATA -> onData(flags, streamId, p, length);
            case HEADERS -> onHeaders(flags, streamId, p, length);
            case PRIORITY -> onPriority(streamId, p, length);
            case RST_STREAM -> onRstStream(streamId, p, length);
            case SETTINGS -> onSettings(flags, streamId, p, length);
            case PUSH_PROMISE -> throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR,
                    "clients must not send PUSH_PROMISE"); // RFC 9113 §8.4
            case PING -> onPing(flags, streamId, p, length);
            case GOAWAY -> onGoAway(streamId, p, length);
            case WINDOW_UPDATE -> onWindowUpdate(streamId, p, length);
            case CONTINUATION -> onContinuation(flags, streamId, p, length);
            default -> {
                // RFC 9113 §4.1, §5.5: unknown frame types are ignored.
            }
        }
    }

    private void requireStream(int type, int streamId) throws Http2ConnectionException {
        if (streamId == 0) {
            throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR, Http2FrameType.name(type) + " on stream 0");
        }
    }

    private void requireConnection(int type, int streamId) throws Http2ConnectionException {
        if (streamId != 0) {
            throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR,
                    Http2FrameType.name(type) + " on stream " + streamId + " instead of 0");
        }
    }

    private boolean isIdle(int streamId) {
        return streamId > highestStreamId;
    }

    /** A frame for a stream that is no longer active: ignored if we reset it, else STREAM_CLOSED or PROTOCOL_ERROR. */
    private void onInactiveStream(int type, int streamId) throws Http2ConnectionException {
        if (closedStreams.resetByServer(streamId)) {
            return; // RFC 9113 §5.4.2: frames in flight after our RST_STREAM are ignored
        }
        if ((streamId & 1) == 1 && closedStreams.wasOpened(streamId)) {
            throw new Http2ConnectionException(Http2ErrorCode.STREAM_CLOSED,
                    Http2FrameType.name(type) + " on closed stream " + streamId); // RFC 9113 §5.1 "closed"
        }
        throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR,
                Http2FrameType.name(type) + " on stream " + streamId + ", which was never opened"); // RFC 9113 §5.1.1
    }

    private void onData(int flags, int streamId, int p, int length) throws IOException, Http2ConnectionException {
        requireStream(DATA, streamId);
        if (isIdle(streamId)) {
            throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR, "DATA on idle stream " + streamId);
        }
        int offset = p;
        int dataLength = length;
        if ((flags & FLAG_PADDED) != 0) {
            if (length < 1) {
                throw new Http2ConnectionException(Http2ErrorCode.FRAME_SIZE_ERROR, "padded DATA without a pad length");
            }
            int pad = in[p] & 0xff;
            if (pad >= length) {
                throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR, "DATA padding exceeds the payload"); // RFC 9113 §6.1
            }
            offset = p + 1;
            dataLength = length - 1 - pad;
        }
        // RFC 9113 §6.9: the whole payload, padding included, counts against the windows.
        if (!connectionInput.receive(length)) {
            throw new Http2ConnectionException(Http2ErrorCode.FLOW_CONTROL_ERROR, "DATA exceeds the connection window");
        }
        boolean endStream = (flags & FLAG_END_STREAM) != 0;
        if (length == 0 && !endStream) {
            spendControl("empty DATA frames");
        }
        Http2Stream stream = streams.get(streamId);
        if (stream == null || stream.reset) {
            giveBackConnectionWindow(length);
            if (stream == null) {
                onInactiveStream(DATA, streamId);
            } else if (!stream.resetByServer) {
                throw new Http2ConnectionException(Http2ErrorCode.STREAM_CLOSED, "DATA on stream " + streamId + " after its RST_STREAM");
            }
            return;
        }
        if (stream.remoteClosed) {
            giveBackConnectionWindow(length);
            streamError(stream, Http2ErrorCode.STREAM_CLOSED); // RFC 9113 §5.1 half-closed (remote)
            return;
        }
        if (!stream.inputWindow.receive(length)) {
            giveBackConnectionWindow(length);
            streamError(stream, Http2ErrorCode.FLOW_CONTROL_ERROR);
            return;
        }
        stream.receivedRequestBytes += dataLength;
        if (stream.declaredRequestLength >= 0 && (stream.receivedRequestBytes > stream.declaredRequestLength
                || (endStream && stream.receivedRequestBytes != stream.declaredRequestLength))) {
            giveBackConnectionWindow(length);
            streamError(stream, Http2ErrorCode.PROTOCOL_ERROR); // RFC 9113 §8.1.1: content-length mismatch
            return;
        }
        if (stream.exceedsBodyLimit()) {
            stream.bodyTooLarge = true;
        }
        stream.appendBody(in, offset, dataLength);
        int padding = length - dataLength;
        if (padding > 0) {
            onBodyConsumed(stream, padding);
        }
        if (endStream) {
            stream.remoteClosed = true;
            stream.wakeBodyReader();
            if (stream.localClosed) {
                closeStream(stream);
            }
        }
        if (!stream.dispatched) {
            if (endStream) {
                dispatch(stream, application.isNonBlocking());
            } else if (stream.bufferedBody() > INLINE_BODY_LIMIT) {
                dispatch(stream, false);
            }
        }
    }

    private void onHeaders(int flags, int streamId, int p, int length) throws IOException, Http2ConnectionException {
        requireStream(HEADERS, streamId);
        if ((streamId & 1) == 0) {
            throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR, "HEADERS on even stream " + streamId); // RFC 9113 §5.1.1
        }
        int offset = p;
        int end = p + length;
        if ((flags & FLAG_PADDED) != 0) {
            if (length < 1) {
                throw new Http2ConnectionException(Http2ErrorCode.FRAME_SIZE_ERROR, "padded HEADERS without a pad length");
            }
            int pad = in[p] & 0xff;
            offset++;
            end -= pad;
        }
        headerBlockStreamError = null;
        if ((flags & FLAG_PRIORITY) != 0) {
            if (end - offset < 5) {
                throw new Http2ConnectionException(Http2ErrorCode.FRAME_SIZE_ERROR, "HEADERS too short for its priority fields");
            }
            int dependency = (in[offset] & 0x7f) << 24 | (in[offset + 1] & 0xff) << 16 | (in[offset + 2] & 0xff) << 8 | (in[offset + 3] & 0xff);
            if (dependency == streamId) {
                headerBlockStreamError = Http2ErrorCode.PROTOCOL_ERROR; // RFC 9113 §5.3.1: a stream cannot depend on itself
            }
            offset += 5;
        }
        if (end < offset) {
            throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR, "HEADERS padding exceeds the payload"); // RFC 9113 §6.2
        }
        headerBlockLength = 0;
        continuationFrames = 0;
        appendHeaderBlock(offset, end - offset);
        headerBlockFlags = flags;
        if ((flags & FLAG_END_HEADERS) != 0) {
            endHeaderBlock(streamId);
        } else {
            headerBlockStreamId = streamId;
            headerBlockStartNanos = server.nowNanos();
        }
    }

    private void onContinuation(int flags, int streamId, int p, int length) throws IOException, Http2ConnectionException {
        if (headerBlockStreamId == 0 || streamId != headerBlockStreamId) {
            throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR,
                    "CONTINUATION on stream " + streamId + " without an open header block"); // RFC 9113 §6.10
        }
        if (++continuationFrames > MAX_CONTINUATION_FRAMES) {
            throw new Http2ConnectionException(Http2ErrorCode.ENHANCE_YOUR_CALM, "too many CONTINUATION frames");
        }
        appendHeaderBlock(p, length);
        if ((flags & FLAG_END_HEADERS) != 0) {
            headerBlockStreamId = 0;
            endHeaderBlock(streamId);
        }
    }

    private void appendHeaderBlock(int offset, int length) throws Http2ConnectionException {
        if (headerBlockLength + length > maxHeaderBlock) {
            // CONTINUATION flood (CVE-2024-27316 family): stop buffering.
            throw new Http2ConnectionException(Http2ErrorCode.ENHANCE_YOUR_CALM, "header block larger than " + maxHeaderBlock + " octets");
        }
        if (headerBlockLength + length > headerBlock.length) {
            headerBlock = Arrays.copyOf(headerBlock, Math.max(headerBlockLength + length, headerBlock.length * 2));
        }
        System.arraycopy(in, offset, headerBlock, headerBlockLength, length);
        headerBlockLength += length;
    }

    /** A complete header block for {@code streamId}: a new request, trailers, or something to refuse. */
    private void endHeaderBlock(int streamId) throws IOException, Http2ConnectionException {
        boolean endStream = (headerBlockFlags & FLAG_END_STREAM) != 0;
        Http2Stream existing = streams.get(streamId);
        if (existing != null) {
            onTrailers(existing, endStream);
            return;
        }
        if (streamId <= highestStreamId) {
            decodeDiscarding();
            onInactiveStream(HEADERS, streamId);
            return;
        }
        closedStreams.opened(highestStreamId, streamId);
        highestStreamId = streamId;
        if (goAwaySent && streamId > goAwayLastStreamId) {
            decodeDiscarding(); // RFC 9113 §6.8: streams above the GOAWAY's last id are not processed
            return;
        }
        Http2Stream stream = new Http2Stream(this, streamId, h2.initialStreamWindowSize(), peer.initialWindowSize);
        stream.scheme = scheme;
        requestSink.start(stream);
        decode(requestSink);
        idleSinceNanos = 0;
        if (streams.size() + resetButRunning.get() >= h2.maxStreamsPerConnection()) {
            // RFC 9113 §5.1.2: beyond SETTINGS_MAX_CONCURRENT_STREAMS. Streams reset by the client
            // whose application still runs count too, which bounds rapid reset (CVE-2023-44487).
            spendReset("streams refused");
            refuse(streamId, Http2ErrorCode.REFUSED_STREAM);
            return;
        }
        if (headerBlockStreamError != null) {
            refuse(streamId, headerBlockStreamError);
            return;
        }
        if (decoder.headerListTooLarge()) {
            // RFC 9113 §10.5.1: answer 431 and keep the connection (the HPACK state is intact).
            stream.method = stream.method == null ? "GET" : stream.method;
            answerWithoutApplication(stream, 431, endStream);
            return;
        }
        String malformed = requestSink.finish(endStream);
        if (malformed != null) {
            log.debug("Connection {}: malformed request on stream {}: {}", connectionId, streamId, malformed);
            refuse(streamId, Http2ErrorCode.PROTOCOL_ERROR); // RFC 9113 §8.1.1
            return;
        }
        if (stream.tooLargeDeclared) {
            answerWithoutApplication(stream, 413, endStream);
            return;
        }
        streams.put(streamId, stream);
        stream.remoteClosed = endStream;
        if (endStream) {
            dispatch(stream, application.isNonBlocking());
        } else if (!application.isNonBlocking()) {
            dispatch(stream, false);
        }
        // else: a non-blocking application runs once the request is complete, inline, or on a
        // virtual thread if more than INLINE_BODY_LIMIT octets arrive first (onData).

    }

    /** Answers a request the application never sees (431, 413), then stops its body if one is coming. */
    private void answerWithoutApplication(Http2Stream stream, int status, boolean endStream) throws IOException {
        synchronized (stream) {
            stream.dispatched = true;
        }
        streams.put(stream.id, stream);
        stream.remoteClosed = endStream;
        stream.resetResponseForError(status);
        stream.completeResponse();
        stream.appDone = true;
        if (!endStream) {
            resetStream(stream, Http2ErrorCode.NO_ERROR);
        } else if (stream.localClosed) {
            closeStream(stream);
        }
    }

    private void onTrailers(Http2Stream stream, boolean endStream) throws IOException, Http2ConnectionException {
        TrailerSink sink = new TrailerSink();
        decode(sink);
        if (stream.reset) {
            if (!stream.resetByServer) {
                throw new Http2ConnectionException(Http2ErrorCode.STREAM_CLOSED, "HEADERS on stream " + stream.id + " after its RST_STREAM");
            }
            return;
        }
        if (stream.remoteClosed) {
            streamError(stream, Http2ErrorCode.STREAM_CLOSED); // RFC 9113 §5.1 half-closed (remote)
            return;
        }
        if (!endStream || sink.malformed || headerBlockStreamError != null) {
            streamError(stream, headerBlockStreamError != null ? headerBlockStreamError : Http2ErrorCode.PROTOCOL_ERROR); // RFC 9113 §8.1
            return;
        }
        if (stream.declaredRequestLength >= 0 && stream.receivedRequestBytes != stream.declaredRequestLength) {
            streamError(stream, Http2ErrorCode.PROTOCOL_ERROR);
            return;
        }
        stream.remoteClosed = true;
        stream.wakeBodyReader();
        if (stream.localClosed) {
            closeStream(stream);
        }
        if (!stream.dispatched) {
            dispatch(stream, application.isNonBlocking());
        }
    }

    private void decode(dev.lanner.server.internal.http2.hpack.HeaderSink sink) throws Http2ConnectionException {
        try {
            decoder.decode(headerBlock, 0, headerBlockLength, sink);
        } catch (HpackException e) {
            // RFC 9113 §4.3: a field block that cannot be decompressed is a COMPRESSION_ERROR.
            throw new Http2ConnectionException(Http2ErrorCode.COMPRESSION_ERROR, e.getMessage());
        }
    }

    private void decodeDiscarding() throws Http2ConnectionException {
        decode((knownName, name, nameOffset, nameLength, knownValue, value, valueOffset, valueLength, neverIndexed) -> { });
    }

    private void onPriority(int streamId, int p, int length) throws IOException, Http2ConnectionException {
        requireStream(PRIORITY, streamId);
        spendControl("PRIORITY frames");
        if (length != 5) {
            // RFC 9113 §6.3: a stream error.
            resetById(streamId, Http2ErrorCode.FRAME_SIZE_ERROR);
            return;
        }
        int dependency = (in[p] & 0x7f) << 24 | (in[p + 1] & 0xff) << 16 | (in[p + 2] & 0xff) << 8 | (in[p + 3] & 0xff);
        if (dependency == streamId) {
            resetById(streamId, Http2ErrorCode.PROTOCOL_ERROR); // RFC 9113 §5.3.1
        }
        // Otherwise accepted and ignored: RFC 9113 §5.3.2 deprecates the priority scheme.
    }

    private void onRstStream(int streamId, int p, int length) throws Http2ConnectionException {
        requireStream(RST_STREAM, streamId);
        if (length != 4) {
            throw new Http2ConnectionException(Http2ErrorCode.FRAME_SIZE_ERROR, "RST_STREAM of " + length + " octets");
        }
        if (isIdle(streamId)) {
            throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR, "RST_STREAM on idle stream " + streamId); // RFC 9113 §6.4
        }
        Http2Stream stream = streams.get(streamId);
        if (stream == null || stream.reset) {
            return;
        }
        spendReset("stream resets");
        long code = readInt(p) & 0xffffffffL;
        log.debug("Connection {}: client reset stream {} ({})", connectionId, streamId, Http2ErrorCode.nameOf(code));
        markReset(stream, false);
    }

    private void onSettings(int flags, int streamId, int p, int length) throws IOException, Http2ConnectionException {
        requireConnection(SETTINGS, streamId);
        if ((flags & FLAG_ACK) != 0) {
            if (length != 0) {
                throw new Http2ConnectionException(Http2ErrorCode.FRAME_SIZE_ERROR, "SETTINGS ACK with a payload"); // RFC 9113 §6.5
            }
            return;
        }
        if (length % 6 != 0) {
            throw new Http2ConnectionException(Http2ErrorCode.FRAME_SIZE_ERROR, "SETTINGS length not a multiple of 6");
        }
        spendControl("SETTINGS frames");
        writeLock.lock();
        try {
            for (int i = p; i < p + length; i += 6) {
                int id = (in[i] & 0xff) << 8 | (in[i + 1] & 0xff);
                long value = readInt(i + 2) & 0xffffffffL;
                Http2PeerSettings.validate(id, value);
                switch (id) {
                    case Http2PeerSettings.HEADER_TABLE_SIZE -> {
                        peer.headerTableSize = value;
                        encoder.setMaxTableSize((int) Math.min(value, HpackEncoder.DEFAULT_TABLE_SIZE));
                    }
                    case Http2PeerSettings.INITIAL_WINDOW_SIZE -> {
                        long delta = value - peer.initialWindowSize;
                        peer.initialWindowSize = value;
                        for (Http2Stream s : streams.values()) {
                            if (!s.outputWindow.adjust(delta)) {
                                // RFC 9113 §6.9.2
                                throw new Http2ConnectionException(Http2ErrorCode.FLOW_CONTROL_ERROR,
                                        "SETTINGS_INITIAL_WINDOW_SIZE makes stream " + s.id + "'s window exceed 2^31-1");
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
            writeLock.unlock();
        }
    }

    private void onPing(int flags, int streamId, int p, int length) throws Http2ConnectionException {
        requireConnection(PING, streamId);
        if (length != 8) {
            throw new Http2ConnectionException(Http2ErrorCode.FRAME_SIZE_ERROR, "PING of " + length + " octets"); // RFC 9113 §6.7
        }
        if ((flags & FLAG_ACK) != 0) {
            keepAlivePingSentNanos = 0;
            return;
        }
        spendControl("PING frames");
        writeLock.lock();
        try {
            out.ping(true, in, p);
        } finally {
            writeLock.unlock();
        }
    }

    private void onGoAway(int streamId, int p, int length) throws Http2ConnectionException {
        requireConnection(GOAWAY, streamId);
        if (length < 8) {
            throw new Http2ConnectionException(Http2ErrorCode.FRAME_SIZE_ERROR, "GOAWAY of " + length + " octets");
        }
        long code = readInt(p + 4) & 0xffffffffL;
        log.debug("Connection {}: client sent GOAWAY ({})", connectionId, Http2ErrorCode.nameOf(code));
        peerGoingAway = true;
    }

    private void onWindowUpdate(int streamId, int p, int length) throws IOException, Http2ConnectionException {
        if (length != 4) {
            throw new Http2ConnectionException(Http2ErrorCode.FRAME_SIZE_ERROR, "WINDOW_UPDATE of " + length + " octets"); // RFC 9113 §6.9
        }
        int increment = readInt(p) & 0x7fffffff;
        if (streamId == 0) {
            if (increment == 0) {
                throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE with increment 0");
            }
            writeLock.lock();
            try {
                if (!connectionOutput.adjust(increment)) {
                    throw new Http2ConnectionException(Http2ErrorCode.FLOW_CONTROL_ERROR, "connection window above 2^31-1"); // §6.9.1
                }
                drainBlocked();
                windowOpened.signalAll();
            } finally {
                writeLock.unlock();
            }
            return;
        }
        if (isIdle(streamId)) {
            throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE on idle stream " + streamId);
        }
        Http2Stream stream = streams.get(streamId);
        if (stream == null || stream.reset) {
            return;
        }
        if (increment == 0) {
            streamError(stream, Http2ErrorCode.PROTOCOL_ERROR);
            return;
        }
        writeLock.lock();
        try {
            if (!stream.outputWindow.adjust(increment)) {
                writeLock.unlock();
                try {
                    streamError(stream, Http2ErrorCode.FLOW_CONTROL_ERROR);
                } finally {
                    writeLock.lock();
                }
                return;
            }
            drain(stream);
            windowOpened.signalAll();
        } finally {
            writeLock.unlock();
        }
    }

    private int readInt(int p) {
        return (in[p] & 0xff) << 24 | (in[p + 1] & 0xff) << 16 | (in[p + 2] & 0xff) << 8 | (in[p + 3] & 0xff);
    }

    private void spendControl(String what) throws Http2ConnectionException {
        if (!controlBudget.take(server.nowNanos())) {
            throw new Http2ConnectionException(Http2ErrorCode.ENHANCE_YOUR_CALM, "flood of " + what);
        }
    }

    private void spendReset(String what) throws Http2ConnectionException {
        if (!resetBudget.take(server.nowNanos())) {
            throw new Http2ConnectionException(Http2ErrorCode.ENHANCE_YOUR_CALM, "flood of " + what);
        }
    }

    // --- streams ---

    private void dispatch(Http2Stream stream, boolean inline) {
        synchronized (stream) {
            // The reader and the heartbeat (a body collected too slowly) may both hand a stream over.
            if (stream.dispatched) {
                return;
            }
            stream.dispatched = true;
        }
        if (inline) {
            runApplication(stream);
        } else {
            Thread.ofVirtual().name("lanner-h2 " + connectionId + "/" + stream.id).start(stream::runApplication);
        }
    }

    /** Runs the application for one stream, on whichever thread dispatch chose. */
    void runApplication(Http2Stream stream) {
        Object context = null;
        Throwable failure = null;
        try {
            context = application.createContext(stream.features);
            application.processRequest(context);
            stream.completeResponse();
        } catch (Throwable t) {
            failure = t;
            handleApplicationFailure(stream, t);
        }
        synchronized (stream) {
            stream.appDone = true;
            if (stream.countedAsRunningAfterReset) {
                stream.countedAsRunningAfterReset = false;
                resetButRunning.decrementAndGet();
            }
        }
        List<ResponseCallback> callbacks = stream.takeOnCompleted();
        if (callbacks != null) {
            for (int i = callbacks.size() - 1; i >= 0; i--) {
                try {
                    callbacks.get(i).run();
                } catch (Exception e) {
                    log.warn("onCompleted callback failed on connection {} stream {}", connectionId, stream.id, e);
                }
            }
        }
        if (context != null) {
            try {
                application.disposeContext(context, failure);
            } catch (RuntimeException e) {
                log.warn("disposeContext failed on connection {}", connectionId, e);
            }
        }
        if (stream.reset || !stream.localClosed) {
            // Reset: already closed. Not yet ended: the response is queued behind flow control and
            // the drain that sends its END_STREAM closes the stream.
            return;
        }
        if (!stream.remoteClosed) {
            // RFC 9113 §8.1: the response is complete; stop the rest of the request body.
            resetStream(stream, Http2ErrorCode.NO_ERROR);
        }
    }

    private void handleApplicationFailure(Http2Stream stream, Throwable t) {
        if (stream.reset || t instanceof RequestAbortedException) {
            return;
        }
        if (!stream.headSent) {
            if (t instanceof BadHttpRequestException) {
                log.debug("Bad request on connection {} stream {}: {}", connectionId, stream.id, t.getMessage());
            } else {
                log.error("Request failed on connection {} stream {} before the response started", connectionId, stream.id, t);
            }
            stream.resetResponseForError(t instanceof BadHttpRequestException bad ? bad.statusCode() : 500);
            try {
                stream.completeResponse();
                return;
            } catch (IOException | RuntimeException e) {
                // fall through to the reset
            }
        } else {
            log.error("Request failed on connection {} stream {} after the response started; resetting it",
                    connectionId, stream.id, t);
        }
        resetStream(stream, Http2ErrorCode.INTERNAL_ERROR);
    }

    /**
     * The stream is over on the wire (END_STREAM both ways, or a reset): it leaves the active set
     * and frees its concurrency slot at once (RFC 9113 §5.1.2). A reset stream whose application
     * still runs keeps counting against the limit until it returns, which bounds rapid reset
     * (CVE-2023-44487).
     */
    private void closeStream(Http2Stream stream) {
        if (streams.remove(stream.id, stream)) {
            synchronized (stream) {
                if (stream.reset && stream.dispatched && !stream.appDone) {
                    stream.countedAsRunningAfterReset = true;
                    resetButRunning.incrementAndGet();
                }
            }
            if (stream.reset && stream.resetByServer) {
                closedStreams.closed(stream.id, true);
            }
            if (streams.isEmpty()) {
                idleSinceNanos = server.nowNanos();
            }
            if (streams.isEmpty() && (goAwaySent || peerGoingAway) && Thread.currentThread() != readerThread) {
                // Draining after GOAWAY: the last stream is done, so the connection ends.
                flushFromApplication();
                try {
                    transport.shutdownInput();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    private void refuse(int streamId, Http2ErrorCode code) {
        writeLock.lock();
        try {
            out.rstStream(streamId, code);
            closedStreams.closed(streamId, true);
        } finally {
            writeLock.unlock();
        }
    }

    private void resetById(int streamId, Http2ErrorCode code) throws IOException {
        Http2Stream stream = streams.get(streamId);
        if (stream != null) {
            streamError(stream, code);
        } else {
            refuse(streamId, code);
        }
    }

    /** A stream error found by the reader (RFC 9113 §5.4.2). */
    private void streamError(Http2Stream stream, Http2ErrorCode code) {
        log.debug("Connection {}: stream error {} on stream {}", connectionId, code, stream.id);
        resetStream(stream, code);
    }

    /** Sends RST_STREAM and ends the stream's exchange; from the reader or the application. */
    void resetStream(Http2Stream stream, Http2ErrorCode code) {
        writeLock.lock();
        try {
            if (stream.reset) {
                return;
            }
            out.rstStream(stream.id, code);
            stream.resetByServer = true;
        } finally {
            writeLock.unlock();
        }
        markReset(stream, true);
        if (Thread.currentThread() != readerThread) {
            flushFromApplication();
        }
    }

    private void markReset(Http2Stream stream, boolean byServer) {
        writeLock.lock();
        try {
            stream.reset = true;
            stream.resetByServer |= byServer;
            // Response octets queued behind flow control are dropped with the stream.
            stream.pendingStart = 0;
            stream.pendingEnd = 0;
            blocked.remove(stream);
            windowOpened.signalAll();
        } finally {
            writeLock.unlock();
        }
        // What the client sent and nobody will read goes back to the connection window.
        int unread = stream.bufferedBody();
        if (unread > 0) {
            giveBackConnectionWindow(unread);
        }
        stream.wakeBodyReader();
        stream.fireAbort();
        closeStream(stream);
    }

    // --- flow control, receive side ---

    /** The application read {@code n} octets of a stream's body: both windows may reopen. */
    void onBodyConsumed(Http2Stream stream, int n) {
        int streamIncrement = stream.remoteClosed || stream.reset ? 0 : stream.inputWindow.consume(n);
        int connectionIncrement = connectionInput.consume(n);
        if (streamIncrement == 0 && connectionIncrement == 0) {
            return;
        }
        writeLock.lock();
        try {
            if (connectionIncrement > 0) {
                out.windowUpdate(0, connectionIncrement);
            }
            if (streamIncrement > 0) {
                out.windowUpdate(stream.id, streamIncrement);
            }
        } finally {
            writeLock.unlock();
        }
        if (Thread.currentThread() != readerThread) {
            flushFromApplication();
        }
    }

    private void giveBackConnectionWindow(int n) {
        int increment = connectionInput.consume(n);
        if (increment > 0) {
            writeLock.lock();
            try {
                out.windowUpdate(0, increment);
            } finally {
                writeLock.unlock();
            }
        }
    }

    // --- response side ---

    /** Sends the response head; with {@code complete}, the whole response (what is queued, then END_STREAM). */
    void commitHead(Http2Stream stream, boolean complete) throws IOException {
        stream.runOnStarting();
        writeLock.lock();
        try {
            if (stream.reset) {
                throw new RequestAbortedException("the stream was reset");
            }
            if (stream.headSent) {
                return;
            }
            stream.headSent = true;
            boolean noBody = stream.isHead() || stream.statusCode == 204 || stream.statusCode == 304;
            int queued = stream.pendingLength();
            boolean trailers = stream.trailers != null && !stream.trailers.isEmpty();
            headerScratch.clear();
            encoder.startBlock(headerScratch);
            encoder.encodeHeader(":status", statusText(stream.statusCode), false, headerScratch);
            HttpHeaders headers = stream.responseHeaders;
            boolean hasDate = false;
            boolean hasServer = false;
            boolean hasLength = false;
            for (int i = 0, n = headers.size(); i < n; i++) {
                String name = headers.nameAt(i);
                String lower = lowerCase(name);
                if (isConnectionSpecific(lower)) {
                    continue; // RFC 9113 §8.2.2: not carried by HTTP/2
                }
                switch (lower) {
                    case "date" -> hasDate = true;
                    case "server" -> hasServer = true;
                    case "content-length" -> hasLength = true;
                    default -> { }
                }
                encoder.encodeHeader(lower, headers.valueAt(i), false, headerScratch);
            }
            if (!hasDate) {
                encoder.encodeHeader("date", server.date().value(), false, headerScratch);
            }
            if (!hasServer && server.options().addServerHeader()) {
                encoder.encodeHeader("server", "Lanner", false, headerScratch);
            }
            if (complete && !hasLength && !trailers && !noBody) {
                encoder.encodeHeader("content-length", Integer.toString(queued), false, headerScratch);
            }
            if (noBody) {
                stream.pendingStart = 0;
                stream.pendingEnd = 0;
                queued = 0;
            }
            boolean endNow = complete && queued == 0 && !trailers;
            out.headers(stream.id, headerScratch, endNow, peer.maxFrameSize);
            if (complete) {
                stream.endRequested = true;
                if (endNow) {
                    onLocalEnd(stream);
                } else {
                    drain(stream);
                }
            } else if (queued > 0) {
                drain(stream);
            }
        } finally {
            writeLock.unlock();
        }
        afterWrite(stream);
    }

    /** Queues response octets and sends what the windows allow; a blocking writer waits when too much is queued. */
    void writeData(Http2Stream stream, byte[] b, int off, int len) throws IOException {
        writeLock.lock();
        try {
            if (stream.reset) {
                throw new RequestAbortedException("the stream was reset");
            }
            stream.appendPending(b, off, len);
            drain(stream);
            if (Thread.currentThread() != readerThread) {
                // A blocking writer: flush, then wait while too much is queued behind flow control.
                writeOut();
                while (stream.pendingLength() > MAX_QUEUED_RESPONSE && !stream.reset && !closed) {
                    windowOpened.await(1, TimeUnit.SECONDS);
                }
                if (stream.reset || closed) {
                    throw new RequestAbortedException("the stream was reset");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while writing the response");
        } finally {
            writeLock.unlock();
        }
        if (stream.bufferingDisabled) {
            flushFromApplication();
        }
    }

    /** The application completed a response whose head was already sent. */
    void endStream(Http2Stream stream) throws IOException {
        writeLock.lock();
        try {
            if (stream.reset || stream.endRequested) {
                return;
            }
            stream.endRequested = true;
            drain(stream);
        } finally {
            writeLock.unlock();
        }
        afterWrite(stream);
    }

    private void afterWrite(Http2Stream stream) {
        if (Thread.currentThread() != readerThread) {
            flushFromApplication();
        }
    }

    /**
     * Frames queued octets of {@code stream} as far as both send windows and the peer's frame
     * size allow, then END_STREAM or trailers once everything is out. Caller holds the write lock.
     */
    private void drain(Http2Stream stream) {
        if (stream.reset || stream.localClosed || !stream.headSent) {
            return;
        }
        boolean trailers = stream.trailers != null && !stream.trailers.isEmpty();
        while (stream.pendingLength() > 0) {
            long window = Math.min(stream.outputWindow.available(), connectionOutput.available());
            if (window <= 0) {
                if (!blocked.contains(stream)) {
                    blocked.add(stream);
                }
                if (stalledSinceNanos == 0) {
                    stalledSinceNanos = server.nowNanos();
                }
                return;
            }
            int n = (int) Math.min(Math.min(window, peer.maxFrameSize), stream.pendingLength());
            boolean last = n == stream.pendingLength() && stream.endRequested && !trailers;
            out.data(stream.id, stream.pending, stream.pendingStart, n, last);
            stream.pendingStart += n;
            stream.outputWindow.consume(n);
            connectionOutput.consume(n);
            stream.responseBytes += n;
            stalledSinceNanos = 0;
            if (last) {
                stream.pendingStart = 0;
                stream.pendingEnd = 0;
                onLocalEnd(stream);
                return;
            }
            if (out.length() >= 256 * 1024) {
                try {
                    writeOut();
                } catch (IOException e) {
                    markClosed();
                    return;
                }
            }
        }
        stream.pendingStart = 0;
        stream.pendingEnd = 0;
        if (stream.endRequested) {
            if (trailers) {
                headerScratch.clear();
                encoder.startBlock(headerScratch);
                HttpHeaders t = stream.trailers;
                for (int i = 0, n = t.size(); i < n; i++) {
                    String lower = lowerCase(t.nameAt(i));
                    if (!isConnectionSpecific(lower)) {
                        encoder.encodeHeader(lower, t.valueAt(i), false, headerScratch);
                    }
                }
                out.headers(stream.id, headerScratch, true, peer.maxFrameSize);
            } else {
                out.data(stream.id, NO_BYTES, 0, 0, true);
            }
            onLocalEnd(stream);
        }
    }

    /** END_STREAM is queued for {@code stream}. Caller holds the write lock. */
    private void onLocalEnd(Http2Stream stream) {
        stream.localClosed = true;
        blocked.remove(stream);
        windowOpened.signalAll();
        if (stream.remoteClosed) {
            closeStream(stream);
        } else if (stream.appDone) {
            resetStream(stream, Http2ErrorCode.NO_ERROR); // RFC 9113 §8.1: stop the rest of the request body
        }
    }

    /** Drains every stream waiting on a window. Caller holds the write lock. */
    private void drainBlocked() {
        int n = blocked.size();
        for (int i = 0; i < n && !blocked.isEmpty(); i++) {
            Http2Stream s = blocked.poll();
            drain(s);
        }
    }

    /** Writes what is queued; from a thread other than the reader. */
    void flushFromApplication() {
        writeLock.lock();
        try {
            writeOut();
        } catch (IOException e) {
            markClosed();
        } finally {
            writeLock.unlock();
        }
    }

    private void flush() throws IOException {
        writeLock.lock();
        try {
            writeOut();
        } finally {
            writeLock.unlock();
        }
    }

    /** Caller holds the write lock. */
    private void writeOut() throws IOException {
        if (out.isEmpty() || closed) {
            return;
        }
        writeStartedNanos = server.nowNanos();
        bytesWrittenInWrite = out.length();
        try {
            transport.write(out.asByteBuffer());
        } finally {
            writeStartedNanos = 0;
        }
        out.clear();
        out.trim(64 * 1024);
    }

    private void markClosed() {
        closed = true;
        windowOpened.signalAll();
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
                return name.toLowerCase(java.util.Locale.ROOT);
            }
        }
        return name;
    }

    static boolean isConnectionSpecific(String lowerName) {
        return switch (lowerName) {
            case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade" -> true;
            default -> false;
        };
    }

    // --- ending ---

    private void sendGoAwayAndClose(Http2ErrorCode code, String message) {
        writeLock.lock();
        try {
            if (!closed) {
                out.goAway(highestStreamId, code, message == null ? new byte[0]
                        : message.getBytes(StandardCharsets.UTF_8));
                goAwaySent = true;
                writeOut();
                transport.shutdownOutput();
            }
        } catch (IOException e) {
            log.debug("Connection {}: GOAWAY not sent: {}", connectionId, e.toString());
        } finally {
            markClosed();
            writeLock.unlock();
        }
    }

    /** Starts a graceful drain: GOAWAY NO_ERROR; streams already started finish (RFC 9113 §6.8). */
    private void sendGracefulGoAway() {
        writeLock.lock();
        try {
            if (goAwaySent || closed) {
                return;
            }
            goAwaySent = true;
            goAwayLastStreamId = highestStreamId;
            out.goAway(highestStreamId, Http2ErrorCode.NO_ERROR, new byte[0]);
            writeOut();
        } catch (IOException e) {
            markClosed();
        } finally {
            writeLock.unlock();
        }
    }

    private void closeAll() {
        writeLock.lock();
        try {
            markClosed();
        } finally {
            writeLock.unlock();
        }
        for (Http2Stream stream : streams.values()) {
            stream.reset = true;
            stream.wakeBodyReader();
            stream.fireAbort();
        }
        try {
            transport.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    // --- TimedConnection ---

    @Override
    public void onHeartbeat(long now) {
        if (closed) {
            return;
        }
        long headerStart = headerBlockStartNanos;
        if (headerBlockStreamId != 0 && headerStart != 0
                && now - headerStart > limits.requestHeadersTimeout().toNanos()) {
            abortWith(Http2ErrorCode.ENHANCE_YOUR_CALM, "request headers timeout");
            return;
        }
        long idleSince = idleSinceNanos;
        if (streams.isEmpty() && idleSince != 0 && now - idleSince > limits.keepAliveTimeout().toNanos()) {
            sendGoAwayAndClose(Http2ErrorCode.NO_ERROR, "keep-alive timeout");
            shutdownInputQuietly();
            return;
        }
        if (h2.keepAlivePingDelay() != null) {
            long pingSent = keepAlivePingSentNanos;
            if (pingSent != 0) {
                if (now - pingSent > h2.keepAlivePingTimeout().toNanos()) {
                    abortWith(Http2ErrorCode.INTERNAL_ERROR, "keep-alive ping not answered");
                    return;
                }
            } else if (now - Math.max(lastReadNanos, keepAlivePingSentNanos) > h2.keepAlivePingDelay().toNanos()
                    && writeLock.tryLock()) {
                try {
                    out.ping(false, new byte[8], 0);
                    keepAlivePingSentNanos = now;
                    writeOut();
                } catch (IOException e) {
                    markClosed();
                } finally {
                    writeLock.unlock();
                }
            }
        }
        if (limits.minRequestBodyDataRate() != null && application.isNonBlocking()) {
            for (Http2Stream stream : streams.values()) {
                if (!stream.dispatched && !stream.remoteClosed && !stream.reset && stream.collectedBodyBelowRate(now)) {
                    // A body collected for an inline run arrives too slowly: the application takes the
                    // stream on a virtual thread, where its read fails with 408.
                    dispatch(stream, false);
                }
            }
        }
        MinDataRate rate = limits.minResponseDataRate();
        if (rate != null) {
            long grace = rate.gracePeriod().toNanos();
            long stalled = stalledSinceNanos;
            if (stalled != 0 && now - stalled > grace && !blockedIsEmpty()) {
                // Zero-window stall: the client keeps its windows shut and our responses sit queued.
                abortWith(Http2ErrorCode.ENHANCE_YOUR_CALM, "response data rate below the minimum (flow control windows closed)");
                return;
            }
            long writeStart = writeStartedNanos;
            if (writeStart != 0 && now - writeStart > grace) {
                double seconds = (now - writeStart) / 1e9;
                if (bytesWrittenInWrite / seconds < rate.bytesPerSecond()) {
                    log.debug("Connection {}: client not reading; aborting", connectionId);
                    markAbortedTransport();
                }
            }
        }
    }

    private boolean blockedIsEmpty() {
        if (!writeLock.tryLock()) {
            return false;
        }
        try {
            return blocked.isEmpty();
        } finally {
            writeLock.unlock();
        }
    }

    private void abortWith(Http2ErrorCode code, String reason) {
        log.debug("Connection {}: {}", connectionId, reason);
        if (writeLock.tryLock()) {
            try {
                sendGoAwayAndClose(code, reason);
            } finally {
                writeLock.unlock();
            }
        }
        markAbortedTransport();
    }

    private void markAbortedTransport() {
        closed = true;
        try {
            transport.close();
        } catch (IOException ignored) {
            // aborting
        }
    }

    private void shutdownInputQuietly() {
        try {
            transport.shutdownInput();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public boolean closeIfIdle() {
        sendGracefulGoAway();
        if (streams.isEmpty()) {
            shutdownInputQuietly();
            return true;
        }
        return false;
    }

    @Override
    public void abort(String reason) {
        markAbortedTransport();
    }

    // --- helpers ---

    /** A connection receive window shared by the reader (receive) and application threads (consume). */
    private static final class InputFlowWindowGuarded {
        private final dev.lanner.server.internal.http2.flow.InputFlowWindow window;

        InputFlowWindowGuarded(int initial) {
            window = new dev.lanner.server.internal.http2.flow.InputFlowWindow(initial);
        }

        synchronized boolean receive(int n) {
            return window.receive(n);
        }

        synchronized int consume(int n) {
            return window.consume(n);
        }
    }

    /** A token bucket: {@code capacity} frames at once, refilled at {@code perSecond}. */
    private static final class TokenBucket {
        private final double capacity;
        private final double perNano;
        private double tokens;
        private long last;

        TokenBucket(int capacity, double perSecond) {
            this.capacity = capacity;
            this.perNano = perSecond / 1e9;
            this.tokens = capacity;
        }

        boolean take(long now) {
            if (last != 0) {
                tokens = Math.min(capacity, tokens + (now - last) * perNano);
            }
            last = now;
            if (tokens < 1) {
                return false;
            }
            tokens--;
            return true;
        }
    }

    /**
     * Which client stream ids below the highest were opened, and which of those the server
     * reset, for the STREAM_CLOSED / PROTOCOL_ERROR / ignore decision (RFC 9113 §5.1, §5.4.2).
     * Bounded: long-closed ids are forgotten.
     */
    private static final class ClosedStreams {
        private final java.util.LinkedHashSet<Integer> resetByServer = new java.util.LinkedHashSet<>();
        private final ArrayDeque<int[]> skipped = new ArrayDeque<>();

        synchronized void opened(int previousHighest, int id) {
            if (id > previousHighest + 2 && previousHighest >= 0) {
                skipped.add(new int[] {previousHighest + 2, id - 2});
                if (skipped.size() > 64) {
                    skipped.poll();
                }
            }
        }

        synchronized void closed(int id, boolean byServer) {
            if (byServer) {
                resetByServer.add(id);
                if (resetByServer.size() > REMEMBERED_CLOSED) {
                    resetByServer.remove(resetByServer.iterator().next());
                }
            }
        }

        synchronized boolean resetByServer(int id) {
            return resetByServer.contains(id);
        }

        synchronized boolean wasOpened(int id) {
            for (int[] range : skipped) {
                if (id >= range[0] && id <= range[1]) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Turns a request's header block into the stream's request (RFC 9113 §8.3.1), noting the
     * first reason it is malformed (§8.1.1, §8.2): the block is always decoded to the end so that
     * the HPACK state stays in step.
     */
    private final class RequestHeaderSink implements dev.lanner.server.internal.http2.hpack.HeaderSink {
        private Http2Stream stream;
        private String malformed;
        private boolean regularSeen;
        private String path;
        private String cookie;

        void start(Http2Stream s) {
            stream = s;
            sawScheme = false;
            malformed = null;
            regularSeen = false;
            path = null;
            cookie = null;
        }

        @Override
        public void header(String knownName, byte[] name, int nameOffset, int nameLength, String knownValue,
                           byte[] value, int valueOffset, int valueLength, boolean neverIndexed) {
            if (malformed != null) {
                return;
            }
            String n = knownName != null ? knownName : new String(name, nameOffset, nameLength, StandardCharsets.ISO_8859_1);
            String v = knownValue != null ? knownValue : new String(value, valueOffset, valueLength, StandardCharsets.ISO_8859_1);
            if (knownName == null && !validName(n)) {
                malformed = "invalid header name";
                return;
            }
            if (knownValue == null && !validValue(v)) {
                malformed = "invalid value in " + n;
                return;
            }
            if (n.startsWith(":")) {
                if (regularSeen) {
                    malformed = "pseudo-header after a regular field";
                    return;
                }
                switch (n) {
                    case ":method" -> {
                        if (stream.method != null) {
                            malformed = "duplicate :method";
                        }
                        stream.method = v;
                    }
                    case ":scheme" -> {
                        if (sawScheme) {
                            malformed = "duplicate :scheme";
                        }
                        sawScheme = true;
                        stream.scheme = v;
                    }
                    case ":path" -> {
                        if (path != null) {
                            malformed = "duplicate :path";
                        }
                        path = v;
                    }
                    case ":authority" -> {
                        if (stream.authority != null) {
                            malformed = "duplicate :authority";
                        }
                        stream.authority = v;
                    }
                    default -> malformed = "unknown pseudo-header " + n;
                }
                return;
            }
            regularSeen = true;
            if (isConnectionSpecific(n)) {
                malformed = "connection-specific field " + n;
                return;
            }
            if (n.equals("te") && !v.equals("trailers")) {
                malformed = "te other than trailers";
                return;
            }
            if (n.equals("cookie")) {
                // RFC 9113 §8.2.3: split cookies are joined again for HTTP/1.1-style consumers.
                cookie = cookie == null ? v : cookie + "; " + v;
                return;
            }
            if (n.equals("content-length")) {
                long length = parseLength(v);
                if (length < 0 || (stream.declaredRequestLength >= 0 && stream.declaredRequestLength != length)) {
                    malformed = "invalid content-length";
                    return;
                }
                stream.declaredRequestLength = length;
            }
            stream.requestHeaders.addValidated(n, v);
        }

        private boolean sawScheme;

        /** Completes the request; returns why it is malformed, or null. */
        String finish(boolean endStream) {
            boolean scheme = sawScheme;
            sawScheme = false;
            if (malformed != null) {
                return malformed;
            }
            if (stream.method == null) {
                return "missing :method";
            }
            if (stream.method.equals("CONNECT")) {
                // RFC 9113 §8.5: only :method and :authority.
                if (scheme || path != null || stream.authority == null) {
                    return "malformed CONNECT";
                }
                path = "";
            } else {
                if (!scheme) {
                    return "missing :scheme";
                }
                if (path == null) {
                    return "missing :path";
                }
                if (path.isEmpty()) {
                    return "empty :path";
                }
            }
            if (cookie != null) {
                stream.requestHeaders.addValidated("cookie", cookie);
            }
            if (stream.authority != null) {
                // RFC 9113 §8.3.1: :authority stands for Host; the application sees one Host header.
                if (stream.requestHeaders.get("host") == null) {
                    stream.requestHeaders.addValidated("host", stream.authority);
                }
            }
            if (endStream && stream.declaredRequestLength > 0) {
                return "content-length without DATA";
            }
            stream.rawTarget = path;
            int q = path.indexOf('?');
            String rawPath = q < 0 ? path : path.substring(0, q);
            stream.queryString = q < 0 ? "" : path.substring(q);
            if (rawPath.equals("*") && stream.method.equals("OPTIONS")) {
                stream.path = "";
            } else {
                String decoded = dev.lanner.http.RequestPaths.decodePath(rawPath);
                if (decoded == null) {
                    return "invalid path";
                }
                stream.path = decoded;
            }
            Long max = stream.maxRequestBodySize();
            if (max != null && stream.declaredRequestLength > max) {
                stream.tooLargeDeclared = true;
            }
            return null;
        }

        private long parseLength(String v) {
            if (v.isEmpty() || v.length() > 18) {
                return -1;
            }
            long n = 0;
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                n = n * 10 + (c - '0');
            }
            return n;
        }
    }

    /** RFC 9113 §8.2.1: lower-case token characters only (a leading colon for pseudo-headers). */
    static boolean validName(String n) {
        if (n.isEmpty()) {
            return false;
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c == ':' && i == 0) {
                continue;
            }
            if (c >= 'A' && c <= 'Z' || c <= 0x20 || c >= 0x7f || c == ':' || "\"(),/;<=>?@[\\]{}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** RFC 9113 §8.2.1: no NUL, CR or LF, no leading or trailing whitespace. */
    static boolean validValue(String v) {
        int len = v.length();
        if (len == 0) {
            return true;
        }
        if (v.charAt(0) == ' ' || v.charAt(0) == '\t' || v.charAt(len - 1) == ' ' || v.charAt(len - 1) == '\t') {
            return false;
        }
        for (int i = 0; i < len; i++) {
            char c = v.charAt(i);
            if (c == 0 || c == '\r' || c == '\n') {
                return false;
            }
        }
        return true;
    }

    /** Trailers: no pseudo-headers (RFC 9113 §8.1). */
    private static final class TrailerSink implements dev.lanner.server.internal.http2.hpack.HeaderSink {
        boolean malformed;

        @Override
        public void header(String knownName, byte[] name, int nameOffset, int nameLength, String knownValue,
                           byte[] value, int valueOffset, int valueLength, boolean neverIndexed) {
            if (nameLength > 0 && name[nameOffset] == ':') {
                malformed = true;
            } else if (knownName == null && !validName(new String(name, nameOffset, nameLength, StandardCharsets.ISO_8859_1))) {
                malformed = true;
            }
        }
    }
}
