package dev.lanner.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.lanner.server.internal.http1.BadRequestException;
import dev.lanner.server.internal.http1.ChunkedBodyDecoder;
import dev.lanner.server.internal.http1.ChunkedBodyEncoder;
import dev.lanner.server.internal.http1.ChunkedBodyHandler;
import dev.lanner.server.internal.http1.Http1Limits;
import dev.lanner.server.internal.http1.ResponseHeaderWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target {@code chunked}: the chunked transfer coding decoder ({@link ChunkedBodyDecoder}).
 * Input: the body as it follows a request head, then (at the end) a split seed and an optional set
 * of small limits.
 *
 * <p>Invariants: only {@link BadRequestException} escapes; payload, trailers, completion, bytes
 * consumed and rejection reason are the same whether the body arrives whole or in pieces; payload
 * slices lie inside the bytes offered; a decoded body respects the chunk-extension and trailer
 * limits; and its payload and trailers, encoded again with {@link ChunkedBodyEncoder} in other
 * chunk sizes, decode to the same payload and trailers.
 */
class ChunkedBodyFuzzTest {

    @FuzzTest
    void chunkedBody(FuzzedDataProvider data) {
        long splitSeed = data.consumeLong();
        Http1Limits limits = data.consumeBoolean()
                ? new Http1Limits(Http1Limits.DEFAULT_MAX_REQUEST_LINE_LENGTH, data.consumeInt(0, 256),
                        data.consumeInt(0, 4), data.consumeInt(0, 64))
                : Http1Limits.defaults();
        byte[] input = data.consumeRemainingAsBytes();

        Decoded whole = decode(input, List.of(input.length), limits);
        Decoded split = decode(input, InputSplits.pieces(splitSeed, input.length), limits);
        assertThat(split).isEqualTo(whole);
        if (whole.rejection() != null || !whole.complete()) {
            return;
        }

        assertThat(Arrays.copyOfRange(input, whole.consumed() - 2, whole.consumed())).isEqualTo(ascii("\r\n"));
        assertThat(whole.trailers()).hasSizeLessThanOrEqualTo(limits.maxHeaderCount());
        // Each trailer line took at least "name:value" CRLF.
        assertThat(whole.trailers().stream().mapToInt(f -> f.name().length() + f.value().length() + 3).sum())
                .isLessThanOrEqualTo(limits.maxHeaderBytes());
        assertThat(longestExtension(input)).isLessThanOrEqualTo(limits.maxChunkExtensionBytes());

        byte[] again = encode(whole, InputSplits.pieces(~splitSeed, whole.payload().length()));
        // The encoder writes "name: value", one byte more per trailer line than the shortest form.
        Decoded redecoded = decode(again, List.of(again.length),
                limits.withMaxHeaderBytes(limits.maxHeaderBytes() + whole.trailers().size()));
        assertThat(redecoded.rejection()).isNull();
        assertThat(redecoded.complete()).isTrue();
        assertThat(redecoded.consumed()).isEqualTo(again.length);
        assertThat(redecoded.payload()).isEqualTo(whole.payload());
        assertThat(redecoded.trailers()).isEqualTo(whole.trailers());
    }

    record Field(String name, String value) {
    }

    /** What the decoder reported; the payload as Latin-1 text so that records compare by content. */
    record Decoded(String payload, List<Field> trailers, boolean complete, int consumed, String rejection) {
    }

    /** Feeds {@code input} in pieces, offering unconsumed bytes again with the next piece, as a connection does. */
    static Decoded decode(byte[] input, List<Integer> pieces, Http1Limits limits) {
        ChunkedBodyDecoder decoder = new ChunkedBodyDecoder(limits);
        Recorder recorder = new Recorder();
        byte[] pending = new byte[0];
        int offset = 0;
        int consumed = 0;
        try {
            for (int size : pieces) {
                byte[] next = Arrays.copyOf(pending, pending.length + size);
                System.arraycopy(input, offset, next, pending.length, size);
                offset += size;
                recorder.offered = next.length;
                int n = decoder.decode(next, 0, next.length, recorder);
                assertThat(n).isBetween(0, next.length);
                consumed += n;
                pending = Arrays.copyOfRange(next, n, next.length);
                if (decoder.isComplete()) {
                    break;
                }
            }
        } catch (BadRequestException e) {
            assertThat(e.statusCode()).isBetween(400, 505);
            return new Decoded(recorder.payload(), List.copyOf(recorder.trailers), false, -1, e.reason().name());
        }
        assertThat(decoder.payloadBytes()).isEqualTo(recorder.payload.size());
        return new Decoded(recorder.payload(), List.copyOf(recorder.trailers), decoder.isComplete(), consumed, null);
    }

    /** The payload in chunks of the given sizes, then the trailers, through the server's own encoder. */
    private static byte[] encode(Decoded body, List<Integer> chunkSizes) {
        byte[] payload = body.payload().getBytes(StandardCharsets.ISO_8859_1);
        ResponseHeaderWriter out = new ResponseHeaderWriter();
        int offset = 0;
        for (int size : chunkSizes) {
            out.chunkHeader(size).append(payload, offset, size).crlf();
            offset += size;
        }
        if (body.trailers().isEmpty()) {
            ChunkedBodyEncoder.writeEndOfBody(out);
        } else {
            ChunkedBodyEncoder.startTrailers(out);
            for (Field trailer : body.trailers()) {
                out.header(trailer.name(), trailer.value());
            }
            out.endOfHeaders();
        }
        return out.toByteArray();
    }

    /**
     * The most chunk-extension bytes on one chunk-size line of a body the decoder accepted: from the
     * first byte after the size digits to the CR.
     */
    private static int longestExtension(byte[] body) {
        int longest = 0;
        int pos = 0;
        while (true) {
            int digitsEnd = pos;
            while (Character.digit(body[digitsEnd], 16) >= 0) {
                digitsEnd++;
            }
            long size = Long.parseLong(new String(body, pos, digitsEnd - pos, StandardCharsets.US_ASCII), 16);
            int cr = digitsEnd;
            while (body[cr] != '\r') {
                cr++;
            }
            longest = Math.max(longest, cr - digitsEnd);
            if (size == 0) {
                return longest;
            }
            pos = cr + 2 + Math.toIntExact(size) + 2;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static final class Recorder implements ChunkedBodyHandler {
        private final ByteArrayOutputStream payload = new ByteArrayOutputStream();
        private final List<Field> trailers = new ArrayList<>();
        private int offered;

        @Override
        public void onData(byte[] buf, int off, int len) {
            assertThat(len).isPositive();
            assertThat(off).isNotNegative();
            assertThat(off + len).isLessThanOrEqualTo(offered);
            payload.write(buf, off, len);
        }

        @Override
        public void onTrailer(byte[] buf, int nameStart, int nameEnd, int valueStart, int valueEnd) {
            trailers.add(new Field(new String(buf, nameStart, nameEnd - nameStart, StandardCharsets.ISO_8859_1),
                    new String(buf, valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1)));
        }

        String payload() {
            return payload.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
