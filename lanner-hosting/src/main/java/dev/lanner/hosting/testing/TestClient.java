package dev.lanner.hosting.testing;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Sends requests to a {@link TestServer} in memory. Each call waits at most 30 s for the answer. */
public final class TestClient {

    private static final long TIMEOUT_SECONDS = 30;
    private final TestServer server;

    TestClient(TestServer server) {
        this.server = server;
    }

    public TestResponse get(String target) throws IOException {
        return send(TestRequest.get(target));
    }

    public TestResponse post(String target, String contentType, String body) throws IOException {
        return send(TestRequest.post(target).header("Content-Type", contentType).body(body));
    }

    /** Sends and waits. A refused request (server not started or stopping) throws {@link java.net.ConnectException}. */
    public TestResponse send(TestRequest request) throws IOException {
        try {
            return sendAsync(request).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no response within " + TIMEOUT_SECONDS + " s for " + request.method() + " " + request.target());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Sends without waiting: the request runs on its own virtual thread. */
    public CompletableFuture<TestResponse> sendAsync(TestRequest request) {
        return server.process(request);
    }
}
