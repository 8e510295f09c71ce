package dev.lanner.server.internal.http1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.HostContextContainer;
import dev.lanner.http.features.HttpBodyControlFeature;
import dev.lanner.http.features.HttpConnectionFeature;
import dev.lanner.http.features.HttpMaxRequestBodySizeFeature;
import dev.lanner.http.features.HttpMinRequestBodyDataRateFeature;
import dev.lanner.http.features.HttpMinResponseDataRateFeature;
import dev.lanner.http.features.HttpRequestFeature;
import dev.lanner.http.features.HttpRequestIdentifierFeature;
import dev.lanner.http.features.HttpRequestLifetimeFeature;
import dev.lanner.http.features.HttpResponseBodyFeature;
import dev.lanner.http.features.HttpResponseFeature;
import dev.lanner.http.features.HttpResponseTrailersFeature;
import dev.lanner.http.features.HttpUpgradeFeature;
import dev.lanner.http.features.UpgradedConnection;
import dev.lanner.http.server.HttpApplication;
import dev.lanner.server.ConnectionContext;
import dev.lanner.server.LannerServerOptions;
import dev.lanner.server.ServerLimits;
import dev.lanner.server.internal.infrastructure.Heartbeat;
import dev.lanner.server.internal.infrastructure.ServerContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/1.x over the connection's virtual-thread path, in memory: request bytes in through a
 * {@link ScriptedTransport}, the exact response bytes out. The Date header is pinned to the epoch.
 */
class Http1ConnectionTest {

    static final String DATE = "Date: Thu, 01 Jan 1970 00:00:00 GMT\r\n";
    static final String SERVER = "Server: Lanner\r\n";
    /** Status line and the server's own fields of a response. */
    static final String OK = "HTTP/1.1 200 OK\r\n" + DATE + SERVER;

    private ScriptedTransport transport;

    /** Serves the scripted segments with default options until the client's end of stream; returns the bytes out. */
    private String serve(HttpApplication<?> application, String... segments) {
        return serve(UnaryOperator.identity(), application, segments);
    }

    private String serve(UnaryOperator<ServerLimits> limits, HttpApplication<?> application, String... segments) {
        LannerServerOptions options = LannerServerOptions.defaults().withLimits(limits.apply(ServerLimits.defaults()));
        ServerContext server = new ServerContext(options);
        server.date().refresh(0);
        transport = new ScriptedTransport(segments);
        new Http1Connection(server, new ConnectionContext("T", transport), application, new Heartbeat(server)).run();
        return transport.written();
    }

    private static TestApplication writing(String text) {
        return TestApplication.blocking(ctx -> ctx.response().write(text));
    }

    private static TestApplication echoingBody() {
        return TestApplication.blocking(ctx -> ctx.response().write("[" + ctx.request().readString() + "]"));
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n";
    }

    private static String ok(String body) {
        return OK + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    // --- persistence and pipelining ---

    @Test
    void answersAGetWithAnAutomaticContentLength() {
        assertThat(serve(writing("hello"), get("/"))).isEqualTo(ok("hello"));
    }

    @Test
    void servesTheNextRequestOnAKeptAliveConnection() {
        TestApplication app = TestApplication.blocking(ctx -> ctx.response().write(ctx.request().path()));
        assertThat(serve(app, get("/first"), get("/second"))).isEqualTo(ok("/first") + ok("/second"));
        assertThat(transport.outputShut()).isFalse();
    }

    @Test
    void answersPipelinedRequestsInOrderBeforeReadingMore() {
        TestApplication app = TestApplication.blocking(ctx -> ctx.response().write(ctx.request().path()));
        String out = serve(app, get("/a") + get("/b") + get("/c"), get("/d"));
        assertThat(out).isEqualTo(ok("/a") + ok("/b") + ok("/c") + ok("/d"));
        assertThat(transport.writtenBeforeSegment(1)).isEqualTo(ok("/a") + ok("/b") + ok("/c"));
    }

    @Test
    void parsesARequestHeadSplitAcrossManyReads() {
        assertThat(serve(writing("x"), "GE", "T /p HT", "TP/1.1\r", "\nHost:", " a\r\n", "\r", "\n"))
                .isEqualTo(ok("x"));
    }

    @Test
    void givesEachRequestItsOwnTraceIdentifier() {
        TestApplication app = TestApplication.blocking(ctx -> ctx.response().write(ctx.traceIdentifier()));
        assertThat(serve(app, get("/") + get("/"))).isEqualTo(ok("T:1") + ok("T:2"));
    }

    @Test
    void connectionCloseFromTheClientIsEchoedAndEndsTheConnection() {
        String out = serve(writing("bye"), "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n" + get("/never"));
        assertThat(out).isEqualTo(OK + "Content-Length: 3\r\nConnection: close\r\n\r\nbye");
        assertThat(transport.outputShut()).isTrue();
    }

    @Test
    void connectionCloseFromTheApplicationEndsTheConnection() {
        TestApplication app = TestApplication.blocking(ctx -> {
            ctx.response().setHeader("Connection", "close");
            ctx.response().write("x");
        });
        assertThat(serve(app, get("/") + get("/never")))
                .isEqualTo(OK + "Connection: close\r\nContent-Length: 1\r\n\r\nx");
        assertThat(transport.outputShut()).isTrue();
    }

    // --- HTTP/1.0 ---

    @Test
    void http10ClosesAfterTheResponseUnlessAskedToKeepAlive() {
        assertThat(serve(writing("ok"), "GET / HTTP/1.0\r\n\r\n" + get("/never")))
                .isEqualTo(OK + "Content-Length: 2\r\nConnection: close\r\n\r\nok");
        assertThat(transport.outputShut()).isTrue();
    }

    @Test
    void http10KeepAliveIsConfirmedAndTheConnectionServesOnMore() {
        String keepAlive = "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
        assertThat(serve(writing("ok"), keepAlive + keepAlive))
                .isEqualTo((OK + "Content-Length: 2\r\nConnection: keep-alive\r\n\r\nok").repeat(2));
    }

    @Test
    void http10StreamedBodyIsDelimitedByTheClose() {
        TestApplication app = TestApplication.blocking(ctx -> {
            ctx.response().start();
            ctx.response().write("raw");
        });
        assertThat(serve(app, "GET / HTTP/1.0\r\n\r\n")).isEqualTo(OK + "Connection: close\r\n\r\nraw");
        assertThat(transport.outputShut()).isTrue();
    }

    // --- HEAD, 204, 304 ---

    @Test
    void headCarriesTheLengthOfTheGetBodyButNoBody() {
        assertThat(serve(writing("hello"), "HEAD / HTTP/1.1\r\nHost: a\r\n\r\n" + get("/")))
                .isEqualTo(OK + "Content-Length: 5\r\n\r\n" + ok("hello"));
    }

    @Test
    void headWithNothingWrittenGetsNoContentLength() {
        assertThat(serve(TestApplication.blocking(ctx -> { }), "HEAD / HTTP/1.1\r\nHost: a\r\n\r\n"))
                .isEqualTo(OK + "\r\n");
    }

    @Test
    void noContentHasNeitherLengthNorBody() {
        TestApplication app = TestApplication.blocking(ctx -> ctx.response().setStatusCode(204));
        assertThat(serve(app, get("/") + get("/")))
                .isEqualTo(("HTTP/1.1 204 No Content\r\n" + DATE + SERVER + "\r\n").repeat(2));
    }

    @Test
    void notModifiedKeepsTheApplicationsContentLengthWithoutABody() {
        TestApplication app = TestApplication.blocking(ctx -> {
            ctx.response().setStatusCode(304);
            ctx.response().setHeader("Content-Length", "10");
        });
        assertThat(serve(app, get("/"))).isEqualTo("HTTP/1.1 304 Not Modified\r\n" + DATE + SERVER
                + "Content-Length: 10\r\n\r\n");
    }

    // --- chunked ---

    @Test
    void streamsAResponseOfUnknownLengthInChunks() {
        TestApplication app = TestApplication.blocking(ctx -> {
            ctx.response().start();
            ctx.response().write("hello");
            ctx.response().write(" world");
        });
        assertThat(serve(app, get("/"))).isEqualTo(OK + "Transfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
    }

    @Test
    void sendsTrailersAfterTheLastChunkAndDropsForbiddenOnes() {
        TestApplication app = TestApplication.blocking(ctx -> {
            HttpResponseTrailersFeature trailers = ctx.features().get(HttpResponseTrailersFeature.class);
            trailers.trailers().add("X-Sum", "6");
            trailers.trailers().add("Content-Type", "text/plain");
            ctx.response().write("abc");
        });
        assertThat(serve(app, get("/"))).isEqualTo(OK + "Transfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n0\r\nX-Sum: 6\r\n\r\n");
    }

    @Test
    void decodesAChunkedRequestBody() {
        String request = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n";
        assertThat(serve(echoingBody(), request, get("/"))).isEqualTo(ok("[hello world]") + ok("[]"));
    }

    @Test
    void decodesAChunkedRequestBodyArrivingByteByByte() {
        String body = "3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n";
        String[] segments = new String[body.length() + 1];
        segments[0] = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (int i = 0; i < body.length(); i++) {
            segments[i + 1] = body.substring(i, i + 1);
        }
        assertThat(serve(echoingBody(), segments)).isEqualTo(ok("[abc]"));
    }

    @Test
    void answersABadChunkSizeWith400AndCloses() {
        String request = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n";
        assertThat(serve(echoingBody(), request)).isEqualTo("HTTP/1.1 400 Bad Request\r\n" + DATE + SERVER
                + "Content-Length: 0\r\nConnection: close\r\n\r\n");
        assertThat(transport.outputShut()).isTrue();
    }

    // --- Content-Length bodies ---

    @Test
    void readsAContentLengthBodyArrivingInPieces() {
        String head = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n";
        assertThat(serve(echoingBody(), head + "hel", "lo wo", "rld" + get("/"))).isEqualTo(ok("[hello world]") + ok("[]"));
    }

    @Test
    void answersABodyCutShortWith400AndCloses() {
        assertThat(serve(echoingBody(), "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhalf"))
                .isEqualTo("HTTP/1.1 400 Bad Request\r\n" + DATE + SERVER + "Content-Length: 0\r\nConnection: close\r\n\r\n");
    }

    @Test
    void drainsASmallUnreadBodyAndServesTheNextRequest() {
        String post = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nabcde";
        assertThat(serve(writing("k"), post + get("/"))).isEqualTo(ok("k") + ok("k"));
    }

    @Test
    void closesAfterALargeUnreadBodyInsteadOfDrainingIt() {
        String post = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 300000\r\n\r\nabc";
        assertThat(serve(writing("k"), post)).isEqualTo(ok("k"));
        assertThat(transport.outputShut()).isTrue();
    }

    @Test
    void closesWhenTheResponseIsShorterThanItsContentLength() {
        TestApplication app = TestApplication.blocking(ctx -> {
            ctx.response().setContentLength(10);
            ctx.response().write("short");
        });
        assertThat(serve(app, get("/") + get("/never"))).isEqualTo(OK + "Content-Length: 10\r\n\r\nshort");
        assertThat(transport.outputShut()).isTrue();
    }

    // --- 100-continue ---

    @Test
    void sendsContinueOnlyWhenTheApplicationReadsTheBody() {
        String head = "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n";
        String out = serve(echoingBody(), head, "ping");
        assertThat(transport.writtenBeforeSegment(1)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        assertThat(out).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n" + ok("[ping]"));
    }

    @Test
    void answersWithoutContinueAndClosesWhenTheBodyIsNeverRead() {
        TestApplication app = TestApplication.blocking(ctx -> ctx.response().setStatusCode(401));
        String head = "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n";
        assertThat(serve(app, head, "ping")).isEqualTo("HTTP/1.1 401 Unauthorized\r\n" + DATE + SERVER
                + "Content-Length: 0\r\nConnection: close\r\n\r\n");
        assertThat(transport.outputShut()).isTrue();
    }

    @Test
    void ignoresContinueExpectationsOfHttp10() {
        String request = "POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi";
        assertThat(serve(echoingBody(), request))
                .isEqualTo(OK + "Content-Length: 4\r\nConnection: close\r\n\r\n[hi]");
    }

    // --- rejections ---

    private static String rejection(String statusLine) {
        return "HTTP/1.1 " + statusLine + "\r\nContent-Length: 0\r\nConnection: close\r\n" + DATE + SERVER + "\r\n";
    }

    @Test
    void rejectsAnHttp11RequestWithoutHostWith400() {
        assertThat(serve(writing("never"), "GET / HTTP/1.1\r\n\r\n")).isEqualTo(rejection("400 Bad Request"));
        assertThat(transport.outputShut()).isTrue();
    }

    @Test
    void rejectsContentLengthWithTransferEncodingWith400() {
        String smuggle = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n";
        assertThat(serve(writing("never"), smuggle)).isEqualTo(rejection("400 Bad Request"));
    }

    @Test
    void answersEarlierPipelinedRequestsBeforeRejectingABadOne() {
        assertThat(serve(writing("ok"), get("/") + "BAD\r\n\r\n")).isEqualTo(ok("ok") + rejection("400 Bad Request"));
    }

    @Test
    void rejectsARequestLineOverTheLimitWith414() {
        String longGet = "GET /" + "x".repeat(200) + " HTTP/1.1\r\nHost: a\r\n\r\n";
        assertThat(serve(l -> l.withMaxRequestLineSize(64), writing("never"), longGet))
                .isEqualTo(rejection("414 URI Too Long"));
    }

    @Test
    void rejectsTooManyHeadersWith431() {
        String request = "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n";
        assertThat(serve(l -> l.withMaxRequestHeaderCount(2), writing("never"), request))
                .isEqualTo(rejection("431 Request Header Fields Too Large"));
    }

    @Test
    void rejectsHeadersOverTheSizeLimitWith431() {
        String request = "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "v".repeat(300) + "\r\n\r\n";
        assertThat(serve(l -> l.withMaxRequestHeadersTotalSize(128), writing("never"), request))
                .isEqualTo(rejection("431 Request Header Fields Too Large"));
    }

    @Test
    void answersADeclaredBodyOverTheLimitWith413WhenRead() {
        String post = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789";
        assertThat(serve(l -> l.withMaxRequestBodySize(4L), echoingBody(), post + get("/never")))
                .isEqualTo("HTTP/1.1 413 Content Too Large\r\n" + DATE + SERVER + "Content-Length: 0\r\nConnection: close\r\n\r\n");
    }

    @Test
    void answersAChunkedBodyGrowingOverTheLimitWith413() {
        String post = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n";
        assertThat(serve(l -> l.withMaxRequestBodySize(4L), echoingBody(), post))
                .isEqualTo("HTTP/1.1 413 Content Too Large\r\n" + DATE + SERVER + "Content-Length: 0\r\nConnection: close\r\n\r\n");
    }

    // --- failures ---

    @Test
    void answersAFailureBeforeTheHeadWith500AndKeepsTheConnection() {
        TestApplication app = TestApplication.blocking(ctx -> {
            if (ctx.request().path().equals("/fail")) {
                ctx.response().setHeader("X-Lost", "1");
                ctx.response().write("lost");
                throw new IllegalStateException("boom");
            }
            ctx.response().write("fine");
        });
        assertThat(serve(app, get("/fail") + get("/")))
                .isEqualTo("HTTP/1.1 500 Internal Server Error\r\n" + DATE + SERVER + "Content-Length: 0\r\n\r\n" + ok("fine"));
    }

    @Test
    void cutsTheConnectionWhenTheApplicationFailsAfterTheHead() {
        TestApplication app = TestApplication.blocking(ctx -> {
            ctx.response().start();
            ctx.response().write("x");
            ctx.response().body().flush();
            throw new IllegalStateException("boom");
        });
        assertThat(serve(app, get("/") + get("/never"))).isEqualTo(OK + "Transfer-Encoding: chunked\r\n\r\n1\r\nx\r\n");
        assertThat(transport.isClosed()).isTrue();
    }

    // --- the drift rules and the features ---

    @Test
    void remoteAddressSetByTheApplicationLastsOneRequest() {
        TestApplication app = TestApplication.blocking(ctx -> {
            HttpConnectionFeature connection = ctx.features().get(HttpConnectionFeature.class);
            if (ctx.request().path().equals("/set")) {
                connection.setRemoteAddress(InetAddress.getByName("203.0.113.9"));
                connection.setRemotePort(4711);
            }
            ctx.response().write(connection.remoteAddress().getHostAddress() + ":" + connection.remotePort());
        });
        assertThat(serve(app, get("/set") + get("/get"))).isEqualTo(ok("203.0.113.9:4711") + ok("127.0.0.1:50000"));
    }

    @Test
    void writesStatusCodesUpTo999AndRefusesOthers() {
        TestApplication app = TestApplication.blocking(ctx -> {
            HttpResponseFeature response = ctx.features().get(HttpResponseFeature.class);
            StringBuilder refused = new StringBuilder();
            for (int status : new int[] {99, 1000}) {
                try {
                    response.setStatusCode(status);
                } catch (IllegalArgumentException e) {
                    refused.append(status).append(' ');
                }
            }
            response.setStatusCode(999);
            ctx.response().write(refused.toString().trim());
        });
        assertThat(serve(app, get("/"))).isEqualTo("HTTP/1.1 999 \r\n" + DATE + SERVER + "Content-Length: 7\r\n\r\n99 1000");
    }

    @Test
    void refusesASendFileRangePastTheEndBeforeWritingAnything(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("f.txt"), "0123456789");
        TestApplication app = TestApplication.blocking(ctx -> {
            HttpResponseBodyFeature body = ctx.features().get(HttpResponseBodyFeature.class);
            try {
                body.sendFile(file, 5, 6);
            } catch (IllegalArgumentException e) {
                body.sendFile(file, 2, 3);
            }
        });
        assertThat(serve(app, get("/"))).isEqualTo(ok("234"));
    }

    @Test
    void refusesEverySynchronousReadWhileDisallowed() {
        TestApplication app = TestApplication.blocking(ctx -> {
            ctx.features().get(HttpBodyControlFeature.class).setAllowSynchronousIO(false);
            int refused = 0;
            for (IoCall read : new IoCall[] {
                    () -> ctx.request().body().read(),
                    () -> ctx.request().body().read(new byte[4], 0, 4),
                    () -> ctx.request().body().readAllBytes(),
                    () -> ctx.request().body().transferTo(new ByteArrayOutputStream())}) {
                try {
                    read.run();
                } catch (IllegalStateException e) {
                    refused++;
                }
            }
            ctx.features().get(HttpBodyControlFeature.class).setAllowSynchronousIO(true);
            ctx.response().write(refused + ":" + ctx.request().readString());
        });
        assertThat(serve(app, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc")).isEqualTo(ok("4:abc"));
    }

    private interface IoCall {
        void run() throws IOException;
    }

    @Test
    void enumeratesEveryBuiltInFeatureIncludingTheHostContextContainer() {
        TestApplication app = TestApplication.blocking(ctx -> {
            FeatureCollection features = ctx.features();
            ctx.response().write(String.valueOf(features.asMap().keySet().containsAll(java.util.List.of(
                    HttpRequestFeature.class, HttpResponseFeature.class, HttpResponseBodyFeature.class,
                    HttpRequestLifetimeFeature.class, HttpConnectionFeature.class, HttpRequestIdentifierFeature.class,
                    HttpMaxRequestBodySizeFeature.class, HttpMinRequestBodyDataRateFeature.class,
                    HttpMinResponseDataRateFeature.class, HttpBodyControlFeature.class, HttpUpgradeFeature.class,
                    HttpResponseTrailersFeature.class, HostContextContainer.class))
                    && features.get(HostContextContainer.class) != null));
        });
        assertThat(serve(app, get("/"))).isEqualTo(ok("true"));
    }

    @Test
    void upgradesWith101AndHandsOverTheByteStream() {
        TestApplication app = TestApplication.blocking(ctx -> {
            UpgradedConnection upgraded = ctx.features().get(HttpUpgradeFeature.class).upgrade();
            byte[] ping = upgraded.input().readNBytes(4);
            upgraded.output().write(new String(ping, StandardCharsets.US_ASCII).toUpperCase().getBytes(StandardCharsets.US_ASCII));
        });
        String request = "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: echo\r\n\r\npi";
        assertThat(serve(app, request, "ng")).isEqualTo("HTTP/1.1 101 Switching Protocols\r\n" + DATE + SERVER
                + "Connection: Upgrade\r\nUpgrade: echo\r\n\r\nPING");
    }

    @Test
    void refusesToUpgradeARequestThatDidNotAsk() {
        TestApplication app = TestApplication.blocking(ctx -> {
            HttpUpgradeFeature upgrade = ctx.features().get(HttpUpgradeFeature.class);
            ctx.response().write(String.valueOf(upgrade.isUpgradableRequest()));
        });
        assertThat(serve(app, get("/"))).isEqualTo(ok("false"));
    }
}
