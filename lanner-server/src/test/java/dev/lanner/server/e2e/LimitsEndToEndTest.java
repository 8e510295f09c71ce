package dev.lanner.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.HttpContext;
import dev.lanner.http.features.HttpMaxRequestBodySizeFeature;
import dev.lanner.http.features.HttpUpgradeFeature;
import dev.lanner.http.features.UpgradedConnection;
import dev.lanner.http.features.ServerAddressesFeature;
import dev.lanner.server.LannerServer;
import dev.lanner.server.LannerServerOptions;
import dev.lanner.server.ServerLimits;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every size and count limit of {@link ServerLimits}, at its exact boundary over a real socket:
 * the status the client gets beyond it, that the connection then closes, and that the next
 * connection is served normally.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class LimitsEndToEndTest {

    /** Kestrel's defaults except a small body limit. */
    private static RunningServer server;
    private static final BlockingQueue<String> observed = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws IOException {
        server = RunningServer.start(ServerLimits.defaults().withMaxRequestBodySize(1000L), PipelineApplication.build(app -> app
                .map("/echo", b -> b.run(ctx -> ctx.response().write(ctx.request().readAllBytes())))
                .map("/raise", b -> b.run(ctx -> {
                    HttpMaxRequestBodySizeFeature limit = ctx.features().get(HttpMaxRequestBodySizeFeature.class);
                    observed.add("before: readOnly=" + limit.isReadOnly() + " max=" + limit.maxRequestBodySize());
                    limit.setMaxRequestBodySize(Long.parseLong(ctx.request().query("max")));
                    byte[] body = ctx.request().readAllBytes();
                    observed.add("after: readOnly=" + limit.isReadOnly());
                    try {
                        limit.setMaxRequestBodySize(1L);
                        observed.add("set after read: allowed");
                    } catch (IllegalStateException e) {
                        observed.add("set after read: IllegalStateException");
                    }
                    ctx.response().write(Integer.toString(body.length));
                }))
                .run(ctx -> ctx.response().write("ok " + ctx.request().path().length()))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n";
    }

    /** Asserts the exact rejection a limit produces, the close after it, and that a new connection works. */
    private static void assertRejected(RawConnection c, int status, String reason) throws IOException {
        RawResponse r = c.readResponse();
        assertThat(r.statusLine()).isEqualTo("HTTP/1.1 " + status + " " + reason);
        assertThat(r.header("Content-Length")).isEqualTo("0");
        assertThat(r.header("Connection")).isEqualTo("close");
        assertThat(c.readToEnd()).isEmpty();
        assertServed(server);
    }

    static void assertServed(RunningServer s) throws IOException {
        try (RawConnection next = s.connect()) {
            assertThat(next.send(get("/next")).readResponse().statusLine()).isEqualTo("HTTP/1.1 200 OK");
        }
    }

    // ---- request line: 8 KiB by default, counted with its CRLF as Kestrel counts it ----------

    @Test
    void requestLineOfExactly8KiBWithItsCrlfIsServed() throws IOException {
        String target = "/" + "a".repeat(8192 - "GET / HTTP/1.1\r\n".length());
        assertThat(("GET " + target + " HTTP/1.1\r\n").length()).isEqualTo(8192);
        try (RawConnection c = server.connect()) {
            assertThat(c.send(get(target)).readResponse().bodyText()).isEqualTo("ok " + target.length());
        }
    }

    @Test
    void requestLineOneByteOver8KiBGets414() throws IOException {
        String target = "/" + "a".repeat(8193 - "GET / HTTP/1.1\r\n".length());
        try (RawConnection c = server.connect()) {
            assertRejected(c.send(get(target)), 414, "URI Too Long");
        }
    }

    @Test
    void requestLineThatNeverEndsGets414AsSoonAsTheLimitIsPassed() throws IOException {
        try (RawConnection c = server.connect()) {
            // No CRLF ever comes: the server must not wait for one.
            assertRejected(c.send("GET /" + "a".repeat(9000)), 414, "URI Too Long");
        }
    }

    // ---- header section: 32 KiB of field lines (each with its CRLF), 100 fields ---------------

    @Test
    void headerSectionOfExactly32KiBIsServedAndOneByteMoreGets431() throws IOException {
        String host = "Host: a\r\n";
        String prefix = "X-Big: ";
        int valueLength = 32 * 1024 - host.length() - prefix.length() - 2;
        try (RawConnection c = server.connect()) {
            String request = "GET /fits HTTP/1.1\r\n" + host + prefix + "v".repeat(valueLength) + "\r\n\r\n";
            assertThat(c.send(request).readResponse().statusLine()).isEqualTo("HTTP/1.1 200 OK");
        }
        try (RawConnection c = server.connect()) {
            String request = "GET /over HTTP/1.1\r\n" + host + prefix + "v".repeat(valueLength + 1) + "\r\n\r\n";
            assertRejected(c.send(request), 431, "Request Header Fields Too Large");
        }
    }

    @Test
    void headerSectionFarOverTheLimitGets431WithoutWaitingForItsEnd() throws IOException {
        try (RawConnection c = server.connect()) {
            assertRejected(c.send("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "v".repeat(40_000)), 431,
                    "Request Header Fields Too Large");
        }
    }

    @Test
    void hundredHeaderFieldsAreServedAndOneMoreGets431() throws IOException {
        StringBuilder ninetyNine = new StringBuilder();
        for (int i = 0; i < 99; i++) {
            ninetyNine.append("X-H").append(i).append(": v\r\n");
        }
        try (RawConnection c = server.connect()) {
            String request = "GET / HTTP/1.1\r\nHost: a\r\n" + ninetyNine + "\r\n";
            assertThat(c.send(request).readResponse().statusLine()).isEqualTo("HTTP/1.1 200 OK");
        }
        try (RawConnection c = server.connect()) {
            String request = "GET / HTTP/1.1\r\nHost: a\r\n" + ninetyNine + "X-One-More: v\r\n\r\n";
            assertRejected(c.send(request), 431, "Request Header Fields Too Large");
        }
    }

    @Test
    void configuredSmallLimitsApply() throws IOException, InterruptedException {
        ServerLimits limits = ServerLimits.defaults().withMaxRequestLineSize(64).withMaxRequestHeadersTotalSize(100)
                .withMaxRequestHeaderCount(3);
        try (RunningServer small = RunningServer.start(limits, ctx -> ctx.response().write("ok"))) {
            try (RawConnection c = small.connect()) {
                c.send("GET /" + "a".repeat(64) + " HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.readResponse().statusLine()).isEqualTo("HTTP/1.1 414 URI Too Long");
            }
            try (RawConnection c = small.connect()) {
                c.send("GET / HTTP/1.1\r\nHost: a\r\nX-A: " + "v".repeat(100) + "\r\n\r\n");
                assertThat(c.readResponse().statusLine()).isEqualTo("HTTP/1.1 431 Request Header Fields Too Large");
            }
            try (RawConnection c = small.connect()) {
                c.send("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\nX-B: 2\r\nX-C: 3\r\n\r\n");
                assertThat(c.readResponse().statusLine()).isEqualTo("HTTP/1.1 431 Request Header Fields Too Large");
            }
            try (RawConnection c = small.connect()) {
                c.send("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\nX-B: 2\r\n\r\n");
                assertThat(c.readResponse().statusLine()).isEqualTo("HTTP/1.1 200 OK");
            }
        }
    }

    // ---- request body: 413 when read beyond the limit; per request through the feature -------

    @Test
    void bodyAtTheLimitIsServed() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n" + "b".repeat(1000))
                    .readResponse();
            assertThat(r.body()).hasSize(1000);
            assertThat(c.send(get("/again")).readResponse().statusLine()).isEqualTo("HTTP/1.1 200 OK");
        }
    }

    @Test
    void declaredBodyOverTheLimitGets413BeforeItIsSent() throws IOException {
        try (RawConnection c = server.connect()) {
            // Only the head is sent: the length alone decides.
            assertRejected(c.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n"), 413,
                    "Content Too Large");
        }
    }

    @Test
    void largeBodySentRightBehindAnOversizedHeadStillGetsThe413() throws Exception {
        // The client does not wait: 300 KB of body are on the way when the server answers and closes.
        // Like curl, the client keeps reading while its upload fails; RFC 9112 §9.6: the server's close must not
        // reset the connection before the client has read the response.
        for (int i = 0; i < 5; i++) {
            try (RawConnection c = server.connect()) {
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        c.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 300000\r\n\r\n" + "b".repeat(300_000));
                    } catch (IOException e) {
                        // the server stopped reading: expected
                    }
                });
                RawResponse r = c.readResponse();
                assertThat(r.statusLine()).isEqualTo("HTTP/1.1 413 Content Too Large");
                writer.join(5000);
            }
        }
    }

    @Test
    void chunkedBodyGrowingOverTheLimitGets413() throws IOException {
        try (RawConnection c = server.connect()) {
            c.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3e8\r\n" + "b".repeat(1000) + "\r\n1\r\nb\r\n0\r\n\r\n");
            assertRejected(c, 413, "Content Too Large");
        }
    }

    @Test
    void applicationRaisesTheLimitBeforeReadingAndItIsReadOnlyAfter() throws IOException {
        observed.clear();
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("POST /raise?max=5000 HTTP/1.1\r\nHost: a\r\nContent-Length: 4000\r\n\r\n"
                    + "b".repeat(4000)).readResponse();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(r.bodyText()).isEqualTo("4000");
        }
        assertThat(observed).containsExactly("before: readOnly=false max=1000", "after: readOnly=true",
                "set after read: IllegalStateException");
    }

    @Test
    void applicationLowersTheLimitBeforeReading() throws IOException {
        try (RawConnection c = server.connect()) {
            assertRejected(c.send("POST /raise?max=10 HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n" + "b".repeat(11)),
                    413, "Content Too Large");
        }
        try (RawConnection c = server.connect()) {
            assertRejected(c.send("POST /raise?max=10 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "b\r\n" + "b".repeat(11) + "\r\n0\r\n\r\n"), 413, "Content Too Large");
        }
    }

    // ---- connections ----------------------------------------------------------------------------

    @Test
    void connectionBeyondMaxConcurrentConnectionsIsClosedAndServedOnceOneCloses() throws Exception {
        try (RunningServer limited = RunningServer.start(ServerLimits.defaults().withMaxConcurrentConnections(2L),
                ctx -> ctx.response().write("ok"))) {
            RawConnection first = limited.connect();
            try (RawConnection second = limited.connect()) {
                assertThat(first.send(get("/")).readResponse().bodyText()).isEqualTo("ok");
                assertThat(second.send(get("/")).readResponse().bodyText()).isEqualTo("ok");
                try (RawConnection third = limited.connect()) {
                    // Accepted by TCP, then closed by the server before any byte is read.
                    third.send(get("/"));
                    assertThat(third.readToEnd()).isEmpty();
                }
                first.close();
                // The slot frees once the server has seen the close; the next connection is then served.
                Await.until("a new connection served", Duration.ofSeconds(5), () -> served(limited));
                assertThat(second.send(get("/")).readResponse().bodyText()).isEqualTo("ok");
            }
        }
    }

    @Test
    void maxConcurrentConnectionsCountsTheConnectionsOfEveryEndpoint() throws Exception {
        LannerServer server = new LannerServer(LannerServerOptions.defaults()
                .withLimits(ServerLimits.defaults().withMaxConcurrentConnections(1L)));
        List<String> addresses = server.features().get(ServerAddressesFeature.class).addresses();
        addresses.add("http://127.0.0.1:0");
        addresses.add("http://127.0.0.1:0");
        server.start(new PipelineApplication(ctx -> ctx.response().write("ok")));
        try {
            assertThat(addresses).hasSize(2);
            int firstPort = URI.create(addresses.get(0)).getPort();
            int secondPort = URI.create(addresses.get(1)).getPort();
            try (RawConnection first = RawConnection.open("127.0.0.1", firstPort)) {
                assertThat(first.send(get("/")).readResponse().bodyText()).isEqualTo("ok");
                try (RawConnection other = RawConnection.open("127.0.0.1", secondPort)) {
                    // The one slot is taken on the other endpoint: closed before any byte is read.
                    other.send(get("/"));
                    assertThat(other.readToEnd()).isEmpty();
                }
            }
        } finally {
            server.stop(Duration.ofSeconds(2));
        }
    }

    private static boolean served(RunningServer s) throws IOException {
        try (RawConnection c = s.connect()) {
            c.send(get("/"));
            return new String(c.readToEndOrResponse(), StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200 OK");
        }
    }

    @Test
    void upgradeBeyondMaxConcurrentUpgradedConnectionsIsRefused() throws Exception {
        BlockingQueue<String> upgrades = new LinkedBlockingQueue<>();
        try (RunningServer limited = RunningServer.start(ServerLimits.defaults().withMaxConcurrentUpgradedConnections(1L),
                ctx -> upgradeAndEcho(ctx, upgrades))) {
            String upgrade = "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n";
            try (RawConnection first = limited.connect()) {
                assertThat(first.send(upgrade).readHead()).startsWith("HTTP/1.1 101 Switching Protocols");
                assertThat(upgrades.poll(5, TimeUnit.SECONDS)).isEqualTo("upgraded");
                try (RawConnection second = limited.connect()) {
                    RawResponse refused = second.send(upgrade).readResponse();
                    assertThat(refused.statusLine()).isEqualTo("HTTP/1.1 500 Internal Server Error");
                    assertThat(upgrades.poll(5, TimeUnit.SECONDS)).startsWith("refused: ").contains("limit of 1");
                }
                first.send("x");
                assertThat(new String(first.readExactly(1), StandardCharsets.ISO_8859_1)).isEqualTo("x");
            }
            // The first upgraded connection ended: its slot is free again.
            Await.until("a third upgrade accepted", Duration.ofSeconds(5), () -> {
                try (RawConnection third = limited.connect()) {
                    return third.send(upgrade).readHead().startsWith("HTTP/1.1 101 Switching Protocols");
                }
            });
        }
    }

    /** Upgrades, echoes bytes until the client closes, and returns without closing the upgraded connection itself. */
    static void upgradeAndEcho(HttpContext ctx, BlockingQueue<String> events) throws IOException {
        HttpUpgradeFeature feature = ctx.features().get(HttpUpgradeFeature.class);
        UpgradedConnection upgraded;
        try {
            upgraded = feature.upgrade();
        } catch (IllegalStateException e) {
            events.add("refused: " + e.getMessage());
            throw e;
        }
        events.add("upgraded");
        byte[] buf = new byte[256];
        int n;
        while ((n = upgraded.input().read(buf)) > 0) {
            upgraded.output().write(buf, 0, n);
        }
    }
}
