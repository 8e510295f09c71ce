package dev.lanner.server.internal.http2.hpack;

import java.nio.charset.StandardCharsets;

/**
 * One entry of the static or a dynamic table: a name and a value, with the entry size that
 * RFC 7541 §4.1 defines for table accounting. Static entries are shared and never change; a dynamic
 * table's entries are used as that table is ({@link #sequence} is set on insertion): the
 * encoder's under the connection writer's lock, the decoder's on the connection's reader thread.
 *
 * <p>Decoded entries keep their octets in one array (name then value), so inserting into the
 * decoder's table costs one array and this object. Encoder entries (a subclass that adds the
 * encoder's hash links) keep the caller's {@code String}s instead and no octets: the encoder
 * only needs to compare and count. Static entries have both.
 */
class HpackHeaderField {
    /** RFC 7541 §4.1: the 32 octets of estimated per-entry overhead. */
    static final int ENTRY_OVERHEAD = 32;

    /** Name octets followed by value octets; {@code null} for encoder entries. */
    final byte[] bytes;
    final int nameLength;
    final int valueLength;
    /** The name as a String when known without allocating (static names are interned), else null. */
    final String name;
    /** The value as a String when known without allocating, else null. */
    final String value;
    /** {@link String#hashCode()} of the name, for hash lookups; 0 for decoded entries. */
    final int nameHash;

    /** Insertion number assigned by {@link HpackDynamicTable}; it turns into an index. */
    long sequence;

    HpackHeaderField(byte[] bytes, int nameLength, int valueLength, String name, String value,
            int nameHash) {
        this.bytes = bytes;
        this.nameLength = nameLength;
        this.valueLength = valueLength;
        this.name = name;
        this.value = value;
        this.nameHash = nameHash;
    }

    /** A static-table entry (RFC 7541 Appendix A); both strings are literals, hence interned. */
    static HpackHeaderField ofStatic(String name, String value) {
        byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
        byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
        byte[] both = new byte[n.length + v.length];
        System.arraycopy(n, 0, both, 0, n.length);
        System.arraycopy(v, 0, both, n.length, v.length);
        return new HpackHeaderField(both, n.length, v.length, name, value, name.hashCode());
    }

    /**
     * A decoded entry; copies the octets because the sources are the input block or a scratch
     * buffer, both reused.
     */
    static HpackHeaderField ofDecoded(byte[] name, int nameOffset, int nameLength, String knownName,
            byte[] value, int valueOffset, int valueLength) {
        byte[] both = new byte[nameLength + valueLength];
        System.arraycopy(name, nameOffset, both, 0, nameLength);
        System.arraycopy(value, valueOffset, both, nameLength, valueLength);
        return new HpackHeaderField(both, nameLength, valueLength, knownName, null, 0);
    }

    /** RFC 7541 §4.1: name octets + value octets + 32. */
    int size() {
        return nameLength + valueLength + ENTRY_OVERHEAD;
    }

    @Override
    public String toString() {
        String n = name != null ? name : new String(bytes, 0, nameLength, StandardCharsets.ISO_8859_1);
        String v = value != null ? value : new String(bytes, nameLength, valueLength, StandardCharsets.ISO_8859_1);
        return n + ": " + v;
    }
}
