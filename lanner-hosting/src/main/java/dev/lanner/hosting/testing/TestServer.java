package dev.lanner.hosting.testing;

import dev.lanner.http.AbortController;
import dev.lanner.http.AbortSignal;
import dev.lanner.http.HttpHeaders;
import dev.lanner.http.RequestAbortedException;
import dev.lanner.http.RequestPaths;
import dev.lanner.http.features.DefaultHttpConnectionFeature;
import dev.lanner.http.features.DefaultHttpRequestFeature;
import dev.lanner.http.features.DefaultHttpResponseFeature;
import dev.lanner.http.features.DefaultServerAddressesFeature;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.Features;
import dev.lanner.http.features.HttpBodyControlFeature;
import dev.lanner.http.features.HttpConnectionFeature;
import dev.lanner.http.features.HttpRequestFeature;
import dev.lanner.http.features.HttpRequestIdentifierFeature;
import dev.lanner.http.features.HttpRequestLifetimeFeature;
import dev.lanner.http.features.HttpResponseBodyFeature;
import dev.lanner.http.features.HttpResponseFeature;
import dev.lanner.http.features.HttpResponseTrailersFeature;
import dev.lanner.http.features.ServerAddressesFeature;
import dev.lanner.http.server.HttpApplication;
import dev.lanner.http.server.Server;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory {@link Server}: requests go from a {@link TestClient} straight into the
 * application, with no sockets, so applications can be tested fast and deterministically.
 * It honours the contract like a real server: request, response, body, lifetime (abort), trailers,
 * connection and identifier features; graceful stop refuses new requests, lets in-flight ones
 * finish within the grace period and aborts the rest.
 */
public final class TestServer implements Server {

    private final Features serverFeatures = new Features();
    private final AtomicLong ids = new AtomicLong();
    private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private volatile HttpApplication<Object> application;
    private volatile boolean stopping;

    public TestServer() {
        DefaultServerAddressesFeature addresses = new DefaultServerAddressesFeature();
        serverFeatures.set(ServerAddressesFeature.class, addresses);
    }

    @Override
    public FeatureCollection features() {
        return serverFeatures;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <C> void start(HttpApplication<C> app) {
        if (application != null) {
            throw new IllegalStateException("TestServer already started");
        }
        ServerAddressesFeature addresses = serverFeatures.get(ServerAddressesFeature.class);
        addresses.addresses().clear();
        addresses.addresses().add("http://localhost");
        application = (HttpApplication<Object>) app;
    }

    /** A client bound to this server. */
    public TestClient client() {
        return new TestClient(this);
    }

    /** Requests currently being processed. */
    public int inFlightCount() {
        return inFlight.size();
    }

    @Override
    public void stop(Duration gracePeriod) throws InterruptedException {
        stopping = true;
        long deadline = System.nanoTime() + gracePeriod.toNanos();
        synchronized (lock) {
            while (!inFlight.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
        for (InFlight request : inFlight) {
            request.lifetime.abort();
        }
        synchronized (lock) {
            long abortDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!inFlight.isEmpty() && System.nanoTime() < abortDeadline) {
                lock.wait(10);
            }
        }
    }

    CompletableFuture<TestResponse> process(TestRequest request) {
        HttpApplication<Object> app = application;
        if (app == null || stopping) {
            return CompletableFuture.failedFuture(new ConnectException(
                    app == null ? "TestServer is not started" : "TestServer is stopping: request refused"));
        }
        InFlight state = new InFlight(request, "test-" + ids.incrementAndGet());
        synchronized (lock) {
            inFlight.add(state);
        }
        CompletableFuture<TestResponse> result = new CompletableFuture<>();
        Thread.ofVirtual().name("testserver-", 0).start(() -> {
            try {
                result.complete(state.run(app));
            } catch (Throwable t) {
                result.completeExceptionally(t instanceof IOException ? t : new IOException("request failed: " + t, t));
            } finally {
                synchronized (lock) {
                    inFlight.remove(state);
                    lock.notifyAll();
                }
            }
        });
        return result;
    }

    /** One request's features and its run. */
    private static final class InFlight implements HttpResponseBodyFeature, HttpRequestLifetimeFeature,
            HttpRequestIdentifierFeature, HttpResponseTrailersFeature, HttpBodyControlFeature {

        private final Features features = new Features();
        private final DefaultHttpResponseFeature response = new DefaultHttpResponseFeature();
        private final AbortController lifetime = new AbortController();
        private final HttpHeaders trailers = new HttpHeaders();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final OutputStream stream = new BodyStream();
        private String traceIdentifier;
        private boolean completed;
        private boolean allowSynchronousIO = true;
        private final boolean head;

        InFlight(TestRequest request, String id) {
            traceIdentifier = id;
            head = request.method().equalsIgnoreCase("HEAD");
            DefaultHttpRequestFeature req = new DefaultHttpRequestFeature();
            String target = request.target();
            req.setMethod(request.method());
            req.setScheme(target.startsWith("https://") ? "https" : "http");
            req.setProtocol("HTTP/1.1");
            req.setRawTarget(target);
            req.setPath(RequestPaths.decodePath(RequestPaths.pathOf(target)));
            req.setQueryString(RequestPaths.queryOf(target));
            HttpHeaders headers = new HttpHeaders();
            request.headers().forEach(headers::add);
            if (!headers.contains("Host")) {
                headers.add("Host", hostOf(target));
            }
            byte[] bytes = request.bodyBytes();
            if (bytes.length > 0 && !headers.contains("Content-Length") && !headers.contains("Transfer-Encoding")) {
                headers.add("Content-Length", Integer.toString(bytes.length));
            }
            req.setHeaders(headers);
            req.setBody(new AbortableInput(new ByteArrayInputStream(bytes), lifetime));
            features.set(HttpRequestFeature.class, req);
            features.set(HttpResponseFeature.class, response);
            features.set(HttpResponseBodyFeature.class, this);
            features.set(HttpRequestLifetimeFeature.class, this);
            features.set(HttpRequestIdentifierFeature.class, this);
            features.set(HttpResponseTrailersFeature.class, this);
            features.set(HttpBodyControlFeature.class, this);
            features.set(HttpConnectionFeature.class, new DefaultHttpConnectionFeature(id, null, 0, null, 0));
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

        TestResponse run(HttpApplication<Object> app) throws Exception {
            Object context = app.createContext(features);
            Throwable failure = null;
            try {
                app.processRequest(context);
                complete();
            } catch (Throwable t) {
                failure = t;
            }
            Exception callbackFailure = response.fireOnCompleted();
            app.disposeContext(context, failure);
            if (failure != null) {
                lifetime.abort();
                throw new IOException("the application failed the request: " + failure, failure);
            }
            if (lifetime.isAborted()) {
                // A socket server tears the connection down: the client gets no response either.
                throw new IOException("the request was aborted");
            }
            if (callbackFailure != null) {
                throw new IOException("an onCompleted callback failed: " + callbackFailure, callbackFailure);
            }
            return new TestResponse(response.statusCode(), response.headers(), body.toByteArray(), trailers);
        }

        private void checkAborted() {
            if (lifetime.isAborted()) {
                throw new RequestAbortedException("the request was aborted");
            }
        }

        // --- HttpResponseBodyFeature ---

        @Override
        public OutputStream stream() {
            return stream;
        }

        @Override
        public void start() throws IOException {
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

        @Override
        public void complete() throws IOException {
            if (completed) {
                return;
            }
            start();
            completed = true;
            trailers.makeReadOnly();
        }

        @Override
        public void sendFile(Path file, long offset, long count) throws IOException {
            try (InputStream in = Files.newInputStream(file)) {
                in.skipNBytes(offset);
                byte[] data = count < 0 ? in.readAllBytes() : in.readNBytes((int) count);
                stream.write(data);
            }
        }

        @Override
        public void disableBuffering() {
            // Everything is in memory; there is no buffering to turn off.
        }

        private final class BodyStream extends OutputStream {
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
                start();
                if (!head) {
                    // As on the wire: a HEAD response has no body (RFC 9110 §9.3.2).
                    body.write(b, off, len);
                }
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

    /** A body stream that fails once the request is aborted, as a socket-backed one would. */
    private static final class AbortableInput extends InputStream {
        private final InputStream in;
        private final AbortSignal signal;

        AbortableInput(InputStream in, AbortSignal signal) {
            this.in = in;
            this.signal = signal;
        }

        @Override
        public int read() throws IOException {
            signal.throwIfAborted();
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            signal.throwIfAborted();
            return in.read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }
    }
}
