package dev.lanner.server.internal.http1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.server.HttpApplication;
import dev.lanner.server.ConnectionContext;
import dev.lanner.server.LannerServerOptions;
import dev.lanner.server.ServerLimits;
import dev.lanner.server.diagnostics.CapturingLogger;
import dev.lanner.server.diagnostics.RecordingObserver;
import dev.lanner.server.internal.infrastructure.Heartbeat;
import dev.lanner.server.internal.infrastructure.ServerContext;
import dev.lanner.server.internal.infrastructure.ServerTrace;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Each HTTP/1.1 rejection reaches the server's observer once with its reason and is logged exactly once,
 * at debug, naming the reason and the connection (in memory, on the connection's virtual-thread path).
 */
class Http1RejectionTraceTest {

    private final RecordingObserver observer = new RecordingObserver();
    private final CapturingLogger rejections = new CapturingLogger(ServerTrace.REJECTIONS_LOGGER);

    private String serve(UnaryOperator<ServerLimits> limits, HttpApplication<?> application, String... segments) {
        ServerContext server = new ServerContext(LannerServerOptions.defaults().withLimits(limits.apply(ServerLimits.defaults())));
        server.setTrace(new ServerTrace(observer, rejections));
        ScriptedTransport transport = new ScriptedTransport(segments);
        new Http1Connection(server, new ConnectionContext("C1", transport), application, new Heartbeat(server)).run();
        return transport.written();
    }

    private static String statusLine(String out) {
        return out.substring(0, out.indexOf("\r\n"));
    }

    @Test
    void aMalformedRequestLineIsReportedAndLoggedOnce() {
        String out = serve(UnaryOperator.identity(), TestApplication.blocking(ctx -> ctx.response().write("x")),
                "GET /a  HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(statusLine(out)).isEqualTo("HTTP/1.1 400 Bad Request");
        assertThat(observer.events("rejected")).containsExactly("rejected C1 INVALID_REQUEST_LINE");
        assertThat(rejections.lines()).hasSize(1);
        assertThat(rejections.lines().get(0)).startsWith("DEBUG Connection C1 rejected: invalid_request_line (400 INVALID_REQUEST_LINE");
    }

    @Test
    void headersBeyondTheLimitAreRejectedAsTooLarge() {
        String out = serve(l -> l.withMaxRequestHeaderCount(2), TestApplication.blocking(ctx -> ctx.response().write("x")),
                "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n");
        assertThat(statusLine(out)).isEqualTo("HTTP/1.1 431 Request Header Fields Too Large");
        assertThat(observer.events("rejected")).containsExactly("rejected C1 REQUEST_HEADERS_TOO_LARGE");
        assertThat(rejections.lines()).singleElement().asString()
                .startsWith("DEBUG Connection C1 rejected: request_headers_too_large (431 TOO_MANY_HEADERS");
    }

    @Test
    void aBodyBeyondTheLimitIsReportedOnceWhenTheApplicationReadsIt() {
        String out = serve(l -> l.withMaxRequestBodySize(4L),
                TestApplication.blocking(ctx -> ctx.response().write(ctx.request().readString())),
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789");
        assertThat(statusLine(out)).isEqualTo("HTTP/1.1 413 Content Too Large");
        assertThat(observer.events("rejected")).containsExactly("rejected C1 REQUEST_BODY_TOO_LARGE");
        assertThat(rejections.lines()).singleElement().asString().isEqualTo(
                "DEBUG Connection C1 rejected: request_body_too_large"
                        + " (413 Request body too large: Content-Length 10 exceeds the limit of 4 bytes)");
    }

    @Test
    void aBadChunkIsReportedAsAnInvalidBody() {
        String out = serve(UnaryOperator.identity(),
                TestApplication.blocking(ctx -> ctx.response().write(ctx.request().readString())),
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
        assertThat(statusLine(out)).isEqualTo("HTTP/1.1 400 Bad Request");
        assertThat(observer.events("rejected")).containsExactly("rejected C1 INVALID_REQUEST_BODY");
        assertThat(rejections.lines()).singleElement().asString()
                .startsWith("DEBUG Connection C1 rejected: invalid_request_body (400 Bad chunk size");
    }

    @Test
    void aServedRequestReportsNoRejection() {
        String out = serve(UnaryOperator.identity(), TestApplication.blocking(ctx -> ctx.response().write("x")),
                "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(statusLine(out)).isEqualTo("HTTP/1.1 200 OK");
        assertThat(observer.events()).isEmpty();
        assertThat(rejections.lines()).isEmpty();
    }
}
