package dev.lanner.server.internal.http1;

import static dev.lanner.server.internal.http1.TestBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Message body length, RFC 9112 §6.1 (Transfer-Encoding), §6.3 (length rules), RFC 9110 §8.6
 * (Content-Length), and the smuggling vectors they guard against.
 */
class RequestBodyFramingTest {

    private final RequestBodyFraming framing = new RequestBodyFraming();

    private void cl(String value) {
        byte[] b = bytes(value);
        framing.addContentLength(b, 0, b.length);
    }

    private void te(String value) {
        byte[] b = bytes(value);
        framing.addTransferEncoding(b, 0, b.length);
    }

    private static long parseContentLength(String value) {
        byte[] b = bytes(value);
        return ContentLength.parse(b, 0, b.length);
    }

    private static void assertRejection(Runnable action, RequestRejectionReason reason, int status) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(BadRequestException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.statusCode()).isEqualTo(status);
        });
    }

    // ---- Content-Length syntax, RFC 9110 §8.6 -----------------------------------------------------

    @Test
    void parsesDigits_rfc9110_section8_6() {
        assertThat(parseContentLength("0")).isZero();
        assertThat(parseContentLength("5")).isEqualTo(5);
        assertThat(parseContentLength("005")).isEqualTo(5);
        assertThat(parseContentLength(" 42\t")).isEqualTo(42);
        assertThat(parseContentLength("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void acceptsAListOfIdenticalValues_rfc9110_section8_6() {
        assertThat(parseContentLength("5, 5")).isEqualTo(5);
        assertThat(parseContentLength("5,5 ,  5")).isEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1, 2", "5,50", "0, 1"})
    void rejectsAListOfDifferingValues_section6_3_rule5(String value) {
        assertRejection(() -> parseContentLength(value), RequestRejectionReason.MULTIPLE_CONTENT_LENGTH, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+5", "-1", "0x10", "", " ", "5 5", "5;", "abc", "1e3", "5,", ",5", "5,,5",
        "9223372036854775808", "99999999999999999999", "\u0665",
        // a malformed member after a differing one (found by the body-framing fuzz target)
        "6, 7 7", "1, 2x"})
    void rejectsInvalidValues_rfc9110_section8_6(String value) {
        assertRejection(() -> parseContentLength(value), RequestRejectionReason.INVALID_CONTENT_LENGTH, 400);
    }

    // ---- §6.3 decisions -------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "PUT", "DELETE", "OPTIONS"})
    void noContentLengthNorTransferEncodingMeansNoBody_section6_3_rule7(String method) {
        assertThat(framing.decide(KnownMethod.valueOf(method), HttpVersion.HTTP_1_1))
                .isEqualTo(RequestBodyFraming.Kind.NONE);
        assertThat(framing.contentLength()).isEqualTo(-1);
    }

    @Test
    void contentLengthDelimitsTheBody_section6_3_rule6() {
        cl("11");
        assertThat(framing.decide(KnownMethod.POST, HttpVersion.HTTP_1_0))
                .isEqualTo(RequestBodyFraming.Kind.CONTENT_LENGTH);
        assertThat(framing.contentLength()).isEqualTo(11);
    }

    @Test
    void zeroContentLengthIsAnEmptyBody() {
        cl("0");
        assertThat(framing.decide(KnownMethod.GET, HttpVersion.HTTP_1_1))
                .isEqualTo(RequestBodyFraming.Kind.CONTENT_LENGTH);
        assertThat(framing.contentLength()).isZero();
    }

    @Test
    void identicalContentLengthLinesAreOne_rfc9110_section8_6() {
        cl("7");
        cl("7");
        assertThat(framing.decide(KnownMethod.POST, HttpVersion.HTTP_1_1))
                .isEqualTo(RequestBodyFraming.Kind.CONTENT_LENGTH);
        assertThat(framing.contentLength()).isEqualTo(7);
    }

    @Test
    void rejectsDifferingContentLengthLines_section6_3_rule5() {
        cl("7");
        assertRejection(() -> cl("8"), RequestRejectionReason.MULTIPLE_CONTENT_LENGTH, 400);
    }

    @Test
    void chunkedIsDecodedWhenFinal_section6_3_rule4() {
        te("chunked");
        assertThat(framing.decide(KnownMethod.POST, HttpVersion.HTTP_1_1))
                .isEqualTo(RequestBodyFraming.Kind.CHUNKED);
        assertThat(framing.hasTransferEncoding()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Chunked", "CHUNKED", " chunked ", ", chunked", "chunked,"})
    void chunkedIsCaseInsensitiveAndEmptyMembersAreIgnored_rfc9110_section5_6_1(String value) {
        te(value);
        assertThat(framing.decide(KnownMethod.POST, HttpVersion.HTTP_1_1))
                .isEqualTo(RequestBodyFraming.Kind.CHUNKED);
    }

    @Test
    void rejectsContentLengthWithTransferEncoding_section6_3_rule3() {
        cl("5");
        te("chunked");
        assertRejection(() -> framing.decide(KnownMethod.POST, HttpVersion.HTTP_1_1),
                RequestRejectionReason.CONTENT_LENGTH_WITH_TRANSFER_ENCODING, 400);
    }

    @Test
    void rejectsTransferEncodingInHttp10_section6_1() {
        te("chunked");
        assertRejection(() -> framing.decide(KnownMethod.POST, HttpVersion.HTTP_1_0),
                RequestRejectionReason.TRANSFER_ENCODING_IN_HTTP_1_0, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"chunked, identity", "xchunked", "chunkedx", "identity", "gzip", "",
        "chunked, gzip", ","})
    void rejectsChunkedNotFinal_section6_3_rule4(String value) {
        te(value);
        assertRejection(() -> framing.decide(KnownMethod.POST, HttpVersion.HTTP_1_1),
                RequestRejectionReason.CHUNKED_NOT_FINAL_ENCODING, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip, chunked", "deflate,chunked", "x-custom;p=1, chunked"})
    void rejectsUnsupportedCodingsWith501_section6_1(String value) {
        te(value);
        assertRejection(() -> framing.decide(KnownMethod.POST, HttpVersion.HTTP_1_1),
                RequestRejectionReason.UNSUPPORTED_TRANSFER_ENCODING, 501);
    }

    @Test
    void rejectsChunkedTwice_section6_1() {
        te("chunked, chunked");
        assertRejection(() -> framing.decide(KnownMethod.POST, HttpVersion.HTTP_1_1),
                RequestRejectionReason.INVALID_TRANSFER_ENCODING, 400);
    }

    @Test
    void rejectsChunkedTwiceAcrossLines_section6_1() {
        te("chunked");
        te("chunked");
        assertRejection(() -> framing.decide(KnownMethod.POST, HttpVersion.HTTP_1_1),
                RequestRejectionReason.INVALID_TRANSFER_ENCODING, 400);
    }

    @Test
    void transferEncodingLinesAddUpInOrder_section6_1() {
        te("gzip");
        te("chunked");
        assertRejection(() -> framing.decide(KnownMethod.POST, HttpVersion.HTTP_1_1),
                RequestRejectionReason.UNSUPPORTED_TRANSFER_ENCODING, 501);
        framing.reset();
        te("chunked");
        te("gzip");
        assertRejection(() -> framing.decide(KnownMethod.POST, HttpVersion.HTTP_1_1),
                RequestRejectionReason.CHUNKED_NOT_FINAL_ENCODING, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"chunked;a=b", "chu nked", "\"chunked\"", "chunked/1", "chunked\u0000"})
    void rejectsMalformedTransferEncoding_section6_1(String value) {
        assertRejection(() -> te(value), RequestRejectionReason.INVALID_TRANSFER_ENCODING, 400);
    }

    @Test
    void connectCannotHaveContent_rfc9110_section9_3_6() {
        cl("5");
        assertRejection(() -> framing.decide(KnownMethod.CONNECT, HttpVersion.HTTP_1_1),
                RequestRejectionReason.CONTENT_NOT_ALLOWED, 400);
        framing.reset();
        te("chunked");
        assertRejection(() -> framing.decide(KnownMethod.CONNECT, HttpVersion.HTTP_1_1),
                RequestRejectionReason.CONTENT_NOT_ALLOWED, 400);
        framing.reset();
        cl("0");
        assertThat(framing.decide(KnownMethod.CONNECT, HttpVersion.HTTP_1_1))
                .isEqualTo(RequestBodyFraming.Kind.CONTENT_LENGTH);
    }

    @Test
    void resetForgetsThePreviousRequest() {
        cl("5");
        te("chunked");
        framing.reset();
        assertThat(framing.decide(KnownMethod.GET, HttpVersion.HTTP_1_1))
                .isEqualTo(RequestBodyFraming.Kind.NONE);
        assertThat(framing.hasTransferEncoding()).isFalse();
    }

    // ---- end to end through the header parser ---------------------------------------------------

    /** What a connection does: feed framing fields from the header callbacks, then decide. */
    private static RequestBodyFraming.Kind frame(String head) {
        byte[] b = bytes(head);
        HttpRequestParser parser = new HttpRequestParser();
        RequestBodyFraming framing = new RequestBodyFraming();
        HttpVersion[] version = new HttpVersion[1];
        KnownMethod[] method = new KnownMethod[1];
        int p = parser.parseRequestLine(b, 0, b.length, line -> {
            version[0] = line.version();
            method[0] = line.method();
        });
        parser.parseHeaders(b, p, b.length, (buf, ns, ne, vs, ve) -> {
            KnownHeader h = KnownHeader.match(buf, ns, ne);
            if (h == KnownHeader.CONTENT_LENGTH) {
                framing.addContentLength(buf, vs, ve);
            } else if (h == KnownHeader.TRANSFER_ENCODING) {
                framing.addTransferEncoding(buf, vs, ve);
            }
        });
        assertThat(parser.isHeaderSectionComplete()).isTrue();
        return framing.decide(method[0], version[0]);
    }

    @Test
    void smugglingVectorsAreRejectedEndToEnd() {
        assertRejection(() -> frame("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n"), RequestRejectionReason.CONTENT_LENGTH_WITH_TRANSFER_ENCODING, 400);
        assertRejection(() -> frame("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 2\r\n\r\n"),
                RequestRejectionReason.MULTIPLE_CONTENT_LENGTH, 400);
        assertRejection(() -> frame("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n"),
                RequestRejectionReason.INVALID_CONTENT_LENGTH, 400);
        assertRejection(() -> frame("POST / HTTP/1.1\r\nHost: a\r\ncontent-length: 5\r\nContent-Length: 6\r\n\r\n"),
                RequestRejectionReason.MULTIPLE_CONTENT_LENGTH, 400);
        assertRejection(() -> frame("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n"),
                RequestRejectionReason.CHUNKED_NOT_FINAL_ENCODING, 400);
        assertRejection(() -> frame("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n"),
                RequestRejectionReason.CHUNKED_NOT_FINAL_ENCODING, 400);
        assertRejection(() -> frame("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n chunked\r\n\r\n"),
                RequestRejectionReason.OBS_FOLD, 400);
        assertRejection(() -> frame("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n"),
                RequestRejectionReason.WHITESPACE_BEFORE_COLON, 400);
        assertThat(frame("POST / HTTP/1.1\r\nHost: a\r\nTRANSFER-ENCODING: Chunked\r\n\r\n"))
                .isEqualTo(RequestBodyFraming.Kind.CHUNKED);
    }
}
