package dev.lanner.server.e2e.http2;

import static dev.lanner.server.e2e.http2.H2Frames.CANCEL;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RFC 9113 §6.4 RST_STREAM and §8.7 request cancellation, as the application sees them: a client
 * reset aborts the request, and an application reset reaches the client.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http2ResetConformanceTest {

    private static H2TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = H2TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void clearEvents() {
        server.application().events().clear();
    }

    // RFC 9113 §6.4: RST_STREAM "allows for immediate termination of a stream"; §8.7: "RST_STREAM ...
    // with an error code of CANCEL" cancels a request. The application learns it through
    // requestAborted, and the connection goes on.
    @Test
    void clientCancelFiresRequestAborted() throws Exception {
        H2TestServer.assumeApplicationMayWait();
        try (H2Connection c = server.connect()) {
            int streamId = c.request("GET", "/watch-abort", true);
            assertThat(server.application().events().poll(5, TimeUnit.SECONDS)).isEqualTo("watching");
            c.send(H2Frames.rstStream(streamId, CANCEL));
            assertThat(server.application().events().poll(5, TimeUnit.SECONDS)).isEqualTo("aborted");
            c.assertServes();
        }
    }

    // RFC 9113 §6.4: any error code aborts the request, e.g. INTERNAL_ERROR on a request whose body
    // is still being sent.
    @Test
    void clientResetDuringTheUploadFiresRequestAborted() throws Exception {
        H2TestServer.assumeApplicationMayWait();
        try (H2Connection c = server.connect()) {
            int streamId = c.request("POST", "/watch-abort", false);
            c.send(H2Frames.data(streamId, 0, new byte[100]));
            assertThat(server.application().events().poll(5, TimeUnit.SECONDS)).isEqualTo("watching");
            c.send(H2Frames.rstStream(streamId, H2Frames.INTERNAL_ERROR));
            assertThat(server.application().events().poll(5, TimeUnit.SECONDS)).isEqualTo("aborted");
            c.assertServes();
        }
    }

    // RFC 9113 §6.4: the application resets its stream with CANCEL (8) through HttpResetFeature; the
    // client receives RST_STREAM CANCEL and no response, and the connection goes on.
    @Test
    void applicationResetSendsRstStreamCancel() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.request("GET", "/reset", true);
            c.expectRstStream(streamId, CANCEL);
            c.assertServes();
        }
    }
}
