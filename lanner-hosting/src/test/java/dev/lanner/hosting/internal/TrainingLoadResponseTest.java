package dev.lanner.hosting.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The training load's response framing, fed bytes in memory: each read must stop exactly at the response's end. */
class TrainingLoadResponseTest {

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String rest(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void contentLengthDelimitsTheBodyAndTheConnectionStaysOpen() throws IOException {
        InputStream in = bytes("HTTP/1.1 200 OK\r\ncontent-length: 13\r\n\r\nHello, World!"
                + "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\nNEXT");

        assertThat(TrainingLoad.readResponse(in)).isTrue();
        assertThat(TrainingLoad.readResponse(in)).isTrue();
        assertThat(rest(in)).isEqualTo("NEXT");
    }

    @Test
    void chunkedBodiesWithExtensionsAndTrailersAreReadToTheirEnd() throws IOException {
        InputStream in = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;ext=1\r\nHello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: t\r\n\r\nNEXT");

        assertThat(TrainingLoad.readResponse(in)).isTrue();
        assertThat(rest(in)).isEqualTo("NEXT");
    }

    @Test
    void interimResponsesAreSkippedAndNoContentHasNoBody() throws IOException {
        InputStream in = bytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\nContent-Length: 99\r\n\r\nNEXT");

        assertThat(TrainingLoad.readResponse(in)).isTrue();
        assertThat(rest(in)).isEqualTo("NEXT");
    }

    @Test
    void connectionCloseOrHttp10EndsTheConnection() throws IOException {
        assertThat(TrainingLoad.readResponse(bytes("HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\n"
                + "Content-Length: 2\r\n\r\nok"))).isFalse();
        assertThat(TrainingLoad.readResponse(bytes("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"))).isFalse();
    }

    @Test
    void aBodyWithoutLengthRunsToTheEndOfTheConnection() throws IOException {
        InputStream in = bytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of this");

        assertThat(TrainingLoad.readResponse(in)).isFalse();
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void bareLineFeedsEndLinesToo() throws IOException {
        InputStream in = bytes("HTTP/1.1 200 OK\nContent-Length: 1\n\nxNEXT");

        assertThat(TrainingLoad.readResponse(in)).isTrue();
        assertThat(rest(in)).isEqualTo("NEXT");
    }

    @Test
    void truncatedOrMalformedResponsesFailWithTheirCause() {
        assertThatThrownBy(() -> TrainingLoad.readResponse(bytes("")))
                .isInstanceOf(EOFException.class).hasMessage("the connection ended before a response");
        assertThatThrownBy(() -> TrainingLoad.readResponse(bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab")))
                .isInstanceOf(EOFException.class).hasMessage("the connection ended 3 bytes before the body's end");
        assertThatThrownBy(() -> TrainingLoad.readResponse(bytes("HTTP/1.1 200 OK\r\nContent-Le")))
                .isInstanceOf(EOFException.class).hasMessage("the connection ended in a line");
        assertThatThrownBy(() -> TrainingLoad.readResponse(bytes("SSH-2.0-OpenSSH\r\n\r\n")))
                .isInstanceOf(ProtocolException.class).hasMessage("not an HTTP/1.1 status line: SSH-2.0-OpenSSH");
        assertThatThrownBy(() -> TrainingLoad.readResponse(bytes("HTTP/1.1 2x0 OK\r\n\r\n")))
                .isInstanceOf(ProtocolException.class).hasMessage("not an HTTP/1.1 status line: HTTP/1.1 2x0 OK");
        assertThatThrownBy(() -> TrainingLoad.readResponse(bytes("HTTP/1.1 200 OK\r\nContent-Length: many\r\n\r\n")))
                .isInstanceOf(ProtocolException.class).hasMessage("bad Content-Length: many");
        assertThatThrownBy(() -> TrainingLoad.readResponse(bytes(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")))
                .isInstanceOf(ProtocolException.class).hasMessage("bad chunk size: zz");
        assertThatThrownBy(() -> TrainingLoad.readResponse(bytes(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n0\r\n\r\n")))
                .isInstanceOf(ProtocolException.class).hasMessage("a chunk does not end with CRLF");
    }

    @Test
    void requestHeadsCarryTheHostAndTheExtraHeaderLines() {
        assertThat(new String(TrainingLoad.request("/app/json", "127.0.0.1:8080", "X-Token: t\r\n"),
                StandardCharsets.US_ASCII))
                .isEqualTo("GET /app/json HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-Token: t\r\n\r\n");
    }
}
