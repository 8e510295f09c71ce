package dev.lanner.server.internal.http2.hpack;

import java.nio.charset.StandardCharsets;

/**
 * Receives the header fields of a header block, in order, from {@link HpackDecoder}. Called by
 * {@link HpackDecoder#decode}, on the connection's reader thread.
 *
 * <p>Designed so that the decoder allocates nothing per field: names and values arrive as octet
 * ranges into arrays the decoder owns (the input block itself for plain literals, a reused
 * scratch buffer for Huffman-decoded ones, the table entry for indexed ones). The ranges are
 * valid only during the call; a sink that keeps a field must copy it.
 *
 * <p>When the decoder already has a {@code String} for the name or value it passes it along,
 * so the common case costs no allocation even for a sink that wants {@code String}s: every name
 * that is a static-table name (RFC 7541 Appendix A) arrives as the interned constant, whether it
 * was sent as an index, as a dynamic-table entry or as a literal, so a sink can compare it with
 * {@code ==} or switch on it; and values of fully indexed static entries ({@code :method GET},
 * {@code :status 200}, {@code :scheme https}, ...) arrive as interned constants too.
 *
 * <p>Octets are header octets, not text. {@link #ofStrings(Strings)} maps them to {@code String}s
 * one char per octet (ISO-8859-1), which is lossless.
 */
@FunctionalInterface
public interface HeaderSink {
    /**
     * One decoded header field.
     *
     * @param knownName the name as an interned {@code String} when it is a static-table name,
     *     else {@code null}
     * @param name array holding the name octets
     * @param nameOffset offset of the name in {@code name}
     * @param nameLength length of the name
     * @param knownValue the value as an interned {@code String} when the whole field is a
     *     static-table entry, else {@code null}
     * @param value array holding the value octets
     * @param valueOffset offset of the value in {@code value}
     * @param valueLength length of the value
     * @param neverIndexed the field came as a literal never indexed (RFC 7541 §6.2.3): whoever
     *     re-encodes it (a proxy) must keep it out of any dynamic table (RFC 7541 §7.1.3)
     */
    void header(String knownName, byte[] name, int nameOffset, int nameLength,
            String knownValue, byte[] value, int valueOffset, int valueLength, boolean neverIndexed);

    /** Receives header fields as {@code String}s; see {@link HeaderSink#ofStrings(Strings)}. */
    @FunctionalInterface
    interface Strings {
        /**
         * One decoded header field.
         *
         * @param name the name, one char per octet
         * @param value the value, one char per octet
         * @param neverIndexed the field came as a literal never indexed (RFC 7541 §6.2.3)
         */
        void header(String name, String value, boolean neverIndexed);
    }

    /**
     * A sink that converts each field to {@code String}s (ISO-8859-1, one char per octet) and
     * passes it to {@code target}, reusing the interned static-table strings when given.
     */
    static HeaderSink ofStrings(Strings target) {
        return (knownName, name, nameOffset, nameLength, knownValue, value, valueOffset, valueLength,
                neverIndexed) -> target.header(
                        knownName != null ? knownName
                                : new String(name, nameOffset, nameLength, StandardCharsets.ISO_8859_1),
                        knownValue != null ? knownValue
                                : new String(value, valueOffset, valueLength, StandardCharsets.ISO_8859_1),
                        neverIndexed);
    }
}
