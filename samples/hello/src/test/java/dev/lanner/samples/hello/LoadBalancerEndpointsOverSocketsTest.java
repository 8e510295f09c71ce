package dev.lanner.samples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.hosting.WebApplication;
import dev.lanner.hosting.WebApplicationOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** AllowedHosts and the health endpoints with their drain delay, on the default server over real sockets. */
@Timeout(60)
class LoadBalancerEndpointsOverSocketsTest {

    @TempDir
    Path root;

    private WebApplication start(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--Urls=http://127.0.0.1:0";
        all[1] = "--Hosting:RequestLog=false";
        System.arraycopy(args, 0, all, 2, args.length);
        return WebApplication.builder(WebApplicationOptions.isolated(root, all)).build();
    }

    private static int port(WebApplication app) {
        return URI.create(app.urls().getFirst()).getPort();
    }

    /** One HTTP/1.1 request on its own connection: {@code "200 body"}. */
    private static String get(int port, String path, String host) throws IOException {
        return exchange(port, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    }

    /** Sends {@code request} on a new connection and reads to its end: {@code "200 body"}. */
    private static String exchange(int port, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            String status = response.substring("HTTP/1.x ".length(), "HTTP/1.x ".length() + 3);
            return status + " " + response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    @Test
    void allowedHostsRejectsOtherHostsWith400AndServesTheAllowedOne() throws IOException {
        WebApplication app = start("--AllowedHosts=example.com");
        app.mapGet("/", ctx -> ctx.response().write("ok"));
        app.start();
        try {
            int port = port(app);
            assertThat(get(port, "/", "other.com")).isEqualTo("400 Bad Request - Invalid Hostname");
            assertThat(get(port, "/", "example.com")).isEqualTo("200 ok");
            assertThat(get(port, "/", "example.com:" + port)).isEqualTo("200 ok");
            // HTTP/1.0 needs no Host (RFC 9112 §3.2 applies to 1.1); as ASP.NET Core, it passes.
            assertThat(exchange(port, "GET / HTTP/1.0\r\n\r\n")).isEqualTo("200 ok");
        } finally {
            app.stop();
        }
    }

    @Test
    void readinessTurns503AtTheStartOfAStopWhileInFlightAndNewRequestsAreStillServed() throws Exception {
        WebApplication app = start("--Health:DrainDelay=1").mapHealthChecks();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        app.mapGet("/slow", ctx -> {
            entered.countDown();
            release.await(20, TimeUnit.SECONDS);
            ctx.response().write("slow");
        });
        app.mapGet("/x", ctx -> ctx.response().write("x"));
        CountDownLatch stopping = new CountDownLatch(1);
        app.lifetime().applicationStopping().onAbort(stopping::countDown);
        app.start();
        int port = port(app);
        assertThat(get(port, "/healthz", "127.0.0.1")).isEqualTo("200 Healthy");
        assertThat(get(port, "/readyz", "127.0.0.1")).isEqualTo("200 Ready");

        // Own threads: the common pool may have a single thread on a small machine.
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        Future<String> slow = threads.submit(() -> get(port, "/slow", "127.0.0.1"));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        long stopAt = System.nanoTime();
        Future<?> stop = threads.submit(() -> { app.stop(); });
        assertThat(stopping.await(10, TimeUnit.SECONDS)).isTrue();

        // The drain: readiness says "take me out", yet new connections and requests are still served.
        assertThat(get(port, "/readyz", "127.0.0.1")).isEqualTo("503 Stopping");
        assertThat(get(port, "/x", "127.0.0.1")).isEqualTo("200 x");
        assertThat(get(port, "/healthz", "127.0.0.1")).isEqualTo("200 Healthy");
        assertThat(Duration.ofNanos(System.nanoTime() - stopAt)).isLessThan(Duration.ofSeconds(1));

        // After the drain the port closes; the request that began before the stop still completes.
        assertThat(LoopbackClient.awaitRefused(port, Duration.ofSeconds(10))).as("the port closes after the drain delay").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - stopAt)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(stop.isDone()).isFalse();
        release.countDown();
        assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("200 slow");
        stop.get(10, TimeUnit.SECONDS);
        threads.close();
    }
}
