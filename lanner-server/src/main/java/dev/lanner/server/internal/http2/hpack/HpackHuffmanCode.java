package dev.lanner.server.internal.http2.hpack;

/**
 * The Huffman code of RFC 7541 Appendix B: a code for each octet value 0 to 255 and for EOS
 * (symbol 256). Built once at class initialization and never changed; safe from any thread.
 *
 * <p>The Appendix B code is canonical: within each code length, codes are consecutive in symbol
 * order, and each length continues from the previous one shifted left. So the code lengths alone
 * define it, and the codes are derived here instead of being transcribed a second time. The
 * derivation is checked against codes quoted from Appendix B in the tests.
 */
final class HpackHuffmanCode {
    /** Symbol 256, whose code is 30 one-bits; it must never appear in a string (§5.2). */
    static final int EOS = 256;

    /** Code length in bits per symbol, in symbol order, from RFC 7541 Appendix B. */
    static final byte[] LENGTHS = {
        // 0 - 31: control characters
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,
        28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        // 32 - 63: ' ' ! " # $ % & ' ( ) * + , - . / 0 - 9 : ; < = > ?
        6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
        5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
        // 64 - 95: @ A - Z [ \ ] ^ _
        13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
        7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
        // 96 - 127: ` a - z { | } ~ DEL
        15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,
        6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
        // 128 - 255
        20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
        24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
        22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
        21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
        26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
        19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
        20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
        26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
        // 256: EOS
        30,
    };

    /** Code per symbol, right-aligned (the last bit of the code is bit 0). */
    static final int[] CODES = new int[257];

    static {
        // Canonical assignment: walk lengths 1..30, giving each symbol of that length the next
        // code in symbol order; moving to the next length appends a zero bit.
        int code = 0;
        for (int length = 1; length <= 30; length++) {
            for (int symbol = 0; symbol <= EOS; symbol++) {
                if (LENGTHS[symbol] == length) {
                    CODES[symbol] = code++;
                }
            }
            code <<= 1;
        }
        // A complete prefix code ends with every code of the longest length used up.
        if (code != 1 << 31 || CODES[EOS] != 0x3fffffff) {
            throw new AssertionError("RFC 7541 Appendix B code lengths do not form a complete code");
        }
    }

    private HpackHuffmanCode() {
    }
}
