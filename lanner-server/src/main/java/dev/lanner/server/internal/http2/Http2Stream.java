package dev.lanner.server.internal.http2;

import dev.lanner.http.AbortController;
import dev.lanner.http.AbortSignal;
import dev.lanner.http.BadHttpRequestException;
import dev.lanner.http.HttpHeaders;
import dev.lanner.http.RequestAbortedException;
import dev.lanner.http.features.HostContextContainer;
import dev.lanner.http.features.HttpBodyControlFeature;
import dev.lanner.http.features.HttpConnectionFeature;
import dev.lanner.http.features.HttpMaxRequestBodySizeFeature;
import dev.lanner.http.features.HttpMinRequestBodyDataRateFeature;
import dev.lanner.http.features.HttpMinResponseDataRateFeature;
import dev.lanner.http.features.HttpRequestFeature;
import dev.lanner.http.features.HttpRequestIdentifierFeature;
import dev.lanner.http.features.HttpRequestLifetimeFeature;
import dev.lanner.http.features.HttpResetFeature;
import dev.lanner.http.features.HttpResponseBodyFeature;
import dev.lanner.http.features.HttpResponseFeature;
import dev.lanner.http.features.HttpResponseTrailersFeature;
import dev.lanner.http.features.HttpStreamIdFeature;
import dev.lanner.http.features.MinDataRate;
import dev.lanner.http.features.ResponseCallback;
import dev.lanner.server.internal.http2.flow.InputFlowWindow;
import dev.lanner.server.internal.http2.flow.OutputFlowWindow;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One HTTP/2 request-response exchange (RFC 9113 §5, §8): the request as the application sees it
 * (the same features as HTTP/1.1) and the response it writes. The connection's reader thread
 * feeds the request body in; response bytes queue here and leave as DATA frames as the flow
 * control windows allow, under the connection's write lock.
 */
final class Http2Stream implements HttpRequestFeature, HttpResponseBodyFeature, HttpRequestLifetimeFeature,
        HttpConnectionFeature, HttpRequestIdentifierFeature, HttpMaxRequestBodySizeFeature, HttpBodyControlFeature,
        HttpResponseTrailersFeature, HttpResetFeature, HttpStreamIdFeature, HostContextContainer {

    /** Writes before the head is committed are held back up to this size: a small response leaves as HEADERS + one DATA frame with END_STREAM and a content-length. */
    private static final int AUTO_CONTENT_LENGTH_LIMIT = 16 * 1024;
    private static final byte[] NO_BYTES = new byte[0];

    final Http2Connection connection;
    final int id;
    final Http2Features features;

    // Request, filled by the reader thread before the application runs.
    String method;
    String scheme;
    String path = "";
    String pathBase = "";
    String queryString = "";
    String rawTarget;
    String authority;
    HttpHeaders requestHeaders = new HttpHeaders(12);
    InputStream requestBodyOverride;
    long declaredRequestLength = -1;
    long receivedRequestBytes;
    private String protocol = "HTTP/2";
    private String traceIdentifier;
    private Long maxRequestBodySize;
    private boolean allowSynchronousIO;
    private boolean bodyReadStarted;
    private MinDataRate minRequestBodyDataRate;
    /** Time the application has spent waiting for request body bytes (the rate's clock, as Kestrel's). */
    private long bodyWaitNanos;
    /** When the stream opened: the body-rate clock of a body collected before an inline run. */
    final long openedNanos = System.nanoTime();
    private Object hostContext;

    // Request body: bytes received and not yet read, guarded by this stream's monitor.
    private byte[] body = NO_BYTES;
    private int bodyStart;
    private int bodyEnd;
    final InputFlowWindow inputWindow;

    // Stream state (RFC 9113 §5.1).
    volatile boolean remoteClosed;   // END_STREAM received (half-closed remote)
    volatile boolean localClosed;    // END_STREAM sent
    volatile boolean reset;          // RST_STREAM sent or received
    volatile boolean appDone;
    /** Counted in the connection's reset-but-running streams (guarded by this stream's monitor). */
    boolean countedAsRunningAfterReset;
    /** The RST_STREAM came from the server (frames still in flight from the client are ignored). */
    volatile boolean resetByServer;
    /** More body arrived than maxRequestBodySize allows: reading fails with 413. */
    volatile boolean bodyTooLarge;
    /** The declared content-length is above maxRequestBodySize: answered 413 without the application. */
    boolean tooLargeDeclared;
    volatile boolean dispatched;
    private final AbortController abortController = new AbortController();

    // Response, written by the application thread; the queue drains under the connection's write lock.
    int statusCode = 200;
    private String reasonPhrase;
    HttpHeaders responseHeaders = new HttpHeaders(8);
    HttpHeaders trailers;
    boolean headSent;
    private boolean completed;
    boolean bufferingDisabled;
    private List<ResponseCallback> onStarting;
    private List<ResponseCallback> onCompleted;
    final OutputFlowWindow outputWindow;
    /** Response body octets not yet framed: [pendingStart, pendingEnd). Guarded by the write lock once the head is sent. */
    byte[] pending = NO_BYTES;
    int pendingStart;
    int pendingEnd;
    /** The application finished the body; END_STREAM (or trailers) go after the pending octets. */
    boolean endRequested;
    long responseBytes;

    Http2Stream(Http2Connection connection, int id, int initialReceiveWindow, long initialSendWindow) {
        this.connection = connection;
        this.id = id;
        this.inputWindow = new InputFlowWindow(initialReceiveWindow);
        this.outputWindow = new OutputFlowWindow(initialSendWindow);
        this.features = new Http2Features(this, connection.connectionFeatures());
        this.allowSynchronousIO = connection.allowSynchronousIO();
        this.maxRequestBodySize = connection.maxRequestBodySize();
        this.minRequestBodyDataRate = connection.minRequestBodyDataRate();
    }

    boolean isHead() {
        return "HEAD".equals(method);
    }

    int pendingLength() {
        return pendingEnd - pendingStart;
    }

    // --- request body, fed by the reader thread ---

    synchronized void appendBody(byte[] src, int off, int len) {
        if (len == 0) {
            return;
        }
        if (bodyEnd + len > body.length) {
            int live = bodyEnd - bodyStart;
            if (live + len <= body.length && bodyStart > 0) {
                System.arraycopy(body, bodyStart, body, 0, live);
            } else {
                byte[] bigger = new byte[Math.max(live + len, Math.max(4096, body.length * 2))];
                System.arraycopy(body, bodyStart, bigger, 0, live);
                body = bigger;
            }
            bodyStart = 0;
            bodyEnd = live;
        }
        System.arraycopy(src, off, body, bodyEnd, len);
        bodyEnd += len;
        notifyAll();
    }

    synchronized int bufferedBody() {
        return bodyEnd - bodyStart;
    }

    /** Wakes a reader blocked on the body (end of stream, reset, connection gone). */
    synchronized void wakeBodyReader() {
        notifyAll();
    }

    private final class RequestBodyStream extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            bodyReadStarted = true;
            int n;
            synchronized (Http2Stream.this) {
                if (bodyTooLarge) {
                    throw new BadHttpRequestException("Request body too large", 413);
                }
                while (bodyEnd == bodyStart) {
                    if (reset) {
                        throw new RequestAbortedException("the request was reset");
                    }
                    if (remoteClosed) {
                        return -1;
                    }
                    checkSynchronousIO();
                    try {
                        MinDataRate rate = minRequestBodyDataRate;
                        long waitStart = System.nanoTime();
                        // With a minimum rate, wake up to check it; the clock runs only while the application waits.
                        Http2Stream.this.wait(rate == null ? 0 : BODY_RATE_CHECK_MILLIS);
                        bodyWaitNanos += System.nanoTime() - waitStart;
                        if (rate != null && bodyEnd == bodyStart && !remoteClosed && !reset
                                && bodyWaitNanos > rate.gracePeriod().toNanos()
                                && receivedRequestBytes < rate.bytesPerSecond() * (bodyWaitNanos / 1e9)) {
                            throw new BadHttpRequestException(
                                    "Reading the request body timed out due to data arriving too slowly", 408);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("interrupted while reading the request body");
                    }
                }
                n = Math.min(len, bodyEnd - bodyStart);
                System.arraycopy(body, bodyStart, b, off, n);
                bodyStart += n;
                if (bodyStart == bodyEnd) {
                    bodyStart = 0;
                    bodyEnd = 0;
                }
            }
            connection.onBodyConsumed(Http2Stream.this, n);
            return n;
        }

        @Override
        public int available() {
            return bufferedBody();
        }
    }

    private final RequestBodyStream requestBody = new RequestBodyStream();

    /** Checks the request body size against the limit as DATA arrives; true when over it. */
    boolean exceedsBodyLimit() {
        Long max = maxRequestBodySize;
        return max != null && receivedRequestBytes > max;
    }

    // --- application run ---

    void runApplication() {
        connection.runApplication(this);
    }

    void fireAbort() {
        abortController.abort();
    }

    List<ResponseCallback> takeOnCompleted() {
        List<ResponseCallback> callbacks = onCompleted;
        onCompleted = null;
        return callbacks;
    }

    /** Runs the onStarting callbacks (outside any lock: they are application code). */
    void runOnStarting() throws IOException {
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

    /** Prepares a failure response when the application threw before the head went out. */
    void resetResponseForError(int status) {
        responseHeaders.clear();
        statusCode = status;
        reasonPhrase = null;
        trailers = null;
        pendingStart = 0;
        pendingEnd = 0;
    }

    boolean isCompleted() {
        return completed;
    }

    // --- response body ---

    private void writeBody(byte[] b, int off, int len) throws IOException {
        if (reset) {
            throw new RequestAbortedException("the stream was reset");
        }
        if (completed) {
            throw new IOException("the response body is complete");
        }
        if (len == 0) {
            return;
        }
        checkSynchronousIO();
        if (!headSent) {
            if (!bufferingDisabled && pendingEnd + len <= AUTO_CONTENT_LENGTH_LIMIT) {
                appendPending(b, off, len);
                return;
            }
            connection.commitHead(this, false);
        }
        if (isHead()) {
            return;
        }
        connection.writeData(this, b, off, len);
    }

    /** Appends to the unframed response octets; under the write lock once the head is sent. */
    void appendPending(byte[] b, int off, int len) {
        if (pendingEnd + len > pending.length) {
            int live = pendingEnd - pendingStart;
            if (live + len <= pending.length && pendingStart > 0) {
                System.arraycopy(pending, pendingStart, pending, 0, live);
            } else {
                pending = Arrays.copyOf(Arrays.copyOfRange(pending, pendingStart, pendingEnd),
                        Math.max(live + len, Math.max(1024, Math.min(pending.length * 2, live + len + 64 * 1024))));
            }
            pendingStart = 0;
            pendingEnd = live;
        }
        System.arraycopy(b, off, pending, pendingEnd, len);
        pendingEnd += len;
    }

    void completeResponse() throws IOException {
        if (completed) {
            return;
        }
        if (reset) {
            completed = true;
            return;
        }
        if (!headSent) {
            if (isHead()) {
                pendingStart = 0;
                pendingEnd = 0;
            }
            connection.commitHead(this, true);
        } else {
            connection.endStream(this);
        }
        completed = true;
    }

    private void checkSynchronousIO() {
        if (!allowSynchronousIO) {
            throw new IllegalStateException("Synchronous operations are disallowed (HttpBodyControlFeature.allowSynchronousIO is false)");
        }
    }

    private final OutputStream responseStream = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            writeBody(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (!headSent && !completed && !reset) {
                connection.commitHead(Http2Stream.this, false);
            }
            connection.flushFromApplication();
        }
    };

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
    @Override public String rawTarget() { return rawTarget; }
    @Override public void setRawTarget(String rawTarget) { this.rawTarget = rawTarget; }
    @Override public HttpHeaders headers() { return requestHeaders; }
    @Override public void setHeaders(HttpHeaders headers) { this.requestHeaders = headers; }

    @Override
    public InputStream body() {
        return requestBodyOverride != null ? requestBodyOverride : requestBody;
    }

    @Override
    public void setBody(InputStream body) {
        requestBodyOverride = body;
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
            if (status < 100 || status > 999) {
                throw new IllegalArgumentException("status code out of range: " + status);
            }
            statusCode = status;
        }

        @Override
        public String reasonPhrase() {
            return reasonPhrase;
        }

        @Override
        public void setReasonPhrase(String reason) {
            checkNotStarted();
            reasonPhrase = reason; // RFC 9113 §8.3.2: HTTP/2 carries no reason phrase
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

    private static final long BODY_RATE_CHECK_MILLIS = 250;

    /**
     * For a body the server collects before an inline run (nobody reads it yet): whether it has
     * been arriving below the minimum rate since the stream opened. If so the stream's body clock
     * starts at that elapsed time, so that the application's next wait for data fails with 408.
     */
    boolean collectedBodyBelowRate(long now) {
        MinDataRate rate = minRequestBodyDataRate;
        long elapsed = now - openedNanos;
        if (rate == null || elapsed <= rate.gracePeriod().toNanos()
                || receivedRequestBytes >= rate.bytesPerSecond() * (elapsed / 1e9)) {
            return false;
        }
        synchronized (this) {
            bodyWaitNanos = Math.max(bodyWaitNanos, elapsed);
        }
        return true;
    }

    /** The per-request minimum request body rate (Kestrel's {@code IHttpMinRequestBodyDataRateFeature}). */
    final HttpMinRequestBodyDataRateFeature requestRateFeature = new HttpMinRequestBodyDataRateFeature() {
        @Override
        public MinDataRate minDataRate() {
            return minRequestBodyDataRate;
        }

        @Override
        public void setMinDataRate(MinDataRate rate) {
            minRequestBodyDataRate = rate;
        }
    };

    final HttpMinResponseDataRateFeature responseRateFeature = new HttpMinResponseDataRateFeature() {
        @Override
        public MinDataRate minDataRate() {
            return connection.minResponseDataRate();
        }

        @Override
        public void setMinDataRate(MinDataRate rate) {
            // HTTP/2 enforces the rate per connection (RFC 9113 flow control is shared); see docs/server.md.
        }
    };

    // --- HttpResponseBodyFeature ---

    @Override
    public OutputStream stream() {
        return responseStream;
    }

    @Override
    public void start() throws IOException {
        if (!headSent && !reset) {
            connection.commitHead(this, false);
        }
    }

    @Override
    public void complete() throws IOException {
        completeResponse();
    }

    @Override
    public void sendFile(Path file, long offset, long count) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long remaining = count < 0 ? channel.size() - offset : count;
            java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(16 * 1024);
            long position = offset;
            while (remaining > 0) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), remaining));
                int n = channel.read(chunk, position);
                if (n < 0) {
                    throw new IOException("file " + file + " ended before " + count + " bytes");
                }
                writeBody(chunk.array(), 0, n);
                position += n;
                remaining -= n;
            }
        }
    }

    @Override
    public void disableBuffering() {
        bufferingDisabled = true;
    }

    // --- HttpRequestLifetimeFeature ---

    @Override
    public AbortSignal requestAborted() {
        return abortController.signal();
    }

    @Override
    public void abort() {
        connection.resetStream(this, Http2ErrorCode.CANCEL);
    }

    // --- HttpResetFeature, HttpStreamIdFeature ---

    @Override
    public void reset(int errorCode) {
        Http2ErrorCode code = errorCode >= 0 && errorCode < Http2ErrorCode.values().length
                ? Http2ErrorCode.values()[errorCode] : Http2ErrorCode.INTERNAL_ERROR;
        connection.resetStream(this, code);
    }

    @Override
    public int streamId() {
        return id;
    }

    // --- HttpConnectionFeature ---

    @Override public String connectionId() { return connection.connectionId(); }
    @Override public InetAddress remoteAddress() { return connection.remoteInetAddress(); }
    @Override public void setRemoteAddress(InetAddress address) { connection.setRemoteInetAddress(address); }
    @Override public int remotePort() { return connection.remotePort(); }
    @Override public void setRemotePort(int port) { connection.setRemotePort(port); }
    @Override public InetAddress localAddress() { return connection.localInetAddress(); }
    @Override public int localPort() { return connection.localPort(); }

    // --- HttpRequestIdentifierFeature ---

    @Override
    public String traceIdentifier() {
        if (traceIdentifier == null) {
            traceIdentifier = connection.connectionId() + ":" + Integer.toString(id, 16).toUpperCase();
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
        return bodyReadStarted;
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
        if (exceedsBodyLimit() || (bytes != null && declaredRequestLength > bytes)) {
            bodyTooLarge = true; // the next read fails with 413
        }
    }

    // --- HttpBodyControlFeature ---

    @Override public boolean allowSynchronousIO() { return allowSynchronousIO; }
    @Override public void setAllowSynchronousIO(boolean allow) { allowSynchronousIO = allow; }

    // --- HttpResponseTrailersFeature ---

    @Override
    public HttpHeaders trailers() {
        if (trailers == null) {
            trailers = new HttpHeaders(2);
        }
        return trailers;
    }

    // --- HostContextContainer ---

    @Override
    public Object hostContext() {
        return hostContext;
    }

    @Override
    public void setHostContext(Object context) {
        hostContext = context;
    }
}
