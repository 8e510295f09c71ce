package dev.lanner.server.internal.http1;

import static dev.lanner.server.internal.http1.TestBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Chunked encoding, RFC 9112 §7.1: exact bytes, and a round trip through the decoder. */
class ChunkedBodyEncoderTest {

    private static String header(long size) {
        byte[] dst = new byte[ChunkedBodyEncoder.MAX_CHUNK_HEADER_LENGTH + 4];
        int end = ChunkedBodyEncoder.writeChunkHeader(size, dst, 2);
        return TestBytes.text(dst, 2, end);
    }

    private static String text(ResponseHeaderWriter out) {
        return TestBytes.text(out.array(), 0, out.length());
    }

    @Test
    void writesChunkSizeAsLowerCaseHexWithoutLeadingZeros() {
        assertThat(header(1)).isEqualTo("1\r\n");
        assertThat(header(10)).isEqualTo("a\r\n");
        assertThat(header(255)).isEqualTo("ff\r\n");
        assertThat(header(256)).isEqualTo("100\r\n");
        assertThat(header(8192)).isEqualTo("2000\r\n");
        assertThat(header(Long.MAX_VALUE)).isEqualTo("7fffffffffffffff\r\n");
        assertThat(header(0xabcdef)).isEqualTo("abcdef\r\n");
    }

    @Test
    void rejectsZeroAndNegativeSizes() {
        assertThatThrownBy(() -> header(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> header(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesAWholeChunkThroughTheResponseWriter() {
        byte[] data = bytes("xxhello worldxx");
        ResponseHeaderWriter out = new ResponseHeaderWriter();
        out.chunkHeader(11).append(data, 2, 11).crlf();
        assertThat(text(out)).isEqualTo("b\r\nhello world\r\n");
    }

    @Test
    void writesEndOfBodyWithoutTrailers() {
        ResponseHeaderWriter out = new ResponseHeaderWriter();
        ChunkedBodyEncoder.writeEndOfBody(out);
        assertThat(text(out)).isEqualTo("0\r\n\r\n");
    }

    @Test
    void writesEndOfBodyWithTrailers_section7_1_2() {
        ResponseHeaderWriter out = new ResponseHeaderWriter();
        ChunkedBodyEncoder.startTrailers(out).header("X-Checksum", "abc123")
                .header(KnownHeader.EXPIRES, "x").endOfHeaders();
        assertThat(TestBytes.text(out.array(), 0, out.length()))
                .isEqualTo("0\r\nX-Checksum: abc123\r\nExpires: x\r\n\r\n");
    }

    @Test
    void encodedBodyDecodesToTheSamePayloadAndTrailers() {
        Random random = new Random(7);
        byte[] payload = new byte[5000];
        random.nextBytes(payload);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ResponseHeaderWriter chunk = new ResponseHeaderWriter();
        int off = 0;
        while (off < payload.length) {
            int len = Math.min(payload.length - off, 1 + random.nextInt(1500));
            chunk.reset();
            chunk.chunkHeader(len).append(payload, off, len).crlf();
            wire.write(chunk.array(), 0, chunk.length());
            off += len;
        }
        ResponseHeaderWriter trailers = new ResponseHeaderWriter();
        ChunkedBodyEncoder.startTrailers(trailers).header("X-Sum", "42").endOfHeaders();
        wire.write(trailers.array(), 0, trailers.length());
        byte[] encoded = wire.toByteArray();

        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        List<String> seen = new ArrayList<>();
        ChunkedBodyDecoder decoder = new ChunkedBodyDecoder();
        int n = decoder.decode(encoded, 0, encoded.length, new ChunkedBodyHandler() {
            @Override
            public void onData(byte[] buf, int o, int l) {
                decoded.write(buf, o, l);
            }

            @Override
            public void onTrailer(byte[] buf, int ns, int ne, int vs, int ve) {
                seen.add(TestBytes.text(buf, ns, ne) + ": " + TestBytes.text(buf, vs, ve));
            }
        });
        assertThat(n).isEqualTo(encoded.length);
        assertThat(decoder.isComplete()).isTrue();
        assertThat(decoded.toByteArray()).isEqualTo(payload);
        assertThat(seen).containsExactly("X-Sum: 42");
    }
}
