package dev.lanner.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.server.ServerLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Input that does not arrive as one neat read: heads fragmented byte by byte, long pipelined
 * batches, bodies much larger than the connection's buffers, bodies read a byte at a time, and
 * the application's own framing headers.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LargeAndFragmentedEndToEndTest {

    private static RunningServer server;

    @BeforeAll
    static void start() throws IOException {
        server = RunningServer.start(ServerLimits.defaults().withMaxRequestBodySize(null), PipelineApplication.build(app -> app
                .map("/echo", b -> b.run(ctx -> ctx.response().write(ctx.request().readAllBytes())))
                .map("/bytewise", b -> b.run(ctx -> {
                    InputStream body = ctx.request().body();
                    ByteArrayOutputStream copy = new ByteArrayOutputStream();
                    int c;
                    while ((c = body.read()) >= 0) {
                        copy.write(c);
                    }
                    ctx.response().write(copy.toByteArray());
                }))
                .map("/small-reads", b -> b.run(ctx -> {
                    InputStream body = ctx.request().body();
                    ByteArrayOutputStream copy = new ByteArrayOutputStream();
                    byte[] buf = new byte[3];
                    int n;
                    while ((n = body.read(buf, 0, buf.length)) >= 0) {
                        copy.write(buf, 0, n);
                    }
                    ctx.response().write(copy.toByteArray());
                }))
                .map("/app-chunked", b -> b.run(ctx -> {
                    ctx.response().setHeader("Transfer-Encoding", "chunked");
                    ctx.response().write("hello");
                }))
                .map("/app-gzip", b -> b.run(ctx -> {
                    ctx.response().setHeader("Transfer-Encoding", "gzip");
                    ctx.response().write("hello");
                }))
                .map("/both", b -> b.run(ctx -> {
                    ctx.response().setHeader("Content-Length", "5");
                    ctx.response().setHeader("Transfer-Encoding", "chunked");
                    ctx.response().write("hello");
                }))
                .map("/short", b -> b.run(ctx -> {
                    ctx.response().setHeader("Content-Length", "10");
                    ctx.response().write("abc");
                }))
                .map("/long", b -> b.run(ctx -> {
                    ctx.response().setHeader("Content-Length", "2");
                    ctx.response().write("abc");
                }))
                .map("/own-headers", b -> b.run(ctx -> {
                    ctx.response().setHeader("Date", "Tue, 01 Jan 2030 00:00:00 GMT");
                    ctx.response().setHeader("Server", "Custom");
                    ctx.response().setHeader("Connection", "close");
                    ctx.response().write("own");
                }))
                .run(ctx -> ctx.response().write(ctx.request().path()))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void requestSentOneByteAtATimeIsParsed() throws IOException {
        String request = "POST /echo HTTP/1.1\r\nHost: a\r\nX-Long: " + "v".repeat(200) + "\r\nContent-Length: 5\r\n\r\nhello";
        try (RawConnection c = server.connect()) {
            for (byte b : request.getBytes(StandardCharsets.ISO_8859_1)) {
                c.send(new byte[] {b});
            }
            assertThat(c.readResponse().bodyText()).isEqualTo("hello");
            assertThat(c.send("GET /after HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().bodyText()).isEqualTo("/after");
        }
    }

    @Test
    void thousandPipelinedRequestsInOneWriteAreAnsweredInOrder() throws IOException {
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            batch.append("GET /r").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
        }
        try (RawConnection c = server.connect()) {
            c.send(batch.toString());
            for (int i = 0; i < 1000; i++) {
                RawResponse r = c.readResponse();
                assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date() + "\r\nServer: Lanner\r\n"
                        + "Content-Length: " + ("/r" + i).length() + "\r\n\r\n/r" + i);
            }
        }
    }

    @Test
    void largeHeadThenSmallRequestsOnTheSameConnection() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse big = c.send("GET /big HTTP/1.1\r\nHost: a\r\nX-A: " + "a".repeat(20_000) + "\r\nX-B: "
                    + "b".repeat(10_000) + "\r\n\r\n").readResponse();
            assertThat(big.bodyText()).isEqualTo("/big");
            for (int i = 0; i < 3; i++) {
                assertThat(c.send("GET /small HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().bodyText()).isEqualTo("/small");
            }
        }
    }

    @Test
    void megabyteBodiesWithLengthAndChunkedAreEchoedExactly() throws IOException {
        byte[] body = new byte[1 << 20];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31 + (i >> 8));
        }
        try (RawConnection c = server.connect()) {
            c.send(("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            c.send(body);
            RawResponse r = c.readResponse();
            assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(Arrays.equals(r.body(), body)).isTrue();

            ByteArrayOutputStream chunked = new ByteArrayOutputStream();
            chunked.writeBytes("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            for (int off = 0; off < body.length; off += 10_007) {
                int n = Math.min(10_007, body.length - off);
                chunked.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                chunked.write(body, off, n);
                chunked.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            chunked.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            c.send(chunked.toByteArray());
            assertThat(Arrays.equals(c.readResponse().body(), body)).isTrue();
        }
    }

    @Test
    void chunkedBodyReadOneByteAtATime() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("POST /bytewise HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;ext=value\r\nhello\r\n10\r\n0123456789abcdef\r\n0\r\nX-T: 1\r\n\r\n").readResponse();
            assertThat(r.bodyText()).isEqualTo("hello0123456789abcdef");
            assertThat(c.send("GET /after HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().bodyText()).isEqualTo("/after");
        }
    }

    @Test
    void chunkedBodyReadThreeBytesAtATimeWithLongChunkLines() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("POST /small-reads HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "000000000005;a-long-extension-name=\"a long quoted value\"\r\nhello\r\n0\r\n\r\n").readResponse();
            assertThat(r.bodyText()).isEqualTo("hello");
        }
    }

    @Test
    void contentLengthBodyReadOneByteAtATime() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("POST /bytewise HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world").readResponse();
            assertThat(r.bodyText()).isEqualTo("hello world");
        }
    }

    @Test
    void applicationSetChunkedIsFramedByTheServer() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET /app-chunked HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date() + "\r\nServer: Lanner\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        }
    }

    @Test
    void applicationSetChunkedIsNotSentToAnHttp10Client() throws IOException {
        // RFC 9112 §6.1: a server MUST NOT send Transfer-Encoding unless the request indicates HTTP/1.1.
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET /app-chunked HTTP/1.0\r\n\r\n").readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date() + "\r\nServer: Lanner\r\n"
                    + "Connection: close\r\n\r\nhello");
        }
    }

    @Test
    void applicationsOwnDateServerAndConnectionHeadersWin() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET /own-headers HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: Tue, 01 Jan 2030 00:00:00 GMT\r\nServer: Custom\r\n"
                    + "Connection: close\r\nContent-Length: 3\r\n\r\nown");
            assertThat(c.readToEnd()).isEmpty();
        }
    }

    @Test
    void applicationTransferCodingOtherThanChunkedIsDelimitedByTheClose() throws IOException {
        // RFC 9112 §6.1: a response whose final transfer coding is not chunked ends with the connection's close.
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET /app-gzip HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date() + "\r\nServer: Lanner\r\n"
                    + "Transfer-Encoding: gzip\r\nConnection: close\r\n\r\nhello");
            assertThat(c.readToEnd()).isEmpty();
        }
    }

    @Test
    void applicationSettingContentLengthAndTransferEncodingGetsOnlyTransferEncoding() throws IOException {
        // RFC 9112 §6.2, RFC 9110 §8.6: a sender MUST NOT send Content-Length together with Transfer-Encoding.
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET /both HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date() + "\r\nServer: Lanner\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
            assertThat(c.send("GET /after HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().bodyText()).isEqualTo("/after");
        }
    }

    @Test
    void applicationContentLengthNotMetEndsTheConnectionWithoutExtraBytes() throws IOException {
        // RFC 9112 §8, RFC 9110 §8.6: a response cut short must be seen as incomplete (the close comes before the
        // declared length is met); never more bytes than the declared length.
        try (RawConnection c = server.connect()) {
            String head = c.send("GET /short HTTP/1.1\r\nHost: a\r\n\r\n").readHead();
            String dateLine = head.split("\r\n")[1];
            assertThat(dateLine).startsWith("Date: ");
            assertThat(head).isEqualTo("HTTP/1.1 200 OK\r\n" + dateLine + "\r\nServer: Lanner\r\nContent-Length: 10");
            assertThat(c.readToEndText()).isEqualTo("abc");
        }
        try (RawConnection c = server.connect()) {
            // Too many bytes: the write fails after the head was started; the connection is cut.
            String received = c.send("GET /long HTTP/1.1\r\nHost: a\r\n\r\n").readToEndText();
            int end = received.indexOf("\r\n\r\n");
            assertThat(received).doesNotContain("abc");
            assertThat(end < 0 ? 0 : received.length() - end - 4).isLessThanOrEqualTo(2);
        }
    }
}
