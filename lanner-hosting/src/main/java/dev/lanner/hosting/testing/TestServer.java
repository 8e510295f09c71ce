package dev.lanner.hosting.testing;

import dev.lanner.http.features.DefaultServerAddressesFeature;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.Features;
import dev.lanner.http.features.ServerAddressesFeature;
import dev.lanner.http.server.HttpApplication;
import dev.lanner.http.server.Server;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory {@link Server}: requests go from a {@link TestClient} straight into the
 * application, with no sockets, so applications can be tested fast and deterministically.
 * Each request is a {@link TestExchange} run by the request core's lifecycle, so it honours the
 * contract like a real server: request, response, body, lifetime (abort), trailers, connection and
 * identifier features, the same framing and error rules; graceful stop refuses new requests, lets
 * in-flight ones finish within the grace period and aborts the rest. It has no minimum response data
 * rate (nothing to time in memory), so it offers no {@code HttpMinResponseDataRateFeature}.
 */
public final class TestServer implements Server {

    private final Features serverFeatures = new Features();
    private final AtomicLong ids = new AtomicLong();
    private final Set<TestExchange> inFlight = ConcurrentHashMap.newKeySet();
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
        for (TestExchange request : inFlight) {
            request.abort();
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
        TestExchange state = new TestExchange(request, "test-" + ids.incrementAndGet());
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
}
