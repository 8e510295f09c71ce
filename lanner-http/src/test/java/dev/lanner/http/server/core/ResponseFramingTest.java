package dev.lanner.http.server.core;

import static dev.lanner.http.server.core.ResponseFraming.Protocol.HTTP_1_0;
import static dev.lanner.http.server.core.ResponseFraming.Protocol.HTTP_1_1;
import static dev.lanner.http.server.core.ResponseFraming.Protocol.HTTP_2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResponseFramingTest {

    private final ResponseFraming framing = new ResponseFraming();

    /** A response whose application set no framing field and finished with {@code buffered} bytes. */
    private EndOfContent completed(ResponseFraming.Protocol protocol, int status, boolean head, long buffered) {
        return framing.decide(protocol, status, head, false, null, null, null, true, true, buffered, false);
    }

    @ParameterizedTest
    @EnumSource(ResponseFraming.Protocol.class)
    void aCompletedBodyGetsAnAutomaticContentLength(ResponseFraming.Protocol protocol) {
        assertThat(completed(protocol, 200, false, 13)).isEqualTo(EndOfContent.CONTENT_LENGTH);
        assertThat(framing.contentLength()).isEqualTo(13);
        assertThat(framing.addContentLength()).isTrue();
        assertThat(framing.addChunked()).isFalse();
        assertThat(framing.keepAlive()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(ResponseFraming.Protocol.class)
    void headKeepsTheLengthOfTheGetBodyButSendsNone(ResponseFraming.Protocol protocol) {
        assertThat(completed(protocol, 200, true, 13)).isEqualTo(EndOfContent.NONE);
        assertThat(framing.addContentLength()).isTrue();
        assertThat(framing.contentLength()).isEqualTo(13);
    }

    @ParameterizedTest
    @EnumSource(ResponseFraming.Protocol.class)
    void headWithNothingWrittenClaimsNoLength(ResponseFraming.Protocol protocol) {
        assertThat(completed(protocol, 200, true, 0)).isEqualTo(EndOfContent.NONE);
        assertThat(framing.addContentLength()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 101, 103, 204, 304})
    void statusesWithoutContentHaveNoBodyAndNoAddedLength(int status) {
        assertThat(completed(HTTP_1_1, status, false, 0)).isEqualTo(EndOfContent.NONE);
        assertThat(framing.addContentLength()).isFalse();
        assertThat(framing.addChunked()).isFalse();
    }

    @Test
    void noContentDropsTheApplicationsFramingFieldsButNotModifiedKeepsItsLength() {
        framing.decide(HTTP_1_1, 204, false, false, "5", "chunked", null, true, true, 0, false);
        assertThat(framing.dropContentLength()).isTrue();
        assertThat(framing.dropTransferEncoding()).isTrue();
        framing.decide(HTTP_1_1, 304, false, false, "5", null, null, true, true, 0, false);
        assertThat(framing.endOfContent()).isEqualTo(EndOfContent.NONE);
        assertThat(framing.dropContentLength()).isFalse();
    }

    @Test
    void anUnfinishedBodyIsChunkedOnHttp11AndStreamedOnHttp2() {
        assertThat(framing.decide(HTTP_1_1, 200, false, false, null, null, null, true, false, 8192, false))
                .isEqualTo(EndOfContent.CHUNKED);
        assertThat(framing.addChunked()).isTrue();
        assertThat(framing.decide(HTTP_2, 200, false, false, null, null, null, true, false, 8192, false))
                .isEqualTo(EndOfContent.CHUNKED);
        assertThat(framing.addChunked()).isFalse();
    }

    @Test
    void anUnfinishedBodyToAnHttp10ClientEndsWithTheConnection() {
        assertThat(framing.decide(HTTP_1_0, 200, false, false, null, null, null, true, false, 0, false))
                .isEqualTo(EndOfContent.CLOSE_DELIMITED);
        assertThat(framing.keepAlive()).isFalse();
        assertThat(framing.addConnectionClose()).isTrue();
    }

    @Test
    void trailersNeedChunkedOnHttp11ButNotOnHttp2() {
        assertThat(framing.decide(HTTP_1_1, 200, false, false, null, null, null, true, true, 5, true))
                .isEqualTo(EndOfContent.CHUNKED);
        assertThat(framing.decide(HTTP_2, 200, false, false, null, null, null, true, true, 5, true))
                .isEqualTo(EndOfContent.CONTENT_LENGTH);
    }

    @Test
    void theApplicationsContentLengthWins() {
        assertThat(framing.decide(HTTP_1_1, 200, false, false, "42", null, null, true, false, 0, false))
                .isEqualTo(EndOfContent.CONTENT_LENGTH);
        assertThat(framing.contentLength()).isEqualTo(42);
        assertThat(framing.addContentLength()).isFalse();
    }

    @Test
    void contentLengthWithTransferEncodingIsDroppedOnHttp11() {
        // RFC 9112 §6.2: never both; Transfer-Encoding frames the body.
        assertThat(framing.decide(HTTP_1_1, 200, false, false, "42", "chunked", null, true, false, 0, false))
                .isEqualTo(EndOfContent.CHUNKED);
        assertThat(framing.dropContentLength()).isTrue();
        assertThat(framing.addChunked()).isFalse();
    }

    @Test
    void transferEncodingIsNeverSentOnHttp2() {
        assertThat(framing.decide(HTTP_2, 200, false, false, null, "chunked", null, true, true, 3, false))
                .isEqualTo(EndOfContent.CONTENT_LENGTH);
        assertThat(framing.dropTransferEncoding()).isTrue();
    }

    @Test
    void aCodingThatIsNotChunkedLastEndsWithTheConnection() {
        assertThat(framing.decide(HTTP_1_1, 200, false, false, null, "gzip", null, true, false, 0, false))
                .isEqualTo(EndOfContent.CLOSE_DELIMITED);
        assertThat(framing.keepAlive()).isFalse();
    }

    @Test
    void successfulConnectHasNoFramingAndClosesOnHttp11() {
        assertThat(framing.decide(HTTP_1_1, 200, false, true, "5", null, null, true, true, 0, false))
                .isEqualTo(EndOfContent.CLOSE_DELIMITED);
        assertThat(framing.dropContentLength()).isTrue();
        assertThat(framing.keepAlive()).isFalse();
    }

    @Test
    void connectionCloseFromTheApplicationEndsKeepAliveWithoutAddingASecondField() {
        completedWithConnection("close");
        assertThat(framing.keepAlive()).isFalse();
        assertThat(framing.addConnectionClose()).isFalse();
    }

    @Test
    void http10KeepAliveIsAnnouncedAndHttp2NeverCloses() {
        completed(HTTP_1_0, 200, false, 2);
        assertThat(framing.addConnectionKeepAlive()).isTrue();
        framing.decide(HTTP_2, 200, false, false, null, null, "close", false, true, 2, false);
        assertThat(framing.keepAlive()).isTrue();
        assertThat(framing.addConnectionClose()).isFalse();
    }

    @Test
    void aConnectionThatMustCloseSaysSoExceptOnAnInterimResponse() {
        framing.decide(HTTP_1_1, 200, false, false, null, null, null, false, true, 2, false);
        assertThat(framing.addConnectionClose()).isTrue();
        framing.decide(HTTP_1_1, 100, false, false, null, null, null, false, true, 0, false);
        assertThat(framing.addConnectionClose()).isFalse();
    }

    @Test
    void aContentLengthThatIsNotANumberIsTheApplicationsError() {
        assertThatThrownBy(() -> framing.decide(HTTP_1_1, 200, false, false, "ten", null, null, true, true, 0, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("invalid Content-Length set by the application: ten");
        assertThat(ResponseFraming.parseContentLength(" 12 ")).isEqualTo(12);
        assertThatThrownBy(() -> ResponseFraming.parseContentLength("-1")).isInstanceOf(IllegalStateException.class);
    }

    private void completedWithConnection(String connection) {
        framing.decide(HTTP_1_1, 200, false, false, null, null, connection, true, true, 2, false);
    }
}
