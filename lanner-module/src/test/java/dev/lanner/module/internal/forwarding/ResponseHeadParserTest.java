package dev.lanner.module.internal.forwarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResponseHeadParserTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void parsesStatusReasonFieldsAndFraming() throws Exception {
        byte[] in = bytes("HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\nContent-Length:  12 \r\nX-A: b\r\n\r\nbody");
        ResponseHead head = new ResponseHead();
        int end = ResponseHeadParser.parse(in, 0, in.length, head);
        assertThat(end).isEqualTo(in.length - 4);
        assertThat(head.status).isEqualTo(201);
        assertThat(head.reason).isEqualTo("Created");
        assertThat(head.names).containsExactly("Content-Type", "Content-Length", "X-A");
        assertThat(head.values).containsExactly("text/plain", "12", "b");
        assertThat(head.contentLength).isEqualTo(12);
        assertThat(head.chunked).isFalse();
        assertThat(head.close).isFalse();
    }

    @Test
    void anIncompleteHeadAsksForMoreAtEveryCut() throws Exception {
        byte[] in = bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        ResponseHead head = new ResponseHead();
        for (int cut = 0; cut < in.length; cut++) {
            assertThat(ResponseHeadParser.parse(in, 0, cut, head)).as("cut at %d", cut).isEqualTo(-1);
        }
        assertThat(ResponseHeadParser.parse(in, 0, in.length, head)).isEqualTo(in.length);
    }

    @Test
    void parsesFromAnOffsetAndAnEmptyReason() throws Exception {
        byte[] in = bytes("xxHTTP/1.1 204\r\n\r\n");
        ResponseHead head = new ResponseHead();
        assertThat(ResponseHeadParser.parse(in, 2, in.length, head)).isEqualTo(in.length);
        assertThat(head.status).isEqualTo(204);
        assertThat(head.reason).isEmpty();
    }

    @Test
    void chunkedConnectionCloseAndConnectionOptions() throws Exception {
        byte[] in = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close, X-Hop\r\n\r\n");
        ResponseHead head = new ResponseHead();
        ResponseHeadParser.parse(in, 0, in.length, head);
        assertThat(head.chunked).isTrue();
        assertThat(head.close).isTrue();
        assertThat(head.connectionOptions).containsExactly("x-hop");
    }

    @Test
    void http10ClosesUnlessKeepAlive() throws Exception {
        ResponseHead head = new ResponseHead();
        byte[] plain = bytes("HTTP/1.0 200 OK\r\n\r\n");
        ResponseHeadParser.parse(plain, 0, plain.length, head);
        assertThat(head.close).isTrue();
        byte[] keepAlive = bytes("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n");
        ResponseHeadParser.parse(keepAlive, 0, keepAlive.length, head);
        assertThat(head.close).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "HTTP/2 200 OK\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 20x OK\r\n\r\n",
        "HTTP/1.1 099 Low\r\n\r\n",
        "HTTP/1.1 200OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\n: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nNoColon\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX: a\u0001b\r\n\r\n",
        "HTTP/1.1 200 OK\nX: a\r\n\r\n",
    })
    void rejectsMalformedHeads(String text) {
        byte[] in = bytes(text);
        assertThatThrownBy(() -> ResponseHeadParser.parse(in, 0, in.length, new ResponseHead()))
                .isInstanceOf(BadResponseException.class);
    }

    @Test
    void headEndFindsTheFirstBlankLineOnly() {
        byte[] in = bytes("a\r\nb\r\n\r\nc\r\n\r\n");
        assertThat(ResponseHeadParser.headEnd(in, 0, in.length)).isEqualTo(8);
        assertThat(ResponseHeadParser.headEnd(bytes("a\r\n\r"), 0, 4)).isEqualTo(-1);
    }
}
