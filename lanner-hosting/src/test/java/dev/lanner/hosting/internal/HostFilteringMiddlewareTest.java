package dev.lanner.hosting.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.hosting.WebApplication;
import dev.lanner.hosting.WebApplicationOptions;
import dev.lanner.hosting.testing.TestClient;
import dev.lanner.hosting.testing.TestRequest;
import dev.lanner.hosting.testing.TestResponse;
import dev.lanner.hosting.testing.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFilteringMiddlewareTest {

    @TempDir
    Path root;

    private final AtomicInteger reached = new AtomicInteger();

    private WebApplication app(Map<String, String> settings) {
        WebApplication app = WebApplication.builder(WebApplicationOptions.isolated(root).withSettings(settings))
                .useServer(new TestServer()).build();
        app.use((ctx, next) -> {
            reached.incrementAndGet();
            next.invoke(ctx);
        });
        app.mapGet("/", ctx -> ctx.response().write("ok"));
        app.start();
        return app;
    }

    private static TestClient client(WebApplication app) {
        return ((TestServer) app.server()).client();
    }

    @Test
    void rejectsAHostNotAllowedWith400AndAPlainTextBody() throws IOException {
        try (WebApplication app = app(Map.of("AllowedHosts", "example.com;*.example.com"))) {
            TestResponse r = client(app).send(TestRequest.get("/").header("Host", "other.com"));
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(r.bodyAsString()).isEqualTo("Bad Request - Invalid Hostname");
            assertThat(reached).hasValue(0);
        }
    }

    @Test
    void allowedHostsPassThroughToTheApplication() throws IOException {
        try (WebApplication app = app(Map.of("AllowedHosts", "example.com;*.example.com"))) {
            TestClient client = client(app);
            TestResponse exact = client.send(TestRequest.get("/").header("Host", "EXAMPLE.com:8443"));
            TestResponse sub = client.send(TestRequest.get("/").header("Host", "api.example.com"));
            assertThat(exact.statusCode()).isEqualTo(200);
            assertThat(exact.bodyAsString()).isEqualTo("ok");
            assertThat(sub.statusCode()).isEqualTo(200);
            assertThat(reached).hasValue(2);
        }
    }

    @Test
    void anEmptyHostIsAllowedAsForHttp10() throws IOException {
        try (WebApplication app = app(Map.of("AllowedHosts", "example.com"))) {
            TestResponse r = client(app).send(TestRequest.get("/").header("Host", ""));
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void everyHostIsAllowedByDefault() throws IOException {
        try (WebApplication app = app(Map.of())) {
            TestResponse r = client(app).send(TestRequest.get("/").header("Host", "whatever.test"));
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }
}
