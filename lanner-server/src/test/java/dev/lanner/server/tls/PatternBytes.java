package dev.lanner.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/** Bytes that show any loss, duplication or reordering: each position holds a different run. */
final class PatternBytes {

    private PatternBytes() {
    }

    static byte at(long i) {
        return (byte) (i * 31 + (i >>> 8));
    }

    static byte[] of(int length) {
        return buffer(0, length).array();
    }

    /** The pattern from position {@code from}, flipped. */
    static ByteBuffer buffer(long from, int length) {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        for (int i = 0; i < length; i++) {
            buffer.put(at(from + i));
        }
        return buffer.flip();
    }

    /** Fails unless {@code received} (flipped) holds the pattern from {@code position}. */
    static void check(ByteBuffer received, long position) throws IOException {
        for (int i = received.position(); i < received.limit(); i++, position++) {
            if (received.get(i) != at(position)) {
                throw new IOException("wrong byte at " + position);
            }
        }
    }

    /** Reads {@code total} bytes of {@code in} and checks them against the pattern. */
    static void expect(InputStream in, long total) throws IOException {
        byte[] chunk = new byte[16 * 1024 + 7];
        long position = 0;
        while (position < total) {
            int n = in.read(chunk, 0, (int) Math.min(chunk.length, total - position));
            if (n < 0) {
                throw new IOException("end of stream after " + position + " of " + total + " bytes");
            }
            check(ByteBuffer.wrap(chunk, 0, n), position);
            position += n;
        }
    }
}
