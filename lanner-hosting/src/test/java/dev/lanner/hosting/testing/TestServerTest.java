package dev.lanner.hosting.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.hosting.internal.HostingApplication;
import dev.lanner.http.ApplicationBuilder;
import dev.lanner.http.RequestDelegate;
import dev.lanner.http.features.HttpResponseTrailersFeature;
import dev.lanner.http.features.ServerAddressesFeature;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TestServerTest {

    private final TestServer server = new TestServer();

    private TestClient start(Consumer<ApplicationBuilder> configure) {
        ApplicationBuilder builder = new ApplicationBuilder(server.features());
        configure.accept(builder);
        RequestDelegate pipeline = builder.build();
        server.start(new HostingApplication(pipeline, false, false));
        return server.client();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(Duration.ofSeconds(1));
    }

    @Test
    void surfacesMethodPathQueryAndHeaders() throws IOException {
        TestClient client = start(app -> app.run(ctx -> {
            var r = ctx.request();
            ctx.response().write(r.method() + "|" + r.scheme() + "|" + r.host() + "|" + r.path() + "|"
                    + r.queryString() + "|" + r.query("q") + "|" + r.headers().getAll("X-Multi"));
        }));
        TestResponse response = client.send(TestRequest.get("/caf%C3%A9/x%2Fy?q=a%20b&z")
                .header("X-Multi", "1").header("x-multi", "2"));
        assertThat(response.bodyAsString()).isEqualTo("GET|http|localhost|/café/x%2Fy|?q=a%20b&z|a b|[1, 2]");
        assertThat(client.get("https://example.test:8443/p").bodyAsString())
                .isEqualTo("GET|https|example.test:8443|/p||null|[]");
    }

    @Test
    void echoesTheRequestBody() throws IOException {
        TestClient client = start(app -> app.run(ctx -> ctx.request().body().transferTo(ctx.response().body())));
        TestResponse response = client.send(TestRequest.post("/").body("payload"));
        assertThat(response.bodyAsString()).isEqualTo("payload");
    }

    @Test
    void onStartingRunsBeforeTheHeadIsSentAndOnCompletedAfter() throws IOException {
        List<String> trace = new ArrayList<>();
        TestClient client = start(app -> app.run(ctx -> {
            ctx.response().onStarting(() -> {
                trace.add("starting");
                ctx.response().setHeader("X-Added", "late");
            });
            ctx.response().onCompleted(() -> trace.add("completed"));
            ctx.response().write("body");
            trace.add("written");
            assertThatThrownBy(() -> ctx.response().setStatusCode(500)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> ctx.response().setHeader("X-Too", "late")).isInstanceOf(IllegalStateException.class);
        }));
        TestResponse response = client.get("/");
        assertThat(response.header("X-Added")).isEqualTo("late");
        assertThat(response.header("X-Too")).isNull();
        assertThat(trace).containsExactly("starting", "written", "completed");
    }

    @Test
    void responseTrailersReachTheClient() throws IOException {
        TestClient client = start(app -> app.run(ctx -> {
            ctx.response().write("x");
            ctx.features().get(HttpResponseTrailersFeature.class).trailers().add("X-Checksum", "abc");
        }));
        assertThat(client.get("/").trailers().get("X-Checksum")).isEqualTo("abc");
    }

    @Test
    void applicationAbortFailsTheRequestForTheClient() {
        TestClient client = start(app -> app.run(ctx -> {
            ctx.response().write("partial");
            ctx.abort();
            ctx.response().write("more");
        }));
        assertThatThrownBy(() -> client.get("/")).isInstanceOf(IOException.class).hasMessageContaining("aborted");
    }

    @Test
    void framesTheResponseAsASocketServerWould() throws IOException {
        TestClient client = start(app -> app.run(ctx -> {
            ctx.response().write("hello");
            if (ctx.request().path().equals("/flushed")) {
                ctx.response().body().flush();   // the head goes out before the length is known
            }
        }));
        assertThat(client.get("/buffered").header("Content-Length")).isEqualTo("5");
        assertThat(client.send(TestRequest.of("HEAD", "/buffered")).header("Content-Length")).isEqualTo("5");
        TestResponse flushed = client.get("/flushed");
        assertThat(flushed.header("Content-Length")).isNull();
        assertThat(flushed.bodyAsString()).isEqualTo("hello");
    }

    @Test
    void aFailingOnCompletedCallbackReachesTheCaller() {
        TestClient client = start(app -> app.run(ctx -> {
            ctx.response().onCompleted(() -> {
                throw new IllegalStateException("callback broke");
            });
            ctx.response().write("done");
        }));
        assertThatThrownBy(() -> client.get("/")).isInstanceOf(IOException.class)
                .hasRootCauseInstanceOf(IllegalStateException.class).hasRootCauseMessage("callback broke");
    }

    @Test
    void reportsItsAddressAndRefusesRequestsBeforeStart() {
        assertThatThrownBy(() -> server.client().get("/")).isInstanceOf(ConnectException.class);
        start(app -> { });
        assertThat(server.features().get(ServerAddressesFeature.class).addresses()).containsExactly("http://localhost");
    }
}
