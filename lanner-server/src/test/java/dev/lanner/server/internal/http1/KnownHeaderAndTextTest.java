package dev.lanner.server.internal.http1;

import static dev.lanner.server.internal.http1.TestBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Known header names (no allocation), byte-range strings, rejection reasons. */
class KnownHeaderAndTextTest {

    private static String nameOf(String received) {
        byte[] b = bytes("xx" + received + "yy");
        return KnownHeader.nameOf(b, 2, b.length - 2);
    }

    @ParameterizedTest
    @EnumSource(KnownHeader.class)
    void everyKnownNameMatchesInAnyCase(KnownHeader h) {
        String canonical = h.canonicalName();
        assertThat(nameOf(canonical)).isSameAs(h.headerName());
        assertThat(nameOf(canonical.toUpperCase(Locale.ROOT))).isSameAs(h.headerName());
        assertThat(nameOf(canonical.toLowerCase(Locale.ROOT))).isSameAs(h.headerName());
        assertThat(h.headerName()).isEqualTo(canonical.toLowerCase(Locale.ROOT));
        byte[] b = bytes(canonical);
        assertThat(KnownHeader.match(b, 0, b.length)).isSameAs(h);
        assertThat(h.matches(b, 0, b.length)).isTrue();
    }

    @Test
    void knownNamesReturnTheSameInstanceEveryTime() {
        String first = nameOf("Content-Length");
        String second = nameOf("content-LENGTH");
        assertThat(first).isSameAs(second).isSameAs(KnownHeader.CONTENT_LENGTH.headerName())
                .isEqualTo("content-length");
        assertThat(nameOf("Host")).isSameAs(nameOf("HOST"));
    }

    @Test
    void headerNamesAreInterned() {
        assertThat(KnownHeader.HOST.headerName()).isSameAs("host");
        assertThat(KnownHeader.TRANSFER_ENCODING.headerName()).isSameAs("transfer-encoding");
    }

    @Test
    void unknownNamesAreLowerCasedNewStrings() {
        String a = nameOf("X-My-Header");
        String b = nameOf("X-My-Header");
        assertThat(a).isEqualTo("x-my-header").isEqualTo(b).isNotSameAs(b);
        byte[] none = bytes("Hosts");
        assertThat(KnownHeader.match(none, 0, none.length)).isNull();
        assertThat(KnownHeader.match(none, 0, 0)).isNull();
        byte[] lookalike = bytes("Hos\u00f4");
        assertThat(KnownHeader.match(lookalike, 0, lookalike.length)).isNull();
        byte[] longer = bytes("x".repeat(100));
        assertThat(KnownHeader.match(longer, 0, longer.length)).isNull();
    }

    @Test
    void byteRangesBecomeLatin1Strings() {
        byte[] b = bytes("..caf\u00e9..");
        assertThat(AsciiStrings.latin1(b, 2, 6)).isEqualTo("caf\u00e9");
        assertThat(AsciiStrings.lowerCaseLatin1(bytes("AbC-\u00c9"), 0, 5)).isEqualTo("abc-\u00c9");
        assertThat(AsciiStrings.equalsIgnoreCase(bytes("ChUnKeD"), 0, 7, "chunked")).isTrue();
        assertThat(AsciiStrings.equalsIgnoreCase(bytes("chunke"), 0, 6, "chunked")).isFalse();
        assertThat(AsciiStrings.equalsIgnoreCase(bytes("CLOSE"), 0, 5, bytes("close"))).isTrue();
        // Only ASCII letters fold: 0xC9 and 0xE9 are different bytes.
        assertThat(AsciiStrings.equalsIgnoreCase(bytes("\u00c9"), 0, 1, "\u00e9")).isFalse();
    }

    @Test
    void everyRejectionReasonMapsToItsStatusCode() {
        Map<RequestRejectionReason, Integer> expected = new EnumMap<>(RequestRejectionReason.class);
        for (RequestRejectionReason r : RequestRejectionReason.values()) {
            expected.put(r, 400);
        }
        expected.put(RequestRejectionReason.REQUEST_LINE_TOO_LONG, 414);
        expected.put(RequestRejectionReason.HEADERS_TOO_LARGE, 431);
        expected.put(RequestRejectionReason.TOO_MANY_HEADERS, 431);
        expected.put(RequestRejectionReason.TRAILERS_TOO_LARGE, 431);
        expected.put(RequestRejectionReason.UNSUPPORTED_TRANSFER_ENCODING, 501);
        expected.put(RequestRejectionReason.UNSUPPORTED_HTTP_VERSION, 505);
        expected.put(RequestRejectionReason.REQUEST_BODY_TOO_LARGE, 413);
        expected.put(RequestRejectionReason.REQUEST_HEADERS_TIMEOUT, 408);
        expected.put(RequestRejectionReason.REQUEST_BODY_TIMEOUT, 408);
        for (RequestRejectionReason r : RequestRejectionReason.values()) {
            assertThat(r.statusCode()).as(r.name()).isEqualTo(expected.get(r));
            assertThat(r.description()).isNotBlank();
        }
    }

    @Test
    void badRequestExceptionIsCheapAndCarriesItsReason() {
        BadRequestException e = new BadRequestException(RequestRejectionReason.INVALID_HOST, "x y");
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e.reason()).isEqualTo(RequestRejectionReason.INVALID_HOST);
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.detail()).isEqualTo("x y");
        assertThat(e.getMessage()).isEqualTo("Invalid Host header: x y");
        assertThat(new BadRequestException(RequestRejectionReason.BARE_LF).getMessage())
                .isEqualTo("Bare LF line terminator");
    }

    @Test
    void exceptionDetailsNeverEchoControlBytes() {
        byte[] b = bytes("GET / HTTP/1.1\r\nHost: a\u0000b\r\n\r\n");
        HttpRequestParser p = new HttpRequestParser();
        int next = p.parseRequestLine(b, 0, b.length, line -> { });
        try {
            p.parseHeaders(b, next, b.length, (buf, ns, ne, vs, ve) -> { });
        } catch (BadRequestException e) {
            assertThat(e.getMessage()).doesNotContain("\u0000").contains("0x00");
            return;
        }
        throw new AssertionError("not rejected");
    }

    @Test
    void limitsDefaultToKestrels() {
        Http1Limits d = Http1Limits.defaults();
        assertThat(d.maxRequestLineLength()).isEqualTo(8192);
        assertThat(d.maxHeaderBytes()).isEqualTo(32768);
        assertThat(d.maxHeaderCount()).isEqualTo(100);
        assertThat(d.maxChunkExtensionBytes()).isEqualTo(4096);
    }
}
