package dev.lanner.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.http.ApplicationBuilder;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.HttpBodyControlFeature;
import dev.lanner.http.features.HttpConnectionFeature;
import dev.lanner.http.features.HttpMinResponseDataRateFeature;
import dev.lanner.http.features.MinDataRate;
import dev.lanner.http.features.ServerAddressesFeature;
import dev.lanner.http.server.Server;
import dev.lanner.http.features.Features;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The whole contract: {@link CoreServerContractTests} plus what a full server supplies beyond the
 * request and response features — request bodies without a declared length, response callbacks,
 * request lifetime and abort, trace identifiers, the connection feature, and aborting requests that
 * outlive a stop's grace period. The default server, the platform server and TestServer run it.
 */
public abstract class ServerContractTests extends CoreServerContractTests {

    @Test
    void requestBodyWithoutDeclaredLengthIsReadCompletely() throws Exception {
        start(ctx -> ctx.response().write(ctx.request().readAllBytes()));
        byte[] sent = randomBytes(150_000, 3);
        KitResponse response = client.send(KitRequest.of("POST", "/echo").body(sent).withUnknownLength());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(sent);
    }

    @Test
    void getRequestHasAnEmptyBody() throws Exception {
        start(ctx -> ctx.response().write("read " + ctx.request().readAllBytes().length));
        assertThat(client.send(KitRequest.get("/")).bodyText()).isEqualTo("read 0");
    }

    @Test
    void onStartingRunsBeforeTheHeadAndOnCompletedAfterTheResponse() throws Exception {
        CountDownLatch completed = new CountDownLatch(1);
        start(ctx -> {
            ctx.response().onStarting(() -> ctx.response().setHeader("X-Started", "yes"));
            ctx.response().onCompleted(completed::countDown);
            ctx.response().write("body");
        });
        KitResponse response = client.send(KitRequest.get("/"));
        assertThat(response.header("X-Started")).isEqualTo("yes");
        assertThat(response.bodyText()).isEqualTo("body");
        assertThat(completed.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void responseHeadersAreReadOnlyOnceTheResponseStarted() throws Exception {
        start(ctx -> {
            ctx.response().write("first ");
            ctx.response().body().flush();
            String outcome;
            try {
                ctx.response().setHeader("X-Late", "too late");
                outcome = "accepted";
            } catch (RuntimeException e) {
                outcome = "rejected";
            }
            ctx.response().write(outcome + " " + ctx.response().hasStarted());
        });
        KitResponse response = client.send(KitRequest.get("/"));
        assertThat(response.bodyText()).isEqualTo("first rejected true");
        assertThat(response.header("X-Late")).isNull();
    }

    @Test
    void abortByTheApplicationFailsTheExchangeAndFiresTheSignal() throws Exception {
        AtomicBoolean callbackRan = new AtomicBoolean();
        AtomicBoolean abortedSeen = new AtomicBoolean();
        start(ctx -> {
            ctx.requestAborted().onAbort(() -> callbackRan.set(true));
            ctx.abort();
            abortedSeen.set(ctx.requestAborted().isAborted());
        });
        assertThatThrownBy(() -> client.send(KitRequest.get("/"))).isInstanceOf(IOException.class);
        assertThat(callbackRan).isTrue();
        assertThat(abortedSeen).isTrue();
    }

    @Test
    void abortAfterTheResponseStartedFailsTheExchange() throws Exception {
        start(ctx -> {
            ctx.response().setContentLength(1000);
            ctx.response().write("partial");
            ctx.response().body().flush();
            ctx.abort();
        });
        assertThatThrownBy(() -> client.send(KitRequest.get("/"))).isInstanceOf(IOException.class);
    }

    @Test
    void serverKeepsServingAfterAnAbortedRequest() throws Exception {
        start(ctx -> {
            if (ctx.request().path().equals("/abort")) {
                ctx.abort();
                return;
            }
            ctx.response().write("fine");
        });
        assertThatThrownBy(() -> client.send(KitRequest.get("/abort"))).isInstanceOf(IOException.class);
        assertThat(client.send(KitRequest.get("/ok")).bodyText()).isEqualTo("fine");
    }

    @Test
    void stopAbortsRequestsStillRunningAfterTheGracePeriod() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch sawAbort = new CountDownLatch(1);
        start(ctx -> {
            ctx.requestAborted().onAbort(sawAbort::countDown);
            inside.countDown();
            // Waits for the abort (bounded), the way an application watches requestAborted.
            if (!sawAbort.await(20, TimeUnit.SECONDS)) {
                ctx.response().write("never aborted");
            }
        });
        CompletableFuture<KitResponse> running = CompletableFuture.supplyAsync(() -> send(KitRequest.get("/stuck")), BACKGROUND);
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        server.stop(Duration.ofMillis(300));
        server = null;
        assertThat(sawAbort.getCount()).isZero();
        // The aborted exchange fails on the client; it does not complete normally.
        assertThatThrownBy(() -> running.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UncheckedIOException.class);
    }

    @Test
    void traceIdentifierDiffersPerRequest() throws Exception {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        start(ctx -> {
            ids.add(ctx.traceIdentifier());
            ctx.response().write(ctx.traceIdentifier());
        });
        for (int i = 0; i < 5; i++) {
            assertThat(client.send(KitRequest.get("/" + i)).bodyText()).isNotBlank();
        }
        assertThat(ids).hasSize(5);
    }

    @Test
    void connectionFeatureDescribesTheConnection() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        start(ctx -> {
            var c = ctx.connection();
            seen.set(c.id() + "|" + c.remoteAddress() + "|" + c.remotePort() + "|" + c.localAddress() + "|" + c.localPort());
            ctx.response().write("ok");
        });
        client.send(KitRequest.get("/"));
        String[] parts = seen.get().split("\\|");
        assertThat(parts[0]).isNotBlank();
        if (fixture().hasIpTransport()) {
            int port = KitClient.firstAddress(server).getPort();
            assertThat(InetAddress.getByName(parts[1].replaceFirst("^.*/", "")).isLoopbackAddress()).isTrue();
            assertThat(Integer.parseInt(parts[2])).isPositive();
            assertThat(InetAddress.getByName(parts[3].replaceFirst("^.*/", "")).isLoopbackAddress()).isTrue();
            assertThat(Integer.parseInt(parts[4])).isEqualTo(port);
        } else {
            assertThat(parts[1]).isEqualTo("null");
            assertThat(parts[3]).isEqualTo("null");
        }
    }

    @Test
    void mapMovesTheMatchedSegmentIntoThePathBase() throws Exception {
        FeatureCollection serverFeatures = new Features();
        ApplicationBuilder app = new ApplicationBuilder(serverFeatures);
        app.map("/api", branch -> branch.run(ctx -> ctx.response().write(
                ctx.request().pathBase() + "|" + ctx.request().path())));
        app.run(ctx -> ctx.response().write("root " + ctx.request().path()));
        start(app.build());
        assertThat(client.send(KitRequest.get("/api/orders/7")).bodyText()).isEqualTo("/api|/orders/7");
        assertThat(client.send(KitRequest.get("/other")).bodyText()).isEqualTo("root /other");
    }

    // --- one rule per behaviour for every server (the request core) ---

    @Test
    void remoteAddressSetByTheApplicationLastsOneRequest() throws Exception {
        start(ctx -> {
            HttpConnectionFeature connection = ctx.features().get(HttpConnectionFeature.class);
            if (ctx.request().path().equals("/set")) {
                connection.setRemoteAddress(InetAddress.getByName("203.0.113.9"));
                connection.setRemotePort(4711);
            }
            ctx.response().write(connection.remoteAddress() + "|" + connection.remotePort() + "|" + connection.connectionId());
        });
        String[] before = client.send(KitRequest.get("/get")).bodyText().split("\\|");
        String[] set = client.send(KitRequest.get("/set")).bodyText().split("\\|");
        String[] after = client.send(KitRequest.get("/get")).bodyText().split("\\|");
        assertThat(set[0]).isEqualTo("/203.0.113.9");
        assertThat(set[1]).isEqualTo("4711");
        if (fixture().hasIpTransport()) {
            // The three requests share one keep-alive connection (or HTTP/2 connection): the case that leaked.
            assertThat(set[2]).isEqualTo(before[2]);
            assertThat(after[2]).isEqualTo(before[2]);
        }
        assertThat(after[0]).isEqualTo(before[0]);
        assertThat(after[1]).isEqualTo(before[1]);
    }

    @Test
    void synchronousReadsAreRefusedOnEveryReadWhileDisallowed() throws Exception {
        start(ctx -> {
            HttpBodyControlFeature control = ctx.features().get(HttpBodyControlFeature.class);
            control.setAllowSynchronousIO(false);
            String first;
            try {
                first = "read " + ctx.request().body().read();
            } catch (IllegalStateException e) {
                first = "refused";
            }
            control.setAllowSynchronousIO(true);
            ctx.response().write(first + "|" + new String(ctx.request().body().readAllBytes(), StandardCharsets.US_ASCII));
        });
        KitResponse response = client.send(KitRequest.of("POST", "/").body("abc"));
        assertThat(response.bodyText()).isEqualTo("refused|abc");
    }

    @Test
    void minimumResponseDataRateIsAppliedOrRefusedLoudly() throws Exception {
        MinDataRate rate = new MinDataRate(100, Duration.ofSeconds(3));
        start(ctx -> {
            HttpMinResponseDataRateFeature feature = ctx.features().get(HttpMinResponseDataRateFeature.class);
            String outcome;
            if (feature == null) {
                outcome = "unsupported";
            } else {
                try {
                    feature.setMinDataRate(rate);
                    outcome = rate.equals(feature.minDataRate()) ? "applied" : "ignored";
                } catch (UnsupportedOperationException e) {
                    outcome = "unsupported";
                }
            }
            ctx.response().write(outcome);
        });
        assertThat(client.send(KitRequest.get("/")).bodyText())
                .isEqualTo(fixture().enforcesMinResponseDataRate() ? "applied" : "unsupported");
    }

    @Test
    void preferHostingUrlsPicksTheHostsAddressesOverTheServersOwn() throws Exception {
        int ownPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ownPort = probe.getLocalPort();
        }
        String own = "http://127.0.0.1:" + ownPort;
        for (boolean prefer : new boolean[] {false, true}) {
            Server candidate = fixture().createWithOwnUrl(own + "/");
            Assumptions.assumeTrue(candidate != null, "this server has no addresses of its own");
            ServerAddressesFeature addresses = candidate.features().get(ServerAddressesFeature.class);
            addresses.addresses().clear();
            addresses.addresses().add("http://127.0.0.1:0");
            addresses.setPreferHostingUrls(prefer);
            candidate.start(new KitApplication(ctx -> ctx.response().write("ok")));
            try {
                URI bound = KitClient.firstAddress(candidate);
                if (prefer) {
                    assertThat(bound.getPort()).isNotEqualTo(ownPort).isPositive();
                } else {
                    assertThat(bound.getPort()).isEqualTo(ownPort);
                }
                try (KitClient http = KitClient.http(bound)) {
                    assertThat(http.send(KitRequest.get("/")).bodyText()).isEqualTo("ok");
                }
            } finally {
                candidate.stop(Duration.ofSeconds(2));
            }
        }
    }
}
