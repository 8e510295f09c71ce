package dev.lanner.server.internal.http1;

import static dev.lanner.server.internal.http1.TestBytes.bytes;
import static dev.lanner.server.internal.http1.RequestRejectionReason.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Chunked transfer coding, RFC 9112 §7.1 (chunks), §7.1.1 (extensions), §7.1.2 (trailers). */
class ChunkedBodyDecoderTest {

    /** What a decode run produced; data is the concatenated payload. */
    record Decoded(String data, List<String> trailers, boolean complete, int consumed, String rejection) {
        static Decoded ok(String data, List<String> trailers, int consumed) {
            return new Decoded(data, trailers, true, consumed, null);
        }


        static Decoded rejected(RequestRejectionReason reason) {
            return new Decoded(null, null, false, -1, reason.name());
        }
    }

    /**
     * Feeds {@code input} in pieces as a connection would: unconsumed bytes are offered again
     * at the front of a fresh array together with the next piece.
     */
    static Decoded decode(byte[] input, List<Integer> pieces, Http1Limits limits) {
        ChunkedBodyDecoder decoder = new ChunkedBodyDecoder(limits);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        List<String> trailers = new ArrayList<>();
        ChunkedBodyHandler handler = new ChunkedBodyHandler() {
            @Override
            public void onData(byte[] buf, int off, int len) {
                assertThat(len).isPositive();
                data.write(buf, off, len);
            }

            @Override
            public void onTrailer(byte[] buf, int ns, int ne, int vs, int ve) {
                trailers.add(TestBytes.text(buf, ns, ne) + "=[" + TestBytes.text(buf, vs, ve) + "]");
            }
        };
        byte[] pending = new byte[0];
        int offset = 0;
        int consumed = 0;
        try {
            for (int size : pieces) {
                byte[] next = Arrays.copyOf(pending, pending.length + size);
                System.arraycopy(input, offset, next, pending.length, size);
                offset += size;
                int n = decoder.decode(next, 0, next.length, handler);
                consumed += n;
                pending = Arrays.copyOfRange(next, n, next.length);
                if (decoder.isComplete()) {
                    break;
                }
            }
        } catch (BadRequestException e) {
            return Decoded.rejected(e.reason());
        }
        assertThat(decoder.payloadBytes()).isEqualTo(data.size());
        return new Decoded(TestBytes.text(data.toByteArray(), 0, data.size()), trailers,
                decoder.isComplete(), consumed, null);
    }

    static Decoded decodeWhole(String input) {
        byte[] b = bytes(input);
        return decode(b, List.of(b.length), Http1Limits.defaults());
    }

    /** A body that is consumed whole and decodes to {@code data} and {@code trailers}. */
    static Arguments valid(String input, String data, List<String> trailers) {
        return Arguments.of(input, Decoded.ok(data, trailers, input.length()));
    }

    /** A body rejected for {@code reason}, however it is split. */
    static Arguments rejected(String input, RequestRejectionReason reason) {
        return Arguments.of(input, Decoded.rejected(reason));
    }

    static Stream<Arguments> vectors() {
        String ext4096 = ";" + "a".repeat(4095);
        return Stream.of(
                // ---- valid ----
                valid("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "hello world", List.of()),
                valid("0\r\n\r\n", "", List.of()),
                // §7.1: hex digits in either case, leading zeros
                valid("000A\r\n0123456789\r\n0000\r\n\r\n", "0123456789", List.of()),
                // chunk data is opaque: CRLF inside it is data
                valid("4\r\n\r\n\r\n\r\n0\r\n\r\n", "\r\n\r\n", List.of()),
                // §7.1.1: extensions, token and quoted values, BWS around ";" and "="
                valid("5;name=value\r\nhello\r\n6;a;b=\"q\\\"x;\" ; c = d\r\n world\r\n0;last\r\n\r\n", "hello world", List.of()),
                valid("1 ;a\r\nx\r\n0\r\n\r\n", "x", List.of()),
                // §7.1.2: trailers, reported with values trimmed
                valid("3\r\nabc\r\n0\r\nX-Checksum: 123\r\nX-Other:  v \r\n\r\n", "abc", List.of("X-Checksum=[123]", "X-Other=[v]")),
                // the next request on the connection is not consumed
                Arguments.of("1\r\na\r\n0\r\n\r\nGET / HTTP/1.1\r\n\r\n", Decoded.ok("a", List.of(), 11)),
                // extension bytes exactly at the limit (4096, from ";" to before CR)
                valid("1" + ext4096 + "\r\nx\r\n0\r\n\r\n", "x", List.of()),
                // ---- rejected: chunk size ----
                rejected("fffffffffffffffff\r\n", CHUNK_SIZE_OVERFLOW),
                rejected("00000000000000001\r\nx\r\n", CHUNK_SIZE_OVERFLOW),
                rejected("8000000000000000\r\n", CHUNK_SIZE_OVERFLOW),
                rejected("0x5\r\nhello\r\n0\r\n\r\n", BAD_CHUNK_SIZE),
                rejected("-1\r\n", BAD_CHUNK_SIZE),
                rejected("+1\r\nx\r\n", BAD_CHUNK_SIZE),
                rejected(" 1\r\nx\r\n", BAD_CHUNK_SIZE),
                rejected("\r\n", BAD_CHUNK_SIZE),
                rejected("g\r\n", BAD_CHUNK_SIZE),
                rejected("1 \r\nx\r\n", BAD_CHUNK_SIZE),
                rejected("1,1\r\nx\r\n", BAD_CHUNK_SIZE),
                // ---- rejected: extensions ----
                rejected("1;\r\nx\r\n0\r\n\r\n", BAD_CHUNK_EXTENSION),
                rejected("1;=x\r\nx\r\n", BAD_CHUNK_EXTENSION),
                rejected("1;a=\r\nx\r\n", BAD_CHUNK_EXTENSION),
                rejected("1;a=\"x\r\nx\r\n", BAD_CHUNK_EXTENSION),
                rejected("1;a b\r\nx\r\n", BAD_CHUNK_EXTENSION),
                rejected("1;a=b c\r\nx\r\n", BAD_CHUNK_EXTENSION),
                rejected("1;a=b \r\nx\r\n", BAD_CHUNK_EXTENSION),
                rejected("1;a=\"\u0000\"\r\nx\r\n", BAD_CHUNK_EXTENSION),
                rejected("1;a=\"x\"y\r\nx\r\n", BAD_CHUNK_EXTENSION),
                rejected("1;a@b\r\nx\r\n", BAD_CHUNK_EXTENSION),
                Arguments.of("1" + ext4096 + "a\r\nx\r\n0\r\n\r\n",
                        Decoded.rejected(RequestRejectionReason.CHUNK_EXTENSIONS_TOO_LARGE)),
                // ---- rejected: line endings and terminators ----
                rejected("1\r\nab", BAD_CHUNK_TERMINATOR),
                rejected("1\r\na\n0\r\n\r\n", BAD_CHUNK_TERMINATOR),
                rejected("1\r\na\r0\r\n\r\n", BAD_CHUNK_TERMINATOR),
                rejected("3\r\nab\r\n0\r\n\r\n", BAD_CHUNK_TERMINATOR),
                rejected("1\na\r\n0\r\n\r\n", BARE_LF),
                rejected("1;a=b\nx\r\n", BARE_LF),
                rejected("1\rx\r\n", BARE_CR),
                rejected("0\n\r\n", BARE_LF),
                // ---- rejected: trailers follow the header rules ----
                rejected("0\r\nX: a\r\n b\r\n\r\n", OBS_FOLD),
                rejected("0\r\nX : a\r\n\r\n", WHITESPACE_BEFORE_COLON),
                rejected("0\r\nX: a\n\r\n", BARE_LF),
                rejected("0\r\nX: a\u0000\r\n\r\n", INVALID_CHARACTER),
                rejected("0\r\n\n", BARE_LF));
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void decodesVectorWhole(String input, Decoded expected) {
        assertThat(decodeWhole(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void decodesVectorByteAtATimeAndInRandomSplits(String input, Decoded expected) {
        byte[] b = bytes(input);
        for (List<Integer> split : TestBytes.splitsToCompare(b.length)) {
            assertThat(decode(b, split, Http1Limits.defaults())).as("split of %d pieces", split.size()).isEqualTo(expected);
        }
    }

    @Test
    void reportsDataAsSlicesOfTheInputWithoutCopying() {
        byte[] in = bytes("5\r\nhello\r\n0\r\n\r\n");
        List<String> slices = new ArrayList<>();
        new ChunkedBodyDecoder().decode(in, 0, in.length, (buf, off, len) -> {
            assertThat(buf).isSameAs(in);
            slices.add(off + ":" + len);
        });
        assertThat(slices).containsExactly("3:5");
    }

    @Test
    void largestChunkSizeIsAccepted_section7_1() {
        byte[] in = bytes("7fffffffffffffff\r\nabc");
        ChunkedBodyDecoder decoder = new ChunkedBodyDecoder();
        int n = decoder.decode(in, 0, in.length, (buf, off, len) -> { });
        assertThat(n).isEqualTo(in.length);
        assertThat(decoder.payloadBytes()).isEqualTo(3);
        assertThat(decoder.isComplete()).isFalse();
    }

    @Test
    void leavesAnIncompleteTrailerLineUnconsumed_section7_1_2() {
        byte[] in = bytes("0\r\nX-A: 1\r\nX-B");
        ChunkedBodyDecoder decoder = new ChunkedBodyDecoder();
        assertThat(decoder.decode(in, 0, in.length, (buf, off, len) -> { })).isEqualTo(11);
        assertThat(decoder.isComplete()).isFalse();
    }

    @Test
    void decodesWithinARangeOfALargerBuffer() {
        byte[] in = bytes("xx2\r\nab\r\n0\r\n\r\nyy");
        ChunkedBodyDecoder decoder = new ChunkedBodyDecoder();
        StringBuilder data = new StringBuilder();
        int n = decoder.decode(in, 2, in.length - 4, (buf, off, len) -> data.append(TestBytes.text(buf, off, off + len)));
        assertThat(n).isEqualTo(in.length - 4);
        assertThat(decoder.isComplete()).isTrue();
        assertThat(data).hasToString("ab");
    }

    @Test
    void boundsTheTrailerSection_section7_1_2() {
        Http1Limits small = Http1Limits.defaults().withMaxHeaderBytes(16).withMaxHeaderCount(2);
        byte[] tooLarge = bytes("0\r\nX-A: 0123456789\r\n\r\n");
        assertThat(decode(tooLarge, List.of(tooLarge.length), small))
                .isEqualTo(Decoded.rejected(RequestRejectionReason.TRAILERS_TOO_LARGE));
        byte[] tooMany = bytes("0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n");
        assertThat(decode(tooMany, List.of(tooMany.length), small))
                .isEqualTo(Decoded.rejected(RequestRejectionReason.TRAILERS_TOO_LARGE));
        assertThat(RequestRejectionReason.TRAILERS_TOO_LARGE.statusCode()).isEqualTo(431);
        // With no line end in sight, the limit is hit on incomplete input too.
        byte[] endless = bytes("0\r\nX-A: " + "a".repeat(20));
        assertThat(decode(endless, TestBytes.oneByteAtATime(endless.length), small))
                .isEqualTo(Decoded.rejected(RequestRejectionReason.TRAILERS_TOO_LARGE));
    }

    @Test
    void resetAllowsTheNextBody() {
        ChunkedBodyDecoder decoder = new ChunkedBodyDecoder();
        byte[] first = bytes("1\r\na\r\n0\r\n\r\n");
        decoder.decode(first, 0, first.length, (buf, off, len) -> { });
        assertThat(decoder.isComplete()).isTrue();
        assertThat(decoder.decode(first, 0, first.length, (buf, off, len) -> { })).isZero();
        decoder.reset();
        assertThat(decoder.isComplete()).isFalse();
        assertThat(decoder.payloadBytes()).isZero();
        assertThat(decoder.decode(first, 0, first.length, (buf, off, len) -> { })).isEqualTo(first.length);
        assertThat(decoder.isComplete()).isTrue();
    }
}
