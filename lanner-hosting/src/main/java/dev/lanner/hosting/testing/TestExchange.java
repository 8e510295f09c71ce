package dev.lanner.hosting.testing;

import dev.lanner.http.AbortController;
import dev.lanner.http.AbortSignal;
import dev.lanner.http.HttpHeaders;
import dev.lanner.http.RequestAbortedException;
import dev.lanner.http.RequestPaths;
import dev.lanner.http.features.DefaultHttpRequestFeature;
import dev.lanner.http.features.DefaultHttpResponseFeature;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.HttpBodyControlFeature;
import dev.lanner.http.features.HttpConnectionFeature;
import dev.lanner.http.features.HttpRequestFeature;
import dev.lanner.http.features.HttpRequestIdentifierFeature;
import dev.lanner.http.features.HttpRequestLifetimeFeature;
import dev.lanner.http.features.HttpResponseBodyFeature;
import dev.lanner.http.features.HttpResponseFeature;
import dev.lanner.http.features.HttpResponseTrailersFeature;
import dev.lanner.http.server.HttpApplication;
import dev.lanner.http.server.core.EndOfContent;
import dev.lanner.http.server.core.FeatureTable;
import dev.lanner.http.server.core.FileSender;
import dev.lanner.http.server.core.RequestConnectionFeature;
import dev.lanner.http.server.core.RequestFeatureCollection;
import dev.lanner.http.server.core.RequestLifecycle;
import dev.lanner.http.server.core.ResponseCallbacks;
import dev.lanner.http.server.core.ResponseFraming;
import dev.lanner.http.server.core.ServerExchange;
import dev.lanner.http.server.core.SynchronousIO;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * One {@link TestServer} request: the request core's {@link ServerExchange} in memory, with the
 * features a socket server supplies (request, response, body, lifetime, identifier, trailers, body
 * control, connection without addresses). {@link RequestLifecycle} runs the application, so the
 * response is framed, failed and completed as on a real server; what a real server would only log —
 * the application's own exception, a failing callback — reaches the test caller instead. Runs on the
 * request's virtual thread; {@link #abort()} may also come from the thread stopping the server.
 */
final class TestExchange implements ServerExchange, HttpResponseBodyFeature, HttpRequestLifetimeFeature,
        HttpRequestIdentifierFeature, HttpResponseTrailersFeature, HttpBodyControlFeature {

    private static final FeatureTable<TestExchange> FEATURES = FeatureTable.<TestExchange>builder()
            .add(HttpRequestFeature.class, e -> e.request)
            .add(HttpResponseFeature.class, e -> e.response)
            .add(HttpResponseBodyFeature.class, e -> e)
            .add(HttpRequestLifetimeFeature.class, e -> e)
            .add(HttpRequestIdentifierFeature.class, e -> e)
            .add(HttpResponseTrailersFeature.class, e -> e)
            .add(HttpBodyControlFeature.class, e -> e)
            .add(HttpConnectionFeature.class, e -> e.connection)
            .build();

    private final DefaultHttpRequestFeature request = new DefaultHttpRequestFeature();
    private final DefaultHttpResponseFeature response = new DefaultHttpResponseFeature();
    private final RequestConnectionFeature connection;
    private final AbortController lifetime = new AbortController();
    private final HttpHeaders trailers = new HttpHeaders();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final OutputStream stream = new ResponseStream();
    private final ResponseFraming framing = new ResponseFraming();
    private final RequestFeatureCollection<TestExchange> features;
    private final boolean head;
    private String traceIdentifier;
    private boolean allowSynchronousIO = true;
    /** Bytes the application wrote (a HEAD response counts them without keeping them). */
    private long written;
    /** The head "went out": the framing is decided and the headers the client sees are fixed. */
    private HttpHeaders sentHeaders;
    private boolean completed;
    private Throwable applicationFailure;
    private Throwable laterFailure;

    TestExchange(TestRequest testRequest, String id) {
        traceIdentifier = id;
        head = testRequest.method().equalsIgnoreCase("HEAD");
        String target = testRequest.target();
        request.setMethod(testRequest.method());
        request.setScheme(target.startsWith("https://") ? "https" : "http");
        request.setProtocol("HTTP/1.1");
        request.setRawTarget(target);
        request.setPath(RequestPaths.decodePath(RequestPaths.pathOf(target)));
        request.setQueryString(RequestPaths.queryOf(target));
        HttpHeaders headers = new HttpHeaders();
        testRequest.headers().forEach(headers::add);
        if (!headers.contains("Host")) {
            headers.add("Host", hostOf(target));
        }
        byte[] bytes = testRequest.bodyBytes();
        if (bytes.length > 0 && !headers.contains("Content-Length") && !headers.contains("Transfer-Encoding")) {
            headers.add("Content-Length", Integer.toString(bytes.length));
        }
        request.setHeaders(headers);
        request.setBody(new RequestStream(new ByteArrayInputStream(bytes)));
        connection = new RequestConnectionFeature(id, null, 0, null, 0);
        features = new RequestFeatureCollection<>(this, FEATURES, null);
    }

    private static String hostOf(String target) {
        int scheme = target.indexOf("://");
        if (scheme < 0 || target.startsWith("/")) {
            return "localhost";
        }
        int end = target.length();
        for (int i = scheme + 3; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '/' || c == '?') {
                end = i;
                break;
            }
        }
        return target.substring(scheme + 3, end);
    }

    /**
     * Runs the application and returns what a client would have received.
     *
     * @throws IOException wrapping the application's exception, or when the request was aborted (a
     *                     socket server tears the connection down: the client gets no response either)
     */
    TestResponse run(HttpApplication<?> application) throws IOException {
        RequestLifecycle.Outcome outcome = RequestLifecycle.run(application, this);
        if (applicationFailure != null && !(applicationFailure instanceof RequestAbortedException)) {
            throw new IOException("the application failed the request: " + applicationFailure, applicationFailure);
        }
        if (outcome == RequestLifecycle.Outcome.ABORTED) {
            throw new IOException("the request was aborted", applicationFailure);
        }
        if (laterFailure != null && laterFailure != applicationFailure) {
            throw new IOException("the request failed after the application: " + laterFailure, laterFailure);
        }
        byte[] bytes = framing.endOfContent() == EndOfContent.NONE ? new byte[0] : body.toByteArray();
        return new TestResponse(response.statusCode(), sentHeaders, bytes, trailers);
    }

    private void checkAborted() {
        if (lifetime.isAborted()) {
            throw new RequestAbortedException("the request was aborted");
        }
    }

    /**
     * Decides the framing as a socket server would at this point and fixes the headers the client
     * sees: {@code completing}, the body is all there (a Content-Length is added); else it streams.
     */
    private void sendHead(boolean completing) {
        HttpHeaders headers = response.headers();
        framing.decide(ResponseFraming.Protocol.HTTP_1_1, response.statusCode(), head, "CONNECT".equals(request.method()),
                headers.get("Content-Length"), headers.get("Transfer-Encoding"), null, true, completing, written,
                !trailers.isEmpty());
        HttpHeaders sent = new HttpHeaders();
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.nameAt(i);
            boolean dropped = (framing.dropContentLength() && name.equalsIgnoreCase("Content-Length"))
                    || (framing.dropTransferEncoding() && name.equalsIgnoreCase("Transfer-Encoding"));
            if (!dropped) {
                sent.add(name, headers.valueAt(i));
            }
        }
        if (framing.addContentLength()) {
            sent.add("Content-Length", Long.toString(framing.contentLength()));
        }
        sent.makeReadOnly();
        sentHeaders = sent;
    }

    // --- ServerExchange ---

    @Override
    public FeatureCollection features() {
        return features;
    }

    @Override
    public boolean hasStarted() {
        return response.hasStarted();
    }

    @Override
    public boolean isAborted() {
        return lifetime.isAborted();
    }

    @Override
    public ResponseCallbacks callbacks() {
        return response.callbacks();
    }

    @Override
    public void completeResponse() throws IOException {
        complete();
    }

    @Override
    public void resetResponseForError(int status) {
        body.reset();
        written = 0;
        response.setHeaders(new HttpHeaders());
        response.setStatusCode(status);
        response.setReasonPhrase(null);
        response.markStarted();   // the failed response's onStarting callbacks do not run for the error
    }

    @Override
    public void abortAfterFailure(String reason) {
        lifetime.abort();
    }

    @Override
    public void applicationFinished(Throwable failure) {
        applicationFailure = failure;
    }

    /** What the lifecycle would log with an exception (a failing callback or dispose) is kept for the caller. */
    @Override
    public void log(System.Logger.Level level, String message, Throwable failure) {
        if (failure != null && laterFailure == null) {
            laterFailure = failure;
        }
    }

    @Override
    public String describe() {
        return "TestServer request " + traceIdentifier;
    }

    // --- HttpResponseBodyFeature ---

    @Override
    public OutputStream stream() {
        return stream;
    }

    @Override
    public void start() throws IOException {
        commit();
        if (sentHeaders == null) {
            sendHead(false);
        }
    }

    @Override
    public void complete() throws IOException {
        if (completed) {
            return;
        }
        commit();
        if (sentHeaders == null) {
            sendHead(true);
        }
        completed = true;
        trailers.makeReadOnly();
    }

    @Override
    public void sendFile(Path file, long offset, long count) throws IOException {
        FileSender.send(file, offset, count, stream::write);
    }

    @Override
    public void disableBuffering() {
        // Everything is in memory; there is no buffering to turn off.
    }

    /** Runs the {@code onStarting} callbacks and freezes status and headers. */
    private void commit() throws IOException {
        response.fireOnStarting();
    }

    /** The response body: kept in memory, except for HEAD, which only counts it (RFC 9110 §9.3.2). */
    private final class ResponseStream extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            checkAborted();
            if (completed) {
                throw new IOException("the response body is complete");
            }
            commit();
            if (!head) {
                body.write(b, off, len);
            }
            written += len;
        }

        @Override
        public void flush() throws IOException {
            checkAborted();
            if (!completed) {
                start();
            }
        }
    }

    /**
     * The request body: refused while synchronous I/O is disallowed, and failing once the request is
     * aborted, as a socket-backed one would.
     */
    private final class RequestStream extends InputStream {
        private final InputStream in;

        RequestStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            check();
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            check();
            return in.read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        private void check() {
            SynchronousIO.checkAllowed(allowSynchronousIO);
            lifetime.throwIfAborted();
        }
    }

    // --- HttpRequestLifetimeFeature ---

    @Override
    public AbortSignal requestAborted() {
        return lifetime;
    }

    @Override
    public void abort() {
        lifetime.abort();
    }

    // --- HttpRequestIdentifierFeature ---

    @Override
    public String traceIdentifier() {
        return traceIdentifier;
    }

    @Override
    public void setTraceIdentifier(String id) {
        traceIdentifier = id;
    }

    // --- HttpResponseTrailersFeature ---

    @Override
    public HttpHeaders trailers() {
        return trailers;
    }

    // --- HttpBodyControlFeature ---

    @Override
    public boolean allowSynchronousIO() {
        return allowSynchronousIO;
    }

    @Override
    public void setAllowSynchronousIO(boolean allow) {
        allowSynchronousIO = allow;
    }
}
