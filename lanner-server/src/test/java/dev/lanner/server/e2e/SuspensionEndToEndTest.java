package dev.lanner.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.HttpContext;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.HttpRequestSuspensionFeature;
import dev.lanner.http.server.HttpApplication;
import dev.lanner.server.EventLoopRequestFeature;
import dev.lanner.server.LannerServer;
import dev.lanner.server.LannerServerOptions;
import dev.lanner.http.features.ServerAddressesFeature;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A non-blocking application that suspends HTTP/1.1 requests the server runs inline on its event
 * loop and completes them later, from the loop (through {@link EventLoopRequestFeature}) or from
 * another thread: responses keep their order on a pipelined connection, failures become 500s, and
 * requests that are not suspended are unaffected.
 */
@Timeout(30)
class SuspensionEndToEndTest {

    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    private final ConcurrentLinkedQueue<String> disposed = new ConcurrentLinkedQueue<>();
    private LannerServer server;
    private int port;

    @AfterEach
    void stop() throws Exception {
        later.shutdownNow();
        if (server != null) {
            server.stop(java.time.Duration.ofSeconds(1));
        }
    }

    private void start() throws Exception {
        server = new LannerServer(LannerServerOptions.defaults());
        server.features().get(ServerAddressesFeature.class).addresses().add("http://127.0.0.1:0");
        server.start(new HttpApplication<HttpContext>() {
            @Override
            public HttpContext createContext(FeatureCollection features) {
                return new HttpContext(features);
            }

            @Override
            public void processRequest(HttpContext ctx) throws Exception {
                String path = ctx.request().path();
                HttpRequestSuspensionFeature suspension = ctx.features().get(HttpRequestSuspensionFeature.class);
                EventLoopRequestFeature loop = ctx.features().get(EventLoopRequestFeature.class);
                switch (path) {
                    case "/features" -> ctx.response().write((suspension != null) + " " + (loop != null));
                    case "/later" -> {
                        var completion = suspension.suspend();
                        // Another thread schedules; the response is written on the loop, as a proxy would.
                        later.schedule(() -> loop.execute(() -> {
                            try {
                                ctx.response().setContentType("text/plain");
                                ctx.response().write("later " + ctx.request().query("n"));
                                completion.complete(null);
                            } catch (Exception e) {
                                completion.complete(e);
                            }
                        }), 50, TimeUnit.MILLISECONDS);
                    }
                    case "/elsewhere" -> {
                        var completion = suspension.suspend();
                        later.schedule(() -> {
                            try {
                                ctx.response().write("from another thread");
                                completion.complete(null);
                            } catch (Exception e) {
                                completion.complete(e);
                            }
                        }, 20, TimeUnit.MILLISECONDS);
                    }
                    case "/fails" -> {
                        var completion = suspension.suspend();
                        later.schedule(() -> completion.complete(new IllegalStateException("boom")), 20, TimeUnit.MILLISECONDS);
                    }
                    case "/at-once" -> suspension.suspend().complete(null);
                    default -> ctx.response().write("now " + ctx.request().query("n"));
                }
            }

            @Override
            public void disposeContext(HttpContext context, Throwable error) {
                disposed.add(context.request().path() + (error == null ? "" : " " + error.getMessage()));
            }

            @Override
            public boolean isNonBlocking() {
                return true;
            }
        });
        String address = server.features().get(ServerAddressesFeature.class).addresses().iterator().next();
        port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    @Test
    void inlineRequestsAreOfferedTheSuspensionAndTheLoop() throws Exception {
        start();
        try (RawConnection c = RawConnection.open("127.0.0.1", port)) {
            c.send("GET /features HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.readResponse().bodyText()).isEqualTo("true true");
        }
    }

    @Test
    void pipelinedRequestsAnswerInOrderWhenTheFirstIsCompletedLater() throws Exception {
        start();
        try (RawConnection c = RawConnection.open("127.0.0.1", port)) {
            c.send("GET /later?n=1 HTTP/1.1\r\nHost: x\r\n\r\nGET /now?n=2 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /later?n=3 HTTP/1.1\r\nHost: x\r\n\r\n");
            RawResponse first = c.readResponse();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.bodyText()).isEqualTo("later 1");
            assertThat(first.header("Content-Length")).isEqualTo("7");
            assertThat(c.readResponse().bodyText()).isEqualTo("now 2");
            assertThat(c.readResponse().bodyText()).isEqualTo("later 3");
            // The connection goes on after suspended requests.
            c.send("GET /now?n=4 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.readResponse().bodyText()).isEqualTo("now 4");
        }
        assertThat(disposed).containsExactly("/later", "/now", "/later", "/now");
    }

    @Test
    void aRequestCanBeCompletedFromAnotherThreadOrBeforeItsApplicationReturns() throws Exception {
        start();
        try (RawConnection c = RawConnection.open("127.0.0.1", port)) {
            c.send("GET /elsewhere HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.readResponse().bodyText()).isEqualTo("from another thread");
            c.send("GET /at-once HTTP/1.1\r\nHost: x\r\n\r\n");
            RawResponse atOnce = c.readResponse();
            assertThat(atOnce.status()).isEqualTo(200);
            assertThat(atOnce.body()).isEmpty();
        }
    }

    @Test
    void aCompletionWithAFailureIsA500AndTheConnectionGoesOn() throws Exception {
        start();
        try (RawConnection c = RawConnection.open("127.0.0.1", port)) {
            c.send("GET /fails HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(500);
            c.send("GET /now?n=5 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.readResponse().bodyText()).isEqualTo("now 5");
        }
        assertThat(disposed).contains("/fails boom");
    }

    @Test
    void aClientThatLeavesWhileTheRequestIsHeldStillHasItDisposed() throws Exception {
        start();
        try (RawConnection c = RawConnection.open("127.0.0.1", port)) {
            c.send("GET /later?n=6 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!disposed.contains("/later") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(disposed).contains("/later");
    }
}
