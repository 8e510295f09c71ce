package dev.lanner.server.e2e.http2;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds HPACK field blocks representation by representation (RFC 7541 §6), without a dynamic
 * table of its own, so that tests control exactly which octets and which table operations the
 * server sees, including invalid ones. Strings are sent as plain octets (H = 0) unless given
 * as raw Huffman octets.
 */
final class RawFieldBlock {

    // RFC 7541 Appendix A: static table indices used by the tests.
    static final int AUTHORITY = 1;
    static final int METHOD_GET = 2;
    static final int METHOD_POST = 3;
    static final int PATH = 4;
    static final int SCHEME_HTTP = 6;
    static final int STATUS_200 = 8;
    static final int CONTENT_LENGTH = 28;
    /** RFC 7541 §2.3.3: the first dynamic table index. */
    static final int FIRST_DYNAMIC = 62;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static RawFieldBlock create() {
        return new RawFieldBlock();
    }

    /**
     * A request header section for {@code GET path} whose :authority is {@code 127.0.0.1}, all
     * from the static table or as literals without indexing: sending it changes no table.
     */
    static RawFieldBlock get(String path) {
        return request("GET", path);
    }

    /** Like {@link #get(String)} for any method. */
    static RawFieldBlock request(String method, String path) {
        RawFieldBlock block = create();
        switch (method) {
            case "GET" -> block.indexed(METHOD_GET);
            case "POST" -> block.indexed(METHOD_POST);
            default -> block.literalWithoutIndexing(2, method);
        }
        return block.indexed(SCHEME_HTTP).literalWithoutIndexing(AUTHORITY, "127.0.0.1")
                .literalWithoutIndexing(PATH, path);
    }

    /** RFC 7541 §6.1: indexed header field. */
    RawFieldBlock indexed(int index) {
        integer(0x80, 7, index);
        return this;
    }

    /** RFC 7541 §6.2.1 with a literal name. */
    RawFieldBlock literalWithIndexing(String name, String value) {
        integer(0x40, 6, 0);
        string(name);
        string(value);
        return this;
    }

    /** RFC 7541 §6.2.1 with an indexed name. */
    RawFieldBlock literalWithIndexing(int nameIndex, String value) {
        integer(0x40, 6, nameIndex);
        string(value);
        return this;
    }

    /** RFC 7541 §6.2.2 with a literal name. */
    RawFieldBlock literalWithoutIndexing(String name, String value) {
        integer(0x00, 4, 0);
        string(name);
        string(value);
        return this;
    }

    /** RFC 7541 §6.2.2 with an indexed name. */
    RawFieldBlock literalWithoutIndexing(int nameIndex, String value) {
        integer(0x00, 4, nameIndex);
        string(value);
        return this;
    }

    /** RFC 7541 §6.2.3 with a literal name. */
    RawFieldBlock literalNeverIndexed(String name, String value) {
        integer(0x10, 4, 0);
        string(name);
        string(value);
        return this;
    }

    /** RFC 7541 §6.2.2 with an indexed name and a value given as Huffman octets (H = 1). */
    RawFieldBlock literalWithoutIndexingHuffmanValue(int nameIndex, byte[] huffmanOctets) {
        integer(0x00, 4, nameIndex);
        integer(0x80, 7, huffmanOctets.length);
        out.writeBytes(huffmanOctets);
        return this;
    }

    /** RFC 7541 §6.3: dynamic table size update. */
    RawFieldBlock sizeUpdate(int maxSize) {
        integer(0x20, 5, maxSize);
        return this;
    }

    /** Any octets, for representations that are invalid on purpose. */
    RawFieldBlock raw(int... octets) {
        for (int b : octets) {
            out.write(b);
        }
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** RFC 7541 §5.2 string literal without Huffman coding; ISO-8859-1, one octet per char. */
    private void string(String s) {
        byte[] octets = s.getBytes(StandardCharsets.ISO_8859_1);
        integer(0x00, 7, octets.length);
        out.writeBytes(octets);
    }

    /** RFC 7541 §5.1 integer with an N-bit prefix, the first octet's other bits from {@code pattern}. */
    private void integer(int pattern, int prefixBits, int value) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            out.write(pattern | value);
            return;
        }
        out.write(pattern | max);
        int rest = value - max;
        while (rest >= 0x80) {
            out.write((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        out.write(rest);
    }
}
