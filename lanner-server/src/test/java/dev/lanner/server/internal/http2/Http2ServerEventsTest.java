package dev.lanner.server.internal.http2;

import static dev.lanner.server.internal.http2.Http2FrameType.GOAWAY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.HttpContext;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.server.HttpApplication;
import dev.lanner.server.ConnectionContext;
import dev.lanner.server.LannerServerOptions;
import dev.lanner.server.diagnostics.CapturingLogger;
import dev.lanner.server.diagnostics.RecordingObserver;
import dev.lanner.server.internal.http2.WireFrame.Client;
import dev.lanner.server.internal.http2.hpack.HpackDecoder;
import dev.lanner.server.internal.infrastructure.Heartbeat;
import dev.lanner.server.internal.infrastructure.ServerContext;
import dev.lanner.server.internal.infrastructure.ServerTrace;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an HTTP/2 connection reports to the server's observer, in memory: each stream opened and closed
 * once (the active-streams gauge returns to zero), and each connection error once, under its named
 * reason, with one debug line.
 */
class Http2ServerEventsTest {

    private final Client client = new Client();
    private final InMemoryTransport transport = new InMemoryTransport();
    private final RecordingObserver observer = new RecordingObserver();
    private final CapturingLogger rejections = new CapturingLogger(ServerTrace.REJECTIONS_LOGGER);

    private List<WireFrame> serve() throws Exception {
        ServerContext server = new ServerContext(LannerServerOptions.defaults());
        server.tick(1_000_000_000L);
        server.setTrace(new ServerTrace(observer, rejections));
        HttpApplication<HttpContext> application = new HttpApplication<>() {
            @Override public boolean isNonBlocking() { return true; }
            @Override public HttpContext createContext(FeatureCollection features) { return new HttpContext(features); }
            @Override public void processRequest(HttpContext context) throws Exception { context.response().write("hi"); }
            @Override public void disposeContext(HttpContext context, Throwable error) { }
        };
        new Http2Connection(server, new ConnectionContext("h2", transport), application, new Heartbeat(server)).run();
        return WireFrame.parse(transport.written(), new HpackDecoder());
    }

    @Test
    void eachStreamIsReportedOpenedAndClosedOnce() throws Exception {
        transport.send(client.preface()).send(client.request(1, "GET", "/a", true)).send(client.request(3, "GET", "/b", true));
        serve();
        assertThat(observer.events()).containsExactly("stream opened", "stream closed", "stream opened", "stream closed");
        assertThat(rejections.lines()).isEmpty();
    }

    @Test
    void streamsStillOpenWhenTheConnectionEndsAreReportedClosed() throws Exception {
        // Request bodies that never end: both streams are open when the client's input ends.
        transport.send(client.preface()).send(client.request(1, "POST", "/a", false)).send(client.request(3, "POST", "/b", false));
        serve();
        assertThat(Collections.frequency(observer.events(), "stream opened")).isEqualTo(2);
        assertThat(Collections.frequency(observer.events(), "stream closed")).isEqualTo(2);
    }

    @Test
    void rapidResetIsOneRejectionNamedForIt() throws Exception {
        transport.send(client.preface());
        for (int i = 0; i <= Http2FloodBudgets.RESET_BURST; i++) {
            int id = 1 + 2 * i;
            transport.send(Client.concat(client.request(id, "GET", "/", false), client.rstStream(id, Http2ErrorCode.CANCEL)));
        }
        List<WireFrame> frames = serve();
        assertThat(frames.get(frames.size() - 1).type()).isEqualTo(GOAWAY);
        assertThat(observer.events("rejected")).containsExactly("rejected h2 HTTP2_RAPID_RESET");
        assertThat(rejections.lines()).containsExactly(
                "DEBUG Connection h2 rejected: http2_rapid_reset (GOAWAY ENHANCE_YOUR_CALM: flood of stream resets)");
        assertThat(Collections.frequency(observer.events(), "stream opened"))
                .isEqualTo(Collections.frequency(observer.events(), "stream closed"));
    }

    @Test
    void aContinuationFloodIsOneRejectionNamedForIt() throws Exception {
        // 10-octet fragments of a block of about 500 octets: far more than 32 CONTINUATION frames.
        transport.send(client.preface()).send(client.request(1, "GET", "/", true, 10, "x-long", "v".repeat(500)));
        serve();
        assertThat(observer.events("rejected")).containsExactly("rejected h2 HTTP2_CONTINUATION_FLOOD");
        assertThat(rejections.lines()).containsExactly(
                "DEBUG Connection h2 rejected: http2_continuation_flood (GOAWAY ENHANCE_YOUR_CALM: too many CONTINUATION frames)");
    }

    @Test
    void aProtocolErrorIsOneRejection() throws Exception {
        transport.send(Client.concat(Http2FrameReader.PREFACE, client.ping(new byte[8])));
        serve();
        assertThat(observer.events("rejected")).containsExactly("rejected h2 HTTP2_PROTOCOL_ERROR");
        assertThat(rejections.lines()).singleElement().asString()
                .startsWith("DEBUG Connection h2 rejected: http2_protocol_error (GOAWAY PROTOCOL_ERROR: ");
    }
}
