package dev.lanner.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.lanner.server.internal.http1.BadRequestException;
import dev.lanner.server.internal.http1.HeaderHandler;
import dev.lanner.server.internal.http1.Http1Limits;
import dev.lanner.server.internal.http1.HttpRequestParser;
import dev.lanner.server.internal.http1.RequestLine;
import dev.lanner.server.internal.http1.RequestLineHandler;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target {@code http1-request}: the HTTP/1.1 request head parser (request line and field
 * section, {@link HttpRequestParser}). Input: the request head, then (at the end, read by the
 * {@link FuzzedDataProvider}) a split seed and an optional set of small limits.
 *
 * <p>Invariants: only {@link BadRequestException} escapes; the result (what was reported, and the
 * rejection reason) is the same whether the input arrives whole or in pieces; an accepted head
 * stays within the request line, header size and header count limits and reports only valid
 * tokens and field values; and an accepted head written out again parses to the same head.
 */
class Http1RequestFuzzTest {

    /** RFC 9110 §5.6.2 token. */
    private static final String TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
    /** RFC 9110 §5.5 field value, trimmed: VCHAR and obs-text, with SP and HTAB only inside. */
    private static final String FIELD_VALUE = "([\\x21-\\x7E\\x80-\\xFF]([\\x20\\x09\\x21-\\x7E\\x80-\\xFF]*[\\x21-\\x7E\\x80-\\xFF])?)?";

    @FuzzTest
    void requestHead(FuzzedDataProvider data) {
        long splitSeed = data.consumeLong();
        Http1Limits limits = data.consumeBoolean()
                ? new Http1Limits(data.consumeInt(16, 512), data.consumeInt(0, 512), data.consumeInt(0, 8),
                        Http1Limits.DEFAULT_MAX_CHUNK_EXTENSION_BYTES)
                : Http1Limits.defaults();
        byte[] input = data.consumeRemainingAsBytes();

        Outcome whole = feed(input, List.of(input.length), limits);
        Outcome split = feed(input, InputSplits.pieces(splitSeed, input.length), limits);
        assertThat(split).isEqualTo(whole);
        if (whole.rejection() != null || !whole.complete()) {
            return;
        }

        assertThat(whole.requestLineBytes()).isLessThanOrEqualTo(limits.maxRequestLineLength());
        assertThat(whole.fields()).hasSizeLessThanOrEqualTo(limits.maxHeaderCount());
        assertThat(whole.headerBytes()).isLessThanOrEqualTo(limits.maxHeaderBytes());
        assertThat(Arrays.copyOfRange(input, whole.consumed() - 2, whole.consumed())).isEqualTo(ascii("\r\n"));
        assertThat(whole.method()).matches(TOKEN);
        assertThat(whole.target()).doesNotContain(" ", "\r", "\n", "#").isNotEmpty();
        for (Field field : whole.fields()) {
            assertThat(field.name()).matches(TOKEN);
            assertThat(field.value()).matches(FIELD_VALUE);
        }

        byte[] again = serialise(whole);
        Outcome reparsed = feed(again, List.of(again.length), limits);
        assertThat(reparsed.rejection()).isNull();
        assertThat(reparsed.complete()).isTrue();
        assertThat(reparsed.consumed()).isEqualTo(again.length);
        assertThat(reparsed.head()).isEqualTo(whole.head());
    }

    record Field(String name, String value) {
    }

    /** What the parser reported, and where it stopped. */
    record Outcome(Head head, boolean complete, int consumed, int requestLineBytes, int headerBytes,
                   String rejection) {
        String method() {
            return head.method();
        }

        String target() {
            return head.target();
        }

        List<Field> fields() {
            return head.fields();
        }
    }

    /** The request head as reported, without byte counts. */
    record Head(String method, String knownMethod, String form, String target, String authority,
                String path, String query, boolean pathHasPercent, String version, List<Field> fields) {
    }

    /**
     * Feeds {@code input} in pieces of the given sizes as a connection does: each call sees a
     * fresh array holding only the bytes not yet consumed.
     */
    static Outcome feed(byte[] input, List<Integer> pieces, Http1Limits limits) {
        HttpRequestParser parser = new HttpRequestParser(limits);
        Recorder recorder = new Recorder();
        byte[] pending = new byte[0];
        int offset = 0;
        int consumed = 0;
        int requestLineBytes = -1;
        try {
            for (int size : pieces) {
                byte[] next = Arrays.copyOf(pending, pending.length + size);
                System.arraycopy(input, offset, next, pending.length, size);
                offset += size;
                int start = 0;
                if (requestLineBytes < 0) {
                    int end = parser.parseRequestLine(next, 0, next.length, recorder);
                    if (end >= 0) {
                        requestLineBytes = consumed + end;
                        start = end;
                    }
                }
                if (requestLineBytes >= 0) {
                    start = parser.parseHeaders(next, start, next.length, recorder);
                }
                assertThat(start).isBetween(0, next.length);
                consumed += start;
                pending = Arrays.copyOfRange(next, start, next.length);
                if (parser.isHeaderSectionComplete()) {
                    break;
                }
            }
        } catch (BadRequestException e) {
            assertThat(e.statusCode()).isBetween(400, 505);
            return new Outcome(recorder.head(), false, -1, -1, -1, e.reason().name());
        }
        boolean complete = parser.isHeaderSectionComplete();
        assertThat(parser.headerCount()).isEqualTo(recorder.fields.size());
        int headerBytes = complete ? consumed - requestLineBytes - 2 : -1;
        return new Outcome(recorder.head(), complete, consumed, requestLineBytes, headerBytes, null);
    }

    private static byte[] serialise(Outcome outcome) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(latin1(outcome.method() + " " + outcome.target() + " " + outcome.head().version() + "\r\n"));
        for (Field field : outcome.fields()) {
            // No space after the colon: never longer than the line it came from, so within the limits.
            out.writeBytes(latin1(field.name() + ":" + field.value() + "\r\n"));
        }
        out.writeBytes(ascii("\r\n"));
        return out.toByteArray();
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] b, int start, int end) {
        return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
    }

    private static final class Recorder implements RequestLineHandler, HeaderHandler {
        private Head line;
        private final List<Field> fields = new ArrayList<>();

        @Override
        public void onRequestLine(RequestLine l) {
            assertThat(line).as("one request line").isNull();
            byte[] b = l.buffer();
            line = new Head(l.methodName(), l.method().name(), l.targetForm().name(), l.rawTarget(),
                    text(b, l.authorityStart(), l.authorityEnd()), text(b, l.pathStart(), l.pathEnd()),
                    l.hasQuery() ? text(b, l.queryStart(), l.queryEnd()) : null, l.pathHasPercent(),
                    l.version().text(), List.of());
        }

        @Override
        public void onHeader(byte[] buf, int nameStart, int nameEnd, int valueStart, int valueEnd) {
            fields.add(new Field(text(buf, nameStart, nameEnd), text(buf, valueStart, valueEnd)));
        }

        Head head() {
            if (line == null) {
                return null;
            }
            return new Head(line.method(), line.knownMethod(), line.form(), line.target(), line.authority(),
                    line.path(), line.query(), line.pathHasPercent(), line.version(), List.copyOf(fields));
        }
    }
}
