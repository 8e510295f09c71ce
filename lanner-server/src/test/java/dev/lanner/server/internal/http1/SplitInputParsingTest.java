package dev.lanner.server.internal.http1;

import static dev.lanner.server.internal.http1.TestBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request head parser gives the same result however the input is split: whole, one byte at
 * a time, and in random pieces (fixed seed). Each call sees only the unconsumed bytes.
 */
class SplitInputParsingTest {

    static Stream<String> vectors() {
        return Stream.of(
                "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
                "GET /p/a%20th?q=1&r=%zz HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n"
                        + "X-Ows:  \t v \t \r\nX-Empty:\r\n\r\nBODY",
                "\r\nPOST http://example.com:8080/x?y HTTP/1.0\r\nContent-Length: 5\r\n\r\nhello",
                "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
                "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
                "M-SEARCH /x HTTP/1.1\r\nHost: x\r\n\r\n",
                // rejections
                "GET / HTTP/1.1\r\nHost : x\r\n\r\n",
                "GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n",
                "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n",
                "GET / HTTP/1.1\r\nX: a\nY: b\r\n\r\n",
                "GET / HTTP/1.1\r\nX: a\u0000\r\n\r\n",
                "GET / HTTP/1.1\n\r\n",
                "GET  / HTTP/1.1\r\n\r\n",
                "GET / HTTP/2.0\r\n\r\n",
                "G\rET / HTTP/1.1\r\n\r\n",
                "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003",
                "GET /a#b HTTP/1.1\r\n\r\n",
                "GET / HTTP/1.1\r\n\u0000: x\r\n\r\n");
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void sameOutcomeForEverySplit(String vector) {
        byte[] input = bytes(vector);
        RequestHeadRecorder.Outcome whole =
                RequestHeadRecorder.feed(input, List.of(input.length), Http1Limits.defaults());
        for (List<Integer> split : TestBytes.splitsToCompare(input.length)) {
            assertThat(RequestHeadRecorder.feed(input, split, Http1Limits.defaults()))
                    .as("split of %d pieces", split.size()).isEqualTo(whole);
        }
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void sameOutcomeWithLimitsHit(String vector) {
        // Small limits make the too-large checks fire on partial input for several vectors.
        Http1Limits small = Http1Limits.defaults().withMaxRequestLineLength(24).withMaxHeaderBytes(24)
                .withMaxHeaderCount(2);
        byte[] input = bytes(vector);
        RequestHeadRecorder.Outcome whole = RequestHeadRecorder.feed(input, List.of(input.length), small);
        for (List<Integer> split : TestBytes.splitsToCompare(input.length)) {
            assertThat(RequestHeadRecorder.feed(input, split, small)).as("split of %d pieces", split.size()).isEqualTo(whole);
        }
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void wholeOutcomesAreAsExpected(String vector) {
        byte[] input = bytes(vector);
        RequestHeadRecorder.Outcome whole =
                RequestHeadRecorder.feed(input, List.of(input.length), Http1Limits.defaults());
        String expected = expectedRejection(vector);
        assertThat(whole.rejection()).isEqualTo(expected);
        if (expected == null) {
            assertThat(whole.summary()).doesNotContain("INCOMPLETE");
            assertThat(whole.consumed()).isEqualTo(vector.indexOf("\r\n\r\n", 2) + 4);
        }
    }

    private static String expectedRejection(String v) {
        if (v.contains("Host : x")) {
            return "WHITESPACE_BEFORE_COLON";
        }
        if (v.contains("\r\n b")) {
            return "OBS_FOLD";
        }
        if (v.contains("a\rb")) {
            return "BARE_CR";
        }
        if (v.contains("a\nY") || v.startsWith("GET / HTTP/1.1\n")) {
            return "BARE_LF";
        }
        if (v.contains("a\u0000")) {
            return "INVALID_CHARACTER";
        }
        if (v.contains("\r\n\u0000: x")) {
            return "INVALID_HEADER_NAME";
        }
        if (v.startsWith("GET  /") || v.startsWith("G\r") || v.startsWith("\u0016")) {
            return "INVALID_REQUEST_LINE";
        }
        if (v.contains("HTTP/2.0")) {
            return "UNSUPPORTED_HTTP_VERSION";
        }
        if (v.contains("/a#b")) {
            return "INVALID_REQUEST_TARGET";
        }
        return null;
    }
}
