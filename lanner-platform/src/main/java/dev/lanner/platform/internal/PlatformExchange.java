package dev.lanner.platform.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import dev.lanner.http.AbortController;
import dev.lanner.http.AbortSignal;
import dev.lanner.http.HttpHeaders;
import dev.lanner.http.RequestAbortedException;
import dev.lanner.http.features.DefaultHttpRequestFeature;
import dev.lanner.http.features.DefaultHttpResponseFeature;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.HttpBodyControlFeature;
import dev.lanner.http.features.HttpConnectionFeature;
import dev.lanner.http.features.HttpMaxRequestBodySizeFeature;
import dev.lanner.http.features.HttpRequestFeature;
import dev.lanner.http.features.HttpRequestIdentifierFeature;
import dev.lanner.http.features.HttpRequestLifetimeFeature;
import dev.lanner.http.features.HttpResponseBodyFeature;
import dev.lanner.http.features.HttpResponseFeature;
import dev.lanner.http.features.TlsConnectionFeature;
import dev.lanner.http.server.HttpApplication;
import dev.lanner.http.server.core.FeatureTable;
import dev.lanner.http.server.core.RequestConnectionFeature;
import dev.lanner.http.server.core.RequestFeatureCollection;
import dev.lanner.http.server.core.RequestLifecycle;
import dev.lanner.http.server.core.ResponseCallbacks;
import dev.lanner.http.server.core.ResponseFraming;
import dev.lanner.http.server.core.ServerExchange;
import dev.lanner.platform.UrlPrefix;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request on the platform server, as the request core sees it: the {@link ServerExchange} over a
 * JDK {@link HttpExchange}, the request's feature table, and the features that are the exchange's own
 * state (lifetime, trace identifier, body control). {@link RequestLifecycle} runs the application;
 * {@link #run} then ends the JDK exchange so that the connection stays open only when the response
 * allows it. The body on either side is its own object: {@link LimitedRequestBody} and
 * {@link BufferedResponseBody}.
 *
 * <p>Runs on the exchange's virtual thread; only {@link #abort()} may come from another thread (a
 * stop whose grace period ran out).
 */
public final class PlatformExchange implements ServerExchange, HttpRequestLifetimeFeature,
        HttpRequestIdentifierFeature, HttpBodyControlFeature {

    private static final Logger log = LoggerFactory.getLogger(PlatformExchange.class);

    /** The platform server's built-in features, written once. */
    private static final FeatureTable<PlatformExchange> FEATURES = FeatureTable.<PlatformExchange>builder()
            .add(HttpRequestFeature.class, e -> e.request)
            .add(HttpResponseFeature.class, e -> e.response)
            .add(HttpResponseBodyFeature.class, e -> e.responseBody)
            .add(HttpRequestLifetimeFeature.class, e -> e)
            .add(HttpRequestIdentifierFeature.class, e -> e)
            .add(HttpBodyControlFeature.class, e -> e)
            .add(HttpMaxRequestBodySizeFeature.class, e -> e.requestBody)
            .add(HttpConnectionFeature.class, e -> e.connection)
            .add(TlsConnectionFeature.class, e -> e.tls)
            .build();

    private final HttpExchange exchange;
    private final DefaultHttpRequestFeature request = new DefaultHttpRequestFeature();
    private final DefaultHttpResponseFeature response = new DefaultHttpResponseFeature();
    private final LimitedRequestBody requestBody;
    private final BufferedResponseBody responseBody;
    private final RequestConnectionFeature connection;
    private final TlsConnectionFeature tls;
    private final AbortController lifetime = new AbortController();
    private final RequestFeatureCollection<PlatformExchange> features;
    private final ResponseFraming.Protocol protocol;
    /** The client allows the connection to stay open after this exchange (RFC 9112 §9.3). */
    private final boolean keepAliveRequested;
    private volatile Thread thread;
    private String traceIdentifier;
    private boolean allowSynchronousIO = true;
    /** The connection must close after this response (its request body is unread or bad). */
    private boolean closeConnection;

    /** @param requestNumber the server's count of requests, which makes the trace identifier unique */
    public PlatformExchange(HttpExchange exchange, UrlPrefix prefix, String decodedPath, long requestNumber,
                            Long maxRequestBodySize, boolean addServerHeader) {
        this.exchange = exchange;
        InetSocketAddress remote = exchange.getRemoteAddress();
        InetSocketAddress local = exchange.getLocalAddress();
        // The JDK API shows no connection object; the client's address and port name the connection
        // uniquely while it is open, and stay the same for every request on it.
        String connectionId = remote.getAddress().getHostAddress() + ":" + remote.getPort();
        this.traceIdentifier = connectionId + ":" + Long.toHexString(requestNumber);
        this.connection = new RequestConnectionFeature(connectionId, remote.getAddress(), remote.getPort(),
                local.getAddress(), local.getPort());
        this.tls = exchange instanceof HttpsExchange https ? new SessionTlsFeature(https.getSSLSession()) : null;

        String method = exchange.getRequestMethod();
        URI uri = exchange.getRequestURI();
        request.setProtocol(exchange.getProtocol());
        request.setScheme(prefix.scheme());
        request.setMethod(method);
        int baseLength = prefix.pathBase().length();
        request.setPathBase(decodedPath.substring(0, baseLength));
        request.setPath(decodedPath.substring(baseLength));
        request.setQueryString(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        request.setRawTarget(uri.toString());
        HttpHeaders headers = new HttpHeaders();
        for (Map.Entry<String, List<String>> field : exchange.getRequestHeaders().entrySet()) {
            for (String value : field.getValue()) {
                headers.add(field.getKey(), value);
            }
        }
        request.setHeaders(headers);
        this.requestBody = new LimitedRequestBody(this, exchange.getRequestBody(), headers.contentLength(), maxRequestBodySize);
        request.setBody(requestBody);

        boolean http10 = "HTTP/1.0".equalsIgnoreCase(exchange.getProtocol());
        this.protocol = http10 ? ResponseFraming.Protocol.HTTP_1_0 : ResponseFraming.Protocol.HTTP_1_1;
        String connectionField = headers.get("Connection");
        String tokens = connectionField == null ? "" : connectionField.toLowerCase(Locale.ROOT);
        this.keepAliveRequested = http10 ? tokens.contains("keep-alive") : !tokens.contains("close");
        this.responseBody = new BufferedResponseBody(this, exchange, response, "HEAD".equals(method), addServerHeader);
        this.features = new RequestFeatureCollection<>(this, FEATURES, null);
    }

    /**
     * Runs the application for this request and ends the JDK exchange.
     *
     * @throws IOException to have the JDK server close the connection instead of keeping it
     */
    public void run(HttpApplication<?> application) throws IOException {
        thread = Thread.currentThread();
        RequestLifecycle.Outcome outcome = RequestLifecycle.run(application, this);
        if (outcome == RequestLifecycle.Outcome.ABORTED || lifetime.isAborted()) {
            lifetime.abort();
            throw new IOException("request " + traceIdentifier + " aborted");
        }
        if (!keepAlive() || !responseBody.keepsConnection()) {
            throw new PortListener.ConnectionClosedAfterResponse();
        }
        exchange.close();
    }

    /** The protocol the response goes out on. */
    ResponseFraming.Protocol protocol() {
        return protocol;
    }

    /** Whether the connection may stay open after this response, as far as the request goes. */
    boolean keepAlive() {
        return keepAliveRequested && !closeConnection;
    }

    /** The request body is unread or unusable: the connection closes after the response. */
    void closeConnectionAfterResponse() {
        closeConnection = true;
    }

    /** @throws RequestAbortedException once the request was aborted */
    void checkAborted() {
        if (lifetime.isAborted()) {
            throw new RequestAbortedException("the request was aborted");
        }
    }

    /** The exchange failed on the connection (the client is gone): the request is over. */
    void connectionFailed() {
        lifetime.abort();
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
        responseBody.complete();
    }

    @Override
    public void resetResponseForError(int status) {
        // The request body may be unread: draining it could wait on the client, so the connection closes.
        closeConnection = true;
        responseBody.discard();
        response.setHeaders(new HttpHeaders());
        response.setStatusCode(status);
        response.setReasonPhrase(null);
        // The application's onStarting callbacks belong to the response it failed to make.
        response.markStarted();
    }

    @Override
    public void abortAfterFailure(String reason) {
        log.debug("Request {} aborted: {}", traceIdentifier, reason);
        lifetime.abort();
    }

    @Override
    public void log(System.Logger.Level level, String message, Throwable failure) {
        switch (level) {
            case ERROR -> log.error(message, failure);
            case WARNING -> log.warn(message, failure);
            case INFO -> log.info(message, failure);
            case DEBUG -> log.debug(message, failure);
            default -> log.trace(message, failure);
        }
    }

    @Override
    public String describe() {
        return "platform request " + traceIdentifier;
    }

    // --- HttpRequestLifetimeFeature ---

    @Override
    public AbortSignal requestAborted() {
        return lifetime;
    }

    /**
     * Aborts the request. From another thread (a stop whose grace period ran out), it also interrupts
     * the request's thread: a read or write blocked on the connection's channel then fails and closes it.
     */
    @Override
    public void abort() {
        lifetime.abort();
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
        }
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
