package dev.lanner.server.internal.http1;

import static dev.lanner.server.internal.http1.TestBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Header section parsing, RFC 9112 §5 (field syntax), §2.2 (line endings), RFC 9110 §5.5. */
class HeaderSectionTest {

    private final HttpRequestParser parser = new HttpRequestParser();
    private final RequestHeadRecorder rec = new RequestHeadRecorder();

    private int parseHeaders(String input) {
        byte[] b = bytes(input);
        return parser.parseHeaders(b, 0, b.length, rec);
    }

    private static BadRequestException rejection(HttpRequestParser parser, String input) {
        byte[] b = bytes(input);
        try {
            parser.parseHeaders(b, 0, b.length, new RequestHeadRecorder());
        } catch (BadRequestException e) {
            return e;
        }
        throw new AssertionError("not rejected: " + input);
    }

    private static void assertRejected(String input, RequestRejectionReason reason, int status) {
        BadRequestException e = rejection(new HttpRequestParser(), input);
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.statusCode()).isEqualTo(status);
    }

    @Test
    void reportsFieldsWithValuesTrimmedOfOws_section5_1() {
        String head = "Host: example.com\r\nX-Empty:\r\nX-Ows: \t value with  inner \t \r\n"
                + "content-TYPE:text/plain\r\n\r\n";
        int next = parseHeaders(head + "BODY");
        assertThat(next).isEqualTo(head.length());
        assertThat(parser.isHeaderSectionComplete()).isTrue();
        assertThat(parser.headerCount()).isEqualTo(4);
        assertThat(rec.headers).containsExactly("Host=[example.com]", "X-Empty=[]",
                "X-Ows=[value with  inner]", "content-TYPE=[text/plain]");
    }

    @Test
    void emptySectionIsComplete() {
        assertThat(parseHeaders("\r\nrest")).isEqualTo(2);
        assertThat(parser.isHeaderSectionComplete()).isTrue();
        assertThat(rec.headers).isEmpty();
    }

    @Test
    void consumesOnlyCompleteLines() {
        assertThat(parseHeaders("Host: a\r\nX-B: c")).isEqualTo(9);
        assertThat(parser.isHeaderSectionComplete()).isFalse();
        assertThat(rec.headers).containsExactly("Host=[a]");
        assertThat(parseHeaders("X-B: c\r\n\r")).isEqualTo(8);
        assertThat(parser.isHeaderSectionComplete()).isFalse();
        assertThat(parseHeaders("\r\n")).isEqualTo(2);
        assertThat(parser.isHeaderSectionComplete()).isTrue();
        assertThat(rec.headers).containsExactly("Host=[a]", "X-B=[c]");
    }

    @Test
    void stopsAfterTheEmptyLine() {
        byte[] b = bytes("A: 1\r\n\r\nB: 2\r\n\r\n");
        assertThat(parser.parseHeaders(b, 0, b.length, rec)).isEqualTo(8);
        // Once complete, further calls consume nothing: the rest belongs to the body.
        assertThat(parser.parseHeaders(b, 8, b.length, rec)).isEqualTo(8);
        assertThat(rec.headers).containsExactly("A=[1]");
    }

    @Test
    void allowsHtabAndObsTextInValues_rfc9110_section5_5() {
        parseHeaders("X-A: a\tb\r\nX-B: caf\u00e9\r\n\r\n");
        assertThat(rec.headers).containsExactly("X-A=[a\tb]", "X-B=[caf\u00e9]");
    }

    @Test
    void acceptsEveryTokenCharInNames_rfc9110_section5_6_2() {
        parseHeaders("!#$%&'*+-.^_`|~09AZaz: v\r\n\r\n");
        assertThat(rec.headers).containsExactly("!#$%&'*+-.^_`|~09AZaz=[v]");
    }

    @Test
    void requestLineResetsTheSectionForTheNextRequest() {
        byte[] first = bytes("GET / HTTP/1.1\r\nA: 1\r\n\r\n");
        int p = parser.parseRequestLine(first, 0, first.length, rec);
        p = parser.parseHeaders(first, p, first.length, rec);
        assertThat(parser.isHeaderSectionComplete()).isTrue();
        byte[] second = bytes("GET /2 HTTP/1.1\r\nB: 2\r\n");
        int q = parser.parseRequestLine(second, 0, second.length, rec);
        assertThat(parser.isHeaderSectionComplete()).isFalse();
        assertThat(parser.headerCount()).isZero();
        parser.parseHeaders(second, q, second.length, rec);
        assertThat(parser.headerCount()).isEqualTo(1);
    }

    // ---- rejections -------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"Host : x\r\n\r\n", "Host\t: x\r\n\r\n", "Ho st: x\r\n\r\n"})
    void rejectsWhitespaceBeforeColon_section5_1(String input) {
        assertRejected(input, RequestRejectionReason.WHITESPACE_BEFORE_COLON, 400);
    }

    @Test
    void rejectsObsFold_section5_2() {
        assertRejected("X-A: a\r\n b\r\n\r\n", RequestRejectionReason.OBS_FOLD, 400);
        assertRejected("X-A: a\r\n\tb\r\n\r\n", RequestRejectionReason.OBS_FOLD, 400);
        // The smuggling form: a folded Transfer-Encoding value.
        assertRejected("Transfer-Encoding:\r\n chunked\r\n\r\n", RequestRejectionReason.OBS_FOLD, 400);
    }

    @Test
    void rejectsObsFoldBeforeTheLineIsComplete_section5_2() {
        assertRejected("X-A: a\r\n ", RequestRejectionReason.OBS_FOLD, 400);
    }

    @Test
    void rejectsWhitespaceBeforeTheFirstField_section2_2() {
        assertRejected(" Host: x\r\n\r\n", RequestRejectionReason.INVALID_HEADER_LINE, 400);
    }

    @Test
    void rejectsLineWithoutColon_section5() {
        assertRejected("Host x\r\n\r\n", RequestRejectionReason.INVALID_HEADER_LINE, 400);
        assertRejected("Host\r\n\r\n", RequestRejectionReason.INVALID_HEADER_LINE, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {": x\r\n\r\n", "Ho(st: x\r\n\r\n", "H\u00f3st: x\r\n\r\n",
        "X\u0000: y\r\n\r\n", "\"X\": y\r\n\r\n"})
    void rejectsNamesThatAreNotTokens_rfc9110_section5_1(String input) {
        assertRejected(input, RequestRejectionReason.INVALID_HEADER_NAME, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"X: a\u0000b\r\n\r\n", "X: a\u007fb\r\n\r\n", "X: a\u0001\r\n\r\n",
        "X: \u000b\r\n\r\n", "X: a\u001fb\r\n\r\n"})
    void rejectsNulAndControlCharactersInValues_rfc9110_section5_5(String input) {
        assertRejected(input, RequestRejectionReason.INVALID_CHARACTER, 400);
    }

    @Test
    void rejectsBareCr_section2_2() {
        assertRejected("X: a\rb\r\n\r\n", RequestRejectionReason.BARE_CR, 400);
        assertRejected("X\r: b\r\n\r\n", RequestRejectionReason.BARE_CR, 400);
        assertRejected("X: a\r\n\rY: b\r\n\r\n", RequestRejectionReason.BARE_CR, 400);
        assertRejected("X: a\r\r\n\r\n", RequestRejectionReason.BARE_CR, 400);
    }

    @Test
    void rejectsBareLf_section2_2() {
        assertRejected("X: a\nY: b\r\n\r\n", RequestRejectionReason.BARE_LF, 400);
        assertRejected("X: a\r\n\n", RequestRejectionReason.BARE_LF, 400);
        assertRejected("\n", RequestRejectionReason.BARE_LF, 400);
    }

    // ---- limits: 100 fields, 32 KiB ---------------------------------------------------------------

    private static String fields(int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append("X-F").append(i).append(": v\r\n");
        }
        return sb.toString();
    }

    @Test
    void acceptsExactlyTheMaximumFieldCount() {
        parseHeaders(fields(100) + "\r\n");
        assertThat(parser.isHeaderSectionComplete()).isTrue();
        assertThat(parser.headerCount()).isEqualTo(100);
    }

    @Test
    void rejectsOneFieldOverTheMaximumCountWith431() {
        assertRejected(fields(101) + "\r\n", RequestRejectionReason.TOO_MANY_HEADERS, 431);
    }

    /** "Host: x\r\n" (9 bytes) and one filler line, totalling {@code total} bytes with CRLFs. */
    private static String sectionOfBytes(int total) {
        // "X-Fill: " + k + "\r\n" = 10 + k bytes
        return "Host: x\r\n" + "X-Fill: " + "a".repeat(total - 9 - 10) + "\r\n";
    }

    @Test
    void acceptsSectionOfExactly32KiBNotCountingTheFinalCrlf() {
        String section = sectionOfBytes(32768);
        assertThat(section).hasSize(32768);
        assertThat(parseHeaders(section + "\r\n")).isEqualTo(32770);
        assertThat(parser.isHeaderSectionComplete()).isTrue();
    }

    @Test
    void rejectsSectionOneByteOver32KiBWith431() {
        assertRejected(sectionOfBytes(32769) + "\r\n", RequestRejectionReason.HEADERS_TOO_LARGE, 431);
    }

    @Test
    void detectsTooLargeSectionOnIncompleteInput() {
        // The line could still end within the limit: wait.
        String almost = "X: " + "a".repeat(32764);
        assertThat(almost).hasSize(32767);
        assertThat(parseHeaders(almost)).isZero();
        // 32768 bytes with no line end: the line can only exceed the limit.
        assertRejected(almost + "a", RequestRejectionReason.HEADERS_TOO_LARGE, 431);
    }

    @Test
    void honoursConfiguredLimits() {
        HttpRequestParser small = new HttpRequestParser(
                Http1Limits.defaults().withMaxHeaderBytes(10).withMaxHeaderCount(2));
        byte[] ok = bytes("A: 123\r\n\r\n"); // 8 bytes of fields
        assertThat(small.parseHeaders(ok, 0, ok.length, rec)).isEqualTo(10);
        assertThat(rejection(new HttpRequestParser(Http1Limits.defaults().withMaxHeaderBytes(10)),
                "A: 123456\r\n\r\n").reason()).isEqualTo(RequestRejectionReason.HEADERS_TOO_LARGE);
        assertThat(rejection(new HttpRequestParser(Http1Limits.defaults().withMaxHeaderCount(2)),
                "A: 1\r\nB: 2\r\nC: 3\r\n\r\n").reason()).isEqualTo(RequestRejectionReason.TOO_MANY_HEADERS);
    }
}
