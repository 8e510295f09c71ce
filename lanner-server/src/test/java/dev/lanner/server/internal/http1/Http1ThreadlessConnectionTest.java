package dev.lanner.server.internal.http1;

import static dev.lanner.server.internal.http1.Http1ConnectionTest.OK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.server.HttpApplication;
import dev.lanner.server.ConnectionContext;
import dev.lanner.server.LannerServerOptions;
import dev.lanner.server.e2e.Await;
import dev.lanner.server.internal.infrastructure.Heartbeat;
import dev.lanner.server.internal.infrastructure.ServerContext;
import dev.lanner.server.internal.infrastructure.TimedConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An HTTP/1.1 connection started without a thread ({@link Http1Connection#start}), in memory: the test
 * thread is the event loop ({@link MemoryLoopConnection}). The loop serves it and ends it; a request
 * that must block gets the connection's virtual thread, created then; the end is reported exactly once.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http1ThreadlessConnectionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Thread loopThread = Thread.currentThread();
    private final List<String> ended = new CopyOnWriteArrayList<>();
    private final ServerContext server = new ServerContext(LannerServerOptions.defaults());
    private final Heartbeat heartbeat = new Heartbeat(server);
    private MemoryLoopConnection client;
    private Http1Connection connection;

    private void start(HttpApplication<?> application) {
        server.date().refresh(0);
        client = new MemoryLoopConnection();
        connection = new Http1Connection(server, new ConnectionContext("T", client), application, heartbeat);
        connection.start(c -> ended.add(c.id() + " on " + (Thread.currentThread() == loopThread ? "loop" : "thread")));
    }

    private String exchange(String bytes) {
        int before = client.received().length();
        client.send(bytes);
        client.fireReadable();
        return client.received().substring(before);
    }

    private String where() {
        return Thread.currentThread() == loopThread ? "loop" : Thread.currentThread().getName();
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n";
    }

    private static String ok(String body) {
        return OK + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    @Test
    void servesInlineWithNoThreadAndEndsOnTheLoopOnce() {
        start(TestApplication.nonBlocking(ctx -> ctx.response().write(where())));
        assertThat(client.readArmed()).isTrue();
        assertThat(heartbeat.connections()).hasSize(1);
        assertThat(exchange(get("/"))).isEqualTo(ok("loop"));
        assertThat(exchange(get("/"))).isEqualTo(ok("loop"));
        assertThat(connection.driver().hasThread()).isFalse();

        client.finish();
        client.fireReadable();
        assertThat(ended).containsExactly("T on loop");
        assertThat(client.isClosed()).isTrue();
        assertThat(heartbeat.connections()).isEmpty();
        client.fireReadable();
        client.close();
        assertThat(ended).containsExactly("T on loop");
    }

    @Test
    void createsTheThreadForTheFirstBlockingRequestAndKeepsIt() throws Exception {
        start(TestApplication.blocking(ctx -> ctx.response().write(where())));
        assertThat(connection.driver().hasThread()).isFalse();
        exchange(get("/"));
        Await.until("the first blocking response", WAIT, () -> client.received().equals(ok("lanner-conn T")) && client.readArmed());
        assertThat(connection.driver().hasThread()).isTrue();
        exchange(get("/"));
        Await.until("the second blocking response", WAIT, () -> client.received().equals(ok("lanner-conn T").repeat(2)) && client.readArmed());

        client.finish();
        client.fireReadable();
        Await.until("the connection's end", WAIT, () -> !ended.isEmpty());
        assertThat(ended).containsExactly("T on thread");
        assertThat(client.isClosed()).isTrue();
        assertThat(heartbeat.connections()).isEmpty();
    }

    @Test
    void theKeepAliveTimeoutEndsAnIdleConnectionOnTheLoop() {
        start(TestApplication.nonBlocking(ctx -> ctx.response().write(where())));
        assertThat(exchange(get("/"))).isEqualTo(ok("loop"));
        long keepAlive = server.options().limits().keepAliveTimeout().toNanos();
        heartbeat.tick(System.nanoTime() + keepAlive / 2);
        assertThat(client.isClosed()).isFalse();
        assertThat(ended).isEmpty();

        heartbeat.tick(System.nanoTime() + keepAlive + TimeUnit.SECONDS.toNanos(3));
        client.fireReadable();
        assertThat(ended).containsExactly("T on loop");
        assertThat(client.received()).isEqualTo(ok("loop"));
    }

    @Test
    void anIncompleteHeadPastTheRequestHeadersTimeoutIsAnswered408() {
        start(TestApplication.nonBlocking(ctx -> ctx.response().write(where())));
        assertThat(exchange("GET / HTTP/1.1\r\n")).isEmpty();
        heartbeat.tick(System.nanoTime() + server.options().limits().requestHeadersTimeout().toNanos()
                + TimeUnit.SECONDS.toNanos(3));
        client.fireReadable();
        assertThat(client.received()).startsWith("HTTP/1.1 408 Request Timeout\r\n");
        assertThat(ended).containsExactly("T on loop");
    }

    @Test
    void aGracefulStopClosesAnIdleConnectionAndAnAbortClosesABusyOne() {
        start(TestApplication.nonBlocking(ctx -> ctx.response().write(where())));
        assertThat(exchange(get("/"))).isEqualTo(ok("loop"));
        TimedConnection timed = heartbeat.connections().iterator().next();
        assertThat(timed.closeIfIdle()).isTrue();
        client.fireReadable();
        assertThat(ended).containsExactly("T on loop");

        ended.clear();
        start(TestApplication.nonBlocking(ctx -> ctx.response().write(where())));
        assertThat(exchange("GET / HTTP/1.1\r\n")).isEmpty();
        TimedConnection busy = heartbeat.connections().iterator().next();
        assertThat(busy.closeIfIdle()).isFalse();
        busy.abort("server stopping");
        assertThat(ended).containsExactly("T on loop");
        assertThat(heartbeat.connections()).isEmpty();
    }
}
