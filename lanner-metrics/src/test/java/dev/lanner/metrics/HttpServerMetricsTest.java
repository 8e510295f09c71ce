package dev.lanner.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.hosting.WebApplication;
import dev.lanner.hosting.WebApplicationOptions;
import dev.lanner.hosting.testing.TestClient;
import dev.lanner.hosting.testing.TestRequest;
import dev.lanner.hosting.testing.TestServer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP server metrics through hosting's request hook, on the in-memory {@link TestServer}: exact
 * counts per tag combination, the tags of the semantic conventions, the histogram's boundaries, and the
 * active-requests gauge while a request runs.
 */
class HttpServerMetricsTest {

    @TempDir
    Path root;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private WebApplication app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    private TestClient start(java.util.function.Consumer<WebApplication> configure) {
        // Metrics:Enabled=false keeps the service from adding its own observer: this test adds one on its registry.
        app = WebApplication.builder(WebApplicationOptions.isolated(root, "--Metrics:Enabled=false"))
                .useServer(new TestServer()).build();
        app.useRequestObserver(new HttpServerMetrics(registry));
        configure.accept(app);
        app.start();
        return ((TestServer) app.server()).client();
    }

    /** Every request duration timer as its tags (sorted "key=value" list) → count. */
    private Map<String, Long> durationCounts() {
        return registry.find("http.server.request.duration").timers().stream().collect(Collectors.toMap(
                t -> t.getId().getTags().stream().map(tag -> tag.getKey() + "=" + tag.getValue()).sorted()
                        .collect(Collectors.joining(",")),
                Timer::count));
    }

    @Test
    void countsEachRequestOnceUnderItsMethodStatusRouteProtocolAndScheme() throws Exception {
        TestClient client = start(a -> {
            a.mapGet("/Orders", ctx -> ctx.response().write("orders"));
            a.mapPost("/Orders", ctx -> ctx.response().setStatusCode(201));
        });
        for (int i = 0; i < 3; i++) {
            assertThat(client.get("/orders").statusCode()).isEqualTo(200); // matched case-insensitively
        }
        assertThat(client.send(TestRequest.post("/Orders")).statusCode()).isEqualTo(201);
        assertThat(client.get("/missing").statusCode()).isEqualTo(404);
        assertThat(client.send(TestRequest.of("PURGE", "/missing")).statusCode()).isEqualTo(404);

        assertThat(durationCounts()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "http.request.method=GET,http.response.status_code=200,http.route=/Orders,network.protocol.version=1.1,url.scheme=http", 3L,
                "http.request.method=POST,http.response.status_code=201,http.route=/Orders,network.protocol.version=1.1,url.scheme=http", 1L,
                // No endpoint matched: no http.route; an unknown method is _OTHER.
                "http.request.method=GET,http.response.status_code=404,network.protocol.version=1.1,url.scheme=http", 1L,
                "http.request.method=_OTHER,http.response.status_code=404,network.protocol.version=1.1,url.scheme=http", 1L));
    }

    @Test
    void tagsAFailedRequestWithTheExceptionType() throws Exception {
        TestClient client = start(a -> a.mapGet("/boom", ctx -> {
            throw new IllegalStateException("boom");
        }));
        assertThat(client.get("/boom").statusCode()).isEqualTo(500);
        assertThat(durationCounts()).containsExactlyEntriesOf(Map.of(
                "error.type=java.lang.IllegalStateException,http.request.method=GET,http.response.status_code=500,"
                        + "http.route=/boom,network.protocol.version=1.1,url.scheme=http", 1L));
    }

    @Test
    void tagsA5xxWithoutAnExceptionWithItsStatus() throws Exception {
        TestClient client = start(a -> a.mapGet("/unavailable", ctx -> ctx.response().setStatusCode(503)));
        assertThat(client.get("/unavailable").statusCode()).isEqualTo(503);
        assertThat(durationCounts()).containsExactlyEntriesOf(Map.of(
                "error.type=503,http.request.method=GET,http.response.status_code=503,"
                        + "http.route=/unavailable,network.protocol.version=1.1,url.scheme=http", 1L));
    }

    @Test
    void recordsDurationsInSecondsWithTheAdvisedBucketBoundaries() throws Exception {
        TestClient client = start(a -> a.mapGet("/", ctx -> ctx.response().write("x")));
        client.get("/");
        Timer timer = registry.get("http.server.request.duration").timer();
        List<Double> boundaries = new ArrayList<>();
        for (CountAtBucket bucket : timer.takeSnapshot().histogramCounts()) {
            boundaries.add(bucket.bucket(TimeUnit.SECONDS));
        }
        assertThat(boundaries).containsExactly(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);
        assertThat(timer.takeSnapshot().histogramCounts()[13].count()).isEqualTo(1.0); // le=10 s holds it
        assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isPositive();
    }

    @Test
    void activeRequestsCountsTheRequestsStillRunning() throws Exception {
        CountDownLatch inside = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        TestClient client = start(a -> a.mapGet("/slow", ctx -> {
            inside.countDown();
            release.await();
            ctx.response().write("done");
        }));
        var first = client.sendAsync(TestRequest.get("/slow"));
        var second = client.sendAsync(TestRequest.get("/slow"));
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        Meter active = registry.get("http.server.active_requests").meter();
        assertThat(active.getId().getTags()).containsExactlyInAnyOrder(
                Tag.of("http.request.method", "GET"), Tag.of("url.scheme", "http"));
        assertThat(registry.get("http.server.active_requests").gauge().value()).isEqualTo(2.0);
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(second.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(registry.get("http.server.active_requests").gauge().value()).isEqualTo(0.0);
    }

    @Test
    void namesTheKnownMethodsAndFoldsTheRestIntoOther() {
        assertThat(Arrays.stream(new String[] {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE", "PURGE", "get"})
                .map(m -> HttpServerMetrics.METHODS[HttpServerMetrics.methodIndex(m)]))
                .containsExactly("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE", "_OTHER", "_OTHER");
    }
}
