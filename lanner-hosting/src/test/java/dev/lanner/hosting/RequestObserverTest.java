package dev.lanner.hosting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.hosting.diagnostics.RequestObserver;
import dev.lanner.hosting.testing.TestClient;
import dev.lanner.hosting.testing.TestRequest;
import dev.lanner.hosting.testing.TestServer;
import dev.lanner.http.HttpContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hosting tells a {@link RequestObserver} of each request once at its start and once at its end, with the
 * template of the endpoint that matched (never the raw path), or none, and the exception that failed it.
 */
class RequestObserverTest {

    @TempDir
    Path root;

    private WebApplication app;
    private final List<String> events = new ArrayList<>();

    private final RequestObserver observer = new RequestObserver() {
        @Override
        public synchronized void requestStarted(HttpContext context) {
            events.add("start " + context.request().method() + " " + context.request().path());
        }

        @Override
        public synchronized void requestEnded(HttpContext context, String route, Throwable failure, long durationNanos) {
            events.add("end " + context.response().statusCode() + " route=" + route
                    + " failure=" + (failure == null ? null : failure.getClass().getSimpleName())
                    + (durationNanos > 0 ? "" : " duration=" + durationNanos));
        }
    };

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    private TestClient start() {
        app = WebApplication.builder(WebApplicationOptions.isolated(root)).useServer(new TestServer()).build();
        app.useRequestObserver(observer);
        app.mapGet("/Items", ctx -> ctx.response().write("items"));
        app.mapGet("/fail", ctx -> {
            throw new IllegalStateException("fail");
        });
        app.map("/branch", branch -> branch.run(ctx -> ctx.response().setStatusCode(204)));
        app.start();
        return ((TestServer) app.server()).client();
    }

    @Test
    void reportsTheMatchedRouteTemplateNotThePath() throws Exception {
        TestClient client = start();
        client.get("/items");
        client.send(TestRequest.of("HEAD", "/ITEMS"));
        assertThat(events).containsExactly(
                "start GET /items", "end 200 route=/Items failure=null",
                "start HEAD /ITEMS", "end 200 route=/Items failure=null");
    }

    @Test
    void reportsNoRouteWhenNoEndpointMatched() throws Exception {
        TestClient client = start();
        client.get("/missing");
        client.send(TestRequest.post("/Items"));
        client.get("/branch/x");
        assertThat(events).containsExactly(
                "start GET /missing", "end 404 route=null failure=null",
                "start POST /Items", "end 405 route=null failure=null",
                "start GET /branch/x", "end 204 route=null failure=null");
    }

    @Test
    void reportsTheExceptionThatFailedTheRequest() throws Exception {
        TestClient client = start();
        assertThat(client.get("/fail").statusCode()).isEqualTo(500);
        assertThat(events).containsExactly("start GET /fail", "end 500 route=/fail failure=IllegalStateException");
    }

    @Test
    void oneObserverPerApplicationSetBeforeStart() {
        start();
        assertThatThrownBy(() -> app.useRequestObserver(observer)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anInvalidRequestScopeFailsStartupNamingTheKey() {
        assertThatThrownBy(() -> WebApplication.builder(WebApplicationOptions.isolated(root, "--Logging:RequestScope=maybe")).build())
                .isInstanceOf(StartupException.class)
                .hasMessage("Invalid configuration value in command line: 'Logging:RequestScope' = \"maybe\" is not a valid boolean"
                        + " (expected type boolean)");
    }
}
