package dev.lanner.server.internal.http1;

import dev.lanner.http.AbortController;
import dev.lanner.http.AbortSignal;
import dev.lanner.http.BadHttpRequestException;
import dev.lanner.http.HttpHeaders;
import dev.lanner.http.RequestAbortedException;
import dev.lanner.http.RequestPaths;
import dev.lanner.http.features.HostContextContainer;
import dev.lanner.http.features.HttpBodyControlFeature;
import dev.lanner.http.features.HttpConnectionFeature;
import dev.lanner.http.features.HttpMaxRequestBodySizeFeature;
import dev.lanner.http.features.HttpMinRequestBodyDataRateFeature;
import dev.lanner.http.features.HttpMinResponseDataRateFeature;
import dev.lanner.http.features.HttpRequestFeature;
import dev.lanner.http.features.HttpRequestIdentifierFeature;
import dev.lanner.http.features.HttpRequestLifetimeFeature;
import dev.lanner.http.features.HttpResponseBodyFeature;
import dev.lanner.http.features.HttpResponseFeature;
import dev.lanner.http.features.HttpResponseTrailersFeature;
import dev.lanner.http.features.HttpUpgradeFeature;
import dev.lanner.http.features.MinDataRate;
import dev.lanner.http.features.ResponseCallback;
import dev.lanner.http.features.UpgradedConnection;
import dev.lanner.http.server.HttpApplication;
import dev.lanner.server.ConnectionContext;
import dev.lanner.server.ServerLimits;
import dev.lanner.server.internal.infrastructure.Heartbeat;
import dev.lanner.server.internal.infrastructure.ServerContext;
import dev.lanner.server.internal.infrastructure.TimedConnection;
import dev.lanner.server.transport.EventLoopConnection;
import dev.lanner.server.transport.ReadinessListener;
import dev.lanner.server.transport.TransportConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.x connection: a straight-line loop on the connection's virtual thread that reads a
 * request head, runs the application inline (it may block), writes the response and goes on
 * with the next request (pipelined requests are answered in order, their responses batched into
 * one write). The object is also every request feature (as Kestrel's {@code HttpProtocol} is), so
 * a request costs no feature allocations: its state is reset between requests.
 */
public final class Http1Connection implements TimedConnection, RequestLineHandler, HeaderHandler, ReadinessListener,
        HttpRequestFeature, HttpResponseBodyFeature, HttpRequestLifetimeFeature,
        HttpRequestIdentifierFeature, HttpMaxRequestBodySizeFeature, HttpMinRequestBodyDataRateFeature,
        HttpBodyControlFeature, HttpUpgradeFeature, HttpResponseTrailersFeature,
        HttpConnectionFeature, HostContextContainer {

    private static final Logger log = LoggerFactory.getLogger(Http1Connection.class);

    private static final String HTTP_1_1 = "HTTP/1.1";
    private static final String HTTP_1_0 = "HTTP/1.0";
    private static final byte[] CONTINUE_100 = AsciiStrings.ascii("HTTP/1.1 100 Continue\r\n\r\n");
    private static final byte[] SERVER_HEADER = AsciiStrings.ascii("Server: Lanner\r\n");
    private static final byte[] CONNECTION_CLOSE = AsciiStrings.ascii("Connection: close\r\n");
    private static final byte[] CONNECTION_KEEP_ALIVE = AsciiStrings.ascii("Connection: keep-alive\r\n");
    private static final byte[] TRANSFER_ENCODING_CHUNKED = AsciiStrings.ascii("Transfer-Encoding: chunked\r\n");
    private static final byte[] CONTENT_LENGTH_0 = AsciiStrings.ascii("Content-Length: 0\r\n");
    private static final byte[] LAST_CHUNK = AsciiStrings.ascii("0\r\n\r\n");
    private static final byte[] LAST_CHUNK_START = AsciiStrings.ascii("0\r\n");

    /**
     * Fields RFC 9110 §6.5.1 does not allow in a trailer section (lower case), by the categories RFC 7230
     * §4.1.2 listed: message framing, routing, request modifiers (controls and conditionals),
     * authentication (including cookies), response control data, how to process the content; plus the
     * connection-specific fields (RFC 9110 §7.6.1).
     */
    private static final Set<String> FORBIDDEN_TRAILERS = Set.of(
            "content-length", "transfer-encoding", "trailer", "te", "host",
            "connection", "keep-alive", "proxy-connection", "upgrade",
            "cache-control", "expect", "max-forwards", "pragma", "range",
            "if-match", "if-none-match", "if-modified-since", "if-unmodified-since", "if-range",
            "authorization", "proxy-authorization", "www-authenticate", "proxy-authenticate", "set-cookie",
            "age", "expires", "date", "location", "retry-after", "vary", "warning",
            "content-encoding", "content-type", "content-range");

    /** Bodies up to this size, written before the response starts, get an automatic Content-Length. */
    private static final int AUTO_CONTENT_LENGTH_LIMIT = 8 * 1024;
    /** A write this large skips the output buffer (no copy). */
    private static final int DIRECT_WRITE_THRESHOLD = 8 * 1024;
    /** Unread request body the server drains to keep the connection; beyond it the connection closes. */
    private static final long MAX_DRAIN = 256 * 1024;
    private static final int INITIAL_BUFFER = 4 * 1024;

    // Connection phases, read by the heartbeat.
    private static final int PHASE_IDLE = 0;
    private static final int PHASE_HEAD = 1;
    private static final int PHASE_APP = 2;
    private static final int PHASE_UPGRADED = 3;
    private static final int PHASE_CLOSED = 4;

    // Response body framing.
    private static final int BODY_UNDECIDED = 0;
    private static final int BODY_NONE = 1;
    private static final int BODY_CONTENT_LENGTH = 2;
    private static final int BODY_CHUNKED = 3;
    private static final int BODY_CLOSE_DELIMITED = 4;

    private final ServerContext server;
    private final ServerLimits limits;
    private final ConnectionContext connection;
    private final TransportConnection transport;
    /** The transport when an event loop drives it, else null. */
    private final EventLoopConnection loopTransport;
    private final HttpApplication<Object> application;
    private final Heartbeat heartbeat;
    private final HttpRequestParser parser;
    private final RequestBodyFraming framing = new RequestBodyFraming();
    private final ChunkedBodyDecoder chunkedDecoder;
    private final Http1Features features;
    private final String connectionId;
    private final InetAddress localAddress;
    private final int localPort;
    private final RequestBodyStream requestBody = new RequestBodyStream();
    private final ResponseBodyStream responseBody = new ResponseBodyStream();
    private final String[] knownValueCache = new String[KnownHeader.values().length];
    private final byte[][] knownValueBytes = new byte[KnownHeader.values().length][];
    private final Object watchLock = new Object();

    // Input buffer: bytes [inStart, inEnd) are received and not yet consumed.
    private static final byte[] NO_BYTES = new byte[0];
    private byte[] in = NO_BYTES;
    private ByteBuffer inBuffer = ByteBuffer.wrap(in);
    private int inStart;
    private int inEnd;
    private final int maxInBuffer;

    // Output buffer: the responses being assembled.
    /** Where responses are assembled: the connection's own writer, or its loop's while serving inline. */
    private ResponseHeaderWriter out;
    private ResponseHeaderWriter ownOut = new ResponseHeaderWriter(16);
    private ByteBuffer outBuffer = ByteBuffer.wrap(NO_BYTES);

    // Heartbeat-visible state.
    private volatile int phase = PHASE_IDLE;
    private volatile long phaseStartNanos = System.nanoTime();
    private volatile String timeoutReason;
    private volatile boolean readPending;
    private volatile boolean writePending;
    private long lastTickNanos;
    private long bodyReadNanos;
    private volatile long bodyBytesRead;
    private long writeNanos;
    private volatile long responseBytesWritten;
    private Thread watcher;
    private IOException watcherError;
    private int watcherResult;
    private volatile boolean appDone;

    // Request state, reset per request.
    private long requestCount;
    private String method;
    private KnownMethod knownMethod;
    private HttpVersion version;
    private String protocol;
    private String scheme;
    private RequestTargetForm targetForm;
    private String rawPath;
    private String rawTarget;
    private String path;
    private String pathBase;
    private String queryString;
    private String authority;
    private HttpHeaders requestHeaders = new HttpHeaders(16);
    private InputStream requestBodyOverride;
    private int connectionFlags;
    private int hostLines;
    private boolean expectContinue;
    private boolean continueSent;
    private boolean upgradeRequested;
    private RequestBodyFraming.Kind bodyKind;
    private long bodyRemaining;
    private boolean bodyStarted;
    private boolean bodyComplete;
    private Long maxRequestBodySize;
    private MinDataRate minRequestBodyDataRate;
    private MinDataRate minResponseDataRate;
    private boolean allowSynchronousIO;
    private String traceIdentifier;
    private volatile boolean aborted;
    private AbortController abortController;
    private boolean keepAlive;
    private boolean mustClose;

    // Response state, reset per request.
    private int statusCode;
    private String reasonPhrase;
    private HttpHeaders responseHeaders = new HttpHeaders(8);
    private HttpHeaders trailers;
    private boolean headSent;
    private List<ResponseCallback> onStarting;
    private List<ResponseCallback> onCompleted;
    private int bodyMode;
    private long declaredLength;
    private long bodyWritten;
    private boolean responseCompleted;
    private boolean bufferingDisabled;
    private byte[] pending = NO_BYTES;
    private int pendingLength;
    private boolean upgraded;
    private Upgraded upgradedConnection;

    @SuppressWarnings("unchecked")
    public Http1Connection(ServerContext server, ConnectionContext connection, HttpApplication<?> application,
                           Heartbeat heartbeat) {
        this.server = server;
        this.limits = server.options().limits();
        this.connection = connection;
        this.transport = connection.transport();
        this.loopTransport = transport instanceof EventLoopConnection e ? e : null;
        this.out = ownOut;
        this.application = (HttpApplication<Object>) application;
        this.heartbeat = heartbeat;
        Http1Limits http1Limits = Http1Limits.defaults()
                .withMaxRequestLineLength(limits.maxRequestLineSize())
                .withMaxHeaderBytes(limits.maxRequestHeadersTotalSize())
                .withMaxHeaderCount(limits.maxRequestHeaderCount());
        this.parser = new HttpRequestParser(http1Limits);
        this.chunkedDecoder = new ChunkedBodyDecoder(http1Limits);
        this.maxInBuffer = limits.maxRequestLineSize() + limits.maxRequestHeadersTotalSize() + 8 * 1024;
        this.features = new Http1Features(this, connection.features());
        this.connectionId = connection.id();
        if (connection.localAddress() instanceof InetSocketAddress local) {
            this.localAddress = local.getAddress();
            this.localPort = local.getPort();
        } else {
            this.localAddress = null;
            this.localPort = 0;
        }
        this.scheme = connection.features().get(dev.lanner.http.features.TlsConnectionFeature.class) != null ? "https" : "http";
    }

    /**
     * Serves requests until the connection ends. Never throws. On an {@link EventLoopConnection}
     * the event loop serves what it can inline (non-blocking applications, bodies already
     * received) and this virtual thread only takes over a request that must block; on a plain
     * transport this thread runs the blocking loop throughout.
     */
    public void run() {
        heartbeat.register(this);
        try {
            if (loopTransport != null) {
                runWithEventLoop();
            } else {
                serveBlocking(false, false);
            }
        } catch (IOException | RequestAbortedException e) {
            // The client went away or the connection was aborted: routine, not a server failure.
            log.debug("Connection {} ended: {}", connectionId, e.toString());
        } catch (RuntimeException e) {
            log.warn("Connection {} failed", connectionId, e);
        } finally {
            phase = PHASE_CLOSED;
            heartbeat.unregister(this);
            fireAbort();
            if (upgradedConnection != null) {
                // The application returned without closing it: the upgraded slot is freed all the same.
                try {
                    upgradedConnection.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            try {
                transport.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /**
     * The blocking request loop. With {@code returnWhenIdle}, returns true as soon as the input
     * buffer is empty between requests (the event loop takes the connection back); returns false
     * when the connection must close. {@code requestStarted}: the current request's head is
     * already parsed (the event loop handed it over).
     */
    private boolean serveBlocking(boolean returnWhenIdle, boolean requestStarted) throws IOException {
        boolean started = requestStarted;
        while (true) {
            if (!started) {
                if (returnWhenIdle && inStart == inEnd && !watcherRunning()) {
                    flushOut();
                    return true;
                }
                setPhase(inStart == inEnd ? PHASE_IDLE : PHASE_HEAD);
                resetRequest();
                try {
                    if (!readHead()) {
                        if (timeoutReason == REQUEST_HEADERS_TIMEOUT) {
                            writeErrorAndClose(RequestRejectionReason.REQUEST_HEADERS_TIMEOUT, null);
                        }
                        flushOut();
                        return false;
                    }
                    startRequest();
                } catch (BadRequestException e) {
                    writeErrorAndClose(e.reason(), e.detail());
                    return false;
                }
            }
            started = false;
            setPhase(PHASE_APP);
            processRequest();
            if (!afterResponse()) {
                return false;
            }
        }
    }

    /** After a response: whether the connection goes on (blocking flavour). */
    private boolean afterResponse() throws IOException {
        if (upgraded) {
            return false;
        }
        if (!keepAlive || mustClose || aborted) {
            if (!aborted) {
                // An aborted connection is cut: what is still buffered goes nowhere.
                flushOut();
                transport.shutdownOutput();
            }
            return false;
        }
        if (!drainRequestBody()) {
            // RFC 9112 §9.6: the body left unread closes the connection; the response (already sent
            // without "Connection: close") goes out first, then a half-close, as on the other close paths.
            if (!aborted) {
                flushOut();
                transport.shutdownOutput();
            }
            return false;
        }
        if (inStart == inEnd) {
            flushOut();
        } else if (out.length() >= 32 * 1024) {
            flushOut(); // a long pipelined batch still goes out in bounded pieces
        }
        return true;
    }

    // --- event-loop mode ---

    private volatile boolean dispatchRequested;
    private volatile boolean loopClosed;
    private Thread connectionThread;
    private boolean closeAfterFlush;
    private boolean headInProgress;

    /** This virtual thread parks until the event loop hands it a request that must block, or the connection ends. */
    private void runWithEventLoop() throws IOException {
        connectionThread = Thread.currentThread();
        loopTransport.setListener(this);
        setPhase(PHASE_IDLE);
        loopTransport.armRead();
        while (true) {
            while (!dispatchRequested && !loopClosed) {
                LockSupport.park(this);
            }
            if (!dispatchRequested) {
                return;
            }
            dispatchRequested = false;
            if (!serveBlocking(true, true)) {
                return;
            }
            // Idle with an empty buffer: the loop serves the next request.
            setPhase(PHASE_IDLE);
            threadMode = false;
            loopTransport.armRead();
        }
    }

    private volatile boolean threadMode;

    private boolean watcherRunning() {
        synchronized (watchLock) {
            return watcher != null;
        }
    }

    @Override
    public void onReadable() {
        if (threadMode || loopClosed) {
            return;
        }
        try {
            if (writePending) {
                // Backpressure: a client that does not read its responses gets no more requests parsed.
                loopTransport.disarmRead();
                loopTransport.armWrite();
                return;
            }
            borrowLoopBuffers();
            prepareRead();
            inBuffer.limit(in.length).position(inEnd);
            int n = loopTransport.readNow(inBuffer);
            if (n < 0 && awaitingInlineBody) {
                // The body ends early (or too slowly): let the application's read fail as it would
                // on its virtual thread (400, or 408 after the body rate timeout).
                awaitingInlineBody = false;
                readPending = false;
                dispatchToThread();
                return;
            }
            if (n < 0) {
                if (timeoutReason == REQUEST_HEADERS_TIMEOUT) {
                    writeErrorAndClose(RequestRejectionReason.REQUEST_HEADERS_TIMEOUT, null);
                } else if (inEnd > inStart && timeoutReason == null) {
                    log.debug("Connection {}: end of stream inside a request head", connectionId);
                }
                endFromLoop();
                return;
            }
            inEnd += n;
            serveInline();
        } catch (IOException | RuntimeException e) {
            log.debug("Connection {} ended on the event loop: {}", connectionId, e.toString());
            endFromLoop();
        } finally {
            if (!threadMode) {
                returnLoopBuffers();
            }
        }
    }

    /** Buffers every connection of a loop borrows while it is served inline (cache-hot, nothing held while idle). */
    private static final class LoopBuffers {
        final byte[] in = new byte[64 * 1024];
        final ByteBuffer inBuffer = ByteBuffer.wrap(in);
        final ResponseHeaderWriter out = new ResponseHeaderWriter(64 * 1024);
    }

    private LoopBuffers loopBuffers;

    /** On the loop, with nothing of the connection's own pending: read into and write from the loop's buffers. */
    private void borrowLoopBuffers() {
        if (loopBuffers == null) {
            loopBuffers = loopTransport.loopLocal(LoopBuffers.class, LoopBuffers::new);
        }
        if (inStart == inEnd && in != loopBuffers.in) {
            in = loopBuffers.in;
            inBuffer = loopBuffers.inBuffer;
            inStart = 0;
            inEnd = 0;
        }
        if (out.length() == 0 && out != loopBuffers.out) {
            out = loopBuffers.out;
            out.reset();
        }
    }

    /** Before the loop moves on (or a thread takes over): keep only what is left, in the connection's own buffers. */
    private void returnLoopBuffers() {
        LoopBuffers shared = loopBuffers;
        if (shared == null) {
            return;
        }
        if (in == shared.in) {
            int left = inEnd - inStart;
            if (left == 0) {
                in = NO_BYTES;
            } else {
                int size = Math.max(INITIAL_BUFFER, awaitingInlineBody ? (int) Math.max(left, bodyRemaining) : left);
                byte[] own = new byte[Math.max(size, left)];
                System.arraycopy(shared.in, inStart, own, 0, left);
                in = own;
            }
            inBuffer = ByteBuffer.wrap(in);
            inEnd -= inStart;
            inStart = 0;
        }
        if (out == shared.out) {
            if (out.length() > 0) {
                ownOut.reset();
                ownOut.append(shared.out.array(), 0, shared.out.length());
                shared.out.reset();
            } else if (ownOut.array().length > INITIAL_BUFFER) {
                ownOut = new ResponseHeaderWriter(16);
            }
            out = ownOut;
        }
        if (pending.length > 0 && inStart == inEnd) {
            pending = NO_BYTES;
        }
    }

    @Override
    public void onWritable() {
        if (threadMode || loopClosed) {
            return;
        }
        try {
            if (!flushNonBlocking()) {
                loopTransport.armWrite();
                return;
            }
            if (closeAfterFlush) {
                transport.shutdownOutput();
                endFromLoop();
                return;
            }
            loopTransport.armRead();
            serveInline();
        } catch (IOException | RuntimeException e) {
            log.debug("Connection {} ended on the event loop: {}", connectionId, e.toString());
            endFromLoop();
        }
    }

    @Override
    public void onClosed() {
        loopClosed = true;
        LockSupport.unpark(connectionThread);
    }

    private void endFromLoop() {
        loopClosed = true;
        try {
            transport.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        LockSupport.unpark(connectionThread);
    }

    /** A body up to this size is collected on the loop so that a non-blocking application still runs inline. */
    private static final int INLINE_BODY_LIMIT = 64 * 1024;
    private boolean awaitingInlineBody;

    /** On the loop thread: serves every complete request in the buffer that can run without blocking. */
    private void serveInline() throws IOException {
        while (true) {
            if (awaitingInlineBody) {
                if (inEnd - inStart < bodyRemaining) {
                    loopTransport.armRead();
                    return;
                }
                awaitingInlineBody = false;
                readPending = false;
                runInline();
                if (!continueAfterInline()) {
                    return;
                }
                continue;
            }
            if (inStart == inEnd && !headInProgress) {
                if (!flushNonBlocking()) {
                    loopTransport.armWrite();
                    return;
                }
                setPhase(PHASE_IDLE);
                loopTransport.armRead();
                return;
            }
            if (!headInProgress) {
                resetRequest();
                headInProgress = true;
                headLineDone = false;
                setPhase(PHASE_HEAD);
            }
            try {
                if (!parseHeadFromBuffer()) {
                    // Earlier pipelined responses must not wait for the rest of this head.
                    if (!flushNonBlocking()) {
                        loopTransport.armWrite();
                    }
                    loopTransport.armRead();
                    return;
                }
                headInProgress = false;
                startRequest();
            } catch (BadRequestException e) {
                headInProgress = false;
                writeErrorAndClose(e.reason(), e.detail());
                endFromLoop();
                return;
            }
            if (!canRunInline()) {
                if (canCollectBodyInline()) {
                    // Small body still arriving: gather it here, then run inline.
                    ensureRoomForBody();
                    awaitingInlineBody = true;
                    readPending = true; // the minimum body data rate applies while it arrives
                    setPhase(PHASE_APP);
                    if (!flushNonBlocking()) {
                        loopTransport.armWrite();
                    }
                    loopTransport.armRead();
                    return;
                }
                dispatchToThread();
                return;
            }
            runInline();
            if (!continueAfterInline()) {
                return;
            }
        }
    }

    /** Hands the current request (head parsed) to the connection's virtual thread. */
    private void dispatchToThread() {
        returnLoopBuffers();
        threadMode = true;
        loopTransport.disarmRead();
        dispatchRequested = true;
        LockSupport.unpark(connectionThread);
    }

    private void runInline() throws IOException {
        setPhase(PHASE_APP);
        processRequest();
    }

    /** After an inline response: whether the loop goes on with the buffer (false: it waits or the connection ends). */
    private boolean continueAfterInline() throws IOException {
        if (!keepAlive || mustClose || aborted) {
                if (aborted) {
                    endFromLoop();
                    return false;
                }
                closeAfterFlush = true;
                if (flushNonBlocking()) {
                    transport.shutdownOutput();
                    endFromLoop();
                } else {
                    loopTransport.armWrite();
                }
                return false;
            }
            if (!bodyComplete) {
                // The application left part of a body it had received whole: skip it.
                inStart += (int) bodyRemaining;
                bodyRemaining = 0;
                bodyComplete = true;
            }
            if (out.length() >= 32 * 1024 && !flushNonBlocking()) {
                loopTransport.armWrite();
                return false;
            }
            return true;
    }

    private boolean canCollectBodyInline() {
        return application.isNonBlocking() && !upgradeRequested && !expectContinue
                && bodyKind == RequestBodyFraming.Kind.CONTENT_LENGTH && bodyRemaining <= INLINE_BODY_LIMIT
                && (maxRequestBodySize == null || bodyRemaining <= maxRequestBodySize);
    }

    /** Makes the input buffer able to hold the rest of the body after what is buffered. */
    private void ensureRoomForBody() {
        int buffered = inEnd - inStart;
        int needed = (int) bodyRemaining;
        if (in.length - inStart >= needed) {
            return;
        }
        byte[] target = in.length >= needed ? in : new byte[Math.max(needed, in.length * 2)];
        System.arraycopy(in, inStart, target, 0, buffered);
        if (target != in) {
            in = target;
            inBuffer = ByteBuffer.wrap(in);
        }
        inStart = 0;
        inEnd = buffered;
    }

    /** Inline only what cannot block: a non-blocking application and a body already in the buffer. */
    private boolean canRunInline() {
        if (!application.isNonBlocking() || upgradeRequested || expectContinue) {
            return false;
        }
        return switch (bodyKind) {
            case NONE -> true;
            case CONTENT_LENGTH -> bodyRemaining <= inEnd - inStart
                    && (maxRequestBodySize == null || bodyRemaining <= maxRequestBodySize);
            case CHUNKED -> false;
        };
    }

    private boolean headLineDone;

    /** Parses as much of a request head as the buffer holds; true when it is complete. */
    private boolean parseHeadFromBuffer() {
        if (!headLineDone) {
            int next = parser.parseRequestLine(in, inStart, inEnd, this);
            if (next < 0) {
                return false;
            }
            inStart = next;
            headLineDone = true;
        }
        inStart = parser.parseHeaders(in, inStart, inEnd, this);
        return parser.isHeaderSectionComplete();
    }

    /** On the loop thread: writes what the socket takes; keeps the rest. True when all is out. */
    private boolean flushNonBlocking() throws IOException {
        int len = out.length();
        if (len == 0) {
            return true;
        }
        if (outBuffer.array() != out.array()) {
            outBuffer = ByteBuffer.wrap(out.array());
        }
        outBuffer.limit(len).position(0);
        int written = 0;
        int n;
        while (outBuffer.hasRemaining() && (n = loopTransport.writeNow(outBuffer)) > 0) {
            written += n;
        }
        responseBytesWritten += written;
        if (written == len) {
            out.reset();
            writePending = false;
            return true;
        }
        out.discardFront(written);
        // Counts as a pending write for the minimum response data rate: a client that stops
        // reading cannot park buffered responses on the server forever.
        writePending = true;
        return false;
    }

    private static final String REQUEST_HEADERS_TIMEOUT = "request headers timeout";
    private static final String KEEP_ALIVE_TIMEOUT = "keep-alive timeout";
    private static final String BODY_RATE_TIMEOUT = "request body data rate";
    private static final String RESPONSE_RATE_TIMEOUT = "response data rate";
    private static final String STOPPING = "server stopping";

    /** Reads and parses one request head; false at end of stream (or a timeout). */
    private boolean readHead() throws IOException {
        headLineDone = false;
        while (true) {
            if (inEnd > inStart) {
                if (phase == PHASE_IDLE) {
                    setPhase(PHASE_HEAD);
                }
                if (parseHeadFromBuffer()) {
                    return true;
                }
            }
            if (phase == PHASE_IDLE && server.isStopping()) {
                return false;
            }
            if (!fill()) {
                if (inEnd > inStart && timeoutReason == null) {
                    // The client closed half-way through a request head.
                    log.debug("Connection {}: end of stream inside a request head", connectionId);
                }
                return false;
            }
        }
    }

    /** Validates the head and prepares the request body. */
    private void startRequest() {
        HostHeader.checkCount(version, hostLines);
        if (targetForm == RequestTargetForm.ABSOLUTE && authority != null) {
            // RFC 9112 §3.2.2: with an absolute-form target the Host header is replaced by its authority.
            requestHeaders.set("host", authority);
        }
        bodyKind = framing.decide(knownMethod, version);
        bodyRemaining = bodyKind == RequestBodyFraming.Kind.CONTENT_LENGTH ? framing.contentLength() : 0;
        bodyComplete = bodyKind == RequestBodyFraming.Kind.NONE
                || (bodyKind == RequestBodyFraming.Kind.CONTENT_LENGTH && bodyRemaining == 0);
        keepAlive = ConnectionOptions.isPersistent(version, connectionFlags);
        requestCount++;
    }

    private void processRequest() throws IOException {
        Object context = application.createContext(features);
        Throwable failure = null;
        try {
            application.processRequest(context);
            if (!aborted) {
                completeResponse();
            }
        } catch (Throwable t) {
            failure = t;
            handleApplicationFailure(t);
        }
        synchronized (watchLock) {
            appDone = true;
        }
        runOnCompleted();
        try {
            application.disposeContext(context, failure);
        } catch (RuntimeException e) {
            log.warn("disposeContext failed on connection {}", connectionId, e);
        }
        synchronized (this) {
            // The request is over: the connection closing later (Connection: close, client gone) is no abort of it.
            abortController = null;
        }
    }

    private void handleApplicationFailure(Throwable t) throws IOException {
        if (aborted || t instanceof RequestAbortedException) {
            mustClose = true;
            return;
        }
        if (t instanceof BadHttpRequestException) {
            mustClose = true;
        }
        if (!headSent) {
            if (t instanceof BadHttpRequestException) {
                // The client's fault (413, a bad chunk): not worth an error with a stack trace per request.
                log.debug("Bad request on connection {}: {}", connectionId, t.getMessage());
            } else {
                log.error("Request failed on connection {} before the response started", connectionId, t);
            }
            responseHeaders.clear();
            statusCode = t instanceof BadHttpRequestException bad ? bad.statusCode() : 500;
            reasonPhrase = null;
            trailers = null;
            pendingLength = 0;
            try {
                completeResponse();
            } catch (IOException | RuntimeException e) {
                mustClose = true;
            }
        } else {
            // The head is out: the only honest signal left is to cut the connection.
            log.error("Request failed on connection {} after the response started; aborting", connectionId, t);
            abortConnection("application failure after response start");
        }
    }

    private void runOnCompleted() {
        List<ResponseCallback> callbacks = onCompleted;
        onCompleted = null;
        if (callbacks == null) {
            return;
        }
        for (int i = callbacks.size() - 1; i >= 0; i--) {
            try {
                callbacks.get(i).run();
            } catch (Exception e) {
                log.warn("onCompleted callback failed on connection {}", connectionId, e);
            }
        }
    }

    private void resetRequest() {
        method = null;
        knownMethod = null;
        version = null;
        protocol = null;
        targetForm = null;
        rawPath = null;
        rawTarget = null;
        path = null;
        pathBase = "";
        queryString = "";
        authority = null;
        if (!requestHeaders.isEmpty() || requestHeaders.isReadOnly()) {
            requestHeaders.recycle();
        }
        requestBodyOverride = null;
        connectionFlags = 0;
        hostLines = 0;
        expectContinue = false;
        continueSent = false;
        upgradeRequested = false;
        bodyKind = RequestBodyFraming.Kind.NONE;
        bodyRemaining = 0;
        bodyStarted = false;
        bodyComplete = true;
        framing.reset();
        if (chunkedDecoder.payloadBytes() != 0 || chunkedDecoder.isComplete()) {
            chunkedDecoder.reset();
        }
        maxRequestBodySize = limits.maxRequestBodySize();
        minRequestBodyDataRate = limits.minRequestBodyDataRate();
        minResponseDataRate = limits.minResponseDataRate();
        allowSynchronousIO = server.options().allowSynchronousIO();
        traceIdentifier = null;
        abortController = null;
        keepAlive = false;
        bodyReadNanos = 0;
        writeNanos = 0;
        // Volatile stores cost a fence each: store only what changed.
        if (bodyBytesRead != 0) {
            bodyBytesRead = 0;
        }
        if (responseBytesWritten != 0) {
            responseBytesWritten = 0;
        }
        if (appDone) {
            appDone = false;
        }

        statusCode = 200;
        reasonPhrase = null;
        // A response's headers are frozen once sent; the next response gets a fresh collection.
        if (responseHeaders.isReadOnly() || !responseHeaders.isEmpty()) {
            responseHeaders.recycle();
        }
        trailers = null;
        headSent = false;
        onStarting = null;
        onCompleted = null;
        bodyMode = BODY_UNDECIDED;
        declaredLength = -1;
        bodyWritten = 0;
        responseCompleted = false;
        bufferingDisabled = false;
        pendingLength = 0;
        features.reset();
    }

    // --- RequestLineHandler / HeaderHandler: called by the parser ---

    private byte[] lastPathBytes = new byte[0];
    private String lastPath = "";

    @Override
    public void onRequestLine(RequestLine line) {
        knownMethod = line.method();
        method = line.methodName() != null && knownMethod != KnownMethod.OTHER
                ? line.methodName()
                : AsciiStrings.latin1(line.buffer(), line.methodStart(), line.methodEnd());
        version = line.version();
        protocol = version == HttpVersion.HTTP_1_1 ? HTTP_1_1 : HTTP_1_0;
        targetForm = line.targetForm();
        byte[] buf = line.buffer();
        switch (targetForm) {
            case ORIGIN, ABSOLUTE -> {
                rawPath = cachedPath(buf, line.pathStart(), line.pathEnd());
                if (rawPath.isEmpty()) {
                    rawPath = "/";
                }
                path = line.pathHasPercent() ? RequestPaths.decodePath(rawPath) : rawPath;
                queryString = line.hasQuery() ? AsciiStrings.latin1(buf, line.queryStart() - 1, line.queryEnd()) : "";
                if (targetForm == RequestTargetForm.ABSOLUTE) {
                    authority = AsciiStrings.latin1(buf, line.authorityStart(), line.authorityEnd());
                    rawTarget = AsciiStrings.latin1(buf, line.targetStart(), line.targetEnd());
                }
            }
            case AUTHORITY -> {
                authority = AsciiStrings.latin1(buf, line.authorityStart(), line.authorityEnd());
                rawTarget = authority;
                rawPath = "";
                path = "";
            }
            case ASTERISK -> {
                rawTarget = "*";
                rawPath = "";
                path = "";
            }
        }
    }

    /** The same String for the same path bytes as the previous request (keep-alive clients repeat paths). */
    private String cachedPath(byte[] buf, int start, int end) {
        int len = end - start;
        byte[] last = lastPathBytes;
        if (last.length == len && Arrays.equals(buf, start, end, last, 0, len)) {
            return lastPath;
        }
        lastPathBytes = Arrays.copyOfRange(buf, start, end);
        lastPath = AsciiStrings.latin1(buf, start, end);
        return lastPath;
    }

    @Override
    public void onHeader(byte[] buf, int nameStart, int nameEnd, int valueStart, int valueEnd) {
        KnownHeader known = KnownHeader.match(buf, nameStart, nameEnd);
        String name;
        String value;
        if (known != null) {
            name = known.headerName();
            String previous = knownValueCache[known.ordinal()];
            value = cachedValue(known, buf, valueStart, valueEnd);
            switch (known) {
                case HOST -> {
                    if (value != previous) {
                        // The same bytes as the previous request's Host were validated then.
                        HostHeader.validate(buf, valueStart, valueEnd);
                    }
                    hostLines++;
                }
                case CONTENT_LENGTH -> framing.addContentLength(buf, valueStart, valueEnd);
                case TRANSFER_ENCODING -> framing.addTransferEncoding(buf, valueStart, valueEnd);
                case CONNECTION -> connectionFlags |= ConnectionOptions.parse(buf, valueStart, valueEnd);
                // RFC 9110 §10.1.1: a 100-continue expectation in an HTTP/1.0 request MUST be ignored.
                case EXPECT -> expectContinue |= version == HttpVersion.HTTP_1_1
                        && AsciiStrings.equalsIgnoreCase(buf, valueStart, valueEnd, "100-continue");
                case UPGRADE -> upgradeRequested = true;
                default -> { }
            }
        } else {
            name = AsciiStrings.lowerCaseLatin1(buf, nameStart, nameEnd);
            value = AsciiStrings.latin1(buf, valueStart, valueEnd);
        }
        // The parser validated the field line: no second character check.
        requestHeaders.addValidated(name, value);
    }

    /** Reuses the previous request's String for an identical value of the same known header. */
    private String cachedValue(KnownHeader known, byte[] buf, int start, int end) {
        int i = known.ordinal();
        byte[] last = knownValueBytes[i];
        int len = end - start;
        if (last != null && last.length == len && Arrays.equals(buf, start, end, last, 0, len)) {
            return knownValueCache[i];
        }
        String value = AsciiStrings.latin1(buf, start, end);
        if (len <= 256) {
            knownValueBytes[i] = Arrays.copyOfRange(buf, start, end);
            knownValueCache[i] = value;
        }
        return value;
    }

    // --- input ---

    /** Reads more input after {@code inEnd}; false at end of stream. Flushes pending output first. */
    private boolean fill() throws IOException {
        flushOut();
        Thread w;
        synchronized (watchLock) {
            w = watcher;
        }
        if (w != null) {
            return joinWatcher(w);
        }
        prepareRead();
        inBuffer.limit(in.length).position(inEnd);
        int n = transport.read(inBuffer);
        if (n < 0) {
            return false;
        }
        inEnd += n;
        return true;
    }

    private void prepareRead() {
        if (inStart == inEnd) {
            inStart = 0;
            inEnd = 0;
            boolean borrowed = loopBuffers != null && in == loopBuffers.in;
            if (in.length == 0 || (in.length > INITIAL_BUFFER && phase == PHASE_IDLE && !borrowed)) {
                // Give back what a large head grew: idle connections keep only the initial buffer.
                in = new byte[INITIAL_BUFFER];
                inBuffer = ByteBuffer.wrap(in);
            }
        } else if (inEnd == in.length) {
            if (inStart > 0) {
                System.arraycopy(in, inStart, in, 0, inEnd - inStart);
                inEnd -= inStart;
                inStart = 0;
            } else {
                int size = Math.min(Math.max(in.length * 2, INITIAL_BUFFER), Math.max(maxInBuffer, in.length + INITIAL_BUFFER));
                in = Arrays.copyOf(in, size);
                inBuffer = ByteBuffer.wrap(in);
            }
        }
    }

    private boolean joinWatcher(Thread w) throws IOException {
        try {
            w.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        synchronized (watchLock) {
            watcher = null;
        }
        if (watcherError != null) {
            IOException e = watcherError;
            watcherError = null;
            throw e;
        }
        if (watcherResult < 0) {
            return false;
        }
        inEnd += watcherResult;
        return true;
    }

    /**
     * Started by the heartbeat when the application has run for a while with the request body
     * fully received: reads ahead so that a client disconnect aborts the request (the bytes it
     * reads are the next pipelined request's and are kept).
     */
    private void watchForDisconnect() {
        try {
            int n = transport.read(inBuffer);
            watcherResult = n;
            if (n < 0) {
                markAborted("client disconnected");
            }
        } catch (IOException e) {
            watcherError = e;
            markAborted("client connection failed: " + e.getMessage());
        }
    }

    // --- output ---

    private void flushOut() throws IOException {
        int len = out.length();
        if (len == 0) {
            return;
        }
        if (loopTransport != null && loopTransport.inEventLoop()) {
            // Inline on the loop: never block; what the socket does not take waits for writability.
            flushNonBlocking();
            return;
        }
        if (outBuffer.array() != out.array()) {
            outBuffer = ByteBuffer.wrap(out.array());
        }
        outBuffer.limit(len).position(0);
        writeTransport(outBuffer);
        out.reset();
    }

    private void writeTransport(ByteBuffer buffer) throws IOException {
        int len = buffer.remaining();
        writePending = true;
        try {
            transport.write(buffer);
        } catch (IOException e) {
            markAborted("write failed: " + e.getMessage());
            throw new RequestAbortedException("the client connection failed: " + e.getMessage(), e);
        } finally {
            writePending = false;
        }
        responseBytesWritten += len;
    }

    private void writeErrorAndClose(RequestRejectionReason reason, String detail) throws IOException {
        log.debug("Connection {}: rejected request with {} ({}){}", connectionId, reason.statusCode(), reason,
                detail == null ? "" : ": " + detail);
        out.reset();
        out.statusLine(reason.statusCode());
        out.append(CONTENT_LENGTH_0);
        out.append(CONNECTION_CLOSE);
        out.append(server.date().headerLine());
        if (server.options().addServerHeader()) {
            out.append(SERVER_HEADER);
        }
        out.endOfHeaders();
        try {
            flushOut();
            transport.shutdownOutput();
        } catch (IOException | RequestAbortedException e) {
            log.debug("Connection {}: could not send the error response: {}", connectionId, e.toString());
        }
    }

    // --- response ---

    /** Sends the head; decides the body framing. {@code completing}: no more body will follow. */
    private void commitHead(boolean completing) throws IOException {
        if (headSent) {
            return;
        }
        runOnStarting();
        headSent = true;
        responseHeaders.makeReadOnly();
        int status = statusCode;
        // One pass over the response headers finds the ones that shape framing (instead of a scan per name).
        String contentLength = null;
        String transferEncoding = null;
        String connectionHeader = null;
        boolean hasDate = false;
        boolean hasServer = false;
        HttpHeaders fields = responseHeaders;
        for (int i = 0, n = fields.size(); i < n; i++) {
            String name = fields.nameAt(i);
            switch (name.length()) {
                case 4 -> hasDate |= name.equalsIgnoreCase("date");
                case 6 -> hasServer |= name.equalsIgnoreCase("server");
                case 10 -> {
                    if (connectionHeader == null && name.equalsIgnoreCase("connection")) {
                        connectionHeader = fields.valueAt(i);
                    }
                }
                case 14 -> {
                    if (contentLength == null && name.equalsIgnoreCase("content-length")) {
                        contentLength = fields.valueAt(i);
                    }
                }
                case 17 -> {
                    if (transferEncoding == null && name.equalsIgnoreCase("transfer-encoding")) {
                        transferEncoding = fields.valueAt(i);
                    }
                }
                default -> { }
            }
        }
        boolean headRequest = knownMethod == KnownMethod.HEAD;
        boolean addLength = false;
        boolean addChunked = false;
        boolean noContentStatus = status == 204 || (status >= 100 && status < 200);
        // RFC 9110 §9.3.6, §8.6: a 2xx to CONNECT starts a tunnel and has no framing fields. This server
        // tunnels nothing: what the application writes goes out raw and the connection closes after it.
        boolean connectSuccess = knownMethod == KnownMethod.CONNECT && status >= 200 && status < 300;
        // RFC 9110 §6.4.1, §8.6, RFC 9112 §6.1: no Transfer-Encoding in a 1xx, 204, 304 or 2xx to CONNECT,
        // nor to an HTTP/1.0 client (its body is delimited by the close instead).
        boolean dropTransferEncoding = transferEncoding != null && (noContentStatus || status == 304
                || connectSuccess || version == HttpVersion.HTTP_1_0);
        // RFC 9110 §8.6: no Content-Length in a 1xx, 204 or 2xx to CONNECT (a 304 keeps the application's).
        // RFC 9112 §6.2: never together with Transfer-Encoding, which frames the body (§6.3 rule 3).
        boolean dropContentLength = contentLength != null && (noContentStatus || connectSuccess
                || (transferEncoding != null && !dropTransferEncoding));
        if (noContentStatus || status == 304) {
            bodyMode = BODY_NONE;
        } else if (connectSuccess) {
            bodyMode = BODY_CLOSE_DELIMITED;
            keepAlive = false;
        } else if (contentLength != null && !dropContentLength) {
            declaredLength = parseDeclaredLength(contentLength);
            bodyMode = headRequest ? BODY_NONE : BODY_CONTENT_LENGTH;
        } else if (transferEncoding != null) {
            if (!transferEncoding.regionMatches(true, Math.max(0, transferEncoding.length() - 7), "chunked", 0, 7)
                    || version == HttpVersion.HTTP_1_0) {
                // The application framed the body itself with a coding we cannot end: only closing ends it.
                bodyMode = headRequest ? BODY_NONE : BODY_CLOSE_DELIMITED;
                keepAlive = false;
            } else {
                bodyMode = headRequest ? BODY_NONE : BODY_CHUNKED;
            }
        } else if (completing && (trailers == null || trailers.isEmpty())) {
            declaredLength = pendingLength;
            // RFC 9110 §9.3.2, §8.6: a HEAD response the application wrote nothing for gets no
            // Content-Length: 0, which would contradict the length of the GET response.
            addLength = !(headRequest && pendingLength == 0);
            bodyMode = headRequest ? BODY_NONE : BODY_CONTENT_LENGTH;
        } else if (headRequest) {
            bodyMode = BODY_NONE;
        } else if (version == HttpVersion.HTTP_1_1) {
            bodyMode = BODY_CHUNKED;
            addChunked = true;
        } else {
            bodyMode = BODY_CLOSE_DELIMITED;
            keepAlive = false;
        }
        if (server.isStopping() || mustClose) {
            // A rejected body (413, bad chunk) or a stop: the response says the connection closes after it.
            keepAlive = false;
        }
        if (expectContinue && !continueSent && !bodyComplete) {
            // RFC 9110 §10.1.1: a final status before the held-back content; the connection cannot be
            // reused (drainRequestBody gives up on it), so the response says it closes.
            keepAlive = false;
        }
        if (connectionHeader != null && connectionHeader.regionMatches(true, 0, "close", 0, 5)) {
            keepAlive = false;
        }

        if (reasonPhrase == null) {
            out.statusLine(status);
        } else {
            out.append(AsciiStrings.ascii("HTTP/1.1 " + status + " " + sanitizeReason(reasonPhrase) + "\r\n"));
        }
        if (!hasDate) {
            out.append(server.date().headerLine());
        }
        if (server.options().addServerHeader() && !hasServer) {
            out.append(SERVER_HEADER);
        }
        HttpHeaders headers = responseHeaders;
        for (int i = 0, n = headers.size(); i < n; i++) {
            if ((dropTransferEncoding && headers.nameAt(i).equalsIgnoreCase("transfer-encoding"))
                    || (dropContentLength && headers.nameAt(i).equalsIgnoreCase("content-length"))) {
                continue;
            }
            // HttpHeaders checked every name and value on the way in (token, field-value characters).
            out.validatedHeader(headers.nameAt(i), headers.valueAt(i));
        }
        if (addLength && !(status == 204 || status == 304 || status < 200)) {
            out.header(KnownHeader.CONTENT_LENGTH, declaredLength);
        }
        if (addChunked) {
            out.append(TRANSFER_ENCODING_CHUNKED);
        }
        if (!keepAlive && connectionHeader == null && !(status >= 100 && status < 200)) {
            out.append(CONNECTION_CLOSE);
        } else if (keepAlive && version == HttpVersion.HTTP_1_0 && connectionHeader == null) {
            out.append(CONNECTION_KEEP_ALIVE);
        }
        out.endOfHeaders();
        if (pendingLength > 0) {
            int len = pendingLength;
            pendingLength = 0;
            writeFramed(pending, 0, len);
        }
    }

    private static String sanitizeReason(String reason) {
        StringBuilder sb = new StringBuilder(reason.length());
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            sb.append(c == '\t' || (c >= 0x20 && c < 0x7F) ? c : ' ');
        }
        return sb.toString();
    }

    private static long parseDeclaredLength(String value) {
        int n = value.length();
        if (n > 0 && n < 19) {
            // Plain digits, the usual case: no exception machinery, no trimming.
            long v = 0;
            int i = 0;
            for (; i < n; i++) {
                char c = value.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                v = v * 10 + (c - '0');
            }
            if (i == n) {
                return v;
            }
        }
        try {
            long v = Long.parseLong(value.trim());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new IllegalStateException("invalid Content-Length set by the application: " + value);
    }

    private void runOnStarting() throws IOException {
        List<ResponseCallback> callbacks = onStarting;
        onStarting = null;
        if (callbacks == null) {
            return;
        }
        for (int i = callbacks.size() - 1; i >= 0; i--) {
            try {
                callbacks.get(i).run();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }

    private void writeBody(byte[] b, int off, int len) throws IOException {
        if (aborted) {
            throw new RequestAbortedException("the request was aborted");
        }
        if (responseCompleted) {
            throw new IOException("the response body is complete");
        }
        if (len == 0) {
            return;
        }
        if (!headSent) {
            if (!bufferingDisabled && pendingLength + len <= AUTO_CONTENT_LENGTH_LIMIT
                    && responseHeaders.get("content-length") == null) {
                if (pending.length < pendingLength + len) {
                    pending = Arrays.copyOf(pending, Math.max(AUTO_CONTENT_LENGTH_LIMIT / 4,
                            Math.min(AUTO_CONTENT_LENGTH_LIMIT, Integer.highestOneBit(pendingLength + len) << 1)));
                }
                System.arraycopy(b, off, pending, pendingLength, len);
                pendingLength += len;
                return;
            }
            commitHead(false);
        }
        writeFramed(b, off, len);
        if (bufferingDisabled) {
            flushOut();
        }
    }

    private void writeFramed(byte[] b, int off, int len) throws IOException {
        switch (bodyMode) {
            case BODY_NONE -> {
                if (knownMethod != KnownMethod.HEAD) {
                    throw new IllegalStateException("writing a body is not allowed for status " + statusCode);
                }
                bodyWritten += len;
                return;
            }
            case BODY_CONTENT_LENGTH -> {
                if (bodyWritten + len > declaredLength) {
                    mustClose = true;
                    throw new IllegalStateException("Response Content-Length mismatch: too many bytes written ("
                            + (bodyWritten + len) + " of " + declaredLength + ")");
                }
                appendBody(b, off, len);
            }
            case BODY_CHUNKED -> {
                out.chunkHeader(len);
                appendBody(b, off, len);
                out.crlf();
            }
            default -> appendBody(b, off, len);
        }
        bodyWritten += len;
        if (out.length() >= limits.maxResponseBufferSize()) {
            flushOut();
        }
    }

    private void appendBody(byte[] b, int off, int len) throws IOException {
        if (len >= DIRECT_WRITE_THRESHOLD && (loopTransport == null || !loopTransport.inEventLoop())) {
            flushOut();
            writeTransport(ByteBuffer.wrap(b, off, len));
        } else {
            out.append(b, off, len);
        }
    }

    /** Ends the response: head if unsent (with an automatic Content-Length), last chunk and trailers. */
    private void completeResponse() throws IOException {
        if (responseCompleted) {
            return;
        }
        if (!headSent) {
            commitHead(true);
        }
        responseCompleted = true;
        if (bodyMode == BODY_CHUNKED) {
            if (trailers == null || trailers.isEmpty()) {
                out.append(LAST_CHUNK);
            } else {
                out.append(LAST_CHUNK_START);
                for (int i = 0; i < trailers.size(); i++) {
                    String name = trailers.nameAt(i);
                    if (FORBIDDEN_TRAILERS.contains(name.toLowerCase(Locale.ROOT))) {
                        // RFC 9110 §6.5.1 (RFC 9112 §7.1.2): a field that frames, routes or describes the
                        // message is not allowed in a trailer section; it is dropped.
                        log.debug("Connection {}: dropped response trailer field {}", connectionId, name);
                        continue;
                    }
                    out.header(name, trailers.valueAt(i));
                }
                out.endOfHeaders();
            }
        } else if (bodyMode == BODY_CONTENT_LENGTH && bodyWritten < declaredLength) {
            // The client would wait for bytes that never come: close so it sees the response is cut short.
            log.warn("Connection {}: response Content-Length mismatch: {} of {} bytes written; closing",
                    connectionId, bodyWritten, declaredLength);
            mustClose = true;
        } else if (bodyMode == BODY_CLOSE_DELIMITED) {
            keepAlive = false;
        }
    }

    // --- request body ---

    private void startBody() throws IOException {
        if (bodyStarted) {
            return;
        }
        bodyStarted = true;
        if (bodyKind == RequestBodyFraming.Kind.CONTENT_LENGTH && maxRequestBodySize != null
                && bodyRemaining > maxRequestBodySize) {
            mustClose = true;
            throw new BadHttpRequestException("Request body too large: Content-Length " + bodyRemaining
                    + " exceeds the limit of " + maxRequestBodySize + " bytes", 413);
        }
        if (expectContinue && !continueSent && !headSent && !bodyComplete) {
            continueSent = true;
            // RFC 9110 §10.1.1: the 100 goes out only once the application asks for the body.
            out.append(CONTINUE_100);
            flushOut();
        }
    }

    private int readBody(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (aborted) {
            throw new RequestAbortedException("the request was aborted");
        }
        startBody();
        if (bodyComplete) {
            return -1;
        }
        try {
            if (bodyKind == RequestBodyFraming.Kind.CONTENT_LENGTH) {
                if (inStart == inEnd) {
                    fillBody();
                }
                int n = (int) Math.min(Math.min(len, bodyRemaining), inEnd - inStart);
                System.arraycopy(in, inStart, b, off, n);
                inStart += n;
                bodyRemaining -= n;
                bodyBytesRead += n;
                if (bodyRemaining == 0) {
                    bodyComplete = true;
                }
                return n;
            }
            return readChunked(b, off, len);
        } catch (BadRequestException e) {
            mustClose = true;
            throw new BadHttpRequestException(e.reason().description(), e.reason().statusCode());
        }
    }

    private int readChunked(byte[] b, int off, int len) throws IOException {
        ChunkCopy copy = chunkCopy;
        while (true) {
            if (chunkedDecoder.isComplete()) {
                bodyComplete = true;
                return -1;
            }
            if (inStart == inEnd) {
                fillBody();
            }
            copy.target = b;
            copy.offset = off;
            copy.copied = 0;
            // Payload never exceeds the input handed over, so the caller's array cannot overflow.
            int consumed = chunkedDecoder.decode(in, inStart, Math.min(inEnd - inStart, len), copy);
            inStart += consumed;
            int n = copy.copied;
            copy.target = null;
            if (n > 0) {
                bodyBytesRead += n;
                if (maxRequestBodySize != null && chunkedDecoder.payloadBytes() > maxRequestBodySize) {
                    mustClose = true;
                    throw new BadHttpRequestException("Request body too large: more than " + maxRequestBodySize
                            + " bytes", 413);
                }
                return n;
            }
            if (chunkedDecoder.isComplete()) {
                bodyComplete = true;
                return -1;
            }
            if (consumed == 0 && inEnd - inStart >= len && len < inEnd - inStart) {
                // The caller's buffer is smaller than a chunk line: decode with more input.
                len = inEnd - inStart;
            } else if (consumed == 0) {
                fillBody();
            }
        }
    }

    private final ChunkCopy chunkCopy = new ChunkCopy();

    private static final class ChunkCopy implements ChunkedBodyHandler {
        byte[] target;
        int offset;
        int copied;

        @Override
        public void onData(byte[] buf, int off, int len) {
            System.arraycopy(buf, off, target, offset + copied, len);
            copied += len;
        }
    }

    private void fillBody() throws IOException {
        if (inStart == inEnd) {
            inStart = 0;
            inEnd = 0;
        }
        readPending = true;
        boolean more;
        try {
            more = fill();
        } finally {
            readPending = false;
        }
        if (!more) {
            mustClose = true;
            if (timeoutReason == BODY_RATE_TIMEOUT) {
                throw new BadHttpRequestException("Request body data rate below the minimum", 408);
            }
            if (aborted) {
                throw new RequestAbortedException("the request was aborted");
            }
            throw new BadHttpRequestException("Unexpected end of request content", 400);
        }
    }

    /** After the response: consumes what the application left of the body; false if the connection must close. */
    private boolean drainRequestBody() throws IOException {
        if (bodyComplete) {
            return true;
        }
        if (expectContinue && !continueSent) {
            // The client may be waiting for a 100 before sending the body: the body's framing is unknowable now.
            return false;
        }
        if (bodyKind == RequestBodyFraming.Kind.CONTENT_LENGTH && bodyRemaining > MAX_DRAIN) {
            return false;
        }
        Long savedLimit = maxRequestBodySize;
        maxRequestBodySize = null;
        bodyStarted = true;
        byte[] scratch = new byte[4096];
        long drained = 0;
        try {
            int n;
            while ((n = readBody(scratch, 0, scratch.length)) >= 0) {
                drained += n;
                if (drained > MAX_DRAIN) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        } finally {
            maxRequestBodySize = savedLimit;
        }
    }

    // --- heartbeat ---

    private void setPhase(int p) {
        // The heartbeat's clock (refreshed each tick) is precise enough for timeouts checked once a second.
        phase = p;
        phaseStartNanos = server.nowNanos();
    }

    @Override
    public void onHeartbeat(long now) {
        long delta = lastTickNanos == 0 ? 0 : now - lastTickNanos;
        lastTickNanos = now;
        int p = phase;
        // Phases start on the heartbeat's clock, which lags real time by up to one tick: a timeout
        // fires once it has surely elapsed (between timeout and timeout + two ticks), never early.
        long inPhase = now - phaseStartNanos - TICK_NANOS;
        switch (p) {
            case PHASE_IDLE -> {
                if (inPhase > limits.keepAliveTimeout().toNanos()) {
                    timeout(KEEP_ALIVE_TIMEOUT);
                }
            }
            case PHASE_HEAD -> {
                if (inPhase > limits.requestHeadersTimeout().toNanos()) {
                    timeout(REQUEST_HEADERS_TIMEOUT);
                }
            }
            case PHASE_APP -> {
                if (readPending) {
                    bodyReadNanos += delta;
                    MinDataRate rate = minRequestBodyDataRate;
                    if (rate != null && belowRate(bodyBytesRead, bodyReadNanos, rate)) {
                        timeout(BODY_RATE_TIMEOUT);
                    }
                }
                if (writePending) {
                    writeNanos += delta;
                    MinDataRate rate = minResponseDataRate;
                    if (rate != null && belowRate(responseBytesWritten, writeNanos, rate)) {
                        log.debug("Connection {}: response data rate below {} B/s; aborting", connectionId, rate.bytesPerSecond());
                        abortConnection(RESPONSE_RATE_TIMEOUT);
                    }
                }
                maybeStartWatcher(inPhase);
            }
            default -> { }
        }
    }

    private static final long TICK_NANOS = 1_000_000_000L;

    private static boolean belowRate(long bytes, long nanos, MinDataRate rate) {
        if (nanos <= rate.gracePeriod().toNanos()) {
            return false;
        }
        return bytes < rate.bytesPerSecond() * (nanos / 1e9);
    }

    private void maybeStartWatcher(long inPhase) {
        if (inPhase < 1_000_000_000L || !bodyComplete || readPending || upgraded
                || (loopTransport != null && !threadMode)) {
            // Inline on the loop the connection's buffers are the loop's: no read-ahead from another thread.
            return;
        }
        synchronized (watchLock) {
            if (watcher != null || appDone || phase != PHASE_APP) {
                return;
            }
            // Room to read into without touching bytes the connection still owns.
            if (inStart == inEnd) {
                inStart = 0;
                inEnd = 0;
                if (in.length == 0) {
                    // Served inline until now, the connection holds no input buffer of its own.
                    in = new byte[INITIAL_BUFFER];
                    inBuffer = ByteBuffer.wrap(in);
                }
            }
            if (inEnd == in.length) {
                return;
            }
            inBuffer.limit(in.length).position(inEnd);
            watcherResult = 0;
            watcherError = null;
            watcher = Thread.ofVirtual().name("lanner-watch-" + connectionId).start(this::watchForDisconnect);
        }
    }

    private void timeout(String reason) {
        timeoutReason = reason;
        log.debug("Connection {}: {}", connectionId, reason);
        try {
            // Wakes the blocked read with end-of-stream; the connection loop then answers (408) and closes.
            transport.shutdownInput();
        } catch (IOException e) {
            abortConnection(reason);
        }
    }

    @Override
    public boolean closeIfIdle() {
        if (phase == PHASE_IDLE) {
            timeoutReason = STOPPING;
            try {
                transport.shutdownInput();
            } catch (IOException e) {
                abortConnection(STOPPING);
            }
            return true;
        }
        return phase == PHASE_CLOSED;
    }

    @Override
    public void abort(String reason) {
        abortConnection(reason);
    }

    private void abortConnection(String reason) {
        markAborted(reason);
        try {
            transport.close();
        } catch (IOException ignored) {
            // already broken
        }
    }

    private void markAborted(String reason) {
        if (!aborted) {
            aborted = true;
            log.debug("Connection {}: request aborted: {}", connectionId, reason);
            fireAbort();
        }
    }

    private void fireAbort() {
        AbortController controller;
        synchronized (this) {
            controller = abortController;
        }
        if (controller != null) {
            controller.abort();
        }
    }

    // --- HttpRequestFeature ---

    @Override public String protocol() { return protocol; }
    @Override public void setProtocol(String protocol) { this.protocol = protocol; }
    @Override public String scheme() { return scheme; }
    @Override public void setScheme(String scheme) { this.scheme = scheme; }
    @Override public String method() { return method; }
    @Override public void setMethod(String method) { this.method = method; }
    @Override public String pathBase() { return pathBase; }
    @Override public void setPathBase(String pathBase) { this.pathBase = pathBase == null ? "" : pathBase; }
    @Override public String path() { return path; }
    @Override public void setPath(String path) { this.path = path == null ? "" : path; }
    @Override public String queryString() { return queryString; }
    @Override public void setQueryString(String queryString) { this.queryString = queryString == null ? "" : queryString; }

    @Override
    public String rawTarget() {
        if (rawTarget == null) {
            rawTarget = queryString.isEmpty() ? rawPath : rawPath + queryString;
        }
        return rawTarget;
    }

    @Override public void setRawTarget(String rawTarget) { this.rawTarget = rawTarget; }
    @Override public HttpHeaders headers() { return requestHeaders; }
    @Override public void setHeaders(HttpHeaders headers) { this.requestHeaders = headers; }

    @Override
    public InputStream body() {
        return requestBodyOverride != null ? requestBodyOverride : requestBody;
    }

    @Override
    public void setBody(InputStream body) {
        this.requestBodyOverride = body;
    }

    private final class RequestBodyStream extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            checkSynchronousIO();
            return readBody(b, off, len);
        }

        /** Copies straight from the connection's input buffer: no intermediate array per call. */
        @Override
        public long transferTo(OutputStream target) throws IOException {
            checkSynchronousIO();
            if (bodyKind != RequestBodyFraming.Kind.CONTENT_LENGTH) {
                return super.transferTo(target);
            }
            startBody();
            long total = 0;
            try {
                while (!bodyComplete) {
                    if (aborted) {
                        throw new RequestAbortedException("the request was aborted");
                    }
                    if (inStart == inEnd) {
                        fillBody();
                    }
                    int n = (int) Math.min(bodyRemaining, inEnd - inStart);
                    int from = inStart;
                    inStart += n;
                    bodyRemaining -= n;
                    bodyBytesRead += n;
                    if (bodyRemaining == 0) {
                        bodyComplete = true;
                    }
                    target.write(in, from, n);
                    total += n;
                }
            } catch (BadRequestException e) {
                mustClose = true;
                throw new BadHttpRequestException(e.reason().description(), e.reason().statusCode());
            }
            return total;
        }

        @Override
        public int available() {
            if (bodyComplete || bodyKind != RequestBodyFraming.Kind.CONTENT_LENGTH) {
                return 0;
            }
            return (int) Math.min(bodyRemaining, inEnd - inStart);
        }
    }

    private void checkSynchronousIO() {
        if (!allowSynchronousIO) {
            throw new IllegalStateException("Synchronous operations are disallowed (HttpBodyControlFeature.allowSynchronousIO is false)");
        }
    }

    // --- HttpResponseFeature (a separate object: its headers() would clash with the request's) ---

    private void checkNotStarted() {
        if (headSent) {
            throw new IllegalStateException("the response has already started");
        }
    }

    final HttpResponseFeature responseFeature = new HttpResponseFeature() {
        @Override
        public int statusCode() {
            return statusCode;
        }

        @Override
        public void setStatusCode(int status) {
            checkNotStarted();
            statusCode = status;
        }

        @Override
        public String reasonPhrase() {
            return reasonPhrase;
        }

        @Override
        public void setReasonPhrase(String reason) {
            checkNotStarted();
            reasonPhrase = reason;
        }

        @Override
        public HttpHeaders headers() {
            return responseHeaders;
        }

        @Override
        public void setHeaders(HttpHeaders headers) {
            checkNotStarted();
            responseHeaders = headers;
        }

        @Override
        public boolean hasStarted() {
            return headSent;
        }

        @Override
        public void onStarting(ResponseCallback callback) {
            checkNotStarted();
            if (onStarting == null) {
                onStarting = new ArrayList<>(2);
            }
            onStarting.add(callback);
        }

        @Override
        public void onCompleted(ResponseCallback callback) {
            if (onCompleted == null) {
                onCompleted = new ArrayList<>(2);
            }
            onCompleted.add(callback);
        }
    };

    // --- HttpResponseBodyFeature ---

    @Override
    public OutputStream stream() {
        return responseBody;
    }

    @Override
    public void start() throws IOException {
        commitHead(false);
    }

    @Override
    public void complete() throws IOException {
        completeResponse();
        flushOut();
    }

    @Override
    public void sendFile(Path file, long offset, long count) throws IOException {
        try (InputStream input = Files.newInputStream(file)) {
            input.skipNBytes(offset);
            long left = count < 0 ? Long.MAX_VALUE : count;
            byte[] chunk = new byte[16 * 1024];
            while (left > 0) {
                int n = input.read(chunk, 0, (int) Math.min(chunk.length, left));
                if (n < 0) {
                    break;
                }
                writeBody(chunk, 0, n);
                left -= n;
            }
        }
    }

    @Override
    public void disableBuffering() {
        bufferingDisabled = true;
    }

    private final class ResponseBodyStream extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            checkSynchronousIO();
            writeBody(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (aborted || responseCompleted) {
                return;
            }
            commitHead(false);
            flushOut();
        }
    }

    // --- HttpRequestLifetimeFeature ---

    @Override
    public AbortSignal requestAborted() {
        AbortController controller;
        synchronized (this) {
            if (abortController == null) {
                abortController = new AbortController();
            }
            controller = abortController;
        }
        if (aborted) {
            controller.abort();
        }
        return controller;
    }

    @Override
    public void abort() {
        abortConnection("aborted by the application");
    }

    // --- HttpRequestIdentifierFeature ---

    @Override
    public String traceIdentifier() {
        if (traceIdentifier == null) {
            traceIdentifier = connectionId + ":" + Long.toString(requestCount, 16).toUpperCase();
        }
        return traceIdentifier;
    }

    @Override
    public void setTraceIdentifier(String id) {
        traceIdentifier = id;
    }

    // --- HttpMaxRequestBodySizeFeature ---

    @Override
    public boolean isReadOnly() {
        return bodyStarted || upgraded;
    }

    @Override
    public Long maxRequestBodySize() {
        return maxRequestBodySize;
    }

    @Override
    public void setMaxRequestBodySize(Long bytes) {
        if (isReadOnly()) {
            throw new IllegalStateException("the request body has already been read from");
        }
        if (bytes != null && bytes < 0) {
            throw new IllegalArgumentException("negative body size limit: " + bytes);
        }
        maxRequestBodySize = bytes;
    }

    // --- data rates ---

    @Override
    public MinDataRate minDataRate() {
        return minRequestBodyDataRate;
    }

    @Override
    public void setMinDataRate(MinDataRate rate) {
        minRequestBodyDataRate = rate;
    }

    /** The response side of the data-rate features (a second interface with the same method names). */
    final HttpMinResponseDataRateFeature responseRateFeature = new HttpMinResponseDataRateFeature() {
        @Override
        public MinDataRate minDataRate() {
            return minResponseDataRate;
        }

        @Override
        public void setMinDataRate(MinDataRate rate) {
            minResponseDataRate = rate;
        }
    };

    // --- HttpBodyControlFeature ---

    @Override public boolean allowSynchronousIO() { return allowSynchronousIO; }
    @Override public void setAllowSynchronousIO(boolean allow) { allowSynchronousIO = allow; }

    // --- HttpUpgradeFeature ---

    @Override
    public boolean isUpgradableRequest() {
        return upgradeRequested && (connectionFlags & ConnectionOptions.UPGRADE) != 0
                && version == HttpVersion.HTTP_1_1 && bodyKind == RequestBodyFraming.Kind.NONE;
    }

    @Override
    public UpgradedConnection upgrade() throws IOException {
        if (!isUpgradableRequest()) {
            throw new IllegalStateException("the request is not upgradable (needs HTTP/1.1, Connection: upgrade, Upgrade, no body)");
        }
        if (headSent) {
            throw new IllegalStateException("the response has already started");
        }
        Long max = limits.maxConcurrentUpgradedConnections();
        if (max != null && server.upgradedConnections().incrementAndGet() > max) {
            server.upgradedConnections().decrementAndGet();
            throw new IllegalStateException("the limit of " + max + " upgraded connections is reached");
        } else if (max == null) {
            server.upgradedConnections().incrementAndGet();
        }
        upgraded = true;
        statusCode = 101;
        responseHeaders.set("Connection", "Upgrade");
        if (!responseHeaders.contains("upgrade")) {
            responseHeaders.set("Upgrade", requestHeaders.get("upgrade"));
        }
        keepAlive = true;
        commitHead(false);
        bodyMode = BODY_CLOSE_DELIMITED;
        responseCompleted = true;
        flushOut();
        setPhase(PHASE_UPGRADED);
        upgradedConnection = new Upgraded();
        return upgradedConnection;
    }

    private final class Upgraded implements UpgradedConnection {
        private final InputStream input = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (inStart == inEnd) {
                    inStart = 0;
                    inEnd = 0;
                    if (!fill()) {
                        return -1;
                    }
                }
                int n = Math.min(len, inEnd - inStart);
                System.arraycopy(in, inStart, b, off, n);
                inStart += n;
                return n;
            }
        };

        private final OutputStream output = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                transport.write(ByteBuffer.wrap(b, off, len));
            }
        };

        private boolean closed;

        @Override
        public InputStream input() {
            return input;
        }

        @Override
        public OutputStream output() {
            return output;
        }

        @Override
        public synchronized void close() throws IOException {
            // Synchronized: the application may close from another thread while the connection ends.
            if (!closed) {
                closed = true;
                server.upgradedConnections().decrementAndGet();
                transport.close();
            }
        }
    }

    // --- HttpResponseTrailersFeature ---

    @Override
    public HttpHeaders trailers() {
        if (trailers == null) {
            trailers = new HttpHeaders(4);
        }
        return trailers;
    }

    // --- HostContextContainer ---

    private Object hostContext;

    @Override
    public Object hostContext() {
        return hostContext;
    }

    @Override
    public void setHostContext(Object context) {
        hostContext = context;
    }

    // --- HttpConnectionFeature ---

    private InetAddress remoteAddressOverride;
    private int remotePortOverride = -1;

    @Override public String connectionId() { return connectionId; }

    @Override
    public InetAddress remoteAddress() {
        if (remoteAddressOverride != null) {
            return remoteAddressOverride;
        }
        return connection.remoteAddress() instanceof InetSocketAddress r ? r.getAddress() : null;
    }

    @Override public void setRemoteAddress(InetAddress address) { remoteAddressOverride = address; }

    @Override
    public int remotePort() {
        if (remotePortOverride >= 0) {
            return remotePortOverride;
        }
        return connection.remoteAddress() instanceof InetSocketAddress r ? r.getPort() : 0;
    }

    @Override public void setRemotePort(int port) { remotePortOverride = port; }
    @Override public InetAddress localAddress() { return localAddress; }
    @Override public int localPort() { return localPort; }

    /** For tests and diagnostics. */
    @Override
    public String toString() {
        return "Http1Connection[" + connectionId + ", phase " + phase + "]";
    }
}
