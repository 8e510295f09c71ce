package dev.lanner.server.internal.http2.hpack;

/**
 * Huffman decoding of string literals (RFC 7541 §5.2, Appendix B) with a state machine that
 * consumes one input octet per step. Stateless but for a transition table built at class
 * initialization; safe from any thread.
 *
 * <p>The states are the 256 internal nodes of the code tree. One table lookup per input octet
 * gives the next state and the symbols completed on the way: at most two, since a first symbol
 * needs at least 1 more bit and a second one at least 5 (the shortest code), which leaves no
 * room for a third in 8 bits. Decoding is bound by the chain of dependent lookups, so one
 * lookup per octet runs about twice as fast as the 4-bit tables of nghttp2 and Netty. The table
 * (256 states x 256 octets, 256 KiB) is built once from {@link HpackHuffmanCode}; real header
 * text keeps to the few dozen states near the root, so the part in use stays cache resident.
 *
 * <p>Each transition also says whether the input may end there. RFC 7541 §5.2 makes three things
 * decoding errors, all caught by the table: the EOS symbol inside the string (its 30 one-bits
 * complete a leaf, and the transition is marked failing), padding longer than 7 bits and padding
 * that is not the most significant bits of EOS (both leave the machine in a non-accepting state:
 * only the root and the first 7 nodes on the all-ones path accept).
 */
final class HpackHuffmanDecoder {
    /** Sign bit, so that the check is one comparison. */
    private static final int FAIL = 1 << 31;
    private static final int ACCEPT = 1 << 26;
    private static final int COUNT_SHIFT = 24;

    /**
     * Transition per (state << 8 | octet): next state in bits 0-7, first symbol in bits 8-15,
     * second symbol in bits 16-23, number of symbols (0-2) in bits 24-25, then the flags.
     */
    private static final int[] TRANSITIONS = buildTransitions();

    private HpackHuffmanDecoder() {
    }

    /**
     * Decodes {@code length} octets at {@code src[offset]} into {@code dst} from
     * {@code dstOffset}, which has room for {@link #maxDecodedLength(int)} octets (or for the
     * decoded length plus one, when known).
     *
     * @return the number of octets written
     * @throws HpackException (COMPRESSION_ERROR) on EOS in the string or invalid padding
     */
    static int decode(byte[] src, int offset, int length, byte[] dst, int dstOffset) throws HpackException {
        int[] table = TRANSITIONS;
        int t = ACCEPT; // the empty string is valid
        int d = dstOffset;
        for (int i = offset, end = offset + length; i < end; i++) {
            t = table[((t & 0xFF) << 8) | (src[i] & 0xFF)];
            if (t < 0) {
                throw eos();
            }
            // Branch-free: both symbol slots are stored, the count says how many are real. A
            // branch on the count would mispredict on ordinary text.
            dst[d] = (byte) (t >>> 8);
            dst[d + 1] = (byte) (t >>> 16);
            d += (t >>> COUNT_SHIFT) & 3;
        }
        if ((t & ACCEPT) == 0) {
            throw badPadding();
        }
        return d - dstOffset;
    }

    /**
     * Validates the encoding and returns the decoded length without writing anything: lets the
     * decoder skip a string it will not keep, yet still reject a malformed one.
     */
    static int decodedLength(byte[] src, int offset, int length) throws HpackException {
        int[] table = TRANSITIONS;
        int t = ACCEPT;
        int count = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            t = table[((t & 0xFF) << 8) | (src[i] & 0xFF)];
            if (t < 0) {
                throw eos();
            }
            count += (t >>> COUNT_SHIFT) & 3;
        }
        if ((t & ACCEPT) == 0) {
            throw badPadding();
        }
        return count;
    }

    /**
     * Room {@link #decode} needs for an encoded length: the shortest code has 5 bits, plus one
     * octet for the unused second symbol slot that the last step may store.
     */
    static int maxDecodedLength(int encodedLength) {
        return (int) (((long) encodedLength * 8) / 5) + 1;
    }

    private static HpackException eos() {
        return HpackException.compression("Huffman-encoded string contains EOS (RFC 7541 §5.2)");
    }

    private static HpackException badPadding() {
        return HpackException.compression(
                "Huffman padding longer than 7 bits or not the prefix of EOS (RFC 7541 §5.2)");
    }

    private static int[] buildTransitions() {
        // The code tree: internal nodes 0..255 (0 is the root); a child >= 0 is an internal
        // node, a child < 0 is the leaf of symbol (-child - 1).
        int[][] children = new int[256][2];
        int nodes = 1;
        for (int symbol = 0; symbol <= HpackHuffmanCode.EOS; symbol++) {
            int code = HpackHuffmanCode.CODES[symbol];
            int length = HpackHuffmanCode.LENGTHS[symbol];
            int node = 0;
            for (int bit = length - 1; bit > 0; bit--) {
                int branch = (code >>> bit) & 1;
                if (children[node][branch] == 0) {
                    children[node][branch] = nodes++;
                }
                node = children[node][branch];
            }
            children[node][code & 1] = -symbol - 1;
        }
        if (nodes != 256) {
            throw new AssertionError("Huffman tree has " + nodes + " internal nodes");
        }
        // Accepting states: the root (input ended on a symbol boundary) and the nodes reached
        // from it by 1 to 7 one-bits, i.e. by a valid padding (RFC 7541 §5.2).
        boolean[] accepting = new boolean[256];
        accepting[0] = true;
        for (int node = 0, depth = 1; depth <= 7; depth++) {
            node = children[node][1];
            accepting[node] = true;
        }
        int[] table = new int[256 * 256];
        for (int state = 0; state < 256; state++) {
            for (int octet = 0; octet < 256; octet++) {
                int node = state;
                int symbols = 0;
                int count = 0;
                boolean fail = false;
                for (int bit = 7; bit >= 0; bit--) {
                    int next = children[node][(octet >>> bit) & 1];
                    if (next >= 0) {
                        node = next;
                        continue;
                    }
                    int symbol = -next - 1;
                    if (symbol == HpackHuffmanCode.EOS) {
                        fail = true;
                        break;
                    }
                    symbols |= symbol << (8 * count);
                    count++;
                    node = 0;
                }
                table[(state << 8) | octet] = fail ? FAIL
                        : (accepting[node] ? ACCEPT : 0) | (count << COUNT_SHIFT) | (symbols << 8) | node;
            }
        }
        return table;
    }
}
