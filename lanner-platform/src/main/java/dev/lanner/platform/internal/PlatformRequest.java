package dev.lanner.platform.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import dev.lanner.http.AbortController;
import dev.lanner.http.AbortSignal;
import dev.lanner.http.BadHttpRequestException;
import dev.lanner.http.HttpHeaders;
import dev.lanner.http.RequestAbortedException;
import dev.lanner.http.features.DefaultHttpConnectionFeature;
import dev.lanner.http.features.DefaultHttpRequestFeature;
import dev.lanner.http.features.DefaultHttpResponseFeature;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.Features;
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
import dev.lanner.platform.UrlPrefix;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request on the platform server: the Lanner features over a JDK {@link HttpExchange}, and the
 * run of the application for it. The response body is buffered up to {@link #RESPONSE_BUFFER} bytes,
 * so that a small response goes out with a {@code Content-Length} and a larger one (or a flushed one)
 * chunked. A request that must not keep its connection — aborted, failed after its head was sent,
 * rejected with its body unread — ends by throwing out of the JDK handler, which closes the connection.
 */
public final class PlatformRequest implements HttpResponseBodyFeature, HttpRequestLifetimeFeature,
        HttpRequestIdentifierFeature, HttpBodyControlFeature, HttpMaxRequestBodySizeFeature {

    private static final Logger log = LoggerFactory.getLogger(PlatformRequest.class);

    /** Response bytes held back before the head is sent (a response that fits gets a Content-Length). */
    public static final int RESPONSE_BUFFER = 16 * 1024;
    private static final byte[] NO_BYTES = new byte[0];

    private final HttpExchange exchange;
    private final Features features = new Features();
    private final DefaultHttpResponseFeature response = new DefaultHttpResponseFeature();
    private final AbortController lifetime = new AbortController();
    private final boolean head;
    private final boolean addServerHeader;
    private final long declaredRequestLength;
    private final ResponseStream body = new ResponseStream();
    private volatile Thread thread;
    private Long maxRequestBodySize;
    private boolean requestBodyStarted;
    private boolean allowSynchronousIO = true;
    private String traceIdentifier;
    private OutputStream out;
    private boolean completed;
    private boolean bufferingDisabled;
    /** The connection must close after this response (its request body may be unread or bad). */
    private boolean closeConnection;
    private boolean chunked;

    /** @param requestNumber the server's count of requests, which makes the trace identifier unique */
    public PlatformRequest(HttpExchange exchange, UrlPrefix prefix, String decodedPath, long requestNumber,
                           Long maxRequestBodySize, boolean addServerHeader) {
        this.exchange = exchange;
        String connectionId = connectionIdOf(exchange);
        this.traceIdentifier = connectionId + ":" + Long.toHexString(requestNumber);
        this.maxRequestBodySize = maxRequestBodySize;
        this.addServerHeader = addServerHeader;
        this.head = "HEAD".equals(exchange.getRequestMethod());

        URI uri = exchange.getRequestURI();
        DefaultHttpRequestFeature request = new DefaultHttpRequestFeature();
        request.setProtocol(exchange.getProtocol());
        request.setScheme(prefix.scheme());
        request.setMethod(exchange.getRequestMethod());
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
        this.declaredRequestLength = headers.contentLength();
        request.setBody(new RequestStream(exchange.getRequestBody()));

        InetSocketAddress remote = exchange.getRemoteAddress();
        InetSocketAddress local = exchange.getLocalAddress();
        features.set(HttpRequestFeature.class, request);
        features.set(HttpResponseFeature.class, response);
        features.set(HttpResponseBodyFeature.class, this);
        features.set(HttpRequestLifetimeFeature.class, this);
        features.set(HttpRequestIdentifierFeature.class, this);
        features.set(HttpBodyControlFeature.class, this);
        features.set(HttpMaxRequestBodySizeFeature.class, this);
        features.set(HttpConnectionFeature.class, new DefaultHttpConnectionFeature(connectionId,
                remote.getAddress(), remote.getPort(), local.getAddress(), local.getPort()));
        if (exchange instanceof HttpsExchange https) {
            features.set(TlsConnectionFeature.class, new SessionTlsFeature(https.getSSLSession()));
        }
    }

    /**
     * The JDK API shows no connection object; the client's address and port name the connection
     * uniquely while it is open, and stay the same for every request on it.
     */
    private static String connectionIdOf(HttpExchange exchange) {
        InetSocketAddress remote = exchange.getRemoteAddress();
        return remote.getAddress().getHostAddress() + ":" + remote.getPort();
    }

    public FeatureCollection features() {
        return features;
    }

    /**
     * Runs the application for this request and finishes the exchange.
     *
     * @throws IOException to have the JDK server close the connection instead of keeping it
     */
    public void run(HttpApplication<Object> application) throws IOException {
        thread = Thread.currentThread();
        Object context = application.createContext(features);
        Throwable failure = null;
        try {
            application.processRequest(context);
        } catch (Throwable t) {
            failure = t;
        }
        boolean abortConnection = lifetime.isAborted();
        if (failure != null && !abortConnection) {
            if (!response.hasStarted() && out == null) {
                // Failed before responding: the server answers for it (the hosting layer usually has already).
                int status = failure instanceof BadHttpRequestException bad ? bad.statusCode() : 500;
                log.debug("Request {} failed before its response started; answering {}", traceIdentifier, status, failure);
                response.headers().clear();
                response.setStatusCode(status);
                response.setReasonPhrase(null);
                body.discard();
                closeConnection = true;
            } else {
                log.debug("Request {} failed after its response started; closing the connection", traceIdentifier, failure);
                abortConnection = true;
            }
        }
        if (!abortConnection) {
            try {
                complete();
            } catch (IOException | RuntimeException e) {
                log.debug("Request {}: the response could not be completed: {}", traceIdentifier, e.toString());
                if (failure == null) {
                    failure = e;
                }
                abortConnection = true;
            }
        }
        Exception callbackFailure = response.fireOnCompleted();
        if (callbackFailure != null) {
            log.warn("An onCompleted callback of request {} failed", traceIdentifier, callbackFailure);
        }
        application.disposeContext(context, failure);
        if (abortConnection || lifetime.isAborted()) {
            lifetime.abort();
            throw new IOException("request " + traceIdentifier + " aborted");
        }
        if (closeConnection) {
            throw new PortListener.ConnectionClosedAfterResponse();
        }
        exchange.close();
    }

    // --- HttpResponseBodyFeature ---

    @Override
    public OutputStream stream() {
        return body;
    }

    @Override
    public void start() throws IOException {
        commit();
        if (out == null) {
            sendHead(-1);
            body.flushBuffer();
        }
    }

    @Override
    public void complete() throws IOException {
        if (completed) {
            return;
        }
        commit();
        if (out == null) {
            sendHead(body.count);
        }
        body.flushBuffer();
        completed = true;
        if (closeConnection && !chunked) {
            // The connection closes after this response: send it without draining an unread body.
            // (Closing a chunked body is the only way to write its last chunk; the JDK then drains.)
            out.flush();
        } else {
            out.close();
        }
    }

    @Override
    public void sendFile(Path file, long offset, long count) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(offset);
            byte[] chunk = new byte[RESPONSE_BUFFER];
            long left = count < 0 ? Long.MAX_VALUE : count;
            while (left > 0) {
                int n = in.read(chunk, 0, (int) Math.min(chunk.length, left));
                if (n < 0) {
                    break;
                }
                body.write(chunk, 0, n);
                left -= n;
            }
        }
    }

    @Override
    public void disableBuffering() {
        bufferingDisabled = true;
    }

    /** Runs the {@code onStarting} callbacks and freezes the head; the head itself may still wait in the buffer. */
    private void commit() throws IOException {
        if (response.hasStarted()) {
            return;
        }
        try {
            response.fireOnStarting();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
        response.headers().makeReadOnly();
    }

    /**
     * Sends status and headers. {@code knownLength} is the whole body's length when it is known
     * (the body fitted the buffer), else -1: then a declared {@code Content-Length} or chunked coding.
     */
    private void sendHead(long knownLength) throws IOException {
        checkAborted();
        HttpHeaders headers = response.headers();
        Headers target = exchange.getResponseHeaders();
        long declared = headers.contentLength();
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.nameAt(i);
            // The JDK writes the framing fields itself, from the length given to sendResponseHeaders.
            if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Transfer-Encoding")) {
                target.add(name, headers.valueAt(i));
            }
        }
        String requested = exchange.getRequestHeaders().getFirst("Connection");
        if (closeConnection || (requested != null && requested.toLowerCase(java.util.Locale.ROOT).contains("close"))) {
            // The JDK closes after a "Connection: close" request without saying so; say it (RFC 9112 §9.6).
            target.set("Connection", "close");
        }
        if (addServerHeader && !headers.contains("Server")) {
            target.set("Server", "Lanner");
        }
        int status = response.statusCode();
        long length;
        if (head || status < 200 || status == 204 || status == 304) {
            // No body: HEAD keeps the Content-Length a GET would get (RFC 9110 §9.3.2).
            long headLength = declared >= 0 ? declared : knownLength;
            if (head && headLength >= 0 && status != 204 && status >= 200) {
                target.set("Content-Length", Long.toString(headLength));
            }
            length = -1;
        } else if (declared >= 0) {
            length = declared == 0 ? -1 : declared;
        } else if (knownLength >= 0) {
            length = knownLength == 0 ? -1 : knownLength;
        } else {
            length = 0;   // the JDK's "chunked"
            chunked = true;
        }
        try {
            exchange.sendResponseHeaders(status, length);
        } catch (IOException e) {
            lifetime.abort();
            throw e;
        }
        out = exchange.getResponseBody();
        if (length == -1) {
            body.discardWrites = true;
        }
    }

    private void checkAborted() {
        if (lifetime.isAborted()) {
            throw new RequestAbortedException("the request was aborted");
        }
    }

    /** The response body: buffers until the head goes out, then writes through. */
    private final class ResponseStream extends OutputStream {
        /** Grown as bytes arrive, up to RESPONSE_BUFFER: a 13-byte answer does not cost 16 KiB. */
        private byte[] buffer = NO_BYTES;
        private int count;
        private boolean discardWrites;

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
            if (head) {
                // Counted for HEAD's Content-Length while it fits the buffer, never sent.
                count = (int) Math.min((long) count + len, Integer.MAX_VALUE);
                return;
            }
            if (out == null && !bufferingDisabled && count + len <= RESPONSE_BUFFER) {
                if (count + len > buffer.length) {
                    buffer = java.util.Arrays.copyOf(buffer, Math.min(RESPONSE_BUFFER, Math.max(count + len, 2 * buffer.length)));
                }
                System.arraycopy(b, off, buffer, count, len);
                count += len;
                return;
            }
            if (out == null) {
                sendHead(-1);
            }
            flushBuffer();
            writeOut(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            checkAborted();
            if (completed) {
                return;
            }
            commit();
            if (out == null) {
                sendHead(-1);
            }
            flushBuffer();
            try {
                out.flush();
            } catch (IOException e) {
                lifetime.abort();
                throw e;
            }
        }

        void flushBuffer() throws IOException {
            if (count > 0 && !head) {
                int n = count;
                count = 0;
                writeOut(buffer, 0, n);
            }
            count = 0;
        }

        void discard() {
            count = 0;
        }

        private void writeOut(byte[] b, int off, int len) throws IOException {
            if (discardWrites || len == 0) {
                return;
            }
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                // The client is gone (or the body overran its Content-Length): the request is over.
                lifetime.abort();
                throw e;
            }
        }
    }

    /** The request body, counted against the size limit. */
    private final class RequestStream extends InputStream {
        private final InputStream in;
        private long read;

        RequestStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            checkAborted();
            if (!requestBodyStarted) {
                requestBodyStarted = true;
                if (maxRequestBodySize != null && declaredRequestLength > maxRequestBodySize) {
                    throw tooLarge();
                }
            }
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException e) {
                if (lifetime.isAborted()) {
                    throw new RequestAbortedException("the request was aborted", e);
                }
                // The JDK reports a malformed chunk and a vanished client alike: the request is unusable.
                closeConnection = true;
                throw new BadHttpRequestException("The request body could not be read: " + e.getMessage(), 400);
            }
            if (n > 0) {
                read += n;
                if (maxRequestBodySize != null && read > maxRequestBodySize) {
                    throw tooLarge();
                }
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        private BadHttpRequestException tooLarge() {
            closeConnection = true;
            return new BadHttpRequestException("Request body too large. The max request body size is "
                    + maxRequestBodySize + " bytes.", 413);
        }
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

    // --- HttpMaxRequestBodySizeFeature ---

    @Override
    public boolean isReadOnly() {
        return requestBodyStarted;
    }

    @Override
    public Long maxRequestBodySize() {
        return maxRequestBodySize;
    }

    @Override
    public void setMaxRequestBodySize(Long bytes) {
        if (requestBodyStarted) {
            throw new IllegalStateException("the request body is already being read");
        }
        maxRequestBodySize = bytes;
    }

    /** What the {@code HttpsServer} negotiated, read from the exchange's session. */
    private record SessionTlsFeature(SSLSession session) implements TlsConnectionFeature {
        @Override
        public String protocol() {
            return session.getProtocol();
        }

        @Override
        public String cipherSuite() {
            return session.getCipherSuite();
        }

        @Override
        public String applicationProtocol() {
            return null;   // the JDK server offers no ALPN: always HTTP/1.1
        }

        @Override
        public X509Certificate clientCertificate() {
            try {
                Certificate[] chain = session.getPeerCertificates();
                return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
            } catch (SSLPeerUnverifiedException e) {
                return null;
            }
        }

        @Override
        public String serverName() {
            if (session instanceof ExtendedSSLSession extended) {
                for (SNIServerName name : extended.getRequestedServerNames()) {
                    if (name instanceof SNIHostName host) {
                        return host.getAsciiName();
                    }
                }
            }
            return null;
        }
    }
}
