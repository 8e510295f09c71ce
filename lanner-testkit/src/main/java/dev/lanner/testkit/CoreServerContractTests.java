package dev.lanner.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.http.RequestDelegate;
import dev.lanner.http.features.HttpResponseFeature;
import dev.lanner.http.features.ServerAddressesFeature;
import dev.lanner.http.server.Server;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link Server} must show with only the request and response features (and the
 * response body feature that writes through them): the contract a minimal server passes. A server's
 * test class extends this (or {@link ServerContractTests}, which adds the optional features) and
 * returns its {@link ServerFixture}. Each test starts its own server, so a failure in one never
 * leaks into the next.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class CoreServerContractTests {

    /**
     * Runs the kit's concurrent clients, each on its own virtual thread (the common pool has a single
     * worker on a 2-core machine, which would run two blocking clients one after the other).
     */
    protected static final java.util.concurrent.Executor BACKGROUND = Thread::startVirtualThread;

    /** The server implementation under test. */
    protected abstract ServerFixture fixture();

    protected Server server;
    protected KitClient client;
    protected KitApplication application;

    /** Starts a fresh server running {@code app} and connects a client to it. */
    protected KitClient start(RequestDelegate app) throws Exception {
        server = fixture().create();
        ServerAddressesFeature addresses = server.features().get(ServerAddressesFeature.class);
        addresses.addresses().clear();
        addresses.addresses().add(fixture().listenUrl());
        application = new KitApplication(app);
        server.start(application);
        client = fixture().client(server);
        return client;
    }

    @AfterEach
    void stopServer() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.stop(Duration.ofSeconds(2));
        }
    }

    protected static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    // --- request and response ---

    @Test
    void getAnswersWithStatusHeadersAndBody() throws Exception {
        start(ctx -> {
            ctx.response().setContentType("text/plain");
            ctx.response().write("Hello, World!");
        });
        KitResponse response = client.send(KitRequest.get("/plaintext"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("text/plain");
        assertThat(response.bodyText()).isEqualTo("Hello, World!");
    }

    @Test
    void requestFeatureCarriesMethodPathAndProtocol() throws Exception {
        start(ctx -> ctx.response().write(ctx.request().method() + " " + ctx.request().pathBase() + "|"
                + ctx.request().path() + " " + ctx.request().protocol() + " " + ctx.request().scheme()));
        assertThat(client.send(KitRequest.of("DELETE", "/items/42")).bodyText())
                .isEqualTo("DELETE |/items/42 HTTP/1.1 http");
    }

    @Test
    void queryStringKeepsItsEscapesAndPathIsDecoded() throws Exception {
        start(ctx -> ctx.response().write(ctx.request().path() + "\n" + ctx.request().queryString() + "\n"
                + ctx.request().query("name") + "\n" + ctx.request().query("q")));
        KitResponse response = client.send(KitRequest.get("/caf%C3%A9/a%20b?name=J%C3%BCrgen&q=1%262%3D3"));
        assertThat(response.bodyText()).isEqualTo("/café/a b\n?name=J%C3%BCrgen&q=1%262%3D3\nJürgen\n1&2=3");
    }

    @Test
    void emptyQueryStringIsEmpty() throws Exception {
        start(ctx -> ctx.response().write("[" + ctx.request().queryString() + "]"));
        assertThat(client.send(KitRequest.get("/x")).bodyText()).isEqualTo("[]");
    }

    @Test
    void repeatedRequestHeaderValuesArriveInOrder() throws Exception {
        start(ctx -> ctx.response().write(String.join("|", ctx.request().headers().getCombined("X-Multi"),
                ctx.request().header("x-single"))));
        KitResponse response = client.send(KitRequest.get("/")
                .header("X-Multi", "one").header("X-Multi", "two").header("X-Single", "only"));
        assertThat(response.bodyText()).isEqualTo("one, two|only");
    }

    @Test
    void repeatedResponseHeaderValuesReachTheClient() throws Exception {
        start(ctx -> {
            ctx.response().addHeader("X-Multi", "one");
            ctx.response().addHeader("X-Multi", "two");
            ctx.response().write("ok");
        });
        assertThat(client.send(KitRequest.get("/")).headerValues("X-Multi")).containsExactly("one", "two");
    }

    @Test
    void requestBodyWithContentLengthIsReadCompletely() throws Exception {
        start(ctx -> {
            byte[] body = ctx.request().readAllBytes();
            ctx.response().setContentType("application/octet-stream");
            ctx.response().write(body);
        });
        byte[] sent = randomBytes(200_000, 1);
        KitResponse response = client.send(KitRequest.of("POST", "/echo").body(sent));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(sent);
    }

    @Test
    void largeResponseBodyOfUnknownLengthArrivesIntact() throws Exception {
        byte[] payload = randomBytes(1 << 20, 2);
        start(ctx -> {
            OutputStream out = ctx.response().body();
            for (int i = 0; i < payload.length; i += 7_000) {
                out.write(payload, i, Math.min(7_000, payload.length - i));
            }
        });
        KitResponse response = client.send(KitRequest.get("/big"));
        assertThat(response.body()).isEqualTo(payload);
    }

    @Test
    void declaredContentLengthIsSent() throws Exception {
        start(ctx -> {
            ctx.response().setContentLength(5);
            ctx.response().write("abcde");
        });
        KitResponse response = client.send(KitRequest.get("/"));
        assertThat(response.header("Content-Length")).isEqualTo("5");
        assertThat(response.bodyText()).isEqualTo("abcde");
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 400, 403, 404, 409, 418, 500, 503})
    void statusCodeReachesTheClient(int status) throws Exception {
        start(ctx -> {
            ctx.response().setStatusCode(status);
            ctx.response().write("status " + status);
        });
        KitResponse response = client.send(KitRequest.get("/"));
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.bodyText()).isEqualTo("status " + status);
    }

    @Test
    void noContentHasNoBody() throws Exception {
        start(ctx -> ctx.response().setStatusCode(204));
        KitResponse response = client.send(KitRequest.of("DELETE", "/thing"));
        assertThat(response.status()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void redirectCarriesItsLocation() throws Exception {
        start(ctx -> ctx.response().redirect("/elsewhere", false));
        KitResponse response = client.send(KitRequest.get("/old"));
        assertThat(response.status()).isEqualTo(302);
        assertThat(response.header("Location")).isEqualTo("/elsewhere");
    }

    @Test
    void headAnswersWithoutBody() throws Exception {
        start(ctx -> {
            ctx.response().setContentType("text/plain");
            ctx.response().write("Hello, World!");
        });
        KitResponse response = client.send(KitRequest.of("HEAD", "/plaintext"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("text/plain");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void emptyResponseIsA200WithNoBody() throws Exception {
        start(ctx -> { });
        KitResponse response = client.send(KitRequest.get("/"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void requestsRunConcurrently() throws Exception {
        CountDownLatch bothInside = new CountDownLatch(2);
        start(ctx -> {
            bothInside.countDown();
            // Each request waits for the other: a server that ran them one at a time would time out here.
            boolean met = bothInside.await(10, TimeUnit.SECONDS);
            ctx.response().write(met ? "met" : "alone");
        });
        CompletableFuture<KitResponse> first = CompletableFuture.supplyAsync(() -> send(KitRequest.get("/1")), BACKGROUND);
        CompletableFuture<KitResponse> second = CompletableFuture.supplyAsync(() -> send(KitRequest.get("/2")), BACKGROUND);
        assertThat(first.get(20, TimeUnit.SECONDS).bodyText()).isEqualTo("met");
        assertThat(second.get(20, TimeUnit.SECONDS).bodyText()).isEqualTo("met");
    }

    @Test
    void applicationExceptionBeforeTheResponseStarts() throws Exception {
        start(ctx -> {
            throw new IllegalStateException("boom");
        });
        if (fixture().surfacesApplicationExceptions()) {
            assertThatThrownBy(() -> client.send(KitRequest.get("/"))).isInstanceOf(IOException.class)
                    .hasRootCauseInstanceOf(IllegalStateException.class);
        } else {
            KitResponse response = client.send(KitRequest.get("/"));
            assertThat(response.status()).isEqualTo(500);
            assertThat(response.body()).isEmpty();
        }
        assertThat(application.awaitDisposed(1)).isTrue();
        assertThat(application.failures()).singleElement().isInstanceOf(IllegalStateException.class);
    }

    @Test
    void serverKeepsServingAfterAFailedRequest() throws Exception {
        start(ctx -> {
            if (ctx.request().path().equals("/fail")) {
                throw new IllegalStateException("boom");
            }
            ctx.response().write("fine");
        });
        try {
            client.send(KitRequest.get("/fail"));
        } catch (IOException expectedFromTestServer) {
            assertThat(fixture().surfacesApplicationExceptions()).isTrue();
        }
        assertThat(client.send(KitRequest.get("/ok")).bodyText()).isEqualTo("fine");
    }

    // --- server features ---

    @Test
    void serverAddressesFeatureReportsTheBoundPort() throws Exception {
        start(ctx -> ctx.response().write("here"));
        List<String> addresses = server.features().get(ServerAddressesFeature.class).addresses();
        assertThat(addresses).isNotEmpty();
        assertThat(addresses).noneMatch(a -> a.matches(".*:0/?$"));
        // The kit's client reached the server through the first reported address.
        assertThat(client.send(KitRequest.get("/")).bodyText()).isEqualTo("here");
    }

    // --- lifetime ---

    @Test
    void gracefulStopLetsARunningRequestFinish() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        start(ctx -> {
            inside.countDown();
            release.await(20, TimeUnit.SECONDS);
            ctx.response().write("finished");
        });
        CompletableFuture<KitResponse> running = CompletableFuture.supplyAsync(() -> send(KitRequest.get("/slow")), BACKGROUND);
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        KitClient fresh = fixture().client(server);
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> stop(Duration.ofSeconds(20)), BACKGROUND);
        release.countDown();
        assertThat(running.get(20, TimeUnit.SECONDS).bodyText()).isEqualTo("finished");
        stopping.get(25, TimeUnit.SECONDS);
        server = null;
        try (fresh) {
            // A new connection after the stop is refused.
            assertThatThrownBy(() -> fresh.send(KitRequest.get("/after"))).isInstanceOf(IOException.class);
        }
    }

    @Test
    void stopTwiceIsHarmless() throws Exception {
        start(ctx -> ctx.response().write("x"));
        assertThat(client.send(KitRequest.get("/")).bodyText()).isEqualTo("x");
        server.stop(Duration.ofSeconds(1));
        server.stop(Duration.ofSeconds(1));
        server = null;
    }

    protected KitResponse send(KitRequest request) {
        try {
            return client.send(request);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    protected void stop(Duration grace) {
        try {
            server.stop(grace);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // --- one rule per behaviour for every server (the request core) ---

    @Test
    void headResponseCarriesTheLengthOfTheGetBody() throws Exception {
        start(ctx -> {
            ctx.response().setContentType("text/plain");
            ctx.response().write("Hello, World!");
        });
        KitResponse get = client.send(KitRequest.get("/plaintext"));
        KitResponse head = client.send(KitRequest.of("HEAD", "/plaintext"));
        assertThat(get.header("Content-Length")).isEqualTo("13");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo("13");
        assertThat(head.body()).isEmpty();
    }

    @Test
    void statusCodesOutsideOneHundredToNineNineNineAreRefusedByTheFeature() throws Exception {
        start(ctx -> {
            HttpResponseFeature feature = ctx.features().get(HttpResponseFeature.class);
            StringBuilder seen = new StringBuilder();
            for (int status : new int[] {99, 1000, -1, 0}) {
                try {
                    feature.setStatusCode(status);
                    seen.append(status).append(":accepted ");
                } catch (IllegalArgumentException e) {
                    seen.append(status).append(":refused ");
                }
            }
            feature.setStatusCode(299);
            ctx.response().write(seen.toString().trim() + " " + feature.statusCode());
        });
        KitResponse response = client.send(KitRequest.get("/"));
        assertThat(response.status()).isEqualTo(299);
        assertThat(response.bodyText()).isEqualTo("99:refused 1000:refused -1:refused 0:refused 299");
    }

    @Test
    void sendFileSendsTheRangeAndRefusesOneReachingPastTheEndBeforeSendingAnything() throws Exception {
        Path file = Files.createTempFile("lanner-kit", ".txt");
        try {
            Files.writeString(file, "0123456789");
            start(ctx -> {
                String target = ctx.request().path();
                long offset = Long.parseLong(ctx.request().query("offset"));
                long count = Long.parseLong(ctx.request().query("count"));
                try {
                    ctx.response().bodyFeature().sendFile(file, offset, count);
                } catch (IllegalArgumentException e) {
                    ctx.response().setStatusCode(416);
                    ctx.response().write("refused " + target);
                }
            });
            assertThat(client.send(KitRequest.get("/a?offset=2&count=5")).bodyText()).isEqualTo("23456");
            assertThat(client.send(KitRequest.get("/b?offset=4&count=-1")).bodyText()).isEqualTo("456789");
            KitResponse pastEnd = client.send(KitRequest.get("/c?offset=5&count=6"));
            assertThat(pastEnd.status()).isEqualTo(416);
            assertThat(pastEnd.bodyText()).isEqualTo("refused /c");
            KitResponse offsetPastEnd = client.send(KitRequest.get("/d?offset=11&count=-1"));
            assertThat(offsetPastEnd.status()).isEqualTo(416);
            assertThat(offsetPastEnd.bodyText()).isEqualTo("refused /d");
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
