package dev.lanner.samples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.hosting.WebApplication;
import dev.lanner.hosting.WebApplicationOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The forwarded-headers middleware on the default server, configured only by arguments, over real sockets. */
class ForwardedHeadersOverSocketsTest {

    @TempDir
    Path root;

    private WebApplication app;
    private String lastHead;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    /** Starts on a loopback port with {@code args}; {@code /who} answers what the application sees. */
    private URI start(String... args) {
        List<String> all = new ArrayList<>(List.of("--Hosting:RequestLog=false", "--Urls=http://127.0.0.1:0"));
        all.addAll(List.of(args));
        app = WebApplication.builder(WebApplicationOptions.isolated(root, all.toArray(String[]::new))).build();
        app.use((ctx, next) -> {
            ctx.response().setHeader("X-Middleware-Saw", ctx.connection().remoteAddress().getHostAddress());
            next.invoke(ctx);
        });
        app.mapGet("/who", ctx -> {
            byte[] seen = (ctx.connection().remoteAddress().getHostAddress() + " " + ctx.connection().remotePort()
                    + " " + ctx.request().scheme() + " " + ctx.request().host() + " '" + ctx.request().pathBase()
                    + "' " + ctx.request().headers().get("X-Original-For")).getBytes(StandardCharsets.UTF_8);
            ctx.response().setContentLength(seen.length);
            ctx.response().write(seen);
        });
        app.start();
        return URI.create(app.urls().getFirst());
    }

    @Test
    void loopbackProxyHasItsForwardedValuesApplied() throws IOException {
        URI uri = start("--ForwardedHeaders:Headers=All");
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            String body = exchange(socket, "X-Forwarded-For: 203.0.113.9:4711\r\nX-Forwarded-Proto: https\r\n"
                    + "X-Forwarded-Host: example.com\r\nX-Forwarded-Prefix: /shop\r\n");
            assertThat(body).isEqualTo("203.0.113.9 4711 https example.com '/shop' 127.0.0.1:" + socket.getLocalPort());
            // The forwarded-headers middleware ran before the application's own middleware.
            assertThat(lastHead).containsIgnoringCase("X-Middleware-Saw: 203.0.113.9\r\n");
        }
    }

    @Test
    void hostFilteringChecksTheHostAfterTheForwardedHostIsApplied() throws IOException {
        URI uri = start("--ForwardedHeaders:Headers=All", "--AllowedHosts=example.com");
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            String body = exchange(socket, "X-Forwarded-Host: example.com\r\n");
            assertThat(lastHead).startsWith("HTTP/1.1 200 ");
            assertThat(body).startsWith("127.0.0.1 ").contains(" http example.com ");
        }
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            // Host: localhost, forwarded by nobody: not an allowed host.
            socket.getOutputStream().write("GET /who HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 400 ");
        }
    }

    @Test
    void knownProxiesThatAreNotTheClientMeanTheHeadersAreIgnored() throws IOException {
        URI uri = start("--ForwardedHeaders:Headers=All", "--ForwardedHeaders:KnownProxies=127.0.0.2");
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            String body = exchange(socket, "X-Forwarded-For: 203.0.113.9:4711\r\nX-Forwarded-Proto: https\r\n");
            assertThat(body).isEqualTo("127.0.0.1 " + socket.getLocalPort() + " http localhost '' null");
        }
    }

    @Test
    void eachRequestOnOneKeepAliveConnectionSeesItsOwnRemoteAddress() throws IOException {
        URI uri = start("--ForwardedHeaders:Headers=XForwardedFor");
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            int port = socket.getLocalPort();
            assertThat(exchange(socket, "X-Forwarded-For: 203.0.113.1\r\n")).startsWith("203.0.113.1 0 http");
            assertThat(exchange(socket, "X-Forwarded-For: 203.0.113.2:99\r\n")).startsWith("203.0.113.2 99 http");
            assertThat(exchange(socket, "")).startsWith("127.0.0.1 " + port + " http");
        }
    }

    @Test
    void twoConcurrentH2cStreamsOnOneConnectionEachSeeTheirOwnForwardedAddress() throws Exception {
        List<String> all = new ArrayList<>(List.of("--Hosting:RequestLog=false", "--ForwardedHeaders:Headers=All",
                "--Server:Endpoints:H2c:Url=http://127.0.0.1:0", "--Server:Endpoints:H2c:Protocols=Http2"));
        app = WebApplication.builder(WebApplicationOptions.isolated(root, all.toArray(String[]::new))).build();
        // Each request waits for the other: both streams are in the application at the same time.
        CyclicBarrier together = new CyclicBarrier(2);
        app.mapGet("/pair", ctx -> {
            together.await(10, TimeUnit.SECONDS);
            ctx.response().write(ctx.connection().remoteAddress().getHostAddress() + " " + ctx.connection().remotePort()
                    + " " + ctx.request().scheme() + " " + ctx.connection().id() + " " + ctx.request().protocol());
        });
        app.start();
        int port = URI.create(app.urls().getFirst()).getPort();

        Map<Integer, String> bodies = H2cStreams.getAll(port, "/pair", List.of(
                List.of("x-forwarded-for", "203.0.113.1:1111", "x-forwarded-proto", "https"),
                List.of("x-forwarded-for", "203.0.113.2:2222")));

        String[] first = bodies.get(0).split(" ");
        String[] second = bodies.get(1).split(" ");
        assertThat(first).as("stream 1: %s", bodies.get(0)).hasSize(5);
        assertThat(second).as("stream 3: %s", bodies.get(1)).hasSize(5);
        assertThat(first[0] + " " + first[1] + " " + first[2]).isEqualTo("203.0.113.1 1111 https");
        assertThat(second[0] + " " + second[1] + " " + second[2]).isEqualTo("203.0.113.2 2222 http");
        assertThat(first[4]).isEqualTo("HTTP/2");
        assertThat(first[3]).as("one connection").isEqualTo(second[3]);
    }

    /** Sends {@code GET /who} with {@code extraHeaders} on {@code socket} and returns the 200 response's body. */
    private String exchange(Socket socket, String extraHeaders) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET /who HTTP/1.1\r\nHost: localhost\r\n" + extraHeaders + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        lastHead = head;
        assertThat(head).startsWith("HTTP/1.1 200");
        int length = -1;
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        assertThat(length).as("Content-Length in %s", head).isNotNegative();
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head);
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
