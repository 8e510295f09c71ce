package dev.lanner.server.e2e.http2;

import static dev.lanner.server.e2e.http2.H2Frames.ENHANCE_YOUR_CALM;
import static dev.lanner.server.e2e.http2.H2Frames.NO_ERROR;
import static dev.lanner.server.e2e.http2.H2Frames.PING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.features.MinDataRate;
import dev.lanner.server.Http2Limits;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's HTTP/2 timeouts over real sockets: the keep-alive timeout of a connection without
 * streams, the request headers timeout of a header block left open, and keep-alive PINGs. The
 * heartbeat checks once a second, so each fires between its limit and two seconds after it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http2TimeoutsTest {

    @Test
    void idleConnectionGetsGoAwayNoErrorAfterTheKeepAliveTimeout() throws Exception {
        try (H2TestServer server = H2TestServer.start(o -> o.withLimits(o.limits().withKeepAliveTimeout(Duration.ofSeconds(1))));
             H2Connection c = server.connect()) {
            c.assertServes();
            c.setReadTimeout(Duration.ofSeconds(6));
            H2Frame goAway = c.expectGoAway(NO_ERROR);
            assertThat(goAway.lastStreamId()).isEqualTo(1);
            c.expectClosed();
        }
    }

    @Test
    void headerBlockLeftOpenGetsGoAwayAfterTheRequestHeadersTimeout() throws Exception {
        try (H2TestServer server = H2TestServer.start(o -> o.withLimits(o.limits().withRequestHeadersTimeout(Duration.ofSeconds(1))));
             H2Connection c = server.connect()) {
            int stream = c.newStreamId();
            c.send(H2Frames.frame(H2Frames.HEADERS, 0, stream, c.requestBlock("GET", "/"))); // no END_HEADERS
            c.setReadTimeout(Duration.ofSeconds(6));
            c.expectGoAway(ENHANCE_YOUR_CALM);
            c.expectClosed();
        }
    }

    @Test
    void idleConnectionGetsKeepAlivePingsAndStaysWhenTheyAreAnswered() throws Exception {
        try (H2TestServer server = H2TestServer.start(o -> o.withHttp2(Http2Limits.defaults()
                     .withKeepAlivePing(Duration.ofSeconds(1), Duration.ofSeconds(5))));
             H2Connection c = server.connect()) {
            c.assertServes();
            c.setReadTimeout(Duration.ofSeconds(6));
            // The test client answers every PING it reads with a PING ACK.
            H2Frame ping = c.expect(f -> f.is(PING) && !f.ack(), "keep-alive PING", f -> f.is(H2Frames.GOAWAY));
            assertThat(ping.streamId()).isZero();
            assertThat(ping.payload()).hasSize(8);
            c.assertServes();
        }
    }

    @Test
    void requestBodyArrivingTooSlowlyGets408AndTheConnectionGoesOn() throws Exception {
        MinDataRate rate = new MinDataRate(240, Duration.ofSeconds(1));
        try (H2TestServer server = H2TestServer.start(o -> o.withLimits(o.limits().withMinRequestBodyDataRate(rate)));
             H2Connection c = server.connect()) {
            int stream = c.request("POST", "/echo", false);
            c.sendData(stream, new byte[10], false);   // 10 bytes, then nothing: far below 240 B/s
            c.setReadTimeout(Duration.ofSeconds(8));
            H2Response response = c.readResponse(stream);
            assertThat(response.status()).isEqualTo(408);
            // The stream failed, not the connection: the next request is served.
            c.assertServes();
        }
    }

    @Test
    void requestBodyAtAnAcceptableRateIsNotCutOff() throws Exception {
        MinDataRate rate = new MinDataRate(240, Duration.ofSeconds(1));
        try (H2TestServer server = H2TestServer.start(o -> o.withLimits(o.limits().withMinRequestBodyDataRate(rate)));
             H2Connection c = server.connect()) {
            int stream = c.request("POST", "/echo", false);
            // 1,000 bytes every 500 ms for 2.5 s: 2,000 B/s, well above the minimum.
            for (int i = 0; i < 5; i++) {
                c.sendData(stream, new byte[1000], false);
                Thread.sleep(500); // paces the upload: the rate under test is bytes per unit of time
            }
            c.sendData(stream, new byte[0], true);
            c.setReadTimeout(Duration.ofSeconds(8));
            H2Response response = c.readResponse(stream);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).hasSize(5000);
        }
    }

    @Test
    void connectionWithoutKeepAlivePingSettingGetsNoPing() throws IOException {
        try (H2TestServer server = H2TestServer.start(); H2Connection c = server.connect()) {
            c.assertServes();
            assertThat(c.drain(Duration.ofMillis(2500))).noneMatch(f -> f.is(PING));
        }
    }
}
