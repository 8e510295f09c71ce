package dev.lanner.hosting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.hosting.testing.TestClient;
import dev.lanner.hosting.testing.TestRequest;
import dev.lanner.hosting.testing.TestResponse;
import dev.lanner.hosting.testing.TestServer;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Health endpoints, the drain delay and AllowedHosts at start-up, over the in-memory TestServer. */
@Timeout(30)
class HealthEndpointsTest {

    @TempDir
    Path root;

    private WebApplication app(Map<String, String> settings) {
        return WebApplication.builder(WebApplicationOptions.isolated(root).withSettings(settings))
                .useServer(new TestServer()).build();
    }

    private static TestClient client(WebApplication app) {
        return ((TestServer) app.server()).client();
    }

    @Test
    void mapHealthChecksServesLivenessAndReadiness() throws IOException {
        try (WebApplication app = app(Map.of("Health:DrainDelay", "0")).mapHealthChecks()) {
            app.start();
            TestClient client = client(app);
            TestResponse live = client.get("/healthz");
            TestResponse ready = client.get("/readyz");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(live.bodyAsString()).isEqualTo("Healthy");
            assertThat(live.header("Cache-Control")).isEqualTo("no-store");
            assertThat(live.header("Content-Type")).isEqualTo("text/plain");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.bodyAsString()).isEqualTo("Ready");
            TestResponse post = client.send(TestRequest.post("/healthz"));
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.header("Allow")).isEqualTo("GET, HEAD");
        }
    }

    @Test
    void configurationEnablesTheEndpointsOnTheirConfiguredPaths() throws IOException {
        try (WebApplication app = app(Map.of("Health:Enabled", "true", "Health:LivenessPath", "/live",
                "Health:ReadinessPath", "/ready", "Health:DrainDelay", "0"))) {
            app.start();
            TestClient client = client(app);
            assertThat(client.get("/live").bodyAsString()).isEqualTo("Healthy");
            assertThat(client.get("/ready").bodyAsString()).isEqualTo("Ready");
            assertThat(client.get("/healthz").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void endpointsAnswerAheadOfATerminalHandler() throws IOException {
        try (WebApplication app = app(Map.of("Health:DrainDelay", "0")).mapHealthChecks()) {
            app.run(ctx -> ctx.response().setStatusCode(401));
            app.start();
            assertThat(client(app).get("/readyz").statusCode()).isEqualTo(200);
            assertThat(client(app).get("/other").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void withoutHealthThereAreNoEndpointsAndNoDrainDelay() throws Exception {
        WebApplication app = app(Map.of());
        app.start();
        assertThat(client(app).get("/healthz").statusCode()).isEqualTo(404);
        long start = System.nanoTime();
        app.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void drainDelayDefaultsToFiveSecondsOnlyWhenHealthIsServed() {
        HealthOptions defaults = HealthOptions.defaults();
        assertThat(defaults.drainDelay(true)).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.drainDelay(false)).isEqualTo(Duration.ZERO);
        assertThat(app(Map.of("Health:DrainDelay", "2")).configuration().bind("Health", HealthOptions.class)
                .drainDelay(false)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void readinessTurns503AtOnceWhileTheServerStillServesDuringTheDrain() throws Exception {
        WebApplication app = app(Map.of("Health:DrainDelay", "1")).mapHealthChecks();
        app.mapGet("/x", ctx -> ctx.response().write("x"));
        app.start();
        TestClient client = client(app);
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(app::stop);
        assertThat(awaitStopping(app)).isTrue();

        TestResponse ready = client.get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.bodyAsString()).isEqualTo("Stopping");
        assertThat(client.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(client.get("/x").bodyAsString()).isEqualTo("x");
        assertThat(stopping).isNotDone();

        stopping.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> client.get("/x")).isInstanceOf(ConnectException.class);
    }

    private static boolean awaitStopping(WebApplication app) throws InterruptedException {
        CountDownLatch stopping = new CountDownLatch(1);
        app.lifetime().applicationStopping().onAbort(stopping::countDown);
        return stopping.await(5, TimeUnit.SECONDS);
    }

    @Test
    void malformedAllowedHostsFailsStartupWithOneLineNamingTheKey() {
        WebApplicationOptions options = WebApplicationOptions.isolated(root, "--AllowedHosts=example.com:8080");
        assertThatThrownBy(() -> WebApplication.builder(options).useServer(new TestServer()).build())
                .isInstanceOf(StartupException.class)
                .hasMessage("Invalid configuration value in command line: 'AllowedHosts' = \"example.com:8080\": "
                        + "entry 'example.com:8080' must not include a port (ports are ignored)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void invalidHealthPathFailsStartupNamingTheKey() {
        assertThatThrownBy(() -> app(Map.of("Health:LivenessPath", "healthz")))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("Health:LivenessPath");
    }
}
