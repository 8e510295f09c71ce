package dev.lanner.server.e2e.http2;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A client on its own connection that keeps making {@code GET /} requests in the background
 * while a test attacks the server on another connection: a flood defence must stop the attacker,
 * not the server.
 */
final class WellBehavedClient implements AutoCloseable {

    private static final int MAX_REQUESTS = 500;

    private final H2Connection connection;
    private final List<String> results = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Throwable failure;

    private WellBehavedClient(H2Connection connection) {
        this.connection = connection;
        this.thread = Thread.ofVirtual().name("h2-well-behaved").start(this::run);
    }

    /** Connects (handshake in the caller's thread), then requests in the background. */
    static WellBehavedClient start(H2TestServer server) throws IOException {
        return new WellBehavedClient(server.connect());
    }

    private void run() {
        try {
            for (int i = 0; i < MAX_REQUESTS && !stopping; i++) {
                H2Response response = connection.get("/");
                results.add(response.status() + " " + response.bodyText());
                Thread.sleep(10); // paces the bystander so that its requests span the attack
            }
        } catch (Throwable e) {
            failure = e;
        }
    }

    /**
     * Stops the background requests and checks that every one was answered 200 "hello", that
     * there was at least one, and that the connection still serves one more.
     */
    void assertServedThroughout() throws Exception {
        stopping = true;
        if (!thread.join(Duration.ofSeconds(10))) {
            throw new AssertionError("the well-behaved client's request did not complete within 10 s");
        }
        if (failure != null) {
            throw new AssertionError("the well-behaved client failed: " + failure, failure);
        }
        if (results.isEmpty()) {
            throw new AssertionError("the well-behaved client got no response during the attack");
        }
        for (String result : results) {
            if (!result.equals("200 hello")) {
                throw new AssertionError("the well-behaved client got " + result + "; all results: " + results);
            }
        }
        connection.assertServes();
    }

    @Override
    public void close() {
        stopping = true;
        connection.close();
    }
}
