package dev.lanner.server.internal.http1;

import static dev.lanner.server.internal.http1.TestBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Response head: status line (RFC 9112 §4), Date (RFC 9110 §6.6.1), field lines (§5). */
class ResponseWritingTest {

    private static String text(byte[] b) {
        return TestBytes.text(b, 0, b.length);
    }

    // ---- status lines ------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "100|HTTP/1.1 100 Continue",
        "101|HTTP/1.1 101 Switching Protocols",
        "200|HTTP/1.1 200 OK",
        "204|HTTP/1.1 204 No Content",
        "304|HTTP/1.1 304 Not Modified",
        "400|HTTP/1.1 400 Bad Request",
        "404|HTTP/1.1 404 Not Found",
        "408|HTTP/1.1 408 Request Timeout",
        "413|HTTP/1.1 413 Content Too Large",
        "414|HTTP/1.1 414 URI Too Long",
        "431|HTTP/1.1 431 Request Header Fields Too Large",
        "500|HTTP/1.1 500 Internal Server Error",
        "501|HTTP/1.1 501 Not Implemented",
        "505|HTTP/1.1 505 HTTP Version Not Supported",
    })
    void statusLinesCarryRfc9110ReasonPhrases_section4(int status, String line) {
        assertThat(text(StatusLines.of(status))).isEqualTo(line + "\r\n");
    }

    @Test
    void unregisteredCodesGetAnEmptyReasonAfterTheSecondSpace_section4() {
        assertThat(text(StatusLines.of(599))).isEqualTo("HTTP/1.1 599 \r\n");
        assertThat(text(StatusLines.of(999))).isEqualTo("HTTP/1.1 999 \r\n");
        assertThat(text(StatusLines.of(418))).isEqualTo("HTTP/1.1 418 \r\n");
        assertThat(StatusLines.reasonPhrase(299)).isEmpty();
        assertThat(StatusLines.reasonPhrase(200)).isEqualTo("OK");
    }

    @Test
    void statusLinesArePreEncodedOnce() {
        assertThat(StatusLines.of(200)).isSameAs(StatusLines.of(200));
        assertThat(StatusLines.of(599)).isSameAs(StatusLines.of(599));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 99, 1000})
    void rejectsStatusCodesOutside100To999(int status) {
        assertThatThrownBy(() -> StatusLines.of(status)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyRejectionStatusHasAStatusLine() {
        for (RequestRejectionReason r : RequestRejectionReason.values()) {
            assertThat(StatusLines.reasonPhrase(r.statusCode())).as(r.name()).isNotEmpty();
        }
    }

    // ---- Date ----------------------------------------------------------------------------------------

    @Test
    void formatsImfFixdate_rfc9110_section5_6_7() {
        // The example of RFC 9110 §5.6.7.
        DateHeaderValue date = new DateHeaderValue(784_111_777_000L);
        assertThat(date.value()).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(text(date.headerLine())).isEqualTo("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n");
        assertThat(new DateHeaderValue(0).value()).isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
        assertThat(new DateHeaderValue(951_782_400_999L).value()).isEqualTo("Tue, 29 Feb 2000 00:00:00 GMT");
        assertThat(new DateHeaderValue(253_402_300_799_000L).value()).isEqualTo("Fri, 31 Dec 9999 23:59:59 GMT");
    }

    @Test
    void refreshReencodesOnlyWhenTheSecondChanges() {
        DateHeaderValue date = new DateHeaderValue(1_000_000_000_000L);
        byte[] first = date.headerLine();
        date.refresh(1_000_000_000_999L);
        assertThat(date.headerLine()).isSameAs(first);
        date.refresh(1_000_000_001_000L);
        assertThat(date.headerLine()).isNotSameAs(first);
        assertThat(date.value()).isEqualTo("Sun, 09 Sep 2001 01:46:41 GMT");
    }

    // ---- field lines -------------------------------------------------------------------------------

    @Test
    void writesAResponseHeadExactly() {
        DateHeaderValue date = new DateHeaderValue(784_111_777_000L);
        ResponseHeaderWriter w = new ResponseHeaderWriter(16);
        w.statusLine(200)
                .append(date.headerLine())
                .header(KnownHeader.CONTENT_TYPE, "text/plain; charset=utf-8")
                .header(KnownHeader.CONTENT_LENGTH, 13)
                .header("x-custom", "a\tb caf\u00e9")
                .endOfHeaders();
        assertThat(TestBytes.text(w.array(), 0, w.length())).isEqualTo("HTTP/1.1 200 OK\r\n"
                + "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 13\r\n"
                + "x-custom: a\tb caf\u00e9\r\n"
                + "\r\n");
        assertThat(w.toByteArray()).hasSize(w.length());
        ByteBuffer bb = ByteBuffer.allocate(w.length());
        w.writeTo(bb);
        assertThat(bb.array()).isEqualTo(w.toByteArray());
    }

    @Test
    void writesNumericValuesWithoutAllocatingAString() {
        ResponseHeaderWriter w = new ResponseHeaderWriter();
        w.header(KnownHeader.CONTENT_LENGTH, 0).header(KnownHeader.CONTENT_LENGTH, Long.MAX_VALUE)
                .header(KnownHeader.AGE, 1_000_000);
        assertThat(TestBytes.text(w.array(), 0, w.length())).isEqualTo(
                "Content-Length: 0\r\nContent-Length: 9223372036854775807\r\nAge: 1000000\r\n");
        assertThatThrownBy(() -> w.header(KnownHeader.CONTENT_LENGTH, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resetKeepsTheArray() {
        ResponseHeaderWriter w = new ResponseHeaderWriter();
        w.statusLine(404);
        byte[] array = w.array();
        w.reset();
        assertThat(w.length()).isZero();
        w.statusLine(204);
        assertThat(w.array()).isSameAs(array);
        assertThat(TestBytes.text(w.array(), 0, w.length())).isEqualTo("HTTP/1.1 204 No Content\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nSet-Cookie: x=1", "a\rb", "a\nb", "a\u0000b", "a\u007fb", "a\u001bb", "\u0100"})
    void rejectsValuesThatWouldSplitTheResponse(String value) {
        ResponseHeaderWriter w = new ResponseHeaderWriter();
        assertThatThrownBy(() -> w.header("X-A", value)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.header(KnownHeader.LOCATION, value)).isInstanceOf(IllegalArgumentException.class);
        assertThat(w.length()).as("nothing written").isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "X A", "X:A", "X\r\nY", "X\nY", "\u00e9", "X(A)"})
    void rejectsNamesThatAreNotTokens(String name) {
        ResponseHeaderWriter w = new ResponseHeaderWriter();
        assertThatThrownBy(() -> w.header(name, "v")).isInstanceOf(IllegalArgumentException.class);
        assertThat(w.length()).isZero();
    }

    @Test
    void knownHeadersAreWrittenInTheirConventionalSpelling() {
        ResponseHeaderWriter w = new ResponseHeaderWriter();
        w.header(KnownHeader.WWW_AUTHENTICATE, "Basic").header(KnownHeader.ETAG, "\"x\"")
                .header(KnownHeader.TE, "trailers");
        assertThat(TestBytes.text(w.array(), 0, w.length()))
                .isEqualTo("WWW-Authenticate: Basic\r\nETag: \"x\"\r\nTE: trailers\r\n");
        assertThat(bytes(KnownHeader.SEC_WEBSOCKET_ACCEPT.canonicalName() + ": "))
                .isEqualTo(KnownHeader.SEC_WEBSOCKET_ACCEPT.fieldPrefix());
    }

    @Test
    void writesOnInALentArrayAndGrowsOutOfItWithoutTouchingIt() {
        ResponseHeaderWriter w = new ResponseHeaderWriter(16);
        byte[] lent = new byte[8];
        lent[0] = 'a';
        lent[1] = 'b';

        w.useArray(lent, 2);
        w.append(bytes("cd"));
        assertThat(w.array()).isSameAs(lent);
        assertThat(TestBytes.text(w.array(), 0, w.length())).isEqualTo("abcd");

        w.append(bytes("efghij"));
        assertThat(w.array()).isNotSameAs(lent);
        assertThat(TestBytes.text(w.array(), 0, w.length())).isEqualTo("abcdefghij");
        assertThat(TestBytes.text(lent, 0, 4)).isEqualTo("abcd");
    }
}
