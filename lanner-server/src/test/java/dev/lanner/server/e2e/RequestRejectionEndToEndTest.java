package dev.lanner.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and ambiguous requests end to end, the request smuggling vectors first: each gets its
 * exact error response, the connection is closed after it (RFC 9112 §6.3, §11.2: nothing after a
 * message whose framing is in doubt can be trusted), a request smuggled behind it never reaches
 * the application, and the next connection is served normally.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RequestRejectionEndToEndTest {

    private static RunningServer server;
    private static final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws IOException {
        server = RunningServer.start(ctx -> {
            seen.add(ctx.request().method() + " " + ctx.request().path());
            ctx.response().write(ctx.request().readAllBytes());
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void clear() {
        seen.clear();
        server.application().failures().clear();
    }

    /** Rejected while the head is parsed: the application never runs. */
    static Stream<Arguments> headRejections() {
        String smuggled = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";
        return Stream.of(
            Arguments.of("Content-Length with Transfer-Encoding (CL.TE)",
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled, 400),
            Arguments.of("Transfer-Encoding with Content-Length (TE.CL)",
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n1\r\nX\r\n0\r\n\r\n" + smuggled, 400),
            Arguments.of("duplicate differing Content-Length",
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 40\r\n\r\nabc" + smuggled, 400),
            Arguments.of("Content-Length list with differing values",
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 40\r\n\r\nabc" + smuggled, 400),
            Arguments.of("signed Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +3\r\n\r\nabc", 400),
            Arguments.of("negative Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400),
            Arguments.of("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX-A: one\r\n two\r\n\r\n", 400),
            Arguments.of("obs-fold of Transfer-Encoding",
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding:\r\n chunked\r\n\r\nabc", 400),
            Arguments.of("whitespace before colon", "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n", 400),
            Arguments.of("bare CR in a header", "GET / HTTP/1.1\r\nHost: a\rX-Smuggled: b\r\n\r\n", 400),
            Arguments.of("bare CR in the request line", "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            Arguments.of("bare LF line ends", "GET / HTTP/1.1\nHost: a\n\n", 400),
            Arguments.of("NUL in a header value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: a\0b\r\n\r\n", 400),
            Arguments.of("chunked not the final coding",
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", 400),
            Arguments.of("chunked twice", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 400),
            Arguments.of("only an unknown transfer coding (RFC 9112 §6.3 rule 4)",
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 400),
            Arguments.of("unknown transfer coding before chunked (RFC 9112 §6.1)",
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
            Arguments.of("Transfer-Encoding in HTTP/1.0",
                "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
            Arguments.of("missing Host in HTTP/1.1", "GET / HTTP/1.1\r\n\r\n", 400),
            Arguments.of("two Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
            Arguments.of("invalid Host", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400),
            Arguments.of("malformed request line", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            Arguments.of("not HTTP at all", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003", 400),
            Arguments.of("HTTP/2.0 request line", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("headRejections")
    void headIsRejectedWithExactResponseAndTheConnectionCloses(String name, String request, int status)
            throws IOException, InterruptedException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send(request).readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Length: 0\r\n"
                    + "Connection: close\r\nDate: " + r.date() + "\r\nServer: Lanner\r\n\r\n");
            assertThat(c.readToEnd()).isEmpty();
        }
        assertThat(seen.poll(100, TimeUnit.MILLISECONDS)).isNull();
        assertNextConnectionIsServed();
    }

    /** Rejected while the application reads the body: the read throws, the response is the error, then close. */
    static Stream<Arguments> bodyRejections() {
        String smuggled = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";
        return Stream.of(
            Arguments.of("chunk size not hex", "zz\r\nabc\r\n0\r\n\r\n" + smuggled),
            Arguments.of("chunk size with a sign", "+3\r\nabc\r\n0\r\n\r\n" + smuggled),
            Arguments.of("chunk size with leading space", " 3\r\nabc\r\n0\r\n\r\n" + smuggled),
            Arguments.of("chunk size overflowing 64 bits", "1ffffffffffffffff\r\nabc\r\n0\r\n\r\n" + smuggled),
            Arguments.of("chunk data longer than its size", "3\r\nabcdef\r\n0\r\n\r\n" + smuggled),
            Arguments.of("chunk size ended by a bare LF", "3\nabc\r\n0\r\n\r\n" + smuggled),
            Arguments.of("last chunk without its final CRLF then garbage", "0\r\nX\r\n\r\n" + smuggled),
            Arguments.of("obs-fold in a trailer", "0\r\nX-T: a\r\n b\r\n\r\n" + smuggled));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodyRejections")
    void badChunkedBodyGets400AndTheConnectionCloses(String name, String body) throws IOException, InterruptedException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + body)
                    .readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 400 Bad Request\r\nDate: " + r.date()
                    + "\r\nServer: Lanner\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            assertThat(c.readToEnd()).isEmpty();
        }
        assertThat(seen.poll(1, TimeUnit.SECONDS)).isEqualTo("POST /upload");
        assertThat(seen.poll(100, TimeUnit.MILLISECONDS)).isNull();
        assertNextConnectionIsServed();
    }

    @Test
    void bodyCutShortByTheClientFailsTheApplicationsRead() throws IOException, InterruptedException {
        try (RawConnection c = server.connect()) {
            c.send("POST /short HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
            c.shutdownOutput();
            RawResponse r = c.readResponse();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 400 Bad Request");
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.readToEnd()).isEmpty();
        }
        assertThat(server.application().failures().poll(2, TimeUnit.SECONDS))
                .hasMessage("Unexpected end of request content");
        assertNextConnectionIsServed();
    }

    @Test
    void requestSmuggledInsideAnAcceptedBodyIsNeverServedAsARequest() throws IOException, InterruptedException {
        // The Content-Length covers the would-be request: it is body bytes, echoed back, not a second request.
        String inner = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("POST /outer HTTP/1.1\r\nHost: a\r\nContent-Length: " + inner.length() + "\r\n\r\n"
                    + inner).readResponse();
            assertThat(r.bodyText()).isEqualTo(inner);
            assertThat(c.isClosedByServer(java.time.Duration.ofMillis(300))).isFalse();
        }
        assertThat(seen).containsExactly("POST /outer");
    }

    @Test
    void chunkedBodyCutShortByTheClientGets400AndTheConnectionCloses() throws IOException, InterruptedException {
        // RFC 9112 §8: a chunked body that ends before its last chunk is incomplete; the read fails, then close.
        try (RawConnection c = server.connect()) {
            c.send("POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel");
            c.shutdownOutput();
            RawResponse r = c.readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 400 Bad Request\r\nDate: " + r.date()
                    + "\r\nServer: Lanner\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            assertThat(c.readToEnd()).isEmpty();
        }
        assertThat(server.application().failures().poll(2, TimeUnit.SECONDS))
                .hasMessage("Unexpected end of request content");
        assertNextConnectionIsServed();
    }

    @Test
    void successfulConnectHasNoFramingFieldsAndTheConnectionCloses() throws IOException, InterruptedException {
        // RFC 9110 §9.3.6, §8.6; RFC 9112 §6.1: no Content-Length or Transfer-Encoding in a 2xx to CONNECT.
        // The server tunnels nothing, so the connection closes after the response.
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n").readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date()
                    + "\r\nServer: Lanner\r\nConnection: close\r\n\r\n");
            assertThat(c.readToEnd()).isEmpty();
        }
        assertThat(seen.poll(1, TimeUnit.SECONDS)).startsWith("CONNECT");
        assertNextConnectionIsServed();
    }

    private static void assertNextConnectionIsServed() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("POST /next HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok").readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date()
                    + "\r\nServer: Lanner\r\nContent-Length: 2\r\n\r\nok");
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 501 -> "Not Implemented";
            case 505 -> "HTTP Version Not Supported";
            default -> throw new IllegalArgumentException(Integer.toString(status));
        };
    }
}
