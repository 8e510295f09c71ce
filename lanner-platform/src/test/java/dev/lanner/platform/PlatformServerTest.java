package dev.lanner.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.http.RequestDelegate;
import dev.lanner.http.features.ServerAddressesFeature;
import dev.lanner.testkit.KitApplication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Platform-server behaviour beyond the shared kit: host routing, the request queue, body limits. */
@Timeout(60)
class PlatformServerTest {

    private final UrlPrefixRegistry registry = new UrlPrefixRegistry();
    private final List<PlatformServer> servers = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (PlatformServer server : servers) {
            server.stop(Duration.ofSeconds(1));
        }
    }

    private PlatformServer start(PlatformServerOptions options, RequestDelegate app) throws Exception {
        PlatformServer server = new PlatformServer(options, registry);
        server.start(new KitApplication(app));
        servers.add(server);
        return server;
    }

    private PlatformServer start(String name, String prefix, RequestDelegate app) throws Exception {
        return start(PlatformServerOptions.defaults().withName(name).withUrlPrefixes(List.of(prefix)), app);
    }

    private static RequestDelegate answering(String name) {
        return ctx -> ctx.response().write(name);
    }

    private static int port(PlatformServer server) {
        return UrlPrefix.parse(server.features().get(ServerAddressesFeature.class).addresses().get(0)).port();
    }

    private static String get(int port, String host, String path) throws Exception {
        return RawHttp.exchange(port, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    }

    @Test
    void strongWildcardBeatsExplicitHostWhichBeatsWeakWildcard() throws Exception {
        PlatformServer weak = start("weak", "http://*:0/", answering("weak"));
        int port = port(weak);
        start("explicit", "http://localhost:" + port + "/", answering("explicit"));
        assertThat(RawHttp.body(get(port, "localhost:" + port, "/x"))).isEqualTo("explicit");
        assertThat(RawHttp.body(get(port, "127.0.0.1:" + port, "/x"))).isEqualTo("weak");

        start("strong", "http://+:" + port + "/", answering("strong"));
        assertThat(RawHttp.body(get(port, "localhost:" + port, "/x"))).isEqualTo("strong");
        assertThat(RawHttp.body(get(port, "127.0.0.1:" + port, "/x"))).isEqualTo("strong");
    }

    @Test
    void longestPathWinsWithinAHostKind() throws Exception {
        PlatformServer root = start("root", "http://+:0/", answering("root"));
        int port = port(root);
        start("api", "http://+:" + port + "/api/", answering("api"));
        start("v2", "http://+:" + port + "/api/v2/", answering("v2"));
        assertThat(RawHttp.body(get(port, "h", "/api/v2/items"))).isEqualTo("v2");
        assertThat(RawHttp.body(get(port, "h", "/api/v1/items"))).isEqualTo("api");
        assertThat(RawHttp.body(get(port, "h", "/other"))).isEqualTo("root");
    }

    @Test
    void hostNoPrefixClaimsIsABadRequestAndUnclaimedPathIsNotFound() throws Exception {
        PlatformServer server = start("local", "http://localhost:0/app/", answering("app"));
        int port = port(server);
        assertThat(RawHttp.status(get(port, "example.com", "/app/x"))).isEqualTo(400);
        assertThat(RawHttp.status(get(port, "localhost:" + port, "/elsewhere"))).isEqualTo(404);
        assertThat(RawHttp.body(get(port, "localhost:" + port, "/app/x"))).isEqualTo("app");
    }

    @Test
    void http11WithoutHostOrWithTwoIsRejected() throws Exception {
        PlatformServer server = start("any", "http://+:0/", answering("ok"));
        int port = port(server);
        assertThat(RawHttp.status(RawHttp.exchange(port, "GET / HTTP/1.1\r\n\r\n"))).isEqualTo(400);
        assertThat(RawHttp.status(RawHttp.exchange(port, "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"))).isEqualTo(400);
        // HTTP/1.0 needs no Host: the address the request arrived on stands in for it.
        assertThat(RawHttp.body(RawHttp.exchange(port, "GET / HTTP/1.0\r\n\r\n"))).isEqualTo("ok");
    }

    @Test
    void http10WithoutHostOnLoopbackMatchesALocalhostPrefix() throws Exception {
        PlatformServer server = start("local", "http://localhost:0/", answering("local"));
        int port = port(server);
        assertThat(RawHttp.body(RawHttp.exchange(port, "GET / HTTP/1.0\r\n\r\n"))).isEqualTo("local");
    }

    @Test
    void headKeepsTheGetLengthAndCloseIsAnnounced() throws Exception {
        PlatformServer server = start("head", "http://127.0.0.1:0/", answering("Hello, World!"));
        int port = port(server);
        String head = RawHttp.exchange(port, "HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(RawHttp.status(head)).isEqualTo(200);
        assertThat(head).containsIgnoringCase("Content-Length: 13\r\n");
        assertThat(head).containsIgnoringCase("Connection: close\r\n");
        assertThat(head).contains("Server: Lanner\r\n");
        assertThat(RawHttp.body(head)).isEmpty();
    }

    @Test
    void aResponseThatFitsTheBufferGetsItsLengthAndALargerOneIsChunked() throws Exception {
        PlatformServer server = start("sizes", "http://127.0.0.1:0/",
                ctx -> ctx.response().write("x".repeat(Integer.parseInt(ctx.request().query("n")))));
        int port = port(server);
        String fits = RawHttp.exchangeUntilClose(port, "GET /?n=16384 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(fits).containsIgnoringCase("Content-Length: 16384\r\n").doesNotContainIgnoringCase("Transfer-Encoding");
        assertThat(RawHttp.body(fits)).hasSize(16384);
        String larger = RawHttp.exchangeUntilClose(port, "GET /?n=16385 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(larger).containsIgnoringCase("Transfer-Encoding: chunked\r\n").doesNotContainIgnoringCase("Content-Length");
        assertThat(RawHttp.dechunk(RawHttp.body(larger))).isEqualTo("x".repeat(16385));
        // HEAD answers as its GET would: a length only for a body that fits the buffer.
        String headFits = RawHttp.exchange(port, "HEAD /?n=16384 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(headFits).containsIgnoringCase("Content-Length: 16384\r\n");
        assertThat(RawHttp.body(headFits)).isEmpty();
        String headLarger = RawHttp.exchangeUntilClose(port, "HEAD /?n=16385 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(headLarger).doesNotContainIgnoringCase("Content-Length").doesNotContainIgnoringCase("Transfer-Encoding");
        assertThat(RawHttp.body(headLarger)).isEmpty();
    }

    @Test
    void http10BodyOfUnknownLengthEndsWithTheConnection() throws Exception {
        PlatformServer server = start("old", "http://127.0.0.1:0/", ctx -> ctx.response().write("y".repeat(20_000)));
        int port = port(server);
        String response = RawHttp.exchangeUntilClose(port, "GET / HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n");
        assertThat(RawHttp.status(response)).isEqualTo(200);
        assertThat(response).containsIgnoringCase("Connection: close\r\n")
                .doesNotContainIgnoringCase("Content-Length").doesNotContainIgnoringCase("Transfer-Encoding");
        assertThat(RawHttp.body(response)).isEqualTo("y".repeat(20_000));
    }

    @Test
    void aFailureBeforeTheHeadIsA500ThatClosesTheConnection() throws Exception {
        PlatformServer server = start("failing", "http://127.0.0.1:0/", ctx -> {
            ctx.response().setHeader("X-Lost", "yes");
            throw new IllegalStateException("boom");
        });
        int port = port(server);
        String response = RawHttp.exchangeUntilClose(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(RawHttp.status(response)).isEqualTo(500);
        assertThat(response).containsIgnoringCase("Content-Length: 0\r\n").containsIgnoringCase("Connection: close\r\n")
                .doesNotContain("X-Lost");
    }

    @Test
    void requestsBeyondTheQueueLimitGet503() throws Exception {
        CountDownLatch inside = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        PlatformServer server = start(PlatformServerOptions.defaults().withName("queued")
                .withUrlPrefixes(List.of("http://127.0.0.1:0/")).withRequestQueueLimit(2), ctx -> {
                    inside.countDown();
                    release.await(20, TimeUnit.SECONDS);
                    ctx.response().write("done");
                });
        int port = port(server);
        CompletableFuture<String> a = CompletableFuture.supplyAsync(() -> quietGet(port), Thread::startVirtualThread);
        CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> quietGet(port), Thread::startVirtualThread);
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        String refused = get(port, "127.0.0.1:" + port, "/third");
        assertThat(RawHttp.status(refused)).isEqualTo(503);
        assertThat(RawHttp.body(refused)).isEqualTo("Service Unavailable: the request queue is full\n");
        release.countDown();
        assertThat(RawHttp.body(a.get(20, TimeUnit.SECONDS))).isEqualTo("done");
        assertThat(RawHttp.body(b.get(20, TimeUnit.SECONDS))).isEqualTo("done");
        // Capacity is back once the two are done.
        assertThat(RawHttp.body(get(port, "127.0.0.1:" + port, "/fourth"))).isEqualTo("done");
    }

    private static String quietGet(int port) {
        try {
            return get(port, "127.0.0.1:" + port, "/slow");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void declaredBodyOverTheLimitGets413() throws Exception {
        PlatformServer server = start(PlatformServerOptions.defaults().withName("small")
                .withUrlPrefixes(List.of("http://127.0.0.1:0/")).withMaxRequestBodySize(10L),
                ctx -> ctx.response().write("read " + ctx.request().readAllBytes().length));
        int port = port(server);
        String response = RawHttp.exchange(port, "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 11\r\n\r\n");
        assertThat(RawHttp.status(response)).isEqualTo(413);
        assertThat(response).containsIgnoringCase("Connection: close");
        String ok = RawHttp.exchange(port, "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\nConnection: close\r\n\r\n0123456789");
        assertThat(RawHttp.body(ok)).isEqualTo("read 10");
    }

    @Test
    void chunkedBodyOverTheLimitGets413() throws Exception {
        PlatformServer server = start(PlatformServerOptions.defaults().withName("small")
                .withUrlPrefixes(List.of("http://127.0.0.1:0/")).withMaxRequestBodySize(10L),
                ctx -> ctx.response().write("read " + ctx.request().readAllBytes().length));
        int port = port(server);
        String response = RawHttp.exchange(port, "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "8\r\n01234567\r\n8\r\n89abcdef\r\n0\r\n\r\n");
        assertThat(RawHttp.status(response)).isEqualTo(413);
    }

    @Test
    void perRequestBodyLimitCanBeRaisedBeforeReading() throws Exception {
        PlatformServer server = start(PlatformServerOptions.defaults().withName("raised")
                .withUrlPrefixes(List.of("http://127.0.0.1:0/")).withMaxRequestBodySize(4L), ctx -> {
                    var limit = ctx.features().get(dev.lanner.http.features.HttpMaxRequestBodySizeFeature.class);
                    limit.setMaxRequestBodySize(100L);
                    ctx.response().write("read " + ctx.request().readAllBytes().length + " readOnly=" + limit.isReadOnly());
                });
        int port = port(server);
        String response = RawHttp.exchange(port, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 20\r\nConnection: close\r\n\r\n"
                + "01234567890123456789");
        assertThat(RawHttp.body(response)).isEqualTo("read 20 readOnly=true");
    }

    @Test
    void requestLineOverTheLimitGets414() throws Exception {
        PlatformServer server = start("lines", "http://127.0.0.1:0/", answering("ok"));
        int port = port(server);
        String longTarget = "/" + "a".repeat(9000);
        assertThat(RawHttp.status(get(port, "127.0.0.1", longTarget))).isEqualTo(414);
        assertThat(RawHttp.body(get(port, "127.0.0.1", "/" + "a".repeat(8000)))).isEqualTo("ok");
    }

    @Test
    void headersOverTheLimitsGet431() throws Exception {
        PlatformServer server = start("heads", "http://127.0.0.1:0/", answering("ok"));
        int port = port(server);
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            many.append("X-Field-").append(i).append(": v\r\n");
        }
        assertThat(RawHttp.status(RawHttp.exchange(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + many + "\r\n")))
                .isEqualTo(431);
        String big = "X-Big: " + "b".repeat(33 * 1024) + "\r\n";
        assertThat(RawHttp.status(RawHttp.exchange(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + big + "\r\n")))
                .isEqualTo(431);
        assertThat(RawHttp.body(get(port, "127.0.0.1", "/"))).isEqualTo("ok");
    }

    @Test
    void malformedPrefixFailsStartWithOneLine() {
        PlatformServer server = new PlatformServer(PlatformServerOptions.defaults()
                .withUrlPrefixes(List.of("http://+:notaport/")), registry);
        assertThatThrownBy(() -> server.start(new KitApplication(answering("x"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid URL prefix 'http://+:notaport/': the port is not a number");
    }

    @Test
    void httpsPrefixWithoutCertificateOutsideDevelopmentFailsStart() {
        PlatformServer server = new PlatformServer(PlatformServerOptions.defaults().withName("prod")
                .withUrlPrefixes(List.of("https://127.0.0.1:0/")), registry);
        assertThatThrownBy(() -> server.start(new KitApplication(answering("x"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("HTTPS URL prefix of prod: no server certificate was specified and the development"
                        + " certificate is used only in the Development environment; set Server:Certificates:Default:Path");
    }

    @Test
    void httpAndHttpsCannotShareAPort() throws Exception {
        PlatformServer plain = start("plain", "http://+:0/", answering("plain"));
        int port = port(plain);
        PlatformServer tls = new PlatformServer(PlatformServerOptions.defaults().withName("tls")
                .withUrlPrefixes(List.of("https://+:" + port + "/secure/")).withDevelopment(true), registry);
        assertThatThrownBy(() -> tls.start(new KitApplication(answering("x"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot register https://+:" + port + "/secure/: port " + port + " already serves http for plain");
    }
}
