package dev.lanner.server.internal.http1;

import static dev.lanner.server.internal.http1.TestBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Request line parsing, RFC 9112 §3 (request line), §3.2 (target forms), §2.3 (version). */
class HttpRequestLineTest {

    private final HttpRequestParser parser = new HttpRequestParser();
    private final RequestHeadRecorder rec = new RequestHeadRecorder();

    private int parse(String input) {
        byte[] b = bytes(input);
        return parser.parseRequestLine(b, 0, b.length, rec);
    }

    private static void assertRejected(String input, RequestRejectionReason reason, int status) {
        byte[] b = bytes(input);
        assertThatThrownBy(() -> new HttpRequestParser().parseRequestLine(b, 0, b.length,
                new RequestHeadRecorder()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.statusCode()).isEqualTo(status);
                });
    }

    // ---- §3.2.1 origin-form -------------------------------------------------------------------

    @Test
    void originFormWithQuery_section3_2_1() {
        int next = parse("GET /index.html?x=1&y=2 HTTP/1.1\r\nHost: a\r\n");
        assertThat(next).isEqualTo(34);
        assertThat(rec.method).isEqualTo(KnownMethod.GET);
        assertThat(rec.form).isEqualTo(RequestTargetForm.ORIGIN);
        assertThat(rec.rawTarget).isEqualTo("/index.html?x=1&y=2");
        assertThat(rec.path).isEqualTo("/index.html");
        assertThat(rec.query).isEqualTo("x=1&y=2");
        assertThat(rec.authority).isEmpty();
        assertThat(rec.version).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(rec.pathHasPercent).isFalse();
    }

    @Test
    void originFormWithoutQueryHasNoQuery_section3_2_1() {
        parse("GET /a/b HTTP/1.1\r\n");
        assertThat(rec.path).isEqualTo("/a/b");
        assertThat(rec.query).isNull();
    }

    @Test
    void emptyQueryIsDistinctFromNoQuery_section3_2_1() {
        parse("GET /a? HTTP/1.1\r\n");
        assertThat(rec.path).isEqualTo("/a");
        assertThat(rec.query).isEmpty();
    }

    @Test
    void reportsPercentEncodedPath() {
        parse("GET /a%20b%2Fc?q=%zz HTTP/1.1\r\n");
        assertThat(rec.path).isEqualTo("/a%20b%2Fc");
        assertThat(rec.pathHasPercent).isTrue();
        assertThat(rec.query).isEqualTo("q=%zz");
    }

    @Test
    void toleratesPrintableAsciiThatClientsSendRaw() {
        parse("GET /a|b{c}^d[e]\\f`?q=\"x\"<y>|{} HTTP/1.1\r\n");
        assertThat(rec.path).isEqualTo("/a|b{c}^d[e]\\f`");
        assertThat(rec.query).isEqualTo("q=\"x\"<y>|{}");
    }

    @Test
    void http10IsAccepted_section2_3() {
        parse("POST /submit HTTP/1.0\r\n");
        assertThat(rec.method).isEqualTo(KnownMethod.POST);
        assertThat(rec.version).isEqualTo(HttpVersion.HTTP_1_0);
    }

    // ---- §3.2.2 absolute-form ------------------------------------------------------------------

    @Test
    void absoluteFormSplitsAuthorityPathAndQuery_section3_2_2() {
        parse("GET http://example.com:8080/p/q?z=1 HTTP/1.1\r\n");
        assertThat(rec.form).isEqualTo(RequestTargetForm.ABSOLUTE);
        assertThat(rec.authority).isEqualTo("example.com:8080");
        assertThat(rec.path).isEqualTo("/p/q");
        assertThat(rec.query).isEqualTo("z=1");
        assertThat(rec.rawTarget).isEqualTo("http://example.com:8080/p/q?z=1");
    }

    @Test
    void absoluteFormWithoutPathHasEmptyPath_section3_2_2() {
        parse("GET HTTPS://Example.com HTTP/1.1\r\n");
        assertThat(rec.form).isEqualTo(RequestTargetForm.ABSOLUTE);
        assertThat(rec.authority).isEqualTo("Example.com");
        assertThat(rec.path).isEmpty();
        assertThat(rec.query).isNull();
    }

    @Test
    void absoluteFormWithQueryButNoPath_section3_2_2() {
        parse("GET http://[::1]:80?q HTTP/1.1\r\n");
        assertThat(rec.authority).isEqualTo("[::1]:80");
        assertThat(rec.path).isEmpty();
        assertThat(rec.query).isEqualTo("q");
    }

    // ---- §3.2.3 authority-form, §3.2.4 asterisk-form ---------------------------------------------

    @Test
    void authorityFormWithConnect_section3_2_3() {
        parse("CONNECT example.com:443 HTTP/1.1\r\n");
        assertThat(rec.method).isEqualTo(KnownMethod.CONNECT);
        assertThat(rec.form).isEqualTo(RequestTargetForm.AUTHORITY);
        assertThat(rec.authority).isEqualTo("example.com:443");
        assertThat(rec.path).isEmpty();
        assertThat(rec.query).isNull();
    }

    @Test
    void authorityFormWithIpv6Literal_section3_2_3() {
        parse("CONNECT [2001:db8::1]:8443 HTTP/1.1\r\n");
        assertThat(rec.authority).isEqualTo("[2001:db8::1]:8443");
    }

    @Test
    void asteriskFormWithOptions_section3_2_4() {
        parse("OPTIONS * HTTP/1.1\r\n");
        assertThat(rec.form).isEqualTo(RequestTargetForm.ASTERISK);
        assertThat(rec.rawTarget).isEqualTo("*");
        assertThat(rec.path).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "GET * HTTP/1.1",                         // §3.2.4: asterisk-form only for OPTIONS
        "OPTIONS *x HTTP/1.1",
        "GET example.com:80 HTTP/1.1",            // §3.2.3: authority-form only for CONNECT
        "CONNECT / HTTP/1.1",                     // §3.2.3: CONNECT needs authority-form
        "CONNECT example.com HTTP/1.1",           // §3.2.3: port is required
        "CONNECT example.com: HTTP/1.1",
        "CONNECT http://example.com:443 HTTP/1.1",
        "GET http://user@example.com/ HTTP/1.1",  // RFC 9110 §4.2.4: userinfo is an error
        "GET http:///path HTTP/1.1",              // RFC 9110 §4.2.1: empty host is invalid
        "GET http://example.com:99999/ HTTP/1.1",
        "GET http://exa%mple.com/ HTTP/1.1",
        "GET ftp://example.com/ HTTP/1.1",
        "GET relative/path HTTP/1.1",
        "GET /a#frag HTTP/1.1",                   // §3.2: no fragment in a request-target
        "GET /a?b#c HTTP/1.1",
        "GET /a%2 HTTP/1.1",                      // malformed percent-encoding in the path
        "GET /a%zz HTTP/1.1",
        "GET /a% HTTP/1.1",
    })
    void rejectsInvalidTargets_section3_2(String line) {
        assertRejected(line + "\r\n", RequestRejectionReason.INVALID_REQUEST_TARGET, 400);
    }

    @Test
    void rejectsControlAndNonAsciiBytesInTarget_section3_2() {
        assertRejected("GET /a\u0000b HTTP/1.1\r\n", RequestRejectionReason.INVALID_REQUEST_TARGET, 400);
        assertRejected("GET /a\u007fb HTTP/1.1\r\n", RequestRejectionReason.INVALID_REQUEST_TARGET, 400);
        assertRejected("GET /a\u0001 HTTP/1.1\r\n", RequestRejectionReason.INVALID_REQUEST_TARGET, 400);
        assertRejected("GET /caf\u00c3\u00a9 HTTP/1.1\r\n", RequestRejectionReason.INVALID_REQUEST_TARGET, 400);
        assertRejected("GET /?q=\u00e9 HTTP/1.1\r\n", RequestRejectionReason.INVALID_REQUEST_TARGET, 400);
    }

    // ---- methods (RFC 9110 §9.1) -----------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = KnownMethod.class, names = "OTHER", mode = EnumSource.Mode.EXCLUDE)
    void recognizesKnownMethodsWithoutAllocating(KnownMethod method) {
        String target = switch (method) {
            case CONNECT -> "h:1";
            case OPTIONS -> "*";
            default -> "/";
        };
        parse(method.text() + " " + target + " HTTP/1.1\r\n");
        assertThat(rec.method).isEqualTo(method);
        assertThat(rec.methodNameInstance).isSameAs(method.text());
    }

    @Test
    void anyTokenIsAMethod_rfc9110_section9_1() {
        parse("M-SEARCH /x HTTP/1.1\r\n");
        assertThat(rec.method).isEqualTo(KnownMethod.OTHER);
        assertThat(rec.methodName).isEqualTo("M-SEARCH");
    }

    @Test
    void methodsAreCaseSensitive_rfc9110_section9_1() {
        parse("get / HTTP/1.1\r\n");
        assertThat(rec.method).isEqualTo(KnownMethod.OTHER);
        assertThat(rec.methodName).isEqualTo("get");
    }

    // ---- §3 request-line syntax -----------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "GET  / HTTP/1.1",      // two SP after the method
        "GET /  HTTP/1.1",      // two SP after the target
        "' GET / HTTP/1.1'",    // leading SP
        "'GET / HTTP/1.1 '",    // trailing SP
        "GET /",                // HTTP/0.9 simple request
        "GET",
        "HELLO",
        "GET / http/1.1",       // §2.3: HTTP-name is case-sensitive
        "GET / HTTP/1",
        "GET / HTTP/1.10",
        "GET / HTTPS/1.1",
        "GET / HTTP/1.1 extra",
        "G(T / HTTP/1.1",       // method is a token
        "GET /a b HTTP/1.1",
    })
    void rejectsMalformedRequestLines_section3(String line) {
        assertRejected(line + "\r\n", RequestRejectionReason.INVALID_REQUEST_LINE, 400);
    }

    @Test
    void rejectsTabAsSeparator_section3() {
        assertRejected("GET\t/ HTTP/1.1\r\n", RequestRejectionReason.INVALID_REQUEST_LINE, 400);
        assertRejected("GET /\tHTTP/1.1\r\n", RequestRejectionReason.INVALID_REQUEST_LINE, 400);
    }

    @Test
    void rejectsGarbageAsSoonAsTheMethodCannotBeAToken() {
        // A TLS ClientHello sent to a plain-text port: no need to wait for 8 KiB or a line end.
        byte[] b = {0x16, 0x03, 0x01, 0x02, 0x00};
        assertThatThrownBy(() -> parser.parseRequestLine(b, 0, b.length, rec))
                .isInstanceOfSatisfying(BadRequestException.class,
                        e -> assertThat(e.reason()).isEqualTo(RequestRejectionReason.INVALID_REQUEST_LINE));
    }

    @ParameterizedTest
    @CsvSource({"HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "HTTP/3.0", "HTTP/9.9"})
    void rejectsOtherVersionsWith505_rfc9110_section15_6_6(String version) {
        assertRejected("GET / " + version + "\r\n", RequestRejectionReason.UNSUPPORTED_HTTP_VERSION, 505);
    }

    // ---- §2.2 line terminators -------------------------------------------------------------------

    @Test
    void rejectsBareLfTerminator_section2_2() {
        assertRejected("GET / HTTP/1.1\n", RequestRejectionReason.BARE_LF, 400);
        assertRejected("\nGET / HTTP/1.1\r\n", RequestRejectionReason.BARE_LF, 400);
    }

    @Test
    void rejectsBareCr_section2_2() {
        assertRejected("GET /\r HTTP/1.1\r\n", RequestRejectionReason.BARE_CR, 400);
        assertRejected("GET / HTTP/1.1\rX\r\n", RequestRejectionReason.BARE_CR, 400);
        assertRejected("GET /?a\rb HTTP/1.1\r\n", RequestRejectionReason.BARE_CR, 400);
    }

    @Test
    void ignoresEmptyLinesBeforeTheRequestLine_section2_2() {
        int next = parse("\r\n\r\nGET / HTTP/1.1\r\n");
        assertThat(next).isEqualTo(20);
        assertThat(rec.path).isEqualTo("/");
    }

    @Test
    void returnsMinusOneUntilTheLineIsComplete() {
        assertThat(parse("")).isEqualTo(-1);
        assertThat(parse("GET / HT")).isEqualTo(-1);
        assertThat(parse("GET / HTTP/1.1\r")).isEqualTo(-1);
        assertThat(parse("\r\n")).isEqualTo(-1);
        assertThat(rec.requestLines).isZero();
        assertThat(parse("GET / HTTP/1.1\r\n")).isEqualTo(16);
        assertThat(rec.requestLines).isEqualTo(1);
    }

    @Test
    void parsesWithinARangeOfALargerBuffer() {
        byte[] b = bytes("xxxxGET /r HTTP/1.1\r\nyyyy");
        int next = parser.parseRequestLine(b, 4, b.length - 4, rec);
        assertThat(next).isEqualTo(21);
        assertThat(rec.path).isEqualTo("/r");
    }

    // ---- §3 length limit (414), counted with the CRLF ---------------------------------------------

    private static String lineOfLength(int totalWithCrlf) {
        // "GET /" + n + " HTTP/1.1\r\n" = 16 + n bytes
        return "GET /" + "a".repeat(totalWithCrlf - 16) + " HTTP/1.1\r\n";
    }

    @Test
    void acceptsRequestLineOfExactlyTheLimitIncludingCrlf_section3() {
        String line = lineOfLength(8192);
        assertThat(line).hasSize(8192);
        assertThat(parse(line)).isEqualTo(8192);
    }

    @Test
    void rejectsRequestLineOneByteOverTheLimit_section3() {
        String line = lineOfLength(8193);
        assertRejected(line, RequestRejectionReason.REQUEST_LINE_TOO_LONG, 414);
    }

    @Test
    void detectsTooLongLineOnIncompleteInput() {
        // 8191 bytes without LF may still become an 8192-byte line: keep waiting.
        String prefix = lineOfLength(8192).substring(0, 8191);
        assertThat(prefix).endsWith("\r");
        assertThat(parse(prefix)).isEqualTo(-1);
        // 8192 bytes without LF cannot: reject without waiting for more.
        String longer = "GET /" + "a".repeat(8187);
        assertThat(longer).hasSize(8192);
        assertRejected(longer, RequestRejectionReason.REQUEST_LINE_TOO_LONG, 414);
    }

    @Test
    void emptyLinesBeforeTheRequestLineCountTowardTheLimit() {
        String junk = "\r\n".repeat(4096);
        assertRejected(junk + "GET / HTTP/1.1\r\n", RequestRejectionReason.REQUEST_LINE_TOO_LONG, 414);
    }

    @Test
    void honoursAConfiguredLimit() {
        HttpRequestParser small = new HttpRequestParser(Http1Limits.defaults().withMaxRequestLineLength(20));
        byte[] ok = bytes("GET /abcd HTTP/1.1\r\n");
        assertThat(small.parseRequestLine(ok, 0, ok.length, rec)).isEqualTo(20);
        byte[] tooLong = bytes("GET /abcde HTTP/1.1\r\n");
        assertThatThrownBy(() -> small.parseRequestLine(tooLong, 0, tooLong.length, rec))
                .isInstanceOfSatisfying(BadRequestException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(414));
    }
}
