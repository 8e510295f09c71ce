package dev.lanner.server.internal.http2.hpack;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Decodes HPACK header blocks (RFC 7541 §3, §6) of one HTTP/2 connection, keeping the dynamic
 * table of the peer's encoder in step with it. Not thread-safe: one per connection, used only by
 * the connection's reader thread (its virtual thread).
 *
 * <p>{@link #decode} takes a complete header block, i.e. the HEADERS or PUSH_PROMISE fragment
 * followed by every CONTINUATION fragment (RFC 9113 §4.3), and hands its fields to a
 * {@link HeaderSink} in order. Decoding allocates nothing per field except when a field enters
 * the dynamic table (one array for its octets).
 *
 * <h2>Errors</h2>
 * Malformed input throws {@link HpackException} with {@link HpackException#isCompressionError()}
 * set: the connection must then be closed with COMPRESSION_ERROR (RFC 9113 §4.3), and this
 * decoder must not be used again, because its table may be half updated.
 *
 * <h2>Limits</h2>
 * A header list that is too large is not a compression error: the stream gets a 431 or a
 * RST_STREAM while the connection lives on (RFC 9113 §8.2.3). But the block still has to be
 * decoded to the end, because the peer's encoder has already applied its dynamic-table inserts.
 * So when the list exceeds {@code maxHeaderListSize} (counted as RFC 9113 §6.5.2 does: name +
 * value + 32 octets per field), or one string literal exceeds {@code maxStringLength} octets
 * (on the wire or decoded), the decoder keeps decoding and updating the table but stops
 * delivering fields to the sink, and {@link #headerListTooLarge()} answers {@code true} once
 * {@code decode} returns. Fields that were delivered before that point belong to a list the
 * server must reject.
 *
 * <p>This also bounds the "HPACK bomb" (a small block that references one large table entry
 * many times): the references cost one table lookup each and stop being delivered once their
 * total passes {@code maxHeaderListSize}. Memory is bounded too: a Huffman string that will not
 * be delivered is only validated, not decoded, unless it enters the table, whose capacity the
 * server controls through SETTINGS_HEADER_TABLE_SIZE; and an entry larger than the table is never
 * stored: it just empties the table (RFC 7541 §4.4).
 */
public final class HpackDecoder {
    /** Initial SETTINGS_HEADER_TABLE_SIZE (RFC 9113 §6.5.2), the table size both ends start with. */
    public static final int DEFAULT_TABLE_SIZE = 4096;
    /** Default limit on the header list size, counted as in RFC 9113 §6.5.2. */
    public static final int DEFAULT_MAX_HEADER_LIST_SIZE = 16 * 1024;

    private static final byte[] EMPTY = new byte[0];

    private final HpackDynamicTable table = new HpackDynamicTable(DEFAULT_TABLE_SIZE);
    private final int maxStringLength;
    private int maxHeaderListSize;

    /** The SETTINGS_HEADER_TABLE_SIZE in force: the largest size update the peer may send. */
    private int maxTableSize = DEFAULT_TABLE_SIZE;
    /**
     * The smallest SETTINGS_HEADER_TABLE_SIZE set since the last block that is below the table
     * capacity, or -1: the next block must then open with a size update at most this large.
     */
    private int requiredSizeUpdate = -1;

    private boolean headerListTooLarge;
    private long headerListSize;

    // The block being decoded.
    private byte[] in;
    private int pos;
    private int limit;
    /** Copy of a block given as a buffer without an accessible array. */
    private byte[] copy = EMPTY;

    // Huffman output; names and values need separate buffers as both live until the field ends.
    private byte[] nameScratch = new byte[64];
    private byte[] valueScratch = new byte[256];

    // Result of readString.
    private byte[] stringArray;
    private int stringOffset;
    private int stringLength;

    /** A decoder with {@link #DEFAULT_MAX_HEADER_LIST_SIZE} as both limits. */
    public HpackDecoder() {
        this(DEFAULT_MAX_HEADER_LIST_SIZE, DEFAULT_MAX_HEADER_LIST_SIZE);
    }

    /**
     * @param maxHeaderListSize the SETTINGS_MAX_HEADER_LIST_SIZE to enforce (RFC 9113 §6.5.2)
     * @param maxStringLength the longest name or value accepted, in octets; larger than
     *     {@code maxHeaderListSize} is pointless, since a longer string alone exceeds the list
     */
    public HpackDecoder(int maxHeaderListSize, int maxStringLength) {
        if (maxHeaderListSize < 0 || maxStringLength < 0) {
            throw new IllegalArgumentException("negative limit");
        }
        this.maxHeaderListSize = maxHeaderListSize;
        this.maxStringLength = maxStringLength;
    }

    /**
     * Sets the SETTINGS_HEADER_TABLE_SIZE this endpoint advertises, which bounds the size
     * updates the peer may send (RFC 7541 §6.3, RFC 9113 §6.5.2). Call it when the peer
     * acknowledges the SETTINGS frame that carried it: until then the peer may still use the old
     * value. When the new value is below the current table capacity, the next block must start
     * with a size update no larger than the smallest such value set meanwhile (RFC 7541 §4.2),
     * else it fails with COMPRESSION_ERROR.
     */
    public void setMaxTableSize(int maxTableSize) {
        if (maxTableSize < 0) {
            throw new IllegalArgumentException("maxTableSize < 0: " + maxTableSize);
        }
        this.maxTableSize = maxTableSize;
        if (maxTableSize < table.capacity()) {
            requiredSizeUpdate = requiredSizeUpdate < 0 ? maxTableSize : Math.min(requiredSizeUpdate, maxTableSize);
        }
    }

    /** The SETTINGS_HEADER_TABLE_SIZE in force, as last set by {@link #setMaxTableSize}. */
    public int maxTableSize() {
        return maxTableSize;
    }

    /** Sets the header list size limit (SETTINGS_MAX_HEADER_LIST_SIZE) for the following blocks. */
    public void setMaxHeaderListSize(int maxHeaderListSize) {
        if (maxHeaderListSize < 0) {
            throw new IllegalArgumentException("maxHeaderListSize < 0: " + maxHeaderListSize);
        }
        this.maxHeaderListSize = maxHeaderListSize;
    }

    /** The header list size limit (RFC 9113 §6.5.2). */
    public int maxHeaderListSize() {
        return maxHeaderListSize;
    }

    /**
     * Whether the last decoded block exceeded {@code maxHeaderListSize} or held a string longer
     * than {@code maxStringLength}. If so, the sink did not get all of its fields, and the stream
     * should be refused (431, or RST_STREAM); the connection stays usable.
     */
    public boolean headerListTooLarge() {
        return headerListTooLarge;
    }

    /** Size of the last decoded header list, as RFC 9113 §6.5.2 counts it: name + value + 32 per field. */
    public long headerListSize() {
        return headerListSize;
    }

    /** Decodes a complete header block; see {@link #decode(byte[], int, int, HeaderSink)}. */
    public void decode(byte[] block, HeaderSink sink) throws HpackException {
        decode(block, 0, block.length, sink);
    }

    /**
     * Decodes a complete header block held in a buffer, from its position to its limit, and
     * moves the position to the limit.
     */
    public void decode(ByteBuffer block, HeaderSink sink) throws HpackException {
        int length = block.remaining();
        if (block.hasArray()) {
            decode(block.array(), block.arrayOffset() + block.position(), length, sink);
        } else {
            // Direct or read-only buffer: plain literals are handed out as ranges of the input,
            // so the input must be an array.
            if (copy.length < length) {
                copy = new byte[Math.max(length, copy.length * 2)];
            }
            block.get(block.position(), copy, 0, length);
            decode(copy, 0, length, sink);
        }
        block.position(block.limit());
    }

    /**
     * Decodes the complete header block {@code block[offset .. offset + length)}, passing its
     * fields to {@code sink} in order (fewer when {@link #headerListTooLarge()}).
     *
     * @throws HpackException a COMPRESSION_ERROR (RFC 9113 §4.3); the decoder is unusable after it
     */
    public void decode(byte[] block, int offset, int length, HeaderSink sink) throws HpackException {
        Objects.checkFromIndexSize(offset, length, block.length);
        Objects.requireNonNull(sink, "sink");
        in = block;
        pos = offset;
        limit = offset + length;
        headerListSize = 0;
        headerListTooLarge = false;
        try {
            decodeSizeUpdates();
            while (pos < limit) {
                int b = in[pos] & 0xFF;
                if (b >= 0x80) {
                    indexed(sink); // §6.1: 1xxxxxxx
                } else if (b >= 0x40) {
                    literal(6, true, false, sink); // §6.2.1: 01xxxxxx, incremental indexing
                } else if (b >= 0x20) {
                    throw HpackException.compression(
                            "dynamic table size update after a header field (RFC 7541 §4.2)");
                } else {
                    // §6.2.2: 0000xxxx without indexing; §6.2.3: 0001xxxx never indexed
                    literal(4, false, b >= 0x10, sink);
                }
            }
        } finally {
            in = null; // do not keep the caller's block reachable
        }
    }

    /**
     * RFC 7541 §4.2: size updates (§6.3, 001xxxxx) may only open a block, and must not exceed
     * the advertised SETTINGS_HEADER_TABLE_SIZE.
     */
    private void decodeSizeUpdates() throws HpackException {
        while (pos < limit && (in[pos] & 0xE0) == 0x20) {
            int newSize = readInteger(5);
            if (newSize > maxTableSize) {
                throw HpackException.compression("dynamic table size update to " + newSize
                        + " exceeds SETTINGS_HEADER_TABLE_SIZE " + maxTableSize + " (RFC 7541 §6.3)");
            }
            table.setCapacity(newSize);
            if (newSize <= requiredSizeUpdate) {
                requiredSizeUpdate = -1;
            }
        }
        if (requiredSizeUpdate >= 0) {
            throw HpackException.compression("header block does not open with a dynamic table size update to at most "
                    + requiredSizeUpdate + " after SETTINGS_HEADER_TABLE_SIZE was lowered (RFC 7541 §4.2)");
        }
    }

    /** RFC 7541 §6.1: indexed header field. */
    private void indexed(HeaderSink sink) throws HpackException {
        HpackHeaderField field = field(readInteger(7));
        deliver(field.name, field.bytes, 0, field.nameLength,
                field.value, field.bytes, field.nameLength, field.valueLength, false, sink);
    }

    /** RFC 7541 §6.2: literal header field, whose name is indexed or a literal itself. */
    private void literal(int prefixBits, boolean indexing, boolean neverIndexed, HeaderSink sink)
            throws HpackException {
        int nameIndex = readInteger(prefixBits);
        byte[] nameArray;
        int nameOffset;
        int nameLength;
        String knownName;
        if (nameIndex != 0) {
            HpackHeaderField field = field(nameIndex);
            nameArray = field.bytes;
            nameOffset = 0;
            nameLength = field.nameLength;
            knownName = field.name;
        } else {
            readString(true, indexing, 0);
            nameArray = stringArray;
            nameOffset = stringOffset;
            nameLength = stringLength;
            knownName = nameArray == null ? null : HpackStaticTable.nameOf(nameArray, nameOffset, nameLength);
        }
        readString(false, indexing, nameLength);
        byte[] valueArray = stringArray;
        int valueOffset = stringOffset;
        int valueLength = stringLength;
        if (indexing) {
            if ((long) nameLength + valueLength + HpackHeaderField.ENTRY_OVERHEAD > table.capacity()) {
                // §4.4: not an error; the table ends up empty. (Skipped strings always land here.)
                table.clear();
            } else {
                table.add(HpackHeaderField.ofDecoded(
                        nameArray, nameOffset, nameLength, knownName, valueArray, valueOffset, valueLength));
            }
        }
        deliver(knownName, nameArray, nameOffset, nameLength, null, valueArray, valueOffset, valueLength,
                neverIndexed, sink);
    }

    /** The field at a table index (RFC 7541 §2.3.3): 1-61 static, then dynamic, newest first. */
    private HpackHeaderField field(int index) throws HpackException {
        if (index <= HpackStaticTable.LENGTH) {
            if (index == 0) {
                throw HpackException.compression("table index 0 (RFC 7541 §6.1)");
            }
            return HpackStaticTable.get(index);
        }
        int dynamicIndex = index - HpackStaticTable.LENGTH;
        if (dynamicIndex > table.length()) {
            throw HpackException.compression("table index " + index + " beyond the " + table.length()
                    + " dynamic table entries (RFC 7541 §2.3.3)");
        }
        return table.get(dynamicIndex);
    }

    /**
     * Reads a string literal (RFC 7541 §5.2) into stringArray/Offset/Length. Plain strings are
     * left in the input. A Huffman string is decoded into a scratch buffer when it will be
     * delivered or stored in the table; otherwise it is only validated, and stringArray is null
     * while stringLength still gives the decoded length, which table accounting needs.
     *
     * @param otherLength for a value, the length of the field's name (0 for a name)
     */
    private void readString(boolean forName, boolean indexing, int otherLength) throws HpackException {
        if (pos >= limit) {
            throw truncated();
        }
        boolean huffman = (in[pos] & 0x80) != 0;
        int length = readInteger(7);
        if (length > limit - pos) {
            throw HpackException.compression("string literal of " + length
                    + " octets runs past the end of the header block (" + (limit - pos) + " left)");
        }
        int start = pos;
        pos += length;
        if (length > maxStringLength) {
            headerListTooLarge = true;
        }
        if (!huffman) {
            stringArray = in;
            stringOffset = start;
            stringLength = length;
            return;
        }
        stringOffset = 0;
        if (!headerListTooLarge) {
            byte[] scratch = scratch(forName, HpackHuffmanDecoder.maxDecodedLength(length));
            stringLength = HpackHuffmanDecoder.decode(in, start, length, scratch, 0);
            stringArray = scratch;
            if (stringLength > maxStringLength) {
                headerListTooLarge = true;
            }
            return;
        }
        // Not delivered: decode only what the dynamic table will keep.
        int decodedLength = HpackHuffmanDecoder.decodedLength(in, start, length);
        stringLength = decodedLength;
        if (indexing && (long) otherLength + decodedLength + HpackHeaderField.ENTRY_OVERHEAD <= table.capacity()) {
            byte[] scratch = scratch(forName, decodedLength + 1);
            HpackHuffmanDecoder.decode(in, start, length, scratch, 0);
            stringArray = scratch;
        } else {
            stringArray = null;
        }
    }

    private byte[] scratch(boolean forName, int length) {
        if (forName) {
            if (nameScratch.length < length) {
                nameScratch = new byte[Math.max(length, nameScratch.length * 2)];
            }
            return nameScratch;
        }
        if (valueScratch.length < length) {
            valueScratch = new byte[Math.max(length, valueScratch.length * 2)];
        }
        return valueScratch;
    }

    /** Counts the field against the header list size (RFC 9113 §6.5.2) and delivers it if allowed. */
    private void deliver(String knownName, byte[] name, int nameOffset, int nameLength,
            String knownValue, byte[] value, int valueOffset, int valueLength, boolean neverIndexed,
            HeaderSink sink) {
        headerListSize += (long) nameLength + valueLength + HpackHeaderField.ENTRY_OVERHEAD;
        if (headerListSize > maxHeaderListSize) {
            headerListTooLarge = true;
        }
        if (!headerListTooLarge) {
            sink.header(knownName, name, nameOffset, nameLength, knownValue, value, valueOffset, valueLength,
                    neverIndexed);
        }
    }

    /**
     * RFC 7541 §5.1 integer with an N-bit prefix, starting at the current octet (which the caller
     * checked is in the block). Rejects values above {@link Integer#MAX_VALUE} and encodings with
     * more than 5 continuation octets, which are either overflowing or padded with zero groups
     * to make the decoder spin.
     */
    private int readInteger(int prefixBits) throws HpackException {
        int mask = (1 << prefixBits) - 1;
        int value = in[pos++] & mask;
        if (value < mask) {
            return value;
        }
        long result = mask;
        for (int shift = 0; ; shift += 7) {
            if (pos >= limit) {
                throw truncated();
            }
            int b = in[pos++];
            result += (long) (b & 0x7F) << shift;
            if (result > Integer.MAX_VALUE) {
                throw HpackException.compression("integer larger than 2^31-1 (RFC 7541 §5.1)");
            }
            if ((b & 0x80) == 0) {
                return (int) result;
            }
            if (shift == 28) {
                throw HpackException.compression("integer encoding longer than 5 continuation octets (RFC 7541 §5.1)");
            }
        }
    }

    private static HpackException truncated() {
        return HpackException.compression("header block ends inside a header field representation");
    }

    /** The decoder's dynamic table, for tests. */
    HpackDynamicTable dynamicTable() {
        return table;
    }
}
