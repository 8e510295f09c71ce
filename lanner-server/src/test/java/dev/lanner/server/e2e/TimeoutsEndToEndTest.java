package dev.lanner.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.features.HttpMinRequestBodyDataRateFeature;
import dev.lanner.http.features.MinDataRate;
import dev.lanner.server.ServerLimits;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every timeout and data rate of {@link ServerLimits}, configured small (1 s; the heartbeat checks
 * once a second, so each fires within about two seconds) and observed over a real socket: what the
 * client receives, that the connection closes, and that the next connection is served normally.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TimeoutsEndToEndTest {

    private static final MinDataRate ONE_KB_PER_SECOND_AFTER_1S = new MinDataRate(1000, Duration.ofSeconds(1));

    private static RunningServer server;
    private static final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws IOException {
        ServerLimits limits = ServerLimits.defaults()
                .withRequestHeadersTimeout(Duration.ofSeconds(1))
                .withKeepAliveTimeout(Duration.ofSeconds(1))
                .withMinRequestBodyDataRate(ONE_KB_PER_SECOND_AFTER_1S)
                .withMinResponseDataRate(new MinDataRate(10_000_000, Duration.ofSeconds(1)));
        server = RunningServer.start(limits, PipelineApplication.build(app -> app
                .map("/echo", b -> b.run(ctx -> ctx.response().write(ctx.request().readAllBytes())))
                .map("/no-rate", b -> b.run(ctx -> {
                    ctx.features().get(HttpMinRequestBodyDataRateFeature.class).setMinDataRate(null);
                    ctx.response().write(ctx.request().readAllBytes());
                }))
                .map("/firehose", b -> b.run(ctx -> {
                    CountDownLatch aborted = new CountDownLatch(1);
                    ctx.requestAborted().onAbort(aborted::countDown);
                    byte[] chunk = new byte[64 * 1024];
                    long written = 0;
                    try {
                        while (written < 1L << 30) {
                            ctx.response().write(chunk);
                            written += chunk.length;
                        }
                        events.add("wrote everything");
                    } catch (IOException | RuntimeException e) {
                        events.add("write failed: " + e.getClass().getSimpleName());
                    }
                    events.add("requestAborted fired: " + aborted.await(5, TimeUnit.SECONDS));
                }))
                .run(ctx -> ctx.response().write("ok"))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // ---- request headers timeout --------------------------------------------------------------

    @Test
    void incompleteHeadGets408ThenClose() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET / HTTP/1.1\r\nHost: a\r\n").readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n"
                    + "Date: " + r.date() + "\r\nServer: Lanner\r\n\r\n");
            assertThat(c.readToEnd()).isEmpty();
        }
        assertServed();
    }

    @Test
    void headDribbledByteByByteStillTimesOut() throws IOException, InterruptedException {
        // Slowloris: every byte resets nothing; the timeout runs from the first byte of the head.
        try (RawConnection c = server.connect()) {
            String head = "GET / HTTP/1.1\r\nHost: a\r\nX-Slow: " + "s".repeat(100);
            long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            int i = 0;
            try {
                while (i < head.length() && System.nanoTime() < deadline) {
                    c.send(head.substring(i, i + 1));
                    i++;
                    // The 408 (or the close) may arrive first: either means the server gave up.
                    if (c.serverRespondedOrClosed(Duration.ofMillis(150))) {
                        break;
                    }
                }
            } catch (IOException e) {
                // the server closed while we were still writing: also a timeout
            }
            assertThat(i).as("bytes sent before the server gave up").isLessThan(head.length());
        }
        assertServed();
    }

    // ---- keep-alive timeout ---------------------------------------------------------------------

    @Test
    void idleKeepAliveConnectionIsClosedWithoutAResponse() throws IOException {
        try (RawConnection c = server.connect()) {
            assertThat(c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().bodyText()).isEqualTo("ok");
            // Idle from now on: closed after ~1 s (heartbeat granularity), nothing sent.
            assertThat(c.readToEnd()).isEmpty();
        }
        assertServed();
    }

    @Test
    void connectionThatNeverSendsIsClosedByTheKeepAliveTimeout() throws IOException {
        try (RawConnection c = server.connect()) {
            assertThat(c.readToEnd()).isEmpty();
        }
        assertServed();
    }

    @Test
    void activeConnectionIsNotClosedWhileRequestsKeepComing() throws IOException, InterruptedException {
        try (RawConnection c = server.connect()) {
            for (int i = 0; i < 6; i++) {
                assertThat(c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().bodyText()).isEqualTo("ok");
                Thread.sleep(400); // 2.4 s in all, each gap well under the 1 s keep-alive timeout
            }
        }
    }

    // ---- minimum request body data rate -----------------------------------------------------------

    @Test
    void tricklingBodyGets408ThenClose() throws IOException, InterruptedException {
        try (RawConnection c = server.connect()) {
            c.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n");
            // Stop sending once the answer is there: bytes arriving after the close would reset the connection.
            for (int i = 0; i < 40 && c.socket().getInputStream().available() == 0; i++) {
                c.send("b");
                Thread.sleep(200);
            }
            RawResponse r = c.readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 408 Request Timeout\r\nDate: " + r.date()
                    + "\r\nServer: Lanner\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            assertThat(c.readToEnd()).isEmpty();
        }
        assertServed();
    }

    @Test
    void rateDisabledPerRequestLetsASlowBodyThrough() throws IOException, InterruptedException {
        try (RawConnection c = server.connect()) {
            c.send("POST /no-rate HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n");
            for (int i = 0; i < 10; i++) {
                c.send(Integer.toString(i));
                Thread.sleep(300); // 3 s for 10 bytes: far below 1 KB/s
            }
            assertThat(c.readResponse().bodyText()).isEqualTo("0123456789");
        }
    }

    @Test
    void bodySentAtOnceIsUnaffectedByTheRate() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n" + "b".repeat(5000))
                    .readResponse();
            assertThat(r.body()).hasSize(5000);
        }
    }

    // ---- minimum response data rate ---------------------------------------------------------------

    @Test
    void clientThatNeverReadsALargeResponseIsAbortedAndTheApplicationsWriteFails() throws Exception {
        events.clear();
        try (RawConnection c = RawConnection.open("127.0.0.1", server.port(), s -> {
            try {
                s.setReceiveBufferSize(4096);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        })) {
            c.send("GET /firehose HTTP/1.1\r\nHost: a\r\n\r\n");
            // Read nothing: the server's writes block, the heartbeat sees the rate fall, the connection is cut.
            assertThat(events.poll(15, TimeUnit.SECONDS)).startsWith("write failed: ");
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("requestAborted fired: true");
            c.socket().setSoTimeout(5000);
            long total = 0;
            try {
                byte[] buf = new byte[65536];
                int n;
                while ((n = c.socket().getInputStream().read(buf)) >= 0) {
                    total += n;
                }
            } catch (java.net.SocketException e) {
                // reset: cut
            }
            assertThat(total).as("the response was cut short").isLessThan(1L << 30);
        }
        assertServed();
    }

    @Test
    void pipeliningClientThatNeverReadsIsCutOffToo() throws Exception {
        // Small responses pile up in the server's output buffer and go out when it waits for the next request;
        // a client that keeps sending and never reads must not be able to park that write forever.
        ServerLimits limits = ServerLimits.defaults().withKeepAliveTimeout(Duration.ofSeconds(1))
                .withMinResponseDataRate(new MinDataRate(10_000_000, Duration.ofSeconds(1)));
        byte[] body = new byte[4000];
        try (RunningServer own = RunningServer.start(limits, ctx -> ctx.response().write(body))) {
            try (RawConnection c = RawConnection.open("127.0.0.1", own.port(), s -> {
                try {
                    s.setReceiveBufferSize(4096);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            })) {
                String batch = "GET / HTTP/1.1\r\nHost: a\r\n\r\n".repeat(7); // 28 KB of responses per batch
                for (int i = 0; i < 300; i++) {
                    c.send(batch);
                    Thread.sleep(5);
                }
                Await.until("the slow reader's connection aborted", Duration.ofSeconds(10),
                        () -> own.server().openConnections() == 0);
            }
        }
    }

    private static void assertServed() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date()
                    + "\r\nServer: Lanner\r\nContent-Length: 2\r\n\r\nok");
        }
    }
}
