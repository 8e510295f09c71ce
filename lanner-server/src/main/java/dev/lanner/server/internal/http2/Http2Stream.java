package dev.lanner.server.internal.http2;

import dev.lanner.http.AbortController;
import dev.lanner.http.AbortSignal;
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
import dev.lanner.http.features.HttpRequestSuspensionFeature;
import dev.lanner.http.features.HttpResetFeature;
import dev.lanner.http.features.HttpResponseBodyFeature;
import dev.lanner.http.features.HttpResponseFeature;
import dev.lanner.http.features.HttpResponseTrailersFeature;
import dev.lanner.http.features.HttpStreamIdFeature;
import dev.lanner.http.features.MinDataRate;
import dev.lanner.http.server.core.EndOfContent;
import dev.lanner.http.server.core.FeatureTable;
import dev.lanner.http.server.core.FileSender;
import dev.lanner.http.server.core.RequestConnectionFeature;
import dev.lanner.http.server.core.RequestFeatureCollection;
import dev.lanner.http.server.core.RequestLifecycle;
import dev.lanner.http.server.core.RequestSuspension;
import dev.lanner.http.server.core.ResponseCallbacks;
import dev.lanner.http.server.core.ResponseState;
import dev.lanner.http.server.core.ServerExchange;
import dev.lanner.http.server.core.SynchronousIO;
import dev.lanner.server.internal.http2.flow.InputFlowWindow;
import dev.lanner.server.internal.http2.flow.OutputFlowWindow;
import dev.lanner.server.internal.infrastructure.ServerTrace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/2 request-response exchange (RFC 9113 §5, §8) as the application sees it: the same features
 * as HTTP/1.1, run through the one {@link RequestLifecycle} (this is its {@link ServerExchange}). Three
 * threads touch it, each through its own part: the connection's reader thread fills the request and
 * feeds the body ({@link Http2RequestBody}); the application's thread (the reader itself for an inline
 * run) reads, writes and completes; the {@link Http2ConnectionWriter} frames the queued response under
 * its lock. The protocol state is one {@link Http2StreamState}, swapped atomically by whichever side
 * moves it.
 */
final class Http2Stream implements ServerExchange, HttpRequestFeature, HttpResponseBodyFeature,
        HttpRequestLifetimeFeature, HttpRequestIdentifierFeature, HttpMaxRequestBodySizeFeature, HttpBodyControlFeature,
        HttpResponseTrailersFeature, HttpResetFeature, HttpStreamIdFeature, HostContextContainer {

    private static final Logger log = LoggerFactory.getLogger(Http2Stream.class);

    /** The built-in features of a stream, written once: lookup and enumeration both read it. */
    static final FeatureTable<Http2Stream> FEATURES = FeatureTable.<Http2Stream>builder()
            .addImplementedByRequest(HttpRequestFeature.class)
            .add(HttpResponseFeature.class, s -> s.response)
            .addImplementedByRequest(HttpResponseBodyFeature.class)
            .addImplementedByRequest(HttpRequestLifetimeFeature.class)
            .add(HttpConnectionFeature.class, Http2Stream::connectionFeature)
            .addImplementedByRequest(HttpRequestIdentifierFeature.class)
            .addImplementedByRequest(HttpMaxRequestBodySizeFeature.class)
            .add(HttpMinRequestBodyDataRateFeature.class, s -> s.requestRateFeature)
            .add(HttpMinResponseDataRateFeature.class, s -> s.responseRateFeature)
            .addImplementedByRequest(HttpBodyControlFeature.class)
            .addImplementedByRequest(HttpResponseTrailersFeature.class)
            .addImplementedByRequest(HttpResetFeature.class)
            .addImplementedByRequest(HttpStreamIdFeature.class)
            .addImplementedByRequest(HostContextContainer.class)
            // A stream waits for its application without a thread of its own: any thread completes it.
            .add(HttpRequestSuspensionFeature.class, Http2Stream::suspensionFeature)
            .build();

    /** Writes before the head are held back up to this size: a small response leaves as HEADERS + one DATA with a content-length. */
    private static final int AUTO_CONTENT_LENGTH_LIMIT = 16 * 1024;
    private static final byte[] NO_BYTES = new byte[0];
    private static final VarHandle STATE;
    private static final VarHandle RUN;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(Http2Stream.class, "state", Http2StreamState.class);
            RUN = lookup.findVarHandle(Http2Stream.class, "run", Run.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Who reset the stream. */
    enum Reset { BY_CLIENT, BY_SERVER }

    /** Where the application run is (guarded by this stream's monitor). */
    enum Run {
        /** Not handed to the application yet (a non-blocking one waits for the whole request). */
        WAITING,
        /** The application runs. */
        RUNNING,
        /** Reset while the application runs: it counts against the concurrency limit until it returns. */
        RUNNING_AFTER_RESET,
        /** The application returned (or never ran: a 431/413 answered by the server). */
        RETURNED
    }

    /** How far the response got (written by the application's thread, under the writer's lock once the head is out). */
    enum Progress { NOT_STARTED, HEAD_SENT, ENDED }

    final int id;
    final Http2Connection connection;
    final RequestFeatureCollection<Http2Stream> features;
    final InputFlowWindow inputWindow;
    final OutputFlowWindow outputWindow;
    final Http2RequestBody body;
    final long openedNanos;
    // Set without a fence until the stream is published (the registry's map is the release); after
    // that the state moves by CAS, the run by release stores under this stream's monitor.
    private volatile Http2StreamState state;
    /** Who reset the stream; null while it is not reset. */
    private volatile Reset reset;
    private volatile Run run;
    private final AbortController abortController = new AbortController();

    // The request, filled by the reader thread before the application runs.
    String method;
    String scheme;
    String authority;
    String path = "";
    String pathBase = "";
    String queryString = "";
    String rawTarget;
    HttpHeaders requestHeaders = new HttpHeaders(12);
    long declaredRequestLength = -1;
    private InputStream requestBodyOverride;
    private String protocol = "HTTP/2";
    private String traceIdentifier;
    private Long maxRequestBodySize;
    private boolean allowSynchronousIO;
    private MinDataRate minRequestBodyDataRate;
    private Object hostContext;
    private RequestConnectionFeature connectionFeature;

    // The response.
    /** Status, headers and callbacks, and the rule that they freeze once the head is out (the request core's). */
    final ResponseState response = new ResponseState(8);
    HttpHeaders trailers;
    Progress progress = Progress.NOT_STARTED;
    EndOfContent endOfContent;
    private boolean bufferingDisabled;
    /** Response body octets not yet framed: [pendingStart, pendingEnd); under the writer's lock once the head is out. */
    byte[] pending = NO_BYTES;
    int pendingStart;
    int pendingEnd;

    // The stream's own feature objects (their methods would clash with the stream's).

    /** The per-request minimum request body rate (Kestrel's {@code IHttpMinRequestBodyDataRateFeature}). */
    final HttpMinRequestBodyDataRateFeature requestRateFeature = new HttpMinRequestBodyDataRateFeature() {
        @Override public MinDataRate minDataRate() { return minRequestBodyDataRate; }
        @Override public void setMinDataRate(MinDataRate rate) { minRequestBodyDataRate = rate; }
    };

    /**
     * The minimum response data rate cannot be set per stream: HTTP/2 flow control is shared by every
     * stream of the connection, so the server enforces {@code ServerLimits.minResponseDataRate} per
     * connection. Setting it throws, as Kestrel's {@code NotSupportedException} does (docs/server.md).
     */
    final HttpMinResponseDataRateFeature responseRateFeature = new HttpMinResponseDataRateFeature() {
        @Override public MinDataRate minDataRate() { return connection.limits().minResponseDataRate(); }

        @Override
        public void setMinDataRate(MinDataRate rate) {
            throw new UnsupportedOperationException("HTTP/2 does not support a minimum response data rate per stream; "
                    + "the server enforces ServerLimits.minResponseDataRate per connection");
        }
    };

    private final OutputStream responseStream = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            writeBody(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (progress == Progress.NOT_STARTED && !isReset()) {
                commitHead(false);
            }
            connection.writer().flushQuietly();
        }
    };

    Http2Stream(Http2Connection connection, int id, int initialReceiveWindow, long initialSendWindow, long nowNanos) {
        this.connection = connection;
        this.id = id;
        this.openedNanos = nowNanos;
        STATE.set(this, Http2StreamState.IDLE);
        RUN.set(this, Run.WAITING);
        this.inputWindow = new InputFlowWindow(initialReceiveWindow);
        this.outputWindow = new OutputFlowWindow(initialSendWindow);
        this.body = new Http2RequestBody(this);
        this.features = new RequestFeatureCollection<>(this, FEATURES, connection.connectionFeatures());
        this.allowSynchronousIO = connection.allowSynchronousIO();
        this.maxRequestBodySize = connection.limits().maxRequestBodySize();
        this.minRequestBodyDataRate = connection.limits().minRequestBodyDataRate();
    }

    // --- state (RFC 9113 §5.1) ---

    Http2StreamState state() {
        return state;
    }

    /** The client's HEADERS opened the stream. */
    void open(boolean endStream) {
        STATE.set(this, ((Http2StreamState) STATE.get(this)).onHeadersReceived(endStream)); // not yet published
    }

    /** END_STREAM arrived; returns the new state. */
    Http2StreamState endStreamReceived() {
        while (true) {
            Http2StreamState now = state;
            if (now == Http2StreamState.CLOSED && isReset()) {
                return now; // a reset won the race
            }
            Http2StreamState next = now.onEndStreamReceived();
            if (STATE.compareAndSet(this, now, next)) {
                return next;
            }
        }
    }

    /** END_STREAM was queued (the writer, under its lock); returns the new state. */
    Http2StreamState endStreamSent() {
        while (true) {
            Http2StreamState now = state;
            if (now == Http2StreamState.CLOSED && isReset()) {
                return now; // a reset won the race
            }
            Http2StreamState next = now.onEndStreamSent();
            if (STATE.compareAndSet(this, now, next)) {
                return next;
            }
        }
    }

    /** RST_STREAM sent ({@code byServer}) or received: closed. False when it was reset already (the writer, under its lock). */
    boolean markReset(boolean byServer) {
        if (reset != null) {
            return false;
        }
        reset = byServer ? Reset.BY_SERVER : Reset.BY_CLIENT;
        while (true) {
            Http2StreamState now = state;
            Http2StreamState next = now == Http2StreamState.IDLE ? Http2StreamState.CLOSED : now.onReset();
            if (STATE.compareAndSet(this, now, next)) {
                return true;
            }
        }
    }

    boolean isReset() {
        return reset != null;
    }

    boolean resetByServer() {
        return reset == Reset.BY_SERVER;
    }

    // --- the application run ---

    /** Hands the stream to the application once; false when it already was (reader and heartbeat may both try). */
    synchronized boolean dispatchOnce() {
        if (run != Run.WAITING) {
            return false;
        }
        RUN.setRelease(this, Run.RUNNING);
        return true;
    }

    /** Not yet handed to the application (a non-blocking one waits for the whole request). */
    boolean awaitingDispatch() {
        return run == Run.WAITING;
    }

    boolean applicationReturned() {
        return run == Run.RETURNED;
    }

    /** The stream left the open set reset while its application runs: true when it now counts as such. */
    synchronized boolean countIfRunningAfterReset() {
        if (isReset() && run == Run.RUNNING) {
            RUN.setRelease(this, Run.RUNNING_AFTER_RESET);
            return true;
        }
        return false;
    }

    /** Runs the application through the request lifecycle, on whichever thread the connection chose. */
    /** Created when the application asks for it: most streams never suspend. */
    private volatile RequestSuspension suspension;

    private synchronized RequestSuspension suspensionFeature() {
        if (suspension == null) {
            suspension = new RequestSuspension(failure -> {
                RequestLifecycle.resume(connection.application(), this, failure);
                afterApplication();
            });
        }
        return suspension;
    }

    @Override
    public RequestSuspension suspension() {
        return suspension;
    }

    void runApplication() {
        if (RequestLifecycle.run(connection.application(), this) == RequestLifecycle.Outcome.SUSPENDED) {
            return;
        }
        afterApplication();
    }

    private void afterApplication() {
        if (isReset() || state != Http2StreamState.HALF_CLOSED_LOCAL) {
            // Reset, closed, or the response still queued behind flow control (its END_STREAM will decide).
            return;
        }
        // RFC 9113 §8.1: the response is complete; stop the rest of the request body.
        connection.resetStream(this, Http2ErrorCode.NO_ERROR);
    }

    @Override
    public void applicationFinished(Throwable failure) {
        boolean counted;
        synchronized (this) {
            counted = run == Run.RUNNING_AFTER_RESET;
            RUN.setRelease(this, Run.RETURNED);
        }
        if (counted) {
            connection.applicationReturnedAfterReset();
        }
    }

    /** Marks a stream the server answers itself (431, 413) as run. */
    synchronized void answeredByServer() {
        RUN.setRelease(this, Run.RETURNED);
    }

    void fireAbort() {
        abortController.abort();
    }

    /** The application read {@code n} octets of the body: both receive windows may reopen. */
    void onBodyConsumed(int n) {
        connection.onBodyConsumed(this, n);
    }

    void checkSynchronousIO() {
        SynchronousIO.checkAllowed(allowSynchronousIO);
    }

    MinDataRate minRequestBodyDataRate() {
        return minRequestBodyDataRate;
    }

    boolean isHead() {
        return "HEAD".equals(method);
    }

    boolean isConnect() {
        return "CONNECT".equals(method);
    }

    // --- ServerExchange ---

    @Override
    public RequestFeatureCollection<Http2Stream> features() {
        return features;
    }

    @Override
    public boolean hasStarted() {
        return progress != Progress.NOT_STARTED;
    }

    @Override
    public boolean isAborted() {
        return isReset();
    }

    @Override
    public ResponseCallbacks callbacks() {
        return response.callbacks();
    }

    @Override
    public void completeResponse() throws IOException {
        if (progress == Progress.ENDED) {
            return;
        }
        if (isReset()) {
            progress = Progress.ENDED;
            return;
        }
        if (progress == Progress.NOT_STARTED) {
            commitHead(true);
        } else {
            connection.writer().endStream(this);
        }
    }

    @Override
    public void resetResponseForError(int status) {
        response.resetForError(status);
        trailers = null;
        clearPending();
    }

    @Override
    public void abortAfterFailure(String reason) {
        connection.resetStream(this, Http2ErrorCode.INTERNAL_ERROR);
    }

    @Override
    public void log(System.Logger.Level level, String message, Throwable failure) {
        ServerTrace.log(log, level, connection.connectionId(), message, failure);
    }

    @Override
    public String describe() {
        return "connection " + connection.connectionId() + " stream " + id;
    }

    // --- the response body ---

    int pendingLength() {
        return pendingEnd - pendingStart;
    }

    void clearPending() {
        pendingStart = 0;
        pendingEnd = 0;
    }

    boolean hasTrailers() {
        return trailers != null && !trailers.isEmpty();
    }

    /** Appends to the unframed response octets; under the writer's lock once the head is out. */
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

    private void commitHead(boolean complete) throws IOException {
        callbacks().fireOnStarting(); // application code: outside any lock
        connection.writer().writeHead(this, complete);
    }

    private void writeBody(byte[] b, int off, int len) throws IOException {
        if (isReset()) {
            throw new RequestAbortedException("the stream was reset");
        }
        if (progress == Progress.ENDED) {
            throw new IOException("the response body is complete");
        }
        if (len == 0) {
            return;
        }
        checkSynchronousIO();
        if (progress == Progress.NOT_STARTED) {
            if (!bufferingDisabled && pendingEnd + len <= AUTO_CONTENT_LENGTH_LIMIT) {
                appendPending(b, off, len);
                return;
            }
            commitHead(false);
        }
        if (endOfContent == EndOfContent.NONE) {
            return; // HEAD, 204, 304: the body is not sent
        }
        connection.writer().writeData(this, b, off, len);
        if (bufferingDisabled) {
            connection.writer().flushQuietly();
        }
    }

    @Override
    public OutputStream stream() {
        return responseStream;
    }

    @Override
    public void start() throws IOException {
        if (progress == Progress.NOT_STARTED && !isReset()) {
            commitHead(false);
        }
    }

    @Override
    public void complete() throws IOException {
        completeResponse();
    }

    /** The range is checked before a byte is written ({@link FileSender}): past the end is an IllegalArgumentException. */
    @Override
    public void sendFile(Path file, long offset, long count) throws IOException {
        FileSender.send(file, offset, count, this::writeBody);
    }

    @Override
    public void disableBuffering() {
        bufferingDisabled = true;
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
    @Override public String rawTarget() { return rawTarget; }
    @Override public void setRawTarget(String rawTarget) { this.rawTarget = rawTarget; }
    @Override public HttpHeaders headers() { return requestHeaders; }
    @Override public void setHeaders(HttpHeaders headers) { this.requestHeaders = headers; }
    @Override public InputStream body() { return requestBodyOverride != null ? requestBodyOverride : body; }
    @Override public void setBody(InputStream body) { requestBodyOverride = body; }

    // --- HttpRequestLifetimeFeature ---

    @Override public AbortSignal requestAborted() { return abortController.signal(); }
    @Override public void abort() { connection.resetStream(this, Http2ErrorCode.CANCEL); }

    // --- HttpResetFeature, HttpStreamIdFeature ---

    @Override
    public void reset(int errorCode) {
        Http2ErrorCode code = Http2ErrorCode.byCode(errorCode);
        connection.resetStream(this, code == null ? Http2ErrorCode.INTERNAL_ERROR : code);
    }

    @Override public int streamId() { return id; }

    // --- HttpConnectionFeature: one per stream, made on first use (a remote address set lasts one request) ---

    private RequestConnectionFeature connectionFeature() {
        if (connectionFeature == null) {
            connectionFeature = connection.newConnectionFeature();
        }
        return connectionFeature;
    }

    // --- HttpRequestIdentifierFeature ---

    @Override
    public String traceIdentifier() {
        if (traceIdentifier == null) {
            traceIdentifier = connection.connectionId() + ":" + Integer.toString(id, 16).toUpperCase();
        }
        return traceIdentifier;
    }

    @Override public void setTraceIdentifier(String id) { traceIdentifier = id; }

    // --- HttpMaxRequestBodySizeFeature ---

    @Override public boolean isReadOnly() { return body.readStarted(); }
    @Override public Long maxRequestBodySize() { return maxRequestBodySize; }

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
            body.markTooLarge(); // the next read fails with 413
        }
    }

    /** Whether the body received so far is over the size limit. */
    boolean exceedsBodyLimit() {
        Long max = maxRequestBodySize;
        return max != null && body.received() > max;
    }

    // --- HttpBodyControlFeature, HttpResponseTrailersFeature, HostContextContainer ---

    @Override public boolean allowSynchronousIO() { return allowSynchronousIO; }
    @Override public void setAllowSynchronousIO(boolean allow) { allowSynchronousIO = allow; }

    @Override
    public HttpHeaders trailers() {
        if (trailers == null) {
            trailers = new HttpHeaders(2);
        }
        return trailers;
    }

    @Override public Object hostContext() { return hostContext; }
    @Override public void setHostContext(Object context) { hostContext = context; }
}
