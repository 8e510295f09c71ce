package dev.lanner.server.internal.http1;

import dev.lanner.http.AbortController;
import dev.lanner.http.AbortSignal;
import dev.lanner.http.HttpHeaders;
import dev.lanner.http.RequestPaths;
import dev.lanner.http.features.FeatureCollection;
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
import dev.lanner.http.features.HttpResponseBodyFeature;
import dev.lanner.http.features.HttpResponseFeature;
import dev.lanner.http.features.HttpResponseTrailersFeature;
import dev.lanner.http.features.HttpUpgradeFeature;
import dev.lanner.http.features.MinDataRate;
import dev.lanner.http.features.TlsConnectionFeature;
import dev.lanner.http.server.core.FeatureTable;
import dev.lanner.http.server.core.FileSender;
import dev.lanner.http.server.core.RequestConnectionFeature;
import dev.lanner.http.server.core.RequestFeatureCollection;
import dev.lanner.http.server.core.RequestSuspension;
import dev.lanner.http.server.core.ResponseCallbacks;
import dev.lanner.http.server.core.ServerExchange;
import dev.lanner.http.server.core.SynchronousIO;
import dev.lanner.server.EventLoopRequestFeature;
import dev.lanner.server.internal.infrastructure.ServerTrace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current request of an HTTP/1.x connection (Kestrel's {@code HttpProtocol} for HTTP/1.1): what
 * the parser reported of its head, its body, its lifetime, and the request features the application
 * sees, looked up and enumerated through one {@link FeatureTable}. It is also the
 * {@link ServerExchange} {@link dev.lanner.http.server.core.RequestLifecycle} runs. One object per
 * connection, reset per request, so a request costs no feature allocations. The parser calls it on
 * the thread that reads the head; the application on the thread that runs it (the event loop inline,
 * else the connection's virtual thread); {@link #markAborted} may come from any thread.
 */
final class Http1Request implements ServerExchange, RequestLineHandler, HeaderHandler,
        HttpRequestFeature, HttpResponseBodyFeature, HttpRequestLifetimeFeature, HttpRequestIdentifierFeature,
        HttpMaxRequestBodySizeFeature, HttpMinRequestBodyDataRateFeature, HttpBodyControlFeature, HostContextContainer {

    private static final Logger log = LoggerFactory.getLogger(Http1Request.class);
    private static final String HTTP_1_1 = "HTTP/1.1";
    private static final String HTTP_1_0 = "HTTP/1.0";

    /** The built-in features of an HTTP/1.x request: lookups and enumeration both come from here. */
    static final FeatureTable<Http1Request> FEATURES = FeatureTable.<Http1Request>builder()
            .add(HttpRequestFeature.class, r -> r)
            .add(HttpResponseFeature.class, r -> r.response.head())
            .add(HttpResponseBodyFeature.class, r -> r)
            .add(HttpRequestLifetimeFeature.class, r -> r)
            .add(HttpConnectionFeature.class, r -> r.connectionFeature)
            .add(HttpRequestIdentifierFeature.class, r -> r)
            .add(HttpMaxRequestBodySizeFeature.class, r -> r)
            .add(HttpMinRequestBodyDataRateFeature.class, r -> r)
            .add(HttpMinResponseDataRateFeature.class, r -> r.response)
            .add(HttpBodyControlFeature.class, r -> r)
            .add(HttpUpgradeFeature.class, Http1Request::upgradeFeature)
            .add(HttpResponseTrailersFeature.class, r -> r.response)
            .add(HostContextContainer.class, r -> r)
            // Only inline on an event loop can a request wait for its application without a thread.
            .add(HttpRequestSuspensionFeature.class, r -> r.inlineOnLoop ? r.suspensionFeature() : null)
            .add(EventLoopRequestFeature.class, r -> r.inlineOnLoop ? r.connection.driver().loopFeature() : null)
            .build();

    private final Http1Connection connection;
    /**
     * The suspension the inline driver offers (see {@link #inlineOnLoop}); reset per request. Built
     * the first time an application asks for it (most never do); null before.
     */
    private RequestSuspension suspension;
    /** Set by the inline driver while it runs this request on the event loop. */
    boolean inlineOnLoop;
    private final RequestFeatureCollection<Http1Request> features;
    private final Http1Response response;
    /** Built the first time the application asks for the upgrade feature; null before. */
    private Http1Upgrade upgrade;
    private final RequestConnectionFeature connectionFeature;
    private final ExpectContinueGate continueGate = new ExpectContinueGate();
    private final RequestBodyFraming framing = new RequestBodyFraming();
    private final ContentLengthMessageBody contentLengthBody;
    /** Built for the connection's first chunked request body; null before. */
    private ChunkedMessageBody chunkedBody;
    private final RequestBodyStream bodyStream = new RequestBodyStream();
    private final ResponseBodyStream responseStream = new ResponseBodyStream();
    /** Known header values of earlier requests, by {@link KnownHeader#valueCacheSlot()}, with their bytes. */
    private final String[] knownValueCache = new String[KnownHeader.VALUE_CACHE_SLOTS];
    private final byte[][] knownValueBytes = new byte[KnownHeader.VALUE_CACHE_SLOTS][];
    private final String defaultScheme;
    private byte[] lastPathBytes = new byte[0];
    private String lastPath = "";
    // The current request's head, as the parser reported it (and the application may rewrite it).
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
    // Eight fields before it grows (once per connection): a browser's request grows it, a plain client's does not.
    private HttpHeaders headers = new HttpHeaders(8);
    private int connectionFlags;
    private int hostLines;
    private boolean upgradeRequested;
    private RequestBodyFraming.Kind bodyKind = RequestBodyFraming.Kind.NONE;
    // Its body and lifetime.
    private Http1MessageBody body;
    private InputStream bodyOverride;
    private Long maxRequestBodySize;
    private MinDataRate minRequestBodyDataRate;
    private boolean allowSynchronousIO;
    private String traceIdentifier;
    private volatile boolean aborted;
    private AbortController abortController;
    private Object hostContext;
    /** The connection may serve another request after this one, as far as the request and response say. */
    boolean keepAlive;
    /** Something (a rejected body, a cut response) rules out another request on this connection. */
    boolean mustClose;

    Http1Request(Http1Connection connection) {
        this.connection = connection;
        this.features = new RequestFeatureCollection<>(this, FEATURES, connection.context.features());
        this.response = new Http1Response();
        this.contentLengthBody = new ContentLengthMessageBody(connection, connection.timeouts.bodyRate());
        this.body = contentLengthBody;
        InetSocketAddress remote = connection.context.remoteAddress() instanceof InetSocketAddress r ? r : null;
        InetSocketAddress local = connection.context.localAddress() instanceof InetSocketAddress l ? l : null;
        this.connectionFeature = new RequestConnectionFeature(connection.connectionId,
                remote == null ? null : remote.getAddress(), remote == null ? 0 : remote.getPort(),
                local == null ? null : local.getAddress(), local == null ? 0 : local.getPort());
        this.defaultScheme = connection.context.features().get(TlsConnectionFeature.class) != null ? "https" : "http";
        this.scheme = defaultScheme;
    }

    /** Forgets the previous request (the next head is about to be parsed). */
    void reset() {
        inlineOnLoop = false;
        if (suspension != null) {
            suspension.reset();
        }
        method = null;
        knownMethod = null;
        version = null;
        protocol = null;
        scheme = defaultScheme;
        targetForm = null;
        rawPath = null;
        rawTarget = null;
        path = null;
        pathBase = "";
        queryString = "";
        authority = null;
        if (!headers.isEmpty() || headers.isReadOnly()) {
            headers.recycle();
        }
        connectionFlags = 0;
        hostLines = 0;
        upgradeRequested = false;
        continueGate.reset();
        framing.reset();
        bodyKind = RequestBodyFraming.Kind.NONE;
        body = contentLengthBody;
        contentLengthBody.start(0);
        bodyOverride = null;
        var limits = connection.limits;
        maxRequestBodySize = limits.maxRequestBodySize();
        minRequestBodyDataRate = limits.minRequestBodyDataRate();
        allowSynchronousIO = connection.server.options().allowSynchronousIO();
        traceIdentifier = null;
        abortController = null;
        keepAlive = false;
        connectionFeature.reset();
        response.reset(limits.minResponseDataRate());
        features.reset();
    }

    /** After the head: validates it and picks the body's framing (RFC 9112 §6.3). */
    void startBody() {
        HostHeader.checkCount(version, hostLines);
        if (targetForm == RequestTargetForm.ABSOLUTE && authority != null) {
            // RFC 9112 §3.2.2: with an absolute-form target the Host header is replaced by its authority.
            headers.set("host", authority);
        }
        bodyKind = framing.decide(knownMethod, version);
        switch (bodyKind) {
            case NONE -> contentLengthBody.start(0);
            case CONTENT_LENGTH -> contentLengthBody.start(framing.contentLength());
            case CHUNKED -> {
                if (chunkedBody == null) {
                    chunkedBody = new ChunkedMessageBody(connection, connection.timeouts.bodyRate(),
                            new ChunkedBodyDecoder(connection.http1Limits()));
                }
                chunkedBody.start();
                body = chunkedBody;
            }
        }
        keepAlive = ConnectionOptions.isPersistent(version, connectionFlags);
        requestCount++;
    }

    /** The request is over: closing the connection later (Connection: close, client gone) is no abort of it. */
    synchronized void endLifetime() {
        abortController = null;
    }

    // --- what the connection and its parts ask ---

    Http1Response response() {
        return response;
    }

    /** The upgrade feature, built on first use. */
    Http1Upgrade upgradeFeature() {
        if (upgrade == null) {
            upgrade = new Http1Upgrade(connection);
        }
        return upgrade;
    }

    /** Whether the connection switched protocols (it serves no more requests). */
    boolean isUpgraded() {
        Http1Upgrade u = upgrade;
        return u != null && u.isUpgraded();
    }

    /** When the connection ends: an upgraded stream the application left open is closed. */
    void closeUpgradedIfOpen() {
        Http1Upgrade u = upgrade;
        if (u != null) {
            u.closeIfOpen();
        }
    }

    /** The suspension feature (inline on the loop only), built on first use. */
    private RequestSuspension suspensionFeature() {
        if (suspension == null) {
            // Offered only inline on the loop, so the driver exists whenever this runs.
            suspension = new RequestSuspension(failure -> connection.driver().resume(failure));
        }
        return suspension;
    }

    ExpectContinueGate continueGate() {
        return continueGate;
    }

    Http1MessageBody messageBody() {
        return body;
    }

    KnownMethod knownMethod() {
        return knownMethod;
    }

    HttpVersion version() {
        return version;
    }

    boolean isHead() {
        return knownMethod == KnownMethod.HEAD;
    }

    boolean expectsContinue() {
        return continueGate.isExpected();
    }

    boolean upgradeRequested() {
        return upgradeRequested;
    }

    /** The body is held back by 100-continue and still unread: the connection cannot be reused. */
    boolean isBodyHeldBack() {
        return continueGate.holdsBody() && !body.isComplete();
    }

    /** A Content-Length body of this many bytes, -1 for a chunked body, 0 for none. */
    long declaredBodyLength() {
        return body == contentLengthBody ? contentLengthBody.remaining() : -1;
    }

    /** The whole Content-Length body is already buffered (and within the request's limit). */
    boolean isBodyBuffered(int buffered) {
        return body == contentLengthBody && contentLengthBody.remaining() <= buffered
                && (maxRequestBodySize == null || contentLengthBody.remaining() <= maxRequestBodySize);
    }

    boolean isUpgradable() {
        return upgradeRequested && (connectionFlags & ConnectionOptions.UPGRADE) != 0
                && version == HttpVersion.HTTP_1_1 && bodyKind == RequestBodyFraming.Kind.NONE;
    }

    /** Aborts the request (client gone, timeout, write failure); fires the abort signal once. */
    void markAborted(String reason) {
        if (!aborted) {
            aborted = true;
            ServerTrace.debug(log, connection.connectionId, "Connection {}: request aborted: {}", connection.connectionId, reason);
            fireAbort();
        }
    }

    void fireAbort() {
        AbortController controller;
        synchronized (this) {
            controller = abortController;
        }
        if (controller != null) {
            controller.abort();
        }
    }

    // --- ServerExchange: what RequestLifecycle asks ---

    @Override public FeatureCollection features() { return features; }

    @Override
    public RequestSuspension suspension() {
        return inlineOnLoop ? suspension : null;
    }
    @Override public boolean hasStarted() { return response.head().hasStarted(); }
    @Override public boolean isAborted() { return aborted; }
    @Override public ResponseCallbacks callbacks() { return response.callbacks(); }
    @Override public void completeResponse() throws IOException { connection.output.complete(); }

    @Override
    public void resetResponseForError(int status) {
        response.resetForError(status);
        connection.output.discardPending();
    }

    @Override
    public void abortAfterFailure(String reason) {
        mustClose = true;
        connection.abortConnection(reason);
    }

    @Override
    public void applicationFinished(Throwable failure) {
        DisconnectWatcher watcher = connection.input.watcher();
        if (watcher != null) {
            watcher.requestDone();
        }
    }

    @Override
    public void log(Level level, String message, Throwable failure) {
        ServerTrace.log(log, level, connection.connectionId, message, failure);
    }

    @Override
    public String describe() {
        return "connection " + connection.connectionId;
    }

    // --- RequestLineHandler / HeaderHandler: called by the parser ---

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
            String previous = knownValueCache[known.valueCacheSlot()];
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
                case EXPECT -> {
                    // RFC 9110 §10.1.1: a 100-continue expectation in an HTTP/1.0 request MUST be ignored.
                    if (version == HttpVersion.HTTP_1_1
                            && AsciiStrings.equalsIgnoreCase(buf, valueStart, valueEnd, "100-continue")) {
                        continueGate.expect();
                    }
                }
                case UPGRADE -> upgradeRequested = true;
                default -> { }
            }
        } else {
            name = AsciiStrings.lowerCaseLatin1(buf, nameStart, nameEnd);
            value = AsciiStrings.latin1(buf, valueStart, valueEnd);
        }
        // The parser validated the field line: no second character check.
        headers.addValidated(name, value);
    }

    /**
     * Reuses an earlier request's String for an identical value of a known header of the same slot
     * (equal bytes give an equal String, whichever header of the slot cached it).
     */
    private String cachedValue(KnownHeader known, byte[] buf, int start, int end) {
        int i = known.valueCacheSlot();
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
    @Override public HttpHeaders headers() { return headers; }
    @Override public void setHeaders(HttpHeaders headers) { this.headers = headers; }
    @Override public InputStream body() { return bodyOverride != null ? bodyOverride : bodyStream; }
    @Override public void setBody(InputStream body) { this.bodyOverride = body; }

    /** The request body as the application reads it; every read obeys {@link #allowSynchronousIO()}. */
    private final class RequestBodyStream extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            checkSynchronousIO();
            return body.read(b, off, len);
        }

        @Override
        public long transferTo(OutputStream target) throws IOException {
            checkSynchronousIO();
            if (body == contentLengthBody) {
                return contentLengthBody.transferTo(target);
            }
            return super.transferTo(target);
        }

        @Override
        public int available() {
            return body.available();
        }
    }

    private void checkSynchronousIO() {
        SynchronousIO.checkAllowed(allowSynchronousIO);
    }

    // --- HttpResponseBodyFeature ---

    @Override public OutputStream stream() { return responseStream; }
    @Override public void start() throws IOException { connection.output.commitHead(false); }

    @Override
    public void complete() throws IOException {
        connection.output.complete();
        connection.output.flush();
    }

    @Override
    public void sendFile(Path file, long offset, long count) throws IOException {
        FileSender.send(file, offset, count, connection.output::write);
    }

    @Override public void disableBuffering() { connection.output.disableBuffering(); }

    /** The response body as the application writes it. */
    private final class ResponseBodyStream extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            checkSynchronousIO();
            connection.output.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            Http1OutputProducer output = connection.output;
            if (aborted || output.isCompleted()) {
                return;
            }
            output.commitHead(false);
            output.flush();
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
        connection.abortConnection("aborted by the application");
    }

    // --- HttpRequestIdentifierFeature ---

    @Override
    public String traceIdentifier() {
        if (traceIdentifier == null) {
            traceIdentifier = connection.connectionId + ":" + Long.toString(requestCount, 16).toUpperCase();
        }
        return traceIdentifier;
    }

    @Override public void setTraceIdentifier(String id) { traceIdentifier = id; }

    // --- HttpMaxRequestBodySizeFeature ---

    @Override public boolean isReadOnly() { return body.isStarted() || isUpgraded(); }
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
    }

    // --- HttpMinRequestBodyDataRateFeature, HttpBodyControlFeature, HostContextContainer ---

    @Override public MinDataRate minDataRate() { return minRequestBodyDataRate; }
    @Override public void setMinDataRate(MinDataRate rate) { minRequestBodyDataRate = rate; }
    @Override public boolean allowSynchronousIO() { return allowSynchronousIO; }
    @Override public void setAllowSynchronousIO(boolean allow) { allowSynchronousIO = allow; }
    @Override public Object hostContext() { return hostContext; }
    @Override public void setHostContext(Object context) { hostContext = context; }
}
