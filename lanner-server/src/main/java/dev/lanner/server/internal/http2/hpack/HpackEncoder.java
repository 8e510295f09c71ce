package dev.lanner.server.internal.http2.hpack;

import java.util.Map;
import java.util.Objects;

/**
 * Encodes header lists into HPACK header blocks (RFC 7541) for one HTTP/2 connection, keeping
 * the dynamic table that the peer's decoder mirrors. Not thread-safe: one per connection, used only
 * under the lock of its {@code Http2ConnectionWriter}.
 *
 * <h2>Representation chosen per field</h2>
 * <ol>
 *   <li>A field the policy below says to never index is sent as a literal never indexed
 *       (RFC 7541 §6.2.3), with an indexed name when one exists.</li>
 *   <li>A field equal to a static or dynamic table entry is sent as an index (§6.1); static
 *       entries are looked up through a hash of the name, dynamic ones through a hash table
 *       kept next to the dynamic table.</li>
 *   <li>Otherwise it is a literal whose name is indexed when the name is in either table
 *       (static preferred: it is never evicted), with incremental indexing (§6.2.1) or without
 *       indexing (§6.2.2) as the policy says.</li>
 * </ol>
 * Strings are Huffman-encoded when that is strictly shorter (§5.2), unless Huffman is off.
 *
 * <h2>Indexing policy</h2>
 * The policy is nghttp2's, which balances compression against the cost of evicting useful
 * entries and against CRIME-style attacks (RFC 7541 §7.1):
 * <ul>
 *   <li>Never indexed: {@code authorization}, {@code proxy-authorization}, {@code set-cookie},
 *       {@code cookie} values shorter than 20 octets (short secrets are cheap to guess by
 *       probing the compression ratio, RFC 7541 §7.1.3), and any field the caller marks
 *       sensitive. nghttp2 sends {@code set-cookie} without indexing; here it is never indexed,
 *       so that a proxy re-encoding it keeps session cookies out of its tables too.</li>
 *   <li>Not indexed, as their values rarely repeat: {@code :path}, {@code age},
 *       {@code content-length}, {@code etag}, {@code if-modified-since},
 *       {@code if-none-match}, {@code location}; and any field whose entry would take more
 *       than 3/4 of the table, which would flush everything else for one likely-unique value.</li>
 *   <li>Everything else is indexed.</li>
 * </ul>
 *
 * <h2>Names and values</h2>
 * Names must be lower case (RFC 9113 §8.2.1) and both names and values must hold only
 * ISO-8859-1 characters (one char per octet); anything else is rejected with
 * {@link IllegalArgumentException} before any octet is written or the table changes. Field
 * syntax beyond that (e.g. forbidden characters) is the caller's business.
 */
public final class HpackEncoder {
    /** Initial SETTINGS_HEADER_TABLE_SIZE (RFC 9113 §6.5.2): the table size the peer starts with. */
    public static final int DEFAULT_TABLE_SIZE = 4096;

    private static final int SCRATCH_LENGTH = 256;

    /** 2^7 buckets per index: a 4096-octet table holds at most 128 entries. */
    private static final int BUCKET_BITS = 7;

    private final HpackDynamicTable table = new HpackDynamicTable(DEFAULT_TABLE_SIZE);
    /** Dynamic entries by (name, value): finds fields sent before. */
    private final Entry[] fieldBuckets = new Entry[1 << BUCKET_BITS];
    /** Dynamic entries by name, for names not in the static table: finds indexable names. */
    private final Entry[] nameBuckets = new Entry[1 << BUCKET_BITS];
    private final boolean huffman;
    private final int maxTableSizeLimit;

    // Scratch for reading strings in bulk rather than with charAt (see isLatin1).
    private final char[] chars = new char[SCRATCH_LENGTH];
    private final byte[] octets = new byte[SCRATCH_LENGTH];

    private boolean sizeUpdatePending;
    private int pendingMinSize;
    private int pendingSize;

    /** An encoder that uses Huffman coding and a table of up to {@link #DEFAULT_TABLE_SIZE} octets. */
    public HpackEncoder() {
        this(true, DEFAULT_TABLE_SIZE);
    }

    /**
     * @param huffman whether to Huffman-encode strings when that makes them shorter
     * @param maxTableSizeLimit the largest dynamic table this encoder will use, whatever the
     *     peer allows: the table only holds references to the caller's strings, but a larger one
     *     makes lookups longer. Below 4096, the first block announces the smaller size.
     */
    public HpackEncoder(boolean huffman, int maxTableSizeLimit) {
        if (maxTableSizeLimit < 0) {
            throw new IllegalArgumentException("maxTableSizeLimit < 0: " + maxTableSizeLimit);
        }
        this.huffman = huffman;
        this.maxTableSizeLimit = maxTableSizeLimit;
        if (maxTableSizeLimit < DEFAULT_TABLE_SIZE) {
            setMaxTableSize(DEFAULT_TABLE_SIZE);
        }
    }

    /**
     * Applies the peer's SETTINGS_HEADER_TABLE_SIZE (RFC 9113 §6.5.2): the encoder then uses a
     * table of {@code min(maxTableSize, maxTableSizeLimit)} octets. The change is announced by
     * dynamic table size updates at the start of the next block (RFC 7541 §4.2): if the size
     * changed more than once meanwhile, first the smallest size (so the peer evicts what this
     * encoder evicted), then the final one.
     */
    public void setMaxTableSize(int maxTableSize) {
        if (maxTableSize < 0) {
            throw new IllegalArgumentException("maxTableSize < 0: " + maxTableSize);
        }
        int size = Math.min(maxTableSize, maxTableSizeLimit);
        pendingMinSize = sizeUpdatePending ? Math.min(pendingMinSize, size) : size;
        pendingSize = size;
        sizeUpdatePending = true;
    }

    /**
     * Encodes a complete header list as one header block, in order.
     *
     * @throws IllegalArgumentException if a name has an upper-case letter or a name or value
     *     has a char above 0xFF; then nothing was written and the table is unchanged
     */
    public void encode(Iterable<? extends Map.Entry<String, String>> headers, HeaderBlockBuffer out) {
        Objects.requireNonNull(out, "out");
        // Validate everything first: failing halfway would leave table inserts that the peer,
        // never receiving the block, would not have made.
        for (Map.Entry<String, String> header : headers) {
            validate(header.getKey(), header.getValue());
        }
        startBlock(out);
        for (Map.Entry<String, String> header : headers) {
            encodeValid(header.getKey(), header.getValue(), false, out);
        }
    }

    /**
     * Starts a header block: writes the pending dynamic table size updates, if any. Call it
     * before the first {@link #encodeHeader} of every block.
     */
    public void startBlock(HeaderBlockBuffer out) {
        if (!sizeUpdatePending) {
            return;
        }
        sizeUpdatePending = false;
        if (pendingMinSize < table.capacity()) {
            writeSizeUpdate(pendingMinSize, out);
        }
        if (pendingSize != table.capacity()) {
            writeSizeUpdate(pendingSize, out);
        }
    }

    /**
     * Encodes one field of the block begun by {@link #startBlock}.
     *
     * @param sensitive send it as a literal never indexed (RFC 7541 §6.2.3, §7.1.3), e.g. for
     *     a field carrying a secret that the indexing policy does not know about
     * @throws IllegalArgumentException if the name has an upper-case letter or the name or value
     *     has a char above 0xFF; then nothing was written and the table is unchanged
     */
    public void encodeHeader(String name, String value, boolean sensitive, HeaderBlockBuffer out) {
        validate(name, value);
        encodeValid(name, value, sensitive, out);
    }

    private void encodeValid(String name, String value, boolean sensitive, HeaderBlockBuffer out) {
        int staticNameIndex = HpackStaticTable.indexOfName(name);
        if (sensitive || neverIndexed(staticNameIndex, value)) {
            int nameIndex = staticNameIndex != 0 ? staticNameIndex : dynamicNameIndex(name);
            writeLiteral(0x10, 4, nameIndex, name, value, out);
            return;
        }
        if (staticNameIndex != 0) {
            int index = HpackStaticTable.indexOf(staticNameIndex, value);
            if (index != 0) {
                writeInteger(out, 0x80, 7, index);
                return;
            }
        }
        int fieldHash = fieldHash(name, value);
        for (Entry e = fieldBuckets[bucket(fieldHash)]; e != null; e = e.olderInFieldBucket) {
            if (e.fieldHash == fieldHash && e.name.equals(name) && e.value.equals(value)) {
                writeInteger(out, 0x80, 7, HpackStaticTable.LENGTH + table.indexOf(e));
                return;
            }
        }
        int nameIndex = staticNameIndex != 0 ? staticNameIndex : dynamicNameIndex(name);
        if (indexed(staticNameIndex, name, value)) {
            writeLiteral(0x40, 6, nameIndex, name, value, out);
            insert(new Entry(name, value, fieldHash, staticNameIndex != 0));
        } else {
            writeLiteral(0x00, 4, nameIndex, name, value, out);
        }
    }

    private static boolean neverIndexed(int staticNameIndex, String value) {
        return switch (staticNameIndex) {
            case HpackStaticTable.AUTHORIZATION, HpackStaticTable.PROXY_AUTHORIZATION, HpackStaticTable.SET_COOKIE -> true;
            case HpackStaticTable.COOKIE -> value.length() < 20;
            default -> false;
        };
    }

    private boolean indexed(int staticNameIndex, String name, String value) {
        return switch (staticNameIndex) {
            case HpackStaticTable.PATH, HpackStaticTable.AGE, HpackStaticTable.CONTENT_LENGTH, HpackStaticTable.ETAG,
                    HpackStaticTable.IF_MODIFIED_SINCE, HpackStaticTable.IF_NONE_MATCH, HpackStaticTable.LOCATION -> false;
            default -> (long) name.length() + value.length() + HpackHeaderField.ENTRY_OVERHEAD
                    <= table.capacity() * 3L / 4;
        };
    }

    /** Index of the newest dynamic entry named {@code name} (not a static name), or 0. */
    private int dynamicNameIndex(String name) {
        int hash = name.hashCode();
        for (Entry e = nameBuckets[bucket(hash)]; e != null; e = e.olderInNameBucket) {
            if (e.nameHash == hash && e.name.equals(name)) {
                return HpackStaticTable.LENGTH + table.indexOf(e);
            }
        }
        return 0;
    }

    private void writeLiteral(int pattern, int prefixBits, int nameIndex, String name, String value,
            HeaderBlockBuffer out) {
        writeInteger(out, pattern, prefixBits, nameIndex);
        if (nameIndex == 0) {
            writeString(name, out);
        }
        writeString(value, out);
    }

    /**
     * RFC 7541 §5.2 string literal, Huffman-encoded only when strictly shorter. One pass: the
     * Huffman code is written where the plain string would go and abandoned as soon as it
     * reaches the plain length, so the common case does not first compute the encoded length.
     */
    private void writeString(String s, HeaderBlockBuffer out) {
        int length = s.length();
        if (huffman && length > 1) {
            int prefix = integerLength(7, length);
            out.ensureWritable(prefix + length);
            byte[] array = out.array();
            int start = out.length();
            int encodedLength = HpackHuffmanEncoder.encodeIfShorter(s, octets, array, start + prefix, length);
            if (encodedLength >= 0) {
                int encodedPrefix = integerLength(7, encodedLength);
                if (encodedPrefix < prefix) { // the length needs fewer octets: close the gap
                    System.arraycopy(array, start + prefix, array, start + encodedPrefix, encodedLength);
                }
                writeInteger(out, 0x80, 7, encodedLength);
                out.advance(encodedLength);
                return;
            }
        }
        writeInteger(out, 0x00, 7, length);
        out.ensureWritable(length);
        copyLatin1(s, out.array(), out.length());
        out.advance(length);
    }

    /**
     * Copies the low octet of each char, which for validated text is its ISO-8859-1 octet. The
     * deprecated {@link String#getBytes(int, int, byte[], int)} does exactly that, as an array
     * copy for the usual Latin-1 strings, without allocating.
     */
    @SuppressWarnings("deprecation")
    private static void copyLatin1(String s, byte[] dst, int offset) {
        s.getBytes(0, s.length(), dst, offset);
    }

    /** RFC 7541 §6.3, 001xxxxx; also applies the size to the table. */
    private void writeSizeUpdate(int size, HeaderBlockBuffer out) {
        writeInteger(out, 0x20, 5, size);
        while (table.size() > size) {
            unlink((Entry) table.evictOldest());
        }
        table.setCapacity(size);
    }

    private void insert(Entry entry) {
        // The policy only indexes entries up to 3/4 of the capacity, so the entry always fits.
        while (table.size() + entry.size() > table.capacity()) {
            unlink((Entry) table.evictOldest());
        }
        table.add(entry);
        int b = bucket(entry.fieldHash);
        entry.olderInFieldBucket = fieldBuckets[b];
        fieldBuckets[b] = entry;
        if (entry.inNameBuckets) {
            b = bucket(entry.nameHash);
            Entry older = nameBuckets[b];
            entry.olderInNameBucket = older;
            if (older != null) {
                older.newerInNameBucket = entry;
            }
            nameBuckets[b] = entry;
        }
    }

    /**
     * Removes an evicted entry from the indexes. Being the oldest entry, it is the last of each
     * chain: (name, value) chains are short, so that one is walked; name chains can be long (one
     * custom header with many values), so they link both ways.
     */
    private void unlink(Entry evicted) {
        int b = bucket(evicted.fieldHash);
        Entry e = fieldBuckets[b];
        if (e == evicted) {
            fieldBuckets[b] = evicted.olderInFieldBucket;
        } else {
            while (e.olderInFieldBucket != evicted) {
                e = e.olderInFieldBucket;
            }
            e.olderInFieldBucket = evicted.olderInFieldBucket;
        }
        if (evicted.inNameBuckets) {
            Entry newer = evicted.newerInNameBucket;
            if (newer == null) {
                nameBuckets[bucket(evicted.nameHash)] = evicted.olderInNameBucket;
            } else {
                newer.olderInNameBucket = evicted.olderInNameBucket;
            }
        }
    }

    private static int fieldHash(String name, String value) {
        return 31 * name.hashCode() + value.hashCode();
    }

    private static int bucket(int hash) {
        return (hash * 0x9E3779B9) >>> (32 - BUCKET_BITS);
    }

    /** Octets that {@code value} takes with an N-bit prefix (RFC 7541 §5.1). */
    private static int integerLength(int prefixBits, int value) {
        int mask = (1 << prefixBits) - 1;
        if (value < mask) {
            return 1;
        }
        int octets = 2;
        for (int rest = value - mask; rest >= 0x80; rest >>>= 7) {
            octets++;
        }
        return octets;
    }

    /**
     * Checks what HPACK needs of a field: a lower-case name (RFC 9113 §8.2.1) and ISO-8859-1
     * text, since each char must become one octet.
     */
    private void validate(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (!isLowerCaseLatin1(name)) {
            throw new IllegalArgumentException("header name must be lower-case ISO-8859-1 (RFC 9113 §8.2.1): " + name);
        }
        if (!isLatin1(value)) {
            throw new IllegalArgumentException("header value of " + name + " has a character outside ISO-8859-1");
        }
    }

    /**
     * Whether every char is below 0x100. Copies chunks with {@code getChars} and ORs them
     * together: a loop the JIT vectorizes, unlike a {@code charAt} loop with an early exit, which
     * costs about four times as much per char.
     */
    private boolean isLatin1(String s) {
        char[] buffer = chars;
        for (int from = 0, n = s.length(); from < n; from += buffer.length) {
            int count = Math.min(n - from, buffer.length);
            s.getChars(from, from + count, buffer, 0);
            int or = 0;
            for (int i = 0; i < count; i++) {
                or |= buffer[i];
            }
            if (or > 0xFF) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLowerCaseLatin1(String name) {
        for (int i = 0, n = name.length(); i < n; i++) {
            char c = name.charAt(i);
            if (c > 0xFF || (c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 7541 §5.1: {@code value} with an N-bit prefix, the first octet's other bits being
     * {@code pattern}.
     */
    static void writeInteger(HeaderBlockBuffer out, int pattern, int prefixBits, int value) {
        int mask = (1 << prefixBits) - 1;
        if (value < mask) {
            out.writeByte(pattern | value);
            return;
        }
        out.writeByte(pattern | mask);
        int rest = value - mask;
        while (rest >= 0x80) {
            out.writeByte((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        out.writeByte(rest);
    }

    /** The encoder's dynamic table, for tests. */
    HpackDynamicTable dynamicTable() {
        return table;
    }

    /** A dynamic-table entry of the encoder, linked into its hash indexes, newest first. */
    private static final class Entry extends HpackHeaderField {
        final int fieldHash;
        /** Whether the entry is in the name index: static names are found in the static table. */
        final boolean inNameBuckets;
        Entry olderInFieldBucket;
        Entry olderInNameBucket;
        Entry newerInNameBucket;

        /** The strings were validated: only ISO-8859-1 characters, so length = octets. */
        Entry(String name, String value, int fieldHash, boolean staticName) {
            super(null, name.length(), value.length(), name, value, name.hashCode());
            this.fieldHash = fieldHash;
            this.inNameBuckets = !staticName;
        }
    }
}
