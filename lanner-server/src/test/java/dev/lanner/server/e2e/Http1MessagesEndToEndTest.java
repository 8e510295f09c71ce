package dev.lanner.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.HttpContext;
import dev.lanner.http.features.HttpResponseFeature;
import dev.lanner.http.features.HttpResponseTrailersFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP/1.1 message exchange over real sockets, asserted byte for byte: framing of responses
 * (Content-Length, chunked, close-delimited), persistence (keep-alive, pipelining, close,
 * HTTP/1.0), HEAD, chunked request bodies, trailers, {@code Expect: 100-continue}, Date and Server.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class Http1MessagesEndToEndTest {

    private static RunningServer server;

    @BeforeAll
    static void start() throws IOException {
        server = RunningServer.start(PipelineApplication.build(app -> app
                .map("/hello", b -> b.run(ctx -> {
                    ctx.response().setContentType("text/plain");
                    ctx.response().write("Hello, World!");
                }))
                .map("/echo", b -> b.run(ctx -> ctx.response().write(ctx.request().readAllBytes())))
                .map("/flush", b -> b.run(ctx -> {
                    OutputStream body = ctx.response().body();
                    body.write("first".getBytes());
                    body.flush();
                    body.write("second".getBytes());
                }))
                .map("/large", b -> b.run(ctx -> {
                    byte[] x = new byte[Integer.parseInt(ctx.request().query("n"))];
                    Arrays.fill(x, (byte) 'x');
                    ctx.response().write(x);
                }))
                .map("/trailers", b -> b.run(ctx -> {
                    ctx.features().get(HttpResponseTrailersFeature.class).trailers().add("X-Checksum", "abc");
                    ctx.response().write("body");
                }))
                .map("/read-three", b -> b.run(ctx -> ctx.response().write(ctx.request().body().readNBytes(3))))
                .map("/target", b -> b.run(ctx -> ctx.response().write("host=" + ctx.request().host() + " path="
                        + ctx.request().path() + " raw=" + ctx.request().rawTarget() + " query="
                        + ctx.request().queryString())))
                .map("/no-content", b -> b.run(ctx -> ctx.response().setStatusCode(204)))
                .map("/no-content-cl", b -> b.run(ctx -> {
                    ctx.response().setStatusCode(204);
                    ctx.response().setHeader("Content-Length", "0");
                    ctx.response().setHeader("Transfer-Encoding", "chunked");
                }))
                .map("/not-modified", b -> b.run(ctx -> {
                    ctx.response().setStatusCode(304);
                    String length = ctx.request().query("length");
                    if (length != null) {
                        // The length of the 200 it stands for, and a Transfer-Encoding a 304 must not carry.
                        ctx.response().setHeader("Content-Length", length);
                        ctx.response().setHeader("Transfer-Encoding", "chunked");
                    }
                }))
                .map("/head-aware", b -> b.run(ctx -> {
                    if (!ctx.request().method().equals("HEAD")) {
                        ctx.response().write("Hello, World!");
                    }
                }))
                .map("/trailer-header", b -> b.run(ctx -> {
                    ctx.request().readAllBytes();
                    ctx.response().write(String.valueOf(ctx.request().header("X-T")));
                }))
                .map("/reason", b -> b.run(ctx -> ctx.features().get(HttpResponseFeature.class)
                        .setReasonPhrase("OK\r\nX-Injected: 1")))
                .map("/bad-trailer", b -> b.run(ctx -> {
                    HttpResponseTrailersFeature trailers = ctx.features().get(HttpResponseTrailersFeature.class);
                    trailers.trailers().add("Content-Length", "1");
                    trailers.trailers().add("X-Checksum", "abc");
                    ctx.response().write("body");
                }))
                .map("/info", b -> b.run(Http1MessagesEndToEndTest::info))));
    }


    private static void info(HttpContext ctx) throws IOException {
        ctx.response().write(ctx.request().method() + " " + ctx.request().protocol() + " " + ctx.request().pathBase()
                + ctx.request().path()
                + ctx.request().queryString() + " conn=" + ctx.connection().id() + " trace=" + ctx.traceIdentifier());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String hello(RawResponse r) {
        return "HTTP/1.1 200 OK\r\nDate: " + r.date() + "\r\nServer: Lanner\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 13\r\n\r\nHello, World!";
    }

    @Test
    void answersWithExactStatusLineHeadersAndBody() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n").readResponse();
            assertThat(r.raw()).isEqualTo(hello(r));
        }
    }

    @Test
    void dateHeaderIsTheCurrentTimeAsImfFixdate() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            // RFC 9110 §5.6.7: IMF-fixdate, always GMT, two-digit day.
            assertThat(r.date()).matches("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d\\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug"
                    + "|Sep|Oct|Nov|Dec) \\d{4} \\d\\d:\\d\\d:\\d\\d GMT");
            ZonedDateTime date = ZonedDateTime.parse(r.date(), DateTimeFormatter.RFC_1123_DATE_TIME);
            assertThat(Math.abs(ChronoUnit.SECONDS.between(date, ZonedDateTime.now()))).isLessThanOrEqualTo(3);
        }
    }

    @Test
    void unmappedPathGets404WithEmptyBodyAndKeepsTheConnection() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 404 Not Found\r\nDate: " + r.date()
                    + "\r\nServer: Lanner\r\nContent-Length: 0\r\n\r\n");
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().raw()).startsWith("HTTP/1.1 200 OK");
        }
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnectionWithOneConnectionId() throws IOException {
        try (RawConnection c = server.connect()) {
            String first = c.send("GET /info HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().bodyText();
            String second = c.send("GET /info?x=1 HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().bodyText();
            String connectionId = first.substring(first.indexOf("conn=") + 5, first.indexOf(" trace="));
            assertThat(connectionId).isNotBlank();
            assertThat(first).isEqualTo("GET HTTP/1.1 /info conn=" + connectionId + " trace=" + connectionId + ":1");
            assertThat(second).isEqualTo("GET HTTP/1.1 /info?x=1 conn=" + connectionId + " trace=" + connectionId + ":2");
            try (RawConnection other = server.connect()) {
                String third = other.send("GET /info HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().bodyText();
                assertThat(third).doesNotContain("conn=" + connectionId + " ");
            }
        }
    }

    @Test
    void pipelinedRequestsInOneWriteAreAnsweredInOrderExactly() throws IOException {
        try (RawConnection c = server.connect()) {
            c.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
                    + "GET /info?n=3 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n"
                    + "HEAD /hello HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /hello HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            RawResponse r1 = c.readResponse();
            RawResponse r2 = c.readResponse();
            RawResponse r3 = c.readResponse();
            RawResponse r4 = c.readResponse();
            RawResponse r5 = c.readResponse(true);
            RawResponse r6 = c.readResponse();
            assertThat(r1.raw()).isEqualTo(hello(r1));
            assertThat(r2.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r2.date()
                    + "\r\nServer: Lanner\r\nContent-Length: 3\r\n\r\nabc");
            assertThat(r3.bodyText()).startsWith("GET HTTP/1.1 /info?n=3 conn=");
            assertThat(r4.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r4.date()
                    + "\r\nServer: Lanner\r\nContent-Length: 2\r\n\r\nde");
            assertThat(r5.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r5.date()
                    + "\r\nServer: Lanner\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\n");
            assertThat(r6.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r6.date()
                    + "\r\nServer: Lanner\r\nContent-Type: text/plain\r\nContent-Length: 13\r\nConnection: close\r\n\r\n"
                    + "Hello, World!");
            assertThat(c.readToEnd()).isEmpty();
        }
    }

    @Test
    void connectionCloseGetsConnectionCloseThenTheServerCloses() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET /hello HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").readResponse();
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(r.bodyText()).isEqualTo("Hello, World!");
            assertThat(c.readToEnd()).isEmpty();
        }
        assertNextConnectionIsServed();
    }

    @Test
    void http10WithoutKeepAliveIsAnsweredAndClosed() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET /hello HTTP/1.0\r\n\r\n").readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date() + "\r\nServer: Lanner\r\n"
                    + "Content-Type: text/plain\r\nContent-Length: 13\r\nConnection: close\r\n\r\nHello, World!");
            assertThat(c.readToEnd()).isEmpty();
        }
        assertNextConnectionIsServed();
    }

    @Test
    void http10WithKeepAliveKeepsTheConnection() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date() + "\r\nServer: Lanner\r\n"
                    + "Content-Type: text/plain\r\nContent-Length: 13\r\nConnection: keep-alive\r\n\r\nHello, World!");
            RawResponse second = c.send("GET /info HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").readResponse();
            assertThat(second.bodyText()).startsWith("GET HTTP/1.0 /info conn=");
            assertThat(second.header("Connection")).isEqualTo("keep-alive");
        }
    }

    @Test
    void http10StreamedResponseWithoutLengthIsDelimitedByClose() throws IOException {
        try (RawConnection c = server.connect()) {
            c.send("GET /large?n=20000 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            String head = c.readHead();
            assertThat(head).doesNotContain("Transfer-Encoding").doesNotContain("Content-Length")
                    .contains("\r\nConnection: close");
            assertThat(c.readToEnd()).hasSize(20000).containsOnly('x');
        }
    }

    @Test
    void headGetsTheHeadersOfGetWithoutABody() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("HEAD /hello HTTP/1.1\r\nHost: a\r\n\r\n").readResponse(true);
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date() + "\r\nServer: Lanner\r\n"
                    + "Content-Type: text/plain\r\nContent-Length: 13\r\n\r\n");
            // No body bytes went out: the next response starts right where the head ended.
            RawResponse next = c.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(next.raw()).isEqualTo(hello(next));
        }
    }

    @Test
    void noContentHasNeitherLengthNorBody() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET /no-content HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 204 No Content\r\nDate: " + r.date() + "\r\nServer: Lanner\r\n\r\n");
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void bufferedBodyUpTo8KiBGetsAnAutomaticContentLength() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET /large?n=8192 HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(r.header("Content-Length")).isEqualTo("8192");
            assertThat(r.header("Transfer-Encoding")).isNull();
            assertThat(r.body()).hasSize(8192);
        }
    }

    @Test
    void bodyOver8KiBWithoutLengthIsChunked() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET /large?n=20000 HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(r.head()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date()
                    + "\r\nServer: Lanner\r\nTransfer-Encoding: chunked");
            assertThat(r.raw()).isEqualTo(r.head() + "\r\n\r\n4e20\r\n" + "x".repeat(20000) + "\r\n0\r\n\r\n");
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void flushBeforeTheEndMakesTheBodyChunked() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET /flush HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date()
                    + "\r\nServer: Lanner\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n6\r\nsecond\r\n0\r\n\r\n");
        }
    }

    @Test
    void responseTrailersFollowTheLastChunk() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET /trailers HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date()
                    + "\r\nServer: Lanner\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nbody\r\n0\r\nX-Checksum: abc\r\n\r\n");
            assertThat(r.trailer("X-Checksum")).isEqualTo("abc");
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void chunkedRequestBodyWithExtensionsAndTrailersIsDecoded() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3;name=value\r\nabc\r\n4;quoted=\"a b\"\r\ndefg\r\nA\r\n0123456789\r\n"
                    + "0\r\nX-Trailer: t\r\nX-Other: u\r\n\r\n").readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date()
                    + "\r\nServer: Lanner\r\nContent-Length: 17\r\n\r\nabcdefg0123456789");
            // The trailer section was consumed: the next request parses cleanly.
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void chunkedRequestBodySentInPiecesIsDecoded() throws IOException {
        try (RawConnection c = server.connect()) {
            // Separate writes; that the decoder copes with every split is proven byte by byte in memory
            // (Http1ConnectionTest.decodesAChunkedRequestBodyArrivingByteByByte).
            c.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel");
            c.send("lo\r\n");
            c.send("6\r\n world\r\n0\r\n\r\n");
            assertThat(c.readResponse().bodyText()).isEqualTo("hello world");
        }
    }

    @Test
    void expectContinueGets100OnlyOnceTheApplicationReadsTheBody() throws IOException {
        try (RawConnection c = server.connect()) {
            c.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(c.readHead()).isEqualTo("HTTP/1.1 100 Continue");
            c.send("hello");
            RawResponse r = c.readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date()
                    + "\r\nServer: Lanner\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void expectContinueGetsNo100WhenTheApplicationAnswersWithoutReading() throws IOException {
        try (RawConnection c = server.connect()) {
            c.send("POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            RawResponse r = c.readResponse();
            // RFC 9110 §10.1.1: a final status without reading the content; the body's fate is unknown, so close.
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date() + "\r\nServer: Lanner\r\n"
                    + "Content-Type: text/plain\r\nContent-Length: 13\r\nConnection: close\r\n\r\nHello, World!");
            assertThat(c.readToEnd()).isEmpty();
        }
        assertNextConnectionIsServed();
    }

    @Test
    void unreadSmallBodyIsDrainedAndTheConnectionKept() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789").readResponse();
            assertThat(r.raw()).isEqualTo(hello(r));
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().raw()).startsWith("HTTP/1.1 200 OK");
        }
    }

    @Test
    void expectContinueIsIgnoredForHttp10() throws IOException {
        // RFC 9110 §10.1.1: a server MUST ignore a 100-continue expectation in an HTTP/1.0 request.
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("POST /echo HTTP/1.0\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello")
                    .readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date()
                    + "\r\nServer: Lanner\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
        }
    }

    @Test
    void partlyReadChunkedBodyIsDrainedAndTheConnectionKept() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("POST /read-three HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n").readResponse();
            assertThat(r.bodyText()).isEqualTo("hel");
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().raw()).startsWith("HTTP/1.1 200 OK");
        }
    }

    @Test
    void absoluteFormTargetReplacesHostAndPercentEncodedPathIsDecoded() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET http://example.com:8080/target/a%20b?q=%20 HTTP/1.1\r\nHost: other\r\n\r\n")
                    .readResponse();
            assertThat(r.bodyText()).isEqualTo("host=example.com:8080 path=/a b raw=http://example.com:8080/target/a%20b?q=%20"
                    + " query=?q=%20");
            r = c.send("GET /target/a%2Fb%20c HTTP/1.1\r\nHost: h\r\n\r\n").readResponse();
            assertThat(r.bodyText()).isEqualTo("host=h path=/a%2Fb c raw=/target/a%2Fb%20c query=");
        }
    }

    @Test
    void getWithAContentLengthBodyHasItsBodySkippedNotParsedAsARequest() throws IOException {
        // RFC 9112 §6, §6.3: the framing comes from Content-Length whatever the method; a GET's body is not a request.
        try (RawConnection c = server.connect()) {
            c.send("GET /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
            RawResponse first = c.readResponse();
            RawResponse second = c.readResponse();
            assertThat(first.raw()).isEqualTo(hello(first));
            assertThat(second.raw()).isEqualTo(hello(second));
            // Exactly two requests so far: the next one is the connection's third.
            String third = c.send("GET /info HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().bodyText();
            assertThat(third).startsWith("GET HTTP/1.1 /info conn=").endsWith(":3");
        }
    }

    @Test
    void noContentDropsTheApplicationsContentLengthAndTransferEncoding() throws IOException {
        // RFC 9110 §8.6, §6.4.1; RFC 9112 §6.1: no Content-Length and no Transfer-Encoding in a 204.
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET /no-content-cl HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 204 No Content\r\nDate: " + r.date() + "\r\nServer: Lanner\r\n\r\n");
            RawResponse next = c.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(next.raw()).isEqualTo(hello(next));
        }
    }

    @Test
    void notModifiedHasNoBodyNoAutomaticLengthAndNoTransferEncoding() throws IOException {
        // RFC 9110 §6.4.1, §8.6, §15.4.5; RFC 9112 §6.3 rule 1: a 304 ends at the empty line. The application's
        // Content-Length (the 200's) stays, its Transfer-Encoding goes, and no Content-Length: 0 is added.
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET /not-modified HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 304 Not Modified\r\nDate: " + r.date() + "\r\nServer: Lanner\r\n\r\n");
            RawResponse framed = c.send("GET /not-modified?length=13 HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(framed.raw()).isEqualTo("HTTP/1.1 304 Not Modified\r\nDate: " + framed.date()
                    + "\r\nServer: Lanner\r\nContent-Length: 13\r\n\r\n");
            RawResponse next = c.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(next.raw()).isEqualTo(hello(next));
        }
    }

    @Test
    void headOfAStreamedResponseHasNoBodyAndKeepsTheConnection() throws IOException {
        // RFC 9110 §9.3.2, RFC 9112 §6.3 rule 1: no content in a HEAD response, also when the GET would be chunked.
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("HEAD /large?n=20000 HTTP/1.1\r\nHost: a\r\n\r\n").readResponse(true);
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date() + "\r\nServer: Lanner\r\n\r\n");
            // No body bytes went out: the next response starts right where the head ended.
            RawResponse next = c.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(next.raw()).isEqualTo(hello(next));
        }
    }

    @Test
    void headTheApplicationWritesNothingForGetsNoAutomaticContentLength() throws IOException {
        // RFC 9110 §9.3.2, §8.6: a Content-Length in a HEAD response must be the GET's (13 here), so none, not 0.
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("HEAD /head-aware HTTP/1.1\r\nHost: a\r\n\r\n").readResponse(true);
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date() + "\r\nServer: Lanner\r\n\r\n");
            RawResponse get = c.send("GET /head-aware HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(get.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + get.date()
                    + "\r\nServer: Lanner\r\nContent-Length: 13\r\n\r\nHello, World!");
        }
    }

    @Test
    void unreadBodyOver256KiBIsNotDrainedAndTheConnectionClosesAfterTheResponse() throws Exception {
        // RFC 9112 §9.3: a server reads the whole body or closes after responding; §9.6: response first, then close.
        try (RawConnection c = server.connect()) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    c.send("POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 300000\r\n\r\n" + "b".repeat(300_000));
                } catch (IOException e) {
                    // the server closed without reading the body: expected
                }
            });
            RawResponse r = c.readResponse();
            assertThat(r.raw()).isEqualTo(hello(r));
            assertThat(c.readToEnd()).isEmpty();
            writer.join(5000);
        }
        assertNextConnectionIsServed();
    }

    @Test
    void requestPipelinedBehindConnectionCloseIsNotProcessed() throws IOException {
        // RFC 9112 §9.6: after a request with "close" the server MUST NOT process further requests on the connection.
        try (RawConnection c = server.connect()) {
            c.send("GET /hello HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /info HTTP/1.1\r\nHost: a\r\n\r\n");
            RawResponse r = c.readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date() + "\r\nServer: Lanner\r\n"
                    + "Content-Type: text/plain\r\nContent-Length: 13\r\nConnection: close\r\n\r\nHello, World!");
            assertThat(c.readToEnd()).isEmpty();
        }
    }

    @Test
    void requestTrailersAreNotMergedIntoTheHeaders() throws IOException {
        // RFC 9112 §7.1.2: a recipient MUST NOT merge a trailer field into the header section unless allowed.
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("POST /trailer-header HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "1\r\na\r\n0\r\nX-T: 1\r\n\r\n").readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date()
                    + "\r\nServer: Lanner\r\nContent-Length: 4\r\n\r\nnull");
        }
    }

    @Test
    void customReasonPhraseCannotInjectAFieldLine() throws IOException {
        // RFC 9112 §2.2, §4: no bare CR or LF in the status line; each CTL of the reason phrase becomes SP.
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET /reason HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK  X-Injected: 1\r\nDate: " + r.date()
                    + "\r\nServer: Lanner\r\nContent-Length: 0\r\n\r\n");
            assertThat(r.header("X-Injected")).isNull();
        }
    }

    @Test
    void trailerFieldsNotAllowedInTrailersAreDropped() throws IOException {
        // RFC 9110 §6.5.1, RFC 9112 §7.1.2: a sender MUST NOT generate a framing field (Content-Length) as a trailer.
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET /bad-trailer HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date()
                    + "\r\nServer: Lanner\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nbody\r\n0\r\nX-Checksum: abc\r\n\r\n");
            RawResponse next = c.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(next.raw()).isEqualTo(hello(next));
        }
    }

    private static void assertNextConnectionIsServed() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(r.raw()).isEqualTo(hello(r));
        }
    }
}
