package dev.lanner.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.http.HttpContext;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests that end early: the client disconnects (the server notices through its read-ahead,
 * started by the heartbeat after about a second, and fires {@code requestAborted}), the
 * application aborts, the application throws before or after the response started.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class AbortEndToEndTest {

    private static RunningServer server;
    private static final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws IOException {
        server = RunningServer.start(PipelineApplication.build(app -> app
                .map("/wait-for-abort", b -> b.run(AbortEndToEndTest::waitForAbort))
                .map("/read-body", b -> b.run(ctx -> {
                    events.add("reading");
                    try {
                        ctx.request().readAllBytes();
                        events.add("read everything");
                    } catch (IOException | RuntimeException e) {
                        events.add("read failed: " + e.getClass().getSimpleName());
                        throw e;
                    }
                }))
                .map("/watch", b -> b.run(ctx -> {
                    ctx.requestAborted().onAbort(() -> events.add("completed request aborted"));
                    ctx.response().write("watched");
                }))
                .map("/abort", b -> b.run(ctx -> {
                    ctx.response().setHeader("X-Never-Sent", "1");
                    ctx.response().write("never sent");
                    ctx.abort();
                    events.add("aborted: " + ctx.requestAborted().isAborted());
                }))
                .map("/abort-midway", b -> b.run(ctx -> {
                    OutputStream body = ctx.response().body();
                    body.write("partial".getBytes());
                    body.flush();
                    ctx.abort();
                }))
                .map("/throw-before", b -> b.run(ctx -> {
                    ctx.response().setHeader("X-Discarded", "1");
                    ctx.response().write("discarded");
                    throw new IllegalStateException("boom before");
                }))
                .map("/throw-after", b -> b.run(ctx -> {
                    OutputStream body = ctx.response().body();
                    body.write("partial".getBytes());
                    body.flush();
                    throw new IllegalStateException("boom after");
                }))
                .run(ctx -> ctx.response().write("ok"))));
    }

    private static void waitForAbort(HttpContext ctx) throws InterruptedException {
        CountDownLatch aborted = new CountDownLatch(1);
        ctx.requestAborted().onAbort(aborted::countDown);
        events.add("waiting");
        events.add(aborted.await(10, TimeUnit.SECONDS) ? "aborted" : "not aborted after 10 s");
        try {
            ctx.response().write("too late");
            ctx.response().body().flush();
            events.add("write after abort: succeeded");
        } catch (IOException | RuntimeException e) {
            events.add("write after abort: " + e.getClass().getSimpleName());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void clear() {
        events.clear();
        server.application().failures().clear();
    }

    @Test
    void clientDisconnectFiresRequestAbortedAndLaterWritesFail() throws Exception {
        try (RawConnection c = server.connect()) {
            c.send("GET /wait-for-abort HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("waiting");
        }
        // The read-ahead starts at the first heartbeat after ~1 s in the application; then it sees the close.
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("aborted");
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("write after abort: RequestAbortedException");
        assertServed();
    }

    @Test
    void clientDisconnectWhileTheBodyIsReadFailsTheRead() throws Exception {
        try (RawConnection c = server.connect()) {
            c.send("POST /read-body HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n0123456789");
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("reading");
        }
        assertThat(events.poll(5, TimeUnit.SECONDS)).startsWith("read failed: ");
        assertServed();
    }

    @Test
    void clientResetWhileTheBodyIsReadAbortsTheRequestInsteadOfFailingTheApplication() throws Exception {
        // SO_LINGER 0: close sends a TCP reset, which the server's read sees as an IOException, not an end.
        try (RawConnection c = RawConnection.open("127.0.0.1", server.port(), socket -> {
            try {
                socket.setSoLinger(true, 0);
            } catch (java.net.SocketException e) {
                throw new IllegalStateException(e);
            }
        })) {
            c.send("POST /read-body HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n0123456789");
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("reading");
        }
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("read failed: RequestAbortedException");
        Throwable failure = server.application().failures().poll(5, TimeUnit.SECONDS);
        assertThat(failure).isInstanceOf(dev.lanner.http.RequestAbortedException.class)
                .hasMessage("the connection was lost while the request body was read");
        assertServed();
    }

    @Test
    void applicationAbortCutsTheConnectionWithoutAResponse() throws Exception {
        try (RawConnection c = server.connect()) {
            c.send("GET /abort HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readToEnd()).isEmpty();
        }
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("aborted: true");
        assertServed();
    }

    @Test
    void applicationAbortAfterTheResponseStartedCutsTheBodyShort() throws Exception {
        try (RawConnection c = server.connect()) {
            c.send("GET /abort-midway HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readHead()).endsWith("\r\nTransfer-Encoding: chunked");
            // The chunk that was flushed arrives; the last chunk never does.
            assertThat(RawConnection.text(c.readToEnd())).isEqualTo("7\r\npartial\r\n");
        }
        assertServed();
    }

    @Test
    void exceptionBeforeTheResponseStartsGives500AndKeepsTheConnection() throws Exception {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET /throw-before HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            // What the application had set or buffered is discarded.
            assertThat(r.raw()).isEqualTo("HTTP/1.1 500 Internal Server Error\r\nDate: " + r.date()
                    + "\r\nServer: Lanner\r\nContent-Length: 0\r\n\r\n");
            RawResponse next = c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(next.bodyText()).isEqualTo("ok");
        }
        assertThat(server.application().failures().poll(2, TimeUnit.SECONDS)).hasMessage("boom before");
    }

    @Test
    void exceptionAfterTheResponseStartedCutsTheConnection() throws Exception {
        try (RawConnection c = server.connect()) {
            c.send("GET /throw-after HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readHead()).endsWith("\r\nTransfer-Encoding: chunked");
            assertThat(RawConnection.text(c.readToEnd())).isEqualTo("7\r\npartial\r\n");
        }
        assertThat(server.application().failures().poll(2, TimeUnit.SECONDS)).hasMessage("boom after");
        assertServed();
    }

    @Test
    void exceptionAfterStartIsSeenByAClientAsATruncatedMessage() throws Exception {
        try (RawConnection c = server.connect()) {
            c.send("GET /throw-after HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThatThrownBy(c::readResponse).isInstanceOf(EOFException.class);
        }
    }

    @Test
    void abortedConnectionDoesNotDisturbAnotherConnectionsRequest() throws Exception {
        try (RawConnection healthy = server.connect()) {
            healthy.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            try (RawConnection c = server.connect()) {
                c.send("GET /abort HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.readToEnd()).isEmpty();
            }
            assertThat(healthy.readResponse().bodyText()).isEqualTo("ok");
            assertThat(healthy.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().bodyText()).isEqualTo("ok");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"keep-alive", "close"})
    void completedRequestIsNotAbortedWhenItsConnectionLaterCloses(String connection) throws Exception {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET /watch HTTP/1.1\r\nHost: a\r\nConnection: " + connection + "\r\n\r\n")
                    .readResponse();
            assertThat(r.bodyText()).isEqualTo("watched");
        }
        Await.until("the connection closed", Duration.ofSeconds(5), () -> server.server().openConnections() == 0);
        // The request had finished normally: closing the idle connection afterwards is no abort of it.
        assertThat(events.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    private static void assertServed() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date()
                    + "\r\nServer: Lanner\r\nContent-Length: 2\r\n\r\nok");
        }
    }
}
