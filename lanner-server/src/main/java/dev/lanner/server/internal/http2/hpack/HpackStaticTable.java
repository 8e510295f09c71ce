package dev.lanner.server.internal.http2.hpack;

import java.util.Arrays;

/**
 * The static table of RFC 7541 Appendix A (indexes 1 to 61), with hash lookups by name. Built once
 * at class initialization and never changed; safe from any thread.
 *
 * <p>Lookups by {@code String} serve the encoder; lookups by octet range serve the decoder, so a
 * literal name that happens to be a static name (a frequent case: {@code user-agent},
 * {@code cookie}, ...) is handed to the sink as the interned {@code String} instead of a copy.
 * Both use one open-addressing table keyed by {@link String#hashCode()}, which for ISO-8859-1
 * text is the same number whether computed from the String or from its octets.
 */
final class HpackStaticTable {
    /** Number of entries; dynamic-table indexes start right after (RFC 7541 §2.3.3). */
    static final int LENGTH = 61;

    private static final HpackHeaderField[] ENTRIES = {
        null, // index 0 is not used (RFC 7541 §6.1)
        HpackHeaderField.ofStatic(":authority", ""),
        HpackHeaderField.ofStatic(":method", "GET"),
        HpackHeaderField.ofStatic(":method", "POST"),
        HpackHeaderField.ofStatic(":path", "/"),
        HpackHeaderField.ofStatic(":path", "/index.html"),
        HpackHeaderField.ofStatic(":scheme", "http"),
        HpackHeaderField.ofStatic(":scheme", "https"),
        HpackHeaderField.ofStatic(":status", "200"),
        HpackHeaderField.ofStatic(":status", "204"),
        HpackHeaderField.ofStatic(":status", "206"),
        HpackHeaderField.ofStatic(":status", "304"),
        HpackHeaderField.ofStatic(":status", "400"),
        HpackHeaderField.ofStatic(":status", "404"),
        HpackHeaderField.ofStatic(":status", "500"),
        HpackHeaderField.ofStatic("accept-charset", ""),
        HpackHeaderField.ofStatic("accept-encoding", "gzip, deflate"),
        HpackHeaderField.ofStatic("accept-language", ""),
        HpackHeaderField.ofStatic("accept-ranges", ""),
        HpackHeaderField.ofStatic("accept", ""),
        HpackHeaderField.ofStatic("access-control-allow-origin", ""),
        HpackHeaderField.ofStatic("age", ""),
        HpackHeaderField.ofStatic("allow", ""),
        HpackHeaderField.ofStatic("authorization", ""),
        HpackHeaderField.ofStatic("cache-control", ""),
        HpackHeaderField.ofStatic("content-disposition", ""),
        HpackHeaderField.ofStatic("content-encoding", ""),
        HpackHeaderField.ofStatic("content-language", ""),
        HpackHeaderField.ofStatic("content-length", ""),
        HpackHeaderField.ofStatic("content-location", ""),
        HpackHeaderField.ofStatic("content-range", ""),
        HpackHeaderField.ofStatic("content-type", ""),
        HpackHeaderField.ofStatic("cookie", ""),
        HpackHeaderField.ofStatic("date", ""),
        HpackHeaderField.ofStatic("etag", ""),
        HpackHeaderField.ofStatic("expect", ""),
        HpackHeaderField.ofStatic("expires", ""),
        HpackHeaderField.ofStatic("from", ""),
        HpackHeaderField.ofStatic("host", ""),
        HpackHeaderField.ofStatic("if-match", ""),
        HpackHeaderField.ofStatic("if-modified-since", ""),
        HpackHeaderField.ofStatic("if-none-match", ""),
        HpackHeaderField.ofStatic("if-range", ""),
        HpackHeaderField.ofStatic("if-unmodified-since", ""),
        HpackHeaderField.ofStatic("last-modified", ""),
        HpackHeaderField.ofStatic("link", ""),
        HpackHeaderField.ofStatic("location", ""),
        HpackHeaderField.ofStatic("max-forwards", ""),
        HpackHeaderField.ofStatic("proxy-authenticate", ""),
        HpackHeaderField.ofStatic("proxy-authorization", ""),
        HpackHeaderField.ofStatic("range", ""),
        HpackHeaderField.ofStatic("referer", ""),
        HpackHeaderField.ofStatic("refresh", ""),
        HpackHeaderField.ofStatic("retry-after", ""),
        HpackHeaderField.ofStatic("server", ""),
        HpackHeaderField.ofStatic("set-cookie", ""),
        HpackHeaderField.ofStatic("strict-transport-security", ""),
        HpackHeaderField.ofStatic("transfer-encoding", ""),
        HpackHeaderField.ofStatic("user-agent", ""),
        HpackHeaderField.ofStatic("vary", ""),
        HpackHeaderField.ofStatic("via", ""),
        HpackHeaderField.ofStatic("www-authenticate", ""),
    };

    // Static indexes the encoder's indexing policy switches on.
    static final int PATH = 4;
    static final int AGE = 21;
    static final int AUTHORIZATION = 23;
    static final int CONTENT_LENGTH = 28;
    static final int COOKIE = 32;
    static final int ETAG = 34;
    static final int IF_MODIFIED_SINCE = 40;
    static final int IF_NONE_MATCH = 41;
    static final int LOCATION = 46;
    static final int PROXY_AUTHORIZATION = 49;
    static final int SET_COOKIE = 55;

    /**
     * Open addressing with 256 slots for the 52 distinct names: with a multiplicative hash, a hit
     * takes at most 2 probes and a miss 1.3 on average. Each slot holds the lowest static index
     * having that name (so the encoder gets the first of the entries sharing a name, and can
     * walk forward to match the value), or 0 when empty.
     */
    private static final int SLOTS = 256;
    private static final byte[] NAME_SLOTS = new byte[SLOTS];

    static {
        for (int i = 1; i <= LENGTH; i++) {
            HpackHeaderField e = ENTRIES[i];
            int slot = spread(e.nameHash);
            while (true) {
                int existing = NAME_SLOTS[slot];
                if (existing == 0) {
                    NAME_SLOTS[slot] = (byte) i;
                    break;
                }
                if (ENTRIES[existing].name.equals(e.name)) {
                    break; // an earlier index already has this name
                }
                slot = (slot + 1) & (SLOTS - 1);
            }
        }
    }

    private HpackStaticTable() {
    }

    private static int spread(int hash) {
        return (hash * 0x9E3779B9) >>> 24; // top 8 bits of a Fibonacci hash: SLOTS is 2^8
    }

    /** The entry at {@code index}, which must be 1 to {@link #LENGTH}. */
    static HpackHeaderField get(int index) {
        return ENTRIES[index];
    }

    /** The lowest static index whose name is {@code name}, or 0. */
    static int indexOfName(String name) {
        int hash = name.hashCode();
        int slot = spread(hash);
        while (true) {
            int index = NAME_SLOTS[slot];
            if (index == 0) {
                return 0;
            }
            HpackHeaderField e = ENTRIES[index];
            if (e.nameHash == hash && e.name.equals(name)) {
                return index;
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
    }

    /**
     * The static index whose name and value match, or 0; {@code nameIndex} is the result of
     * {@link #indexOfName} for this name (entries sharing a name are adjacent in Appendix A).
     */
    static int indexOf(int nameIndex, String value) {
        String name = ENTRIES[nameIndex].name;
        for (int i = nameIndex; i <= LENGTH && ENTRIES[i].name.equals(name); i++) {
            if (ENTRIES[i].value.equals(value)) {
                return i;
            }
        }
        return 0;
    }

    /** The interned static name equal to the given octets, or {@code null}. */
    static String nameOf(byte[] src, int offset, int length) {
        int hash = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            hash = 31 * hash + (src[i] & 0xFF);
        }
        int slot = spread(hash);
        while (true) {
            int index = NAME_SLOTS[slot];
            if (index == 0) {
                return null;
            }
            HpackHeaderField e = ENTRIES[index];
            if (e.nameHash == hash && e.nameLength == length
                    && Arrays.equals(e.bytes, 0, length, src, offset, offset + length)) {
                return e.name;
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
    }
}
