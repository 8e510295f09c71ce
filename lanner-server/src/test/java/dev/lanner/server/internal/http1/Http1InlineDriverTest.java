package dev.lanner.server.internal.http1;

import static dev.lanner.server.internal.http1.Http1ConnectionTest.DATE;
import static dev.lanner.server.internal.http1.Http1ConnectionTest.OK;
import static dev.lanner.server.internal.http1.Http1ConnectionTest.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.server.HttpApplication;
import dev.lanner.server.ConnectionContext;
import dev.lanner.server.LannerServerOptions;
import dev.lanner.server.internal.infrastructure.Heartbeat;
import dev.lanner.server.internal.infrastructure.ServerContext;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 on an event loop, in memory: the test thread is the loop ({@link MemoryLoopConnection}),
 * so what runs inline runs during {@code fireReadable}, and a request handed to the connection's
 * virtual thread is awaited. Exact response bytes; which thread ran the application is part of them.
 */
class Http1InlineDriverTest {

    private final Thread loopThread = Thread.currentThread();
    private MemoryLoopConnection client;
    private Thread connectionThread;
    private ServerContext server;
    private Heartbeat heartbeat;

    private void start(HttpApplication<?> application) throws InterruptedException {
        server = new ServerContext(LannerServerOptions.defaults());
        server.date().refresh(0);
        heartbeat = new Heartbeat(server);
        client = new MemoryLoopConnection();
        Http1Connection connection = new Http1Connection(server, new ConnectionContext("L", client), application,
                heartbeat);
        connectionThread = Thread.ofVirtual().name("connection").start(connection::run);
        client.awaitListener();
    }

    @AfterEach
    void endConnection() throws InterruptedException {
        client.finish();
        client.fireReadable();
        assertThat(connectionThread.join(java.time.Duration.ofSeconds(10))).isTrue();
    }

    /** Sends {@code bytes}, lets the loop see them, returns what the server wrote meanwhile. */
    private String exchange(String bytes) {
        int before = client.received().length();
        client.send(bytes);
        client.fireReadable();
        return client.received().substring(before);
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    private String where() {
        return Thread.currentThread() == loopThread ? "loop" : "thread";
    }

    private TestApplication inline(String suffix) {
        return TestApplication.nonBlocking(ctx -> ctx.response().write(where() + suffix));
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n";
    }

    private static String ok(String body) {
        return OK + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    @Test
    void servesANonBlockingApplicationInlineOnTheLoop() throws Exception {
        start(inline(""));
        assertThat(exchange(get("/"))).isEqualTo(ok("loop"));
        assertThat(exchange(get("/"))).isEqualTo(ok("loop"));
        assertThat(client.readArmed()).isTrue();
    }

    @Test
    void answersPipelinedRequestsInOrderInOneReadiness() throws Exception {
        start(TestApplication.nonBlocking(ctx -> ctx.response().write(ctx.request().path())));
        assertThat(exchange(get("/a") + get("/b") + get("/c"))).isEqualTo(ok("/a") + ok("/b") + ok("/c"));
    }

    @Test
    void waitsForTheRestOfAHeadWithoutAnswering() throws Exception {
        start(inline(""));
        assertThat(exchange("GET / HT")).isEmpty();
        assertThat(exchange("TP/1.1\r\nHost: a\r\n")).isEmpty();
        assertThat(exchange("\r\n")).isEqualTo(ok("loop"));
    }

    @Test
    void flushesEarlierPipelinedResponsesWhileAHeadIsIncomplete() throws Exception {
        start(inline(""));
        assertThat(exchange(get("/") + "GET /next HTTP/1.1\r\n")).isEqualTo(ok("loop"));
        assertThat(exchange("Host: a\r\n\r\n")).isEqualTo(ok("loop"));
    }

    @Test
    void collectsASmallBodyOnTheLoopBeforeRunningInline() throws Exception {
        start(TestApplication.nonBlocking(ctx -> ctx.response().write(where() + "[" + ctx.request().readString() + "]")));
        assertThat(exchange("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhel")).isEmpty();
        assertThat(exchange("lo")).isEqualTo(ok("loop[hello]"));
    }

    @Test
    void skipsTheUnreadPartOfABufferedBody() throws Exception {
        start(inline(""));
        assertThat(exchange("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc" + get("/")))
                .isEqualTo(ok("loop") + ok("loop"));
    }

    @Test
    void parsesNoMoreRequestsWhileTheClientDoesNotReadItsResponses() throws Exception {
        start(TestApplication.nonBlocking(ctx -> ctx.response().write(ctx.request().path())));
        String first = ok("/a");
        client.setWriteRoom(20);
        assertThat(exchange(get("/a"))).isEqualTo(first.substring(0, 20));
        assertThat(client.writeArmed()).isTrue();
        assertThat(exchange(get("/b"))).isEmpty();
        assertThat(client.readArmed()).isFalse();
        client.setWriteRoom(Long.MAX_VALUE);
        client.fireWritable();
        assertThat(client.received()).isEqualTo(first);
        assertThat(client.readArmed()).isTrue();
        client.fireReadable();
        assertThat(client.received()).isEqualTo(first + ok("/b"));
    }

    @Test
    void keepsWhatTheLoopsBuffersHeldWhileAnotherConnectionOfTheLoopUsesThem() throws Exception {
        TestApplication paths = TestApplication.nonBlocking(ctx -> ctx.response().write(ctx.request().path()));
        start(paths);
        MemoryLoopConnection other = client.onSameLoop();
        Thread otherThread = Thread.ofVirtual().start(
                new Http1Connection(server, new ConnectionContext("M", other), paths, heartbeat)::run);
        other.awaitListener();
        client.setWriteRoom(10);

        // A response the socket took only in part, and part of the next head: both left in the loop's buffers.
        assertThat(exchange(get("/first") + "GET /sec")).isEqualTo(ok("/first").substring(0, 10));
        other.send(get("/overwrites-the-loop-buffers") + get("/twice"));
        other.fireReadable();
        assertThat(other.received()).isEqualTo(ok("/overwrites-the-loop-buffers") + ok("/twice"));
        client.setWriteRoom(Long.MAX_VALUE);
        client.fireWritable();

        assertThat(client.received()).isEqualTo(ok("/first"));
        assertThat(exchange("ond HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(ok("/second"));
        other.finish();
        other.fireReadable();
        assertThat(otherThread.join(java.time.Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void handsABlockingApplicationToTheConnectionThreadAndTakesTheConnectionBack() throws Exception {
        start(TestApplication.blocking(ctx -> ctx.response().write(where())));
        for (int i = 1; i <= 2; i++) {
            String expected = ok("thread").repeat(i);
            exchange(get("/"));
            await(() -> client.received().equals(expected) && client.readArmed());
        }
    }

    @Test
    void handsAChunkedBodyToTheConnectionThread() throws Exception {
        start(TestApplication.nonBlocking(ctx -> ctx.response().write(where() + "[" + ctx.request().readString() + "]")));
        exchange("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        await(() -> client.received().equals(ok("thread[abc]")));
    }

    @Test
    void sendsContinueFromTheConnectionThreadWhenTheBodyIsRead() throws Exception {
        start(TestApplication.nonBlocking(ctx -> ctx.response().write("[" + ctx.request().readString() + "]")));
        String continued = "HTTP/1.1 100 Continue\r\n\r\n";
        exchange("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
        await(() -> client.received().equals(continued));
        client.send("ping");
        await(() -> client.received().equals(continued + ok("[ping]")));
    }

    @Test
    void headGetsTheLengthOfTheBodyInline() throws Exception {
        start(inline("!"));
        assertThat(exchange("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(OK + "Content-Length: 5\r\n\r\n");
    }

    @Test
    void closesInlineAfterAResponseToConnectionClose() throws Exception {
        start(inline(""));
        assertThat(exchange("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n" + get("/never")))
                .isEqualTo(OK + "Content-Length: 4\r\nConnection: close\r\n\r\nloop");
        assertThat(client.outputShut()).isTrue();
        assertThat(client.isClosed()).isTrue();
    }

    @Test
    void rejectsABadHeadInlineAndCloses() throws Exception {
        start(inline(""));
        assertThat(exchange("GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n"))
                .isEqualTo("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n" + DATE + SERVER + "\r\n");
        assertThat(client.isClosed()).isTrue();
    }

    // --- timeouts, with the heartbeat driven by the test (Kestrel's defaults) ---

    /** Two beats {@code seconds} apart, the first one second after the connection's clock started. */
    private void elapse(long seconds) {
        long start = server.nowNanos() + TimeUnit.SECONDS.toNanos(1);
        heartbeat.tick(start);
        heartbeat.tick(start + TimeUnit.SECONDS.toNanos(seconds));
    }

    /** The Date line the heartbeat refreshed (it reads the wall clock). */
    private String date() {
        return new String(server.date().headerLine(), java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Test
    void answersAHeadThatStallsPastTheRequestHeadersTimeoutWith408() throws Exception {
        start(inline(""));
        assertThat(exchange("GET / HTTP/1.1\r\nHost:")).isEmpty();
        elapse(31);
        client.fireReadable();
        assertThat(client.received()).isEqualTo("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n"
                + date() + SERVER + "\r\n");
        assertThat(client.isClosed()).isTrue();
    }

    @Test
    void closesAConnectionIdlePastTheKeepAliveTimeoutWithoutAWord() throws Exception {
        start(inline(""));
        assertThat(exchange(get("/"))).isEqualTo(ok("loop"));
        int before = client.received().length();
        elapse(121);
        client.fireReadable();
        assertThat(client.received()).hasSize(before);
        assertThat(client.isClosed()).isTrue();
    }

    @Test
    void answersABodyCollectedTooSlowlyOnTheLoopWith408() throws Exception {
        start(TestApplication.nonBlocking(ctx -> ctx.response().write(ctx.request().readString())));
        assertThat(exchange("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n0123456789")).isEmpty();
        elapse(10);
        client.fireReadable();
        await(() -> client.isClosed());
        assertThat(client.received()).isEqualTo("HTTP/1.1 408 Request Timeout\r\n" + date() + SERVER
                + "Content-Length: 0\r\nConnection: close\r\n\r\n");
    }

    @Test
    void abortsAClientThatStopsReadingItsResponses() throws Exception {
        start(TestApplication.nonBlocking(ctx -> ctx.response().write("x".repeat(1000))));
        client.setWriteRoom(100);
        assertThat(exchange(get("/"))).hasSize(100);
        assertThat(client.writeArmed()).isTrue();
        elapse(10);
        assertThat(client.isClosed()).isTrue();
    }
}
