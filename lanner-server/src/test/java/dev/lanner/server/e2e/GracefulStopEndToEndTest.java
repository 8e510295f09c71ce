package dev.lanner.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.http.HttpContext;
import dev.lanner.server.LannerServerOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code stop(gracePeriod)}: listeners close at once (new connections are refused), idle
 * keep-alive connections are closed at once, in-flight requests may finish within the grace
 * period (their responses say {@code Connection: close}), and whatever still runs after it is
 * aborted. Each test stops its own server.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GracefulStopEndToEndTest {

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);

    private RunningServer startServer() throws IOException {
        return RunningServer.start(LannerServerOptions.defaults(), PipelineApplication.build(app -> app
                .map("/slow", b -> b.run(ctx -> {
                    events.add("started");
                    boolean released = release.await(10, TimeUnit.SECONDS);
                    ctx.response().write(released ? "done" : "timed out");
                }))
                .map("/wait-for-abort", b -> b.run(this::waitForAbort))
                .run(ctx -> ctx.response().write("ok"))), "http://127.0.0.1:0");
    }

    private void waitForAbort(HttpContext ctx) throws InterruptedException {
        CountDownLatch aborted = new CountDownLatch(1);
        ctx.requestAborted().onAbort(aborted::countDown);
        events.add("started");
        events.add(aborted.await(10, TimeUnit.SECONDS) ? "aborted" : "never aborted");
    }

    private Thread stopInBackground(RunningServer server, Duration grace) {
        return Thread.ofPlatform().name("stopper").start(() -> {
            try {
                server.server().stop(grace);
                events.add("stopped");
            } catch (InterruptedException e) {
                events.add("stop interrupted");
            }
        });
    }

    @Test
    void inFlightRequestCompletesWhileNewConnectionsAreRefusedAndIdleOnesClosed() throws Exception {
        RunningServer server = startServer();
        int port = server.port();
        try (RawConnection idle = server.connect(); RawConnection busy = server.connect()) {
            assertThat(idle.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().bodyText()).isEqualTo("ok");
            busy.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("started");

            Thread stopper = stopInBackground(server, Duration.ofSeconds(20));

            // The idle keep-alive connection is closed at once, without a response.
            assertThat(idle.readToEnd()).isEmpty();
            // The listener is closed: a new connection is refused.
            assertThatThrownBy(() -> RawConnection.open("127.0.0.1", port).close()).isInstanceOf(IOException.class);
            // The in-flight request is still running and stop() waits for it.
            assertThat(stopper.isAlive()).isTrue();
            assertThat(events.poll(300, TimeUnit.MILLISECONDS)).isNull();

            release.countDown();
            RawResponse r = busy.readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date()
                    + "\r\nServer: Lanner\r\nContent-Length: 4\r\nConnection: close\r\n\r\ndone");
            assertThat(busy.readToEnd()).isEmpty();
            // stop() returns once the last connection is gone, long before the 20 s grace period ends.
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("stopped");
            stopper.join(1000);
        } finally {
            release.countDown();
            server.close();
        }
        assertThat(server.server().openConnections()).isZero();
    }

    @Test
    void requestStillRunningAfterTheGracePeriodIsAborted() throws Exception {
        RunningServer server = startServer();
        try (RawConnection busy = server.connect()) {
            busy.send("GET /wait-for-abort HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("started");
            stopInBackground(server, Duration.ofSeconds(1));
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("aborted");
            // Cut without a response.
            assertThat(busy.readToEnd()).isEmpty();
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("stopped");
        } finally {
            server.close();
        }
        assertThat(server.server().openConnections()).isZero();
    }

    @Test
    void pipelinedRequestBehindTheInFlightOneIsNotStartedAfterStop() throws Exception {
        RunningServer server = startServer();
        try (RawConnection busy = server.connect()) {
            busy.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("started");
            stopInBackground(server, Duration.ofSeconds(20));
            // The stop has begun once the listener refuses connections.
            Await.until("the listener closed", Duration.ofSeconds(5), () -> refusesConnections(server));
            busy.send("GET /second HTTP/1.1\r\nHost: a\r\n\r\n");
            release.countDown();
            RawResponse r = busy.readResponse();
            assertThat(r.bodyText()).isEqualTo("done");
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(busy.readToEnd()).isEmpty();
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("stopped");
        } finally {
            release.countDown();
            server.close();
        }
    }

    @Test
    void stoppedServerReleasesItsPortAndStopAgainIsHarmless() throws Exception {
        RunningServer first = startServer();
        int port = first.port();
        first.server().stop(Duration.ofSeconds(5));
        first.server().stop(Duration.ofSeconds(5));
        try (RunningServer second = RunningServer.start(LannerServerOptions.defaults(),
                new PipelineApplication(ctx -> ctx.response().write("second")), "http://127.0.0.1:" + port)) {
            try (RawConnection c = second.connect()) {
                assertThat(c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().bodyText()).isEqualTo("second");
            }
        }
    }

    private static boolean refusesConnections(RunningServer server) {
        try (java.net.Socket probe = new java.net.Socket("127.0.0.1", server.port())) {
            return false;
        } catch (java.io.IOException refused) {
            return true;
        }
    }
}
