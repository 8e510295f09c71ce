package dev.lanner.server.e2e.http2;

import static dev.lanner.server.e2e.http2.H2Frames.FLAG_END_HEADERS;
import static dev.lanner.server.e2e.http2.H2Frames.FLAG_END_STREAM;
import static dev.lanner.server.e2e.http2.H2Frames.REFUSED_STREAM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.server.Http2Limits;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** RFC 9113 §5.1.2 stream concurrency, with the server's limit set to 2 streams per connection. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http2ConcurrencyConformanceTest {

    private static H2TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = H2TestServer.start(options -> options.withHttp2(Http2Limits.defaults().withMaxStreamsPerConnection(2)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // RFC 9113 §6.5.2: the limit is advertised as SETTINGS_MAX_CONCURRENT_STREAMS.
    @Test
    void limitIsAdvertised() throws IOException {
        try (H2Connection c = server.connect()) {
            assertThat(c.serverSettings().settings()).containsEntry(H2Frames.SETTINGS_MAX_CONCURRENT_STREAMS, 2L);
        }
    }

    // RFC 9113 §5.1.2: "An endpoint that receives a HEADERS frame that causes its advertised
    // concurrent stream limit to be exceeded MUST treat this as a stream error (Section 5.4.2) of type
    // PROTOCOL_ERROR or REFUSED_STREAM." The server refuses (REFUSED_STREAM: safe to retry, §8.7);
    // the streams within the limit complete, and new streams work once they have.
    @Test
    void streamBeyondTheLimitIsRefusedAndTheOthersComplete() throws IOException {
        H2TestServer.assumeApplicationMayWait();
        try (H2Connection c = server.connect()) {
            int first = c.request("GET", "/slow?ms=1500", true);
            int second = c.request("GET", "/slow?ms=1500", true);
            int third = c.request("GET", "/", true);
            c.expectRstStream(third, REFUSED_STREAM);
            assertThat(c.readResponse(first).bodyText()).isEqualTo("slow");
            assertThat(c.readResponse(second).bodyText()).isEqualTo("slow");
            c.assertServes();
        }
    }

    // RFC 9113 §5.1.2: "Streams that are in the "open" state or in either of the "half-closed" states
    // count toward the maximum"; a stream closes when both sides are done, which frees its slot:
    // many requests in sequence, two at a time, all succeed.
    @Test
    void closedStreamsFreeTheirSlots() throws IOException {
        try (H2Connection c = server.connect()) {
            for (int i = 0; i < 50; i++) {
                int a = c.request("GET", "/", true);
                int b = c.request("GET", "/", true);
                H2Response first = c.readResponse(a);
                H2Response second = c.readResponse(b);
                assertThat(first.status()).as("round %d: %s", i, first).isEqualTo(200);
                assertThat(second.status()).as("round %d: %s", i, second).isEqualTo(200);
            }
        }
    }

    // RFC 9113 §5.1.2: a stream reset by the client is closed and no longer counts toward the
    // limit; once its request has ended (the application saw the abort), a new stream is served.
    @Test
    void streamsResetByTheClientFreeTheirSlots() throws Exception {
        H2TestServer.assumeApplicationMayWait();
        server.application().events().clear();
        try (H2Connection c = server.connect()) {
            int first = c.request("GET", "/watch-abort", true);
            int second = c.request("GET", "/watch-abort", true);
            awaitEvents("watching", 2);
            c.send(H2Frames.rstStream(first, H2Frames.CANCEL), H2Frames.rstStream(second, H2Frames.CANCEL));
            awaitEvents("aborted", 2);
            // The requests end just after their abort callbacks ran; until then the server may still
            // refuse, and REFUSED_STREAM means "retry" (§8.7).
            H2Response response = null;
            for (int attempt = 0; attempt < 20; attempt++) {
                int next = c.newStreamId();
                c.send(H2Frames.headers(next, FLAG_END_HEADERS | FLAG_END_STREAM, RawFieldBlock.get("/").bytes()));
                response = c.readResponse(next);
                if (response.resetCode() != REFUSED_STREAM) {
                    break;
                }
                c.ping(); // a round trip (not a timed pause) before retrying: the aborted requests are ending
            }
            assertThat(response.status()).as("%s", response).isEqualTo(200);
        }
    }

    private static void awaitEvents(String event, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            assertThat(server.application().events().poll(5, TimeUnit.SECONDS)).isEqualTo(event);
        }
    }
}
