package dev.lanner.server.e2e.http2;

import static dev.lanner.server.e2e.http2.H2Frames.FLAG_END_HEADERS;
import static dev.lanner.server.e2e.http2.H2Frames.FLAG_END_STREAM;
import static dev.lanner.server.e2e.http2.H2Frames.PROTOCOL_ERROR;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 9113 §8.1–8.3 HTTP message semantics: malformed requests are stream errors of type
 * PROTOCOL_ERROR (§8.1.1) and leave the connection usable; valid ones reach the application with
 * the fields it expects.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http2HeadersConformanceTest {

    private static H2TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = H2TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // RFC 9113 §8.2.1: "A field name MUST NOT contain characters in the ranges 0x00-0x20, 0x41-0x5a,
    // or 0x7f-0xff (all ranges inclusive)"; "field names MUST NOT include a colon" (except pseudo-header
    // fields); "A request or response containing an uppercase character in a field name MUST be
    // treated as malformed"; §8.1.1: "Malformed requests or responses that
    // are detected MUST be treated as a stream error (Section 5.4.2) of type PROTOCOL_ERROR."
    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"X-Upper", "x-Upper", "x y", "x\u0000y", "x\u007fy", "x\u00e9", "x\ty", "x:y"})
    void invalidCharacterInAFieldNameIsAStreamProtocolError(String name) throws IOException {
        assertMalformed(RawFieldBlock.get("/").literalWithoutIndexing(name, "1"));
    }

    // RFC 9113 §8.2.1: "A field value MUST NOT contain the zero value (ASCII NUL, 0x00), line feed
    // (ASCII LF, 0x0a), or carriage return (ASCII CR, 0x0d) at any position"; "A field value MUST NOT
    // start or end with an ASCII whitespace character (ASCII SP or HTAB, 0x20 or 0x09)."
    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"a\u0000b", "a\nb", "a\rb", " a", "a ", "\ta", "a\t"})
    void invalidCharacterInAFieldValueIsAStreamProtocolError(String value) throws IOException {
        assertMalformed(RawFieldBlock.get("/").literalWithoutIndexing("x-value", value));
    }

    // RFC 9113 §8.3: "All pseudo-header fields MUST appear in a field block before all regular field
    // lines. Any request or response that contains a pseudo-header field that appears in a field
    // block after a regular field line MUST be treated as malformed."
    @Test
    void pseudoHeaderAfterARegularFieldIsAStreamProtocolError() throws IOException {
        assertMalformed(RawFieldBlock.create().indexed(RawFieldBlock.METHOD_GET).indexed(RawFieldBlock.SCHEME_HTTP)
                .literalWithoutIndexing(RawFieldBlock.AUTHORITY, "127.0.0.1")
                .literalWithoutIndexing("x-regular", "1")
                .literalWithoutIndexing(RawFieldBlock.PATH, "/"));
    }

    // RFC 9113 §8.3: "Endpoints MUST treat a request or response that contains undefined or invalid
    // pseudo-header fields as malformed."
    @Test
    void unknownPseudoHeaderIsAStreamProtocolError() throws IOException {
        assertMalformed(RawFieldBlock.get("/").literalWithoutIndexing(":foo", "bar"));
    }

    // RFC 9113 §8.3: "Pseudo-header fields defined for responses MUST NOT appear in requests."
    @Test
    void responsePseudoHeaderInARequestIsAStreamProtocolError() throws IOException {
        assertMalformed(RawFieldBlock.create().indexed(RawFieldBlock.METHOD_GET).indexed(RawFieldBlock.SCHEME_HTTP)
                .literalWithoutIndexing(RawFieldBlock.AUTHORITY, "127.0.0.1")
                .literalWithoutIndexing(RawFieldBlock.PATH, "/")
                .indexed(RawFieldBlock.STATUS_200));
    }

    // RFC 9113 §8.3.1: "The same pseudo-header field name MUST NOT appear more than once in a field
    // block. A field block for an HTTP request or response that contains a repeated pseudo-header
    // field name MUST be treated as malformed."
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {":method", ":path", ":scheme", ":authority"})
    void repeatedPseudoHeaderIsAStreamProtocolError(String name) throws IOException {
        RawFieldBlock block = RawFieldBlock.get("/");
        block.literalWithoutIndexing(name, switch (name) {
            case ":method" -> "GET";
            case ":path" -> "/";
            case ":scheme" -> "http";
            default -> "127.0.0.1";
        });
        // Repeated pseudo-headers must come before regular fields too: this block has none.
        assertMalformed(block);
    }

    // RFC 9113 §8.3.1: "All HTTP/2 requests MUST include exactly one valid value for the :method,
    // :scheme, and :path pseudo-header fields, unless they are CONNECT requests"; "A request that
    // omits mandatory pseudo-header fields is malformed."
    @ParameterizedTest(name = "without {0}")
    @ValueSource(strings = {":method", ":scheme", ":path"})
    void requestWithoutAMandatoryPseudoHeaderIsAStreamProtocolError(String missing) throws IOException {
        RawFieldBlock block = RawFieldBlock.create();
        if (!missing.equals(":method")) {
            block.indexed(RawFieldBlock.METHOD_GET);
        }
        if (!missing.equals(":scheme")) {
            block.indexed(RawFieldBlock.SCHEME_HTTP);
        }
        block.literalWithoutIndexing(RawFieldBlock.AUTHORITY, "127.0.0.1");
        if (!missing.equals(":path")) {
            block.literalWithoutIndexing(RawFieldBlock.PATH, "/");
        }
        assertMalformed(block);
    }

    // RFC 9113 §8.3.1 :path: "This pseudo-header field MUST NOT be empty for "http" or "https" URIs;
    // "http" or "https" URIs that do not contain a path component MUST include a value of '/'."
    @Test
    void emptyPathIsAStreamProtocolError() throws IOException {
        assertMalformed(RawFieldBlock.get(""));
    }

    // RFC 9113 §8.2.2: "An endpoint MUST NOT generate an HTTP/2 message containing
    // connection-specific header fields. This includes the Connection header field and those listed
    // as having connection-specific semantics (i.e., Proxy-Connection, Keep-Alive,
    // Transfer-Encoding, and Upgrade). Any message containing connection-specific header fields MUST
    // be treated as malformed."
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"connection: keep-alive", "keep-alive: timeout=5", "proxy-connection: keep-alive",
            "transfer-encoding: chunked", "upgrade: h2c"})
    void connectionSpecificFieldIsAStreamProtocolError(String field) throws IOException {
        String[] nameValue = field.split(": ", 2);
        assertMalformed(RawFieldBlock.get("/").literalWithoutIndexing(nameValue[0], nameValue[1]));
    }

    // RFC 9113 §8.2.2: "The only exception to this is the TE header field, which MAY be present in an
    // HTTP/2 request; when it is, it MUST NOT contain any value other than "trailers"."
    @ParameterizedTest(name = "te: {0}")
    @ValueSource(strings = {"gzip", "trailers, gzip", "chunked"})
    void teOtherThanTrailersIsAStreamProtocolError(String value) throws IOException {
        assertMalformed(RawFieldBlock.get("/").literalWithoutIndexing("te", value));
    }

    // RFC 9113 §8.2.2: TE: trailers is allowed.
    @Test
    void teTrailersIsAccepted() throws IOException {
        try (H2Connection c = server.connect()) {
            H2Response response = c.get("/", "te", "trailers");
            assertThat(response.status()).isEqualTo(200);
        }
    }

    // RFC 9113 §8.5: "The :scheme and :path pseudo-header fields MUST be omitted" from CONNECT
    // requests; a CONNECT request with them is malformed.
    @Test
    void connectWithSchemeAndPathIsAStreamProtocolError() throws IOException {
        assertMalformed(RawFieldBlock.request("CONNECT", "/"));
    }

    // RFC 9113 §8.1.1: "A request or response is also malformed if the value of a content-length
    // header field does not equal the sum of the DATA frame payload lengths that form the content".
    @ParameterizedTest(name = "content-length {0}, {1} octets sent")
    @CsvSource({"10, 5", "3, 5", "1, 0", "0, 1"})
    void contentLengthNotMatchingTheDataIsAStreamProtocolError(int contentLength, int sent) throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.newStreamId();
            c.send(H2Frames.headers(streamId, FLAG_END_HEADERS, RawFieldBlock.request("POST", "/length")
                    .literalWithoutIndexing(RawFieldBlock.CONTENT_LENGTH, Integer.toString(contentLength)).bytes()));
            c.send(H2Frames.data(streamId, FLAG_END_STREAM, new byte[sent]));
            c.expectRstStream(streamId, PROTOCOL_ERROR);
            c.assertServes();
        }
    }

    // RFC 9113 §8.1.1, as above, with the content spread over several DATA frames (h2spec 8.1.2.6/2).
    @Test
    void contentLengthNotMatchingDataSpreadOverFramesIsAStreamProtocolError() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.newStreamId();
            c.send(H2Frames.headers(streamId, FLAG_END_HEADERS, RawFieldBlock.request("POST", "/length")
                    .literalWithoutIndexing(RawFieldBlock.CONTENT_LENGTH, "4").bytes()));
            c.send(H2Frames.data(streamId, 0, new byte[2]), H2Frames.data(streamId, 0, new byte[2]),
                    H2Frames.data(streamId, FLAG_END_STREAM, new byte[1]));
            c.expectRstStream(streamId, PROTOCOL_ERROR);
            c.assertServes();
        }
    }

    // RFC 9113 §8.1.1, as above: a GET whose HEADERS end the stream has no content, so a
    // content-length other than 0 is malformed.
    @Test
    void contentLengthOnARequestWithoutDataIsAStreamProtocolError() throws IOException {
        assertMalformed(RawFieldBlock.get("/").literalWithoutIndexing(RawFieldBlock.CONTENT_LENGTH, "5"));
    }

    // RFC 9113 §8.1.1: a content-length equal to the DATA received is fine, across several frames.
    @Test
    void contentLengthMatchingTheDataIsAccepted() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.request("POST", "/echo", false, "content-length", "6");
            c.send(H2Frames.data(streamId, 0, "abc".getBytes(StandardCharsets.US_ASCII)),
                    H2Frames.data(streamId, FLAG_END_STREAM, "def".getBytes(StandardCharsets.US_ASCII)));
            H2Response response = c.readResponse(streamId);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("abcdef");
        }
    }

    // RFC 9113 §8.1: request trailers (a second HEADERS with END_STREAM) are accepted.
    @Test
    void requestTrailersAreAccepted() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.request("POST", "/echo", false);
            c.send(H2Frames.data(streamId, 0, "abc".getBytes(StandardCharsets.US_ASCII)));
            c.send(H2Frames.headers(streamId, FLAG_END_HEADERS | FLAG_END_STREAM,
                    RawFieldBlock.create().literalWithoutIndexing("x-checksum", "42").bytes()));
            H2Response response = c.readResponse(streamId);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("abc");
        }
    }

    // RFC 9113 §8.1: "An endpoint that receives a HEADERS frame without the END_STREAM flag set after
    // receiving the HEADERS frame that opens a request or after receiving a final (non-informational)
    // status code MUST treat the corresponding request or response as malformed."
    @Test
    void trailersWithoutEndStreamAreAStreamProtocolError() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.request("POST", "/echo", false);
            c.send(H2Frames.data(streamId, 0, "abc".getBytes(StandardCharsets.US_ASCII)));
            c.send(H2Frames.headers(streamId, FLAG_END_HEADERS,
                    RawFieldBlock.create().literalWithoutIndexing("x-checksum", "42").bytes()));
            c.expectRstStream(streamId, PROTOCOL_ERROR);
            c.assertServes();
        }
    }

    // RFC 9113 §8.3: "Pseudo-header fields MUST NOT appear in a trailer section"; "Endpoints MUST treat
    // a request or response that contains undefined or invalid pseudo-header fields as malformed."
    @Test
    void pseudoHeaderInTrailersIsAStreamProtocolError() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.request("POST", "/echo", false);
            c.send(H2Frames.data(streamId, 0, "abc".getBytes(StandardCharsets.US_ASCII)));
            c.send(H2Frames.headers(streamId, FLAG_END_HEADERS | FLAG_END_STREAM,
                    RawFieldBlock.create().literalWithoutIndexing(RawFieldBlock.PATH, "/other").bytes()));
            c.expectRstStream(streamId, PROTOCOL_ERROR);
            c.assertServes();
        }
    }

    // RFC 9113 §8.3.1: ":authority ... Clients that generate HTTP/2 requests directly MUST use the
    // :authority pseudo-header field to convey authority information" — the server maps it to the
    // Host field the application sees.
    @Test
    void authorityBecomesTheHostTheApplicationSees() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.newStreamId();
            c.send(H2Frames.headers(streamId, FLAG_END_HEADERS | FLAG_END_STREAM, RawFieldBlock.create()
                    .indexed(RawFieldBlock.METHOD_GET).indexed(RawFieldBlock.SCHEME_HTTP)
                    .literalWithoutIndexing(RawFieldBlock.AUTHORITY, "example.test:8443")
                    .literalWithoutIndexing(RawFieldBlock.PATH, "/headers?q=1").bytes()));
            H2Response response = c.readResponse(streamId);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).contains("host=example.test:8443\n").contains("method=GET\n")
                    .contains("path=/headers?q=1\n");
        }
    }

    // RFC 9113 §8.2.3: "the Cookie header field MAY be split into separate header fields, each with
    // one or more cookie-pairs"; "If there are multiple Cookie header fields after decompression,
    // these MUST be concatenated into a single octet string using the two-octet delimiter of 0x3b,
    // 0x20 (the ASCII string "; ") before being passed into a non-HTTP/2 context".
    @Test
    void splitCookieFieldsReachTheApplicationJoinedWithSemicolons() throws IOException {
        try (H2Connection c = server.connect()) {
            H2Response response = c.get("/headers", "cookie", "a=1", "x-between", "z", "cookie", "b=2",
                    "cookie", "c=3; d=4");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).contains("cookie=a=1; b=2; c=3; d=4\n");
        }
    }

    // RFC 9113 §8.2: field names are lower case, and §8.2.2: the server generates no
    // connection-specific fields in its responses.
    @Test
    void responseFieldsAreLowerCaseWithoutConnectionSpecificOnes() throws IOException {
        try (H2Connection c = server.connect()) {
            H2Response response = c.get("/");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.fields().get(0).getKey()).as("pseudo-header first (§8.3)").isEqualTo(":status");
            for (Map.Entry<String, String> field : response.fields()) {
                assertThat(field.getKey()).isEqualTo(field.getKey().toLowerCase(Locale.ROOT));
                assertThat(field.getKey()).isNotIn("connection", "keep-alive", "proxy-connection",
                        "transfer-encoding", "upgrade");
            }
        }
    }

    // RFC 9110 §9.3.2: a response to HEAD has no content; in HTTP/2 (RFC 9113 §8.1) that is a header
    // section ending the stream, with no DATA octets.
    @Test
    void headResponseHasNoContent() throws IOException {
        try (H2Connection c = server.connect()) {
            H2Response response = c.readResponse(c.request("HEAD", "/", true));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEmpty();
            assertThat(response.resetCode()).isEqualTo(-1);
        }
    }

    // RFC 9113 §8.1: a response may end with a trailer section: HEADERS with END_STREAM after the
    // DATA, without pseudo-header fields.
    @Test
    void responseTrailersComeInAFinalHeadersFrame() throws IOException {
        try (H2Connection c = server.connect()) {
            H2Response response = c.get("/trailers");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("body");
            assertThat(response.trailer("x-checksum")).isEqualTo("abc");
            assertThat(response.trailers()).noneMatch(f -> f.getKey().startsWith(":"));
        }
    }

    // RFC 9113 §6.5.2 SETTINGS_MAX_HEADER_LIST_SIZE (32,768 here) and §8.2.3 / RFC 9110 §15.5.18 (431
    // Request Header Fields Too Large): a header list over the advertised size is refused for that
    // request only; the HPACK state stays in step, so the connection goes on.
    @Test
    void headerListLargerThanAdvertisedGets431AndTheConnectionGoesOn() throws IOException {
        try (H2Connection c = server.connect()) {
            RawFieldBlock block = RawFieldBlock.get("/");
            for (int i = 0; i < 20; i++) {
                block.literalWithoutIndexing("x-big-" + i, "v".repeat(2000));
            }
            int streamId = c.newStreamId();
            c.sendHeaders(streamId, block.bytes(), true);
            H2Response response = c.readResponse(streamId);
            assertThat(response.status()).isEqualTo(431);
            c.assertServes();
        }
    }

    /** Sends {@code block} as a complete GET and expects RST_STREAM PROTOCOL_ERROR, then a working connection. */
    private static void assertMalformed(RawFieldBlock block) throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.newStreamId();
            c.send(H2Frames.headers(streamId, FLAG_END_HEADERS | FLAG_END_STREAM, block.bytes()));
            c.expectRstStream(streamId, PROTOCOL_ERROR);
            c.assertServes();
        }
    }
}
