package dev.lanner.server.internal.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The request header rules of RFC 9113 §8.1.1, §8.2, §8.3, applied to decoded fields. */
class Http2RequestHeaderValidatorTest {

    private final Http2RequestHeaderValidator validator = new Http2RequestHeaderValidator();
    private final HttpHeaders headers = new HttpHeaders(8);

    @BeforeEach
    void start() {
        validator.start(headers);
    }

    private void field(String name, String value) {
        byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
        byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
        validator.header(null, n, 0, n.length, null, v, 0, v.length, false);
    }

    private void get(String path) {
        field(":method", "GET");
        field(":scheme", "https");
        field(":authority", "example.com");
        field(":path", path);
    }

    @Test
    void acceptsARequestAndSplitsPathAndQuery() {
        get("/a%20b?x=1");
        field("accept", "*/*");
        assertThat(validator.finish(true)).isNull();
        assertThat(validator.method()).isEqualTo("GET");
        assertThat(validator.scheme()).isEqualTo("https");
        assertThat(validator.path()).isEqualTo("/a b");
        assertThat(validator.queryString()).isEqualTo("?x=1");
        assertThat(validator.target()).isEqualTo("/a%20b?x=1");
        assertThat(headers.get("host")).isEqualTo("example.com"); // §8.3.1: :authority as Host
        assertThat(headers.get("accept")).isEqualTo("*/*");
    }

    @Test
    void joinsSplitCookies() {
        get("/");
        field("cookie", "a=1");
        field("cookie", "b=2");
        assertThat(validator.finish(true)).isNull();
        assertThat(headers.get("cookie")).isEqualTo("a=1; b=2"); // §8.2.3
    }

    @ParameterizedTest
    @ValueSource(strings = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"})
    void refusesConnectionSpecificFields(String name) {
        get("/");
        field(name, "x");
        assertThat(validator.finish(true)).isEqualTo("connection-specific field " + name); // §8.2.2
    }

    @Test
    void teOnlyAsTrailers() {
        get("/");
        field("te", "trailers");
        assertThat(validator.finish(true)).isNull();
        start();
        get("/");
        field("te", "gzip");
        assertThat(validator.finish(true)).isEqualTo("te other than trailers");
    }

    @Test
    void refusesUpperCaseNamesAndBadValues() {
        get("/");
        field("Accept", "x");
        assertThat(validator.finish(true)).isEqualTo("invalid header name"); // §8.2.1
        start();
        get("/");
        field("accept", " padded");
        assertThat(validator.finish(true)).isEqualTo("invalid value in accept");
    }

    @Test
    void pseudoHeadersComeFirstOnceEachAndOnlyTheRequestOnes() {
        field(":method", "GET");
        field("accept", "x");
        field(":path", "/");
        assertThat(validator.finish(true)).isEqualTo("pseudo-header after a regular field");
        start();
        get("/");
        field(":path", "/again");
        assertThat(validator.finish(true)).isEqualTo("duplicate :path");
        start();
        get("/");
        field(":status", "200");
        assertThat(validator.finish(true)).isEqualTo("unknown pseudo-header :status");
    }

    @Test
    void requiresMethodSchemeAndANonEmptyPath() {
        field(":scheme", "http");
        field(":path", "/");
        assertThat(validator.finish(true)).isEqualTo("missing :method");
        start();
        field(":method", "GET");
        field(":path", "/");
        assertThat(validator.finish(true)).isEqualTo("missing :scheme");
        start();
        field(":method", "GET");
        field(":scheme", "http");
        field(":path", "");
        assertThat(validator.finish(true)).isEqualTo("empty :path");
    }

    @Test
    void connectCarriesOnlyMethodAndAuthority() {
        field(":method", "CONNECT");
        field(":authority", "example.com:443");
        assertThat(validator.finish(false)).isNull(); // §8.5
        start();
        field(":method", "CONNECT");
        field(":authority", "example.com:443");
        field(":path", "/");
        assertThat(validator.finish(false)).isEqualTo("malformed CONNECT");
    }

    @Test
    void contentLengthMustBeOneNumberAndMatchAnEmptyBody() {
        get("/");
        field("content-length", "5");
        assertThat(validator.finish(false)).isNull();
        assertThat(validator.declaredLength()).isEqualTo(5);
        start();
        get("/");
        field("content-length", "5");
        field("content-length", "6");
        assertThat(validator.finish(false)).isEqualTo("invalid content-length");
        start();
        get("/");
        field("content-length", "5");
        assertThat(validator.finish(true)).isEqualTo("content-length without DATA"); // §8.1.1
    }

    @Test
    void trailersRefusePseudoHeaders() {
        Http2RequestHeaderValidator.Trailers trailers = new Http2RequestHeaderValidator.Trailers();
        trailers.start();
        byte[] name = ":path".getBytes(StandardCharsets.ISO_8859_1);
        trailers.header(null, name, 0, name.length, null, new byte[0], 0, 0, false);
        assertThat(trailers.malformed()).isTrue();
        trailers.start();
        byte[] ok = "x-checksum".getBytes(StandardCharsets.ISO_8859_1);
        trailers.header(null, ok, 0, ok.length, null, new byte[0], 0, 0, false);
        assertThat(trailers.malformed()).isFalse();
    }
}
