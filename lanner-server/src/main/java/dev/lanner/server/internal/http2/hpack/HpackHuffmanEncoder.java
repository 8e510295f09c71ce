package dev.lanner.server.internal.http2.hpack;

/**
 * Huffman encoding of string literals (RFC 7541 §5.2, Appendix B). Stateless: static methods over
 * the caller's arrays; safe from any thread.
 *
 * <p>Strings are taken as ISO-8859-1, one octet per {@code char}; callers check that beforehand.
 * They are read through a small octet buffer filled by {@code String.getBytes}, an array copy,
 * because reading them with {@code charAt} costs several times more per char.
 */
final class HpackHuffmanEncoder {
    private static final int[] CODES = HpackHuffmanCode.CODES;
    private static final byte[] LENGTHS = HpackHuffmanCode.LENGTHS;

    private HpackHuffmanEncoder() {
    }

    /** Octets the Huffman encoding of the given octets takes, padding included. */
    static int encodedLength(byte[] src, int offset, int length) {
        long bits = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            bits += LENGTHS[src[i] & 0xFF];
        }
        return (int) ((bits + 7) >>> 3);
    }

    /**
     * Writes the Huffman encoding of the given octets; the caller has made room for
     * {@link #encodedLength(byte[], int, int)} octets at {@code dstOffset}.
     *
     * @return the offset after the last octet written
     */
    static int encode(byte[] src, int offset, int length, byte[] dst, int dstOffset) {
        long bits = 0; // only the low (pending + 30) bits matter; older bits shift out harmlessly
        int pending = 0;
        int d = dstOffset;
        for (int i = offset, end = offset + length; i < end; i++) {
            int symbol = src[i] & 0xFF;
            int codeLength = LENGTHS[symbol];
            bits = (bits << codeLength) | CODES[symbol];
            pending += codeLength;
            while (pending >= 8) {
                pending -= 8;
                dst[d++] = (byte) (bits >>> pending);
            }
        }
        return pending > 0 ? pad(bits, pending, dst, d) : d;
    }

    /**
     * Writes the Huffman encoding of {@code s} at {@code dst[dstOffset]} if it takes fewer than
     * {@code limit} octets, never writing at or past {@code dstOffset + limit}: the caller can
     * then write the plain string over it. Saves computing the encoded length first.
     *
     * @param s text whose chars are all below 0x100
     * @param scratch any non-empty buffer, overwritten
     * @return the encoded length, or -1 if it would be {@code limit} octets or more
     */
    @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int): the ISO-8859-1 octets, no allocation
    static int encodeIfShorter(String s, byte[] scratch, byte[] dst, int dstOffset, int limit) {
        long bits = 0;
        int pending = 0;
        int d = dstOffset;
        int end = dstOffset + limit;
        for (int from = 0, n = s.length(); from < n; from += scratch.length) {
            int count = Math.min(n - from, scratch.length);
            s.getBytes(from, from + count, scratch, 0);
            for (int i = 0; i < count; i++) {
                int symbol = scratch[i] & 0xFF;
                int codeLength = LENGTHS[symbol];
                bits = (bits << codeLength) | CODES[symbol];
                pending += codeLength;
                while (pending >= 8) {
                    if (d == end) {
                        return -1;
                    }
                    pending -= 8;
                    dst[d++] = (byte) (bits >>> pending);
                }
            }
        }
        if (pending > 0) {
            if (d == end) {
                return -1;
            }
            d = pad(bits, pending, dst, d);
        }
        return d == end ? -1 : d - dstOffset;
    }

    /** RFC 7541 §5.2: pad the last octet with the most significant bits of EOS, i.e. ones. */
    private static int pad(long bits, int pending, byte[] dst, int d) {
        dst[d] = (byte) ((bits << (8 - pending)) | (0xFF >>> pending));
        return d + 1;
    }
}
