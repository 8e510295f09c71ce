package dev.lanner.hosting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.hosting.forwarding.ForwardedHeader;
import dev.lanner.hosting.forwarding.ForwardedHeadersOptions;
import dev.lanner.hosting.testing.TestClient;
import dev.lanner.hosting.testing.TestRequest;
import dev.lanner.hosting.testing.TestResponse;
import dev.lanner.hosting.testing.TestServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebApplicationTest {

    @TempDir
    Path root;

    private WebApplication app(WebApplicationOptions options) {
        return WebApplication.builder(options).useServer(new TestServer()).build();
    }

    private static TestClient client(WebApplication app) {
        return ((TestServer) app.server()).client();
    }

    @Test
    void everyConfigurationLayerOverridesTheOneBelow() throws IOException {
        Files.writeString(root.resolve("appsettings.json"),
                "{\"L\":{\"File\":\"json\",\"EnvFile\":\"json\",\"Env\":\"json\",\"Args\":\"json\"}}");
        Files.writeString(root.resolve("appsettings.Staging.json"),
                "{\"L\":{\"EnvFile\":\"staging\",\"Env\":\"staging\",\"Args\":\"staging\"}}");
        WebApplicationOptions options = WebApplicationOptions.isolated(root, "--L:Args=args")
                .withEnvironmentVariables(Map.of("LANNER_ENVIRONMENT", "Staging", "LANNER_L__ENV", "env", "LANNER_L__ARGS", "env"))
                .withSettings(Map.of("L:Default", "default", "L:File", "default"));
        WebApplication app = app(options);

        assertThat(app.environment().name()).isEqualTo("Staging");
        assertThat(app.configuration().get("L:Default")).isEqualTo("default");
        assertThat(app.configuration().get("L:File")).isEqualTo("json");
        assertThat(app.configuration().get("L:EnvFile")).isEqualTo("staging");
        assertThat(app.configuration().get("L:Env")).isEqualTo("env");
        assertThat(app.configuration().get("L:Args")).isEqualTo("args");
    }

    @Test
    void aValidTraceparentMakesTheTraceIdTheRequestsTraceIdentifierForThatRequestOnly() throws IOException {
        WebApplication app = app(WebApplicationOptions.isolated(root, "--Hosting:RequestLog=false"));
        app.mapGet("/trace", ctx -> {
            var trace = ctx.traceContext();
            ctx.response().write(ctx.traceIdentifier() + " " + (trace == null ? "none" : trace.parentId() + " " + trace.sampled()
                    + " " + trace.traceState()));
        });
        app.start();
        try {
            TestClient client = client(app);
            String traced = client.send(TestRequest.get("/trace")
                    .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                    .header("tracestate", "rojo=00f067aa0ba902b7")).bodyAsString();
            String invalid = client.send(TestRequest.get("/trace")
                    .header("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01")).bodyAsString();
            String plain = client.get("/trace").bodyAsString();

            assertThat(traced).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7 00f067aa0ba902b7 true rojo=00f067aa0ba902b7");
            assertThat(invalid).endsWith(" none").doesNotStartWith("00000000000000000000000000000000");
            assertThat(plain).endsWith(" none").doesNotStartWith("4bf92f3577b34da6a3ce929d0e0e4736");
        } finally {
            app.stop();
        }
    }

    @Test
    void endpointsAnswerAndUnknownPathsGet404AndWrongMethods405() throws IOException {
        WebApplication app = app(WebApplicationOptions.isolated(root));
        app.mapGet("/hello", ctx -> ctx.response().write("hi"));
        app.start();
        try {
            TestClient client = client(app);
            assertThat(client.get("/hello").bodyAsString()).isEqualTo("hi");
            assertThat(client.get("/HELLO").statusCode()).isEqualTo(200);
            assertThat(client.get("/nope").statusCode()).isEqualTo(404);
            TestResponse wrong = client.send(TestRequest.post("/hello"));
            assertThat(wrong.statusCode()).isEqualTo(405);
            assertThat(wrong.header("Allow")).isEqualTo("GET, HEAD");
        } finally {
            app.stop();
        }
    }

    @Test
    void middlewareRunsBeforeEndpoints() throws IOException {
        WebApplication app = app(WebApplicationOptions.isolated(root));
        app.mapGet("/x", ctx -> ctx.response().write("endpoint"));
        app.use((ctx, next) -> {
            ctx.response().setHeader("X-Seen", "middleware");
            next.invoke(ctx);
        });
        app.start();
        try {
            TestResponse r = client(app).get("/x");
            assertThat(r.header("X-Seen")).isEqualTo("middleware");
            assertThat(r.bodyAsString()).isEqualTo("endpoint");
        } finally {
            app.stop();
        }
    }

    @Test
    void unhandledExceptionIsABare500InProduction() throws IOException {
        WebApplication app = app(WebApplicationOptions.isolated(root));
        app.mapGet("/boom", ctx -> { throw new IllegalStateException("secret detail"); });
        app.start();
        try {
            TestResponse r = client(app).get("/boom");
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.body()).isEmpty();
        } finally {
            app.stop();
        }
    }

    @Test
    void unhandledExceptionShowsTheDeveloperPageInDevelopment() throws IOException {
        WebApplication app = app(WebApplicationOptions.isolated(root, "--environment=Development"));
        app.mapGet("/boom", ctx -> {
            ctx.response().setHeader("X-Partial", "dropped");
            throw new IllegalStateException("detail <b>");
        });
        app.start();
        try {
            TestResponse r = client(app).get("/boom");
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
            assertThat(r.header("X-Partial")).isNull();
            assertThat(r.bodyAsString()).contains("java.lang.IllegalStateException: detail &lt;b&gt;");
        } finally {
            app.stop();
        }
    }

    @Test
    void gracefulStopLetsAnInFlightRequestFinishAndRefusesNewOnes() throws Exception {
        WebApplication app = app(WebApplicationOptions.isolated(root));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        app.mapGet("/slow", ctx -> {
            entered.countDown();
            release.await();
            ctx.response().write("finished");
        });
        app.start();
        TestServer server = (TestServer) app.server();
        CompletableFuture<TestResponse> inFlight = server.client().sendAsync(TestRequest.get("/slow"));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> app.stop(Duration.ofSeconds(30)));
        // The stop must wait for the in-flight request; new requests are refused meanwhile.
        while (!app.lifetime().applicationStopping().isAborted()) {
            Thread.onSpinWait();
        }
        Thread.sleep(50);
        assertThat(stopping).isNotDone();
        assertThatThrownBy(() -> server.client().get("/slow")).isInstanceOf(ConnectException.class);

        release.countDown();
        assertThat(inFlight.get(10, TimeUnit.SECONDS).bodyAsString()).isEqualTo("finished");
        stopping.get(10, TimeUnit.SECONDS);
        assertThat(app.lifetime().applicationStopped().isAborted()).isTrue();
        assertThatThrownBy(() -> server.client().get("/slow"))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("request refused");
    }

    @Test
    void requestsStillRunningAfterTheGracePeriodAreAborted() throws Exception {
        WebApplication app = app(WebApplicationOptions.isolated(root));
        CountDownLatch entered = new CountDownLatch(1);
        AtomicBoolean sawAbort = new AtomicBoolean();
        app.mapGet("/forever", ctx -> {
            CountDownLatch aborted = new CountDownLatch(1);
            ctx.requestAborted().onAbort(aborted::countDown);
            entered.countDown();
            sawAbort.set(aborted.await(20, TimeUnit.SECONDS));
        });
        app.start();
        CompletableFuture<TestResponse> inFlight = client(app).sendAsync(TestRequest.get("/forever"));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        app.stop(Duration.ofMillis(100));

        assertThat(sawAbort).isTrue();
        assertThat(inFlight).isDone();
    }

    @Test
    void shutdownTimeoutComesFromConfiguration() {
        WebApplication app = app(WebApplicationOptions.isolated(root, "--Hosting:ShutdownTimeout=00:00:05"));
        assertThat(app.hostOptions().shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(app(WebApplicationOptions.isolated(root)).hostOptions().shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void invalidJsonFailsStartupWithOneLineNamingTheFile() throws IOException {
        Path file = root.resolve("appsettings.json");
        Files.writeString(file, "{\n  \"Urls\": \"http://*:0\",\n  \"Hosting\": { ]\n}");
        assertThatThrownBy(() -> WebApplication.builder(WebApplicationOptions.isolated(root)))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("Invalid JSON in " + file + " at line 3")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void requestLogIsOffByDefaultInProduction() {
        assertThat(app(WebApplicationOptions.isolated(root)).hostOptions().requestLog()).isFalse();
        assertThat(app(WebApplicationOptions.isolated(root, "--Environment=Staging")).hostOptions().requestLog()).isFalse();
    }

    @Test
    void requestLogIsOnByDefaultInDevelopment() {
        assertThat(app(WebApplicationOptions.isolated(root, "--Environment=Development")).hostOptions().requestLog()).isTrue();
    }

    @Test
    void anExplicitRequestLogSettingWinsInEveryEnvironment() {
        assertThat(app(WebApplicationOptions.isolated(root, "--Environment=Development", "--Hosting:RequestLog=false"))
                .hostOptions().requestLog()).isFalse();
        assertThat(app(WebApplicationOptions.isolated(root, "--Hosting:RequestLog=true")).hostOptions().requestLog()).isTrue();
        assertThat(app(WebApplicationOptions.isolated(root).withEnvironmentVariables(Map.of("LANNER_Hosting__RequestLog", "true")))
                .hostOptions().requestLog()).isTrue();
    }

    @Test
    void valueOfTheWrongTypeFailsStartupWithOneLineNamingFileKeyAndType() throws IOException {
        Files.writeString(root.resolve("appsettings.json"), "{\"Hosting\": {\"RequestLog\": \"maybe\"}}");
        assertThatThrownBy(() -> app(WebApplicationOptions.isolated(root)))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("appsettings.json")
                .hasMessageContaining("'Hosting:RequestLog'")
                .hasMessageContaining("boolean")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void unknownServerNameFailsWithAClearMessage() {
        assertThatThrownBy(() -> WebApplication.builder(WebApplicationOptions.isolated(root, "--server=nosuch")).build())
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("No server named 'nosuch' is available (setting 'server' from command line)");
    }

    @Test
    void twoApplicationsWithDifferentConfigurationRunSideBySide() throws Exception {
        Path a = Files.createDirectory(root.resolve("a"));
        Path b = Files.createDirectory(root.resolve("b"));
        Files.writeString(a.resolve("appsettings.json"), "{\"Greeting\": \"from a\"}");
        Files.writeString(b.resolve("appsettings.json"), "{\"Greeting\": \"from b\"}");
        WebApplication appA = app(WebApplicationOptions.isolated(a).withApplicationName("a"));
        WebApplication appB = app(WebApplicationOptions.isolated(b, "--environment=Development").withApplicationName("b"));
        for (WebApplication app : new WebApplication[] {appA, appB}) {
            app.mapGet("/greeting", ctx -> ctx.response().write(
                    app.configuration().get("Greeting") + " in " + app.environment().name()));
            app.start();
        }
        try {
            assertThat(client(appA).get("/greeting").bodyAsString()).isEqualTo("from a in Production");
            assertThat(client(appB).get("/greeting").bodyAsString()).isEqualTo("from b in Development");
            appA.stop();
            assertThatThrownBy(() -> client(appA).get("/greeting")).isInstanceOf(ConnectException.class);
            assertThat(client(appB).get("/greeting").bodyAsString()).isEqualTo("from b in Development");
        } finally {
            appA.stop();
            appB.stop();
        }
    }

    @Test
    void badForwardedHeadersSettingFailsStartUpNamingTheKey() {
        for (String arg : new String[] {"--ForwardedHeaders:Headers=XForwardedFour", "--ForwardedHeaders:KnownProxies=proxy.local",
                "--ForwardedHeaders:KnownNetworks=10.0.0.0/40", "--ForwardedHeaders:ForwardLimit=0"}) {
            String key = arg.substring(2, arg.indexOf('='));
            assertThatThrownBy(() -> app(WebApplicationOptions.isolated(root, arg)))
                    .as(arg)
                    .isInstanceOf(StartupException.class)
                    .hasMessageStartingWith(key + " has the invalid value")
                    .hasMessageContaining("expected")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void forwardedHeadersSettingsBindFromTheCommandLine() {
        WebApplication app = app(WebApplicationOptions.isolated(root, "--ForwardedHeaders:Headers=XForwardedFor, XForwardedProto",
                "--ForwardedHeaders:KnownProxies=127.0.0.2", "--ForwardedHeaders:ForwardLimit=2"));
        ForwardedHeadersOptions options = ForwardedHeadersOptions.bind(app.configuration());

        assertThat(options.headers()).containsExactlyInAnyOrder(
                ForwardedHeader.X_FORWARDED_FOR, ForwardedHeader.X_FORWARDED_PROTO);
        assertThat(options.knownProxies()).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.2");
        assertThat(options.knownNetworks()).isEmpty();
        assertThat(options.forwardLimit()).isEqualTo(2);
        assertThat(options.trusts(InetAddress.getLoopbackAddress())).isFalse();
    }
}
