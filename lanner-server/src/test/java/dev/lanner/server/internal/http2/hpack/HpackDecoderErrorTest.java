package dev.lanner.server.internal.http2.hpack;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every way a header block can be refused, and the limits that refuse a header list instead. */
class HpackDecoderErrorTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
        index 0                                      | 80                 | table index 0
        index 62 with an empty dynamic table         | be                 | table index 62 beyond the 0 dynamic table entries
        largest int index                            | ff80ffffff07       | table index 2147483647 beyond
        literal name index 63 with an empty table    | 7f0001 61          | table index 63 beyond
        never-indexed name index 62                  | 1f2f 01 61         | table index 62 beyond
        size update 4097 above the default 4096      | 3fe21f             | dynamic table size update to 4097 exceeds SETTINGS_HEADER_TABLE_SIZE 4096
        size update after a header field             | 82 20              | dynamic table size update after a header field
        size update between fields                   | 82 3fe11f 82       | dynamic table size update after a header field
        integer above 2^31-1                         | ff80ffffff08       | integer larger than 2^31-1
        integer 15 << 28 in its fifth octet          | ffffffffff0f       | integer larger than 2^31-1
        integer padded with zero groups              | ff8080808080 00    | integer encoding longer than 5 continuation octets
        Huffman string holding EOS                   | 40 84ffffffff 00   | contains EOS
        Huffman padding of zeros                     | 40 8118 00         | Huffman padding
        Huffman padding of 11 bits                   | 40 821fff 00       | Huffman padding
        Huffman string that is only padding          | 40 81ff 00         | Huffman padding
        string length beyond the block               | 40 0a 6162         | string literal of 10 octets runs past the end of the header block (2 left)
        Huffman string length beyond the block       | 41 85 f1e3         | string literal of 5 octets runs past the end
        block ends inside an index                   | ff                 | header block ends inside
        block ends inside an integer continuation    | ff80               | header block ends inside
        block ends before a literal name             | 40                 | header block ends inside
        block ends before a value                    | 41                 | header block ends inside
        block ends after a literal name              | 40 0161            | header block ends inside
        """)
    void rejectsWithCompressionError(String what, String block, String message) {
        HpackDecoder decoder = new HpackDecoder();
        assertThatThrownBy(() -> decoder.decode(Hex.bytes(block), new RecordingSink()))
                .as(what)
                .isInstanceOfSatisfying(HpackException.class, e -> assertThat(e.isCompressionError()).isTrue())
                .hasMessageContaining(message);
    }

    @Test
    void largestIntegerDecodesAndSmallerPaddedEncodingsAreAccepted() throws Exception {
        HpackDecoder decoder = new HpackDecoder();
        decoder.setMaxTableSize(Integer.MAX_VALUE);
        decoder.decode(Hex.bytes("3fe0ffffff07"), new RecordingSink()); // 31 + 2147483616
        assertThat(decoder.dynamicTable().capacity()).isEqualTo(Integer.MAX_VALUE);
        decoder.decode(Hex.bytes("3f8180808000"), new RecordingSink()); // 31 + 1, four zero groups
        assertThat(decoder.dynamicTable().capacity()).isEqualTo(32);
    }

    @Test
    void dynamicIndexesPastTheTableAreRejectedOnceEntriesExist() throws Exception {
        HpackDecoder decoder = new HpackDecoder();
        decoder.decode(Hex.bytes("4001 61 0162"), new RecordingSink()); // a: b
        assertThat(RecordingSink.decode(decoder, Hex.bytes("be"))).containsExactly(entry("a", "b"));
        assertThatThrownBy(() -> decoder.decode(Hex.bytes("bf"), new RecordingSink()))
                .hasMessageContaining("table index 63 beyond the 1 dynamic table entries");
    }

    @Test
    void sizeUpdatesMayOpenABlockAndRespectTheAdvertisedLimit() throws Exception {
        HpackDecoder decoder = new HpackDecoder();
        // Two updates (0 then 4096, RFC 7541 §4.2), then a field.
        assertThat(RecordingSink.decode(decoder, Hex.bytes("20 3fe11f 82"))).containsExactly(entry(":method", "GET"));
        assertThat(decoder.dynamicTable().capacity()).isEqualTo(4096);

        decoder.setMaxTableSize(8192); // raised: updates up to 8192 become legal, none is required
        assertThat(RecordingSink.decode(decoder, Hex.bytes("82"))).hasSize(1);
        decoder.decode(Hex.bytes("3fe13f"), new RecordingSink()); // 8192
        assertThat(decoder.dynamicTable().capacity()).isEqualTo(8192);
        assertThatThrownBy(() -> decoder.decode(Hex.bytes("3fe23f"), new RecordingSink()))
                .hasMessageContaining("size update to 8193 exceeds SETTINGS_HEADER_TABLE_SIZE 8192");
    }

    @Test
    void loweredTableSizeRequiresASizeUpdateOpeningTheNextBlock() throws Exception {
        HpackDecoder decoder = new HpackDecoder();
        decoder.setMaxTableSize(100);
        assertThatThrownBy(() -> decoder.decode(Hex.bytes("82"), new RecordingSink()))
                .isInstanceOf(HpackException.class)
                .hasMessageContaining("does not open with a dynamic table size update to at most 100");

        HpackDecoder next = new HpackDecoder();
        next.decode(Hex.bytes("4001 61 0162"), new RecordingSink());
        next.setMaxTableSize(100);
        assertThat(RecordingSink.decode(next, Hex.bytes("3f45 be"))).containsExactly(entry("a", "b")); // 100
        assertThat(next.dynamicTable().capacity()).isEqualTo(100);
        assertThat(RecordingSink.decode(next, Hex.bytes("be"))).containsExactly(entry("a", "b")); // no longer required
    }

    @Test
    void sizeLoweredThenRaisedRequiresTheSmallestValue() throws Exception {
        HpackDecoder decoder = new HpackDecoder();
        decoder.decode(Hex.bytes("4001 61 0162"), new RecordingSink());
        decoder.setMaxTableSize(0);
        decoder.setMaxTableSize(4096);
        // Only the final size: the peer did not evict what a 0-octet table would have.
        assertThatThrownBy(() -> decoder.decode(Hex.bytes("3fe11f be"), new RecordingSink()))
                .hasMessageContaining("to at most 0");

        HpackDecoder compliant = new HpackDecoder();
        compliant.decode(Hex.bytes("4001 61 0162"), new RecordingSink());
        compliant.setMaxTableSize(0);
        compliant.setMaxTableSize(4096);
        compliant.decode(Hex.bytes("20 3fe11f"), new RecordingSink());
        assertThat(compliant.dynamicTable().length()).isZero();
        assertThat(compliant.dynamicTable().capacity()).isEqualTo(4096);
        assertThatThrownBy(() -> compliant.decode(Hex.bytes("be"), new RecordingSink()))
                .hasMessageContaining("table index 62 beyond the 0 dynamic table entries");
    }

    @Test
    void headerListTooLargeStopsDeliveryButKeepsTheTableInSync() throws Exception {
        HpackDecoder decoder = new HpackDecoder(100, 100);
        RecordingSink sink = new RecordingSink();
        // :method GET (42), :method GET (84), then x-big: 30 octets, incrementally indexed (67 -> 151).
        byte[] block = Hex.bytes("82 82 40 05 782d626967 1e" + "61".repeat(30));
        decoder.decode(block, sink);
        assertThat(decoder.headerListTooLarge()).isTrue();
        assertThat(decoder.headerListSize()).isEqualTo(151);
        assertThat(sink.headers()).containsExactly(entry(":method", "GET"), entry(":method", "GET"));
        assertThat(RecordingSink.tableOf(decoder.dynamicTable())).containsExactly("x-big: " + "a".repeat(30));

        // The next block refers to the entry the refused block added, and is within the limit.
        assertThat(RecordingSink.decode(decoder, Hex.bytes("be"))).containsExactly(entry("x-big", "a".repeat(30)));
        assertThat(decoder.headerListTooLarge()).isFalse();
    }

    @Test
    void huffmanEntriesOfARefusedListAreStillDecodedIntoTheTable() throws Exception {
        HpackDecoder decoder = new HpackDecoder(60, 60);
        HeaderBlockBuffer out = new HeaderBlockBuffer();
        out.write(Hex.bytes("82 82"), 0, 2); // 84 octets: over the limit before the literal (55 octets)
        writeHuffmanLiteral(out, 0x40, "x-huff", "value-value-value");
        writeHuffmanLiteral(out, 0x00, "x-skipped", "not stored, only validated");
        RecordingSink sink = new RecordingSink();
        decoder.decode(out.toByteArray(), sink);
        assertThat(decoder.headerListTooLarge()).isTrue();
        assertThat(sink.fields).hasSize(1);
        assertThat(RecordingSink.decode(decoder, Hex.bytes("be"))).containsExactly(entry("x-huff", "value-value-value"));

        // A malformed string is still a compression error when it would not be delivered.
        HeaderBlockBuffer bad = new HeaderBlockBuffer();
        bad.write(Hex.bytes("82 82 00 81 18 00"), 0, 6); // name: Huffman 'a' padded with zeros
        assertThatThrownBy(() -> decoder.decode(bad.toByteArray(), new RecordingSink()))
                .hasMessageContaining("Huffman padding");
    }

    @Test
    void stringLongerThanTheCapRefusesTheListButStoresWhatTheTableNeeds() throws Exception {
        HpackDecoder decoder = new HpackDecoder(4096, 10);
        HeaderBlockBuffer out = new HeaderBlockBuffer();
        writeHuffmanLiteral(out, 0x40, "x-long", "twenty-octets-value!");
        writeHuffmanLiteral(out, 0x00, "x-skip", "another-long-value-skipped");
        out.write(Hex.bytes("82"), 0, 1);
        RecordingSink sink = new RecordingSink();
        decoder.decode(out.toByteArray(), sink);
        assertThat(decoder.headerListTooLarge()).isTrue();
        assertThat(sink.fields).isEmpty();
        assertThat(RecordingSink.tableOf(decoder.dynamicTable())).containsExactly("x-long: twenty-octets-value!");

        decoder.decode(Hex.bytes("00 07 782d706c61696e 0b 68656c6c6f20776f726c64"), sink); // x-plain: hello world
        assertThat(sink.fields).isEmpty();
        assertThat(decoder.headerListTooLarge()).isTrue();

        assertThat(RecordingSink.decode(decoder, Hex.bytes("82 0006 782d6f6b6179 02 6f6b")))
                .containsExactly(entry(":method", "GET"), entry("x-okay", "ok"));
        assertThat(decoder.headerListTooLarge()).isFalse();
    }

    @Test
    void entryLargerThanTheTableEmptiesIt() throws Exception {
        HpackDecoder decoder = new HpackDecoder(1 << 20, 1 << 20);
        decoder.decode(Hex.bytes("4001 61 0162"), new RecordingSink());
        HeaderBlockBuffer out = new HeaderBlockBuffer();
        out.writeByte(0x40);
        writeRawString(out, "x-huge");
        writeRawString(out, "v".repeat(4096 - 6 - 32 + 1)); // one octet over the capacity
        List<?> decoded = RecordingSink.decode(decoder, out.toByteArray());
        assertThat(decoded).hasSize(1);
        assertThat(decoder.dynamicTable().length()).isZero();
        assertThat(decoder.dynamicTable().size()).isZero();
        assertThatThrownBy(() -> decoder.decode(Hex.bytes("be"), new RecordingSink()))
                .hasMessageContaining("beyond the 0 dynamic table entries");
    }

    @Test
    void hpackBombIsBoundedByTheHeaderListSize() throws Exception {
        HpackDecoder decoder = new HpackDecoder();
        HeaderBlockBuffer insert = new HeaderBlockBuffer();
        insert.writeByte(0x40);
        writeRawString(insert, "x");
        writeRawString(insert, "a".repeat(4000)); // entry of 4033 octets
        decoder.decode(insert.toByteArray(), new RecordingSink());

        byte[] bomb = new byte[100_000];
        java.util.Arrays.fill(bomb, (byte) 0xbe); // 100 000 references to it: 403 MB of headers
        RecordingSink sink = new RecordingSink();
        decoder.decode(bomb, sink);
        assertThat(decoder.headerListTooLarge()).isTrue();
        assertThat(sink.fields).hasSize(HpackDecoder.DEFAULT_MAX_HEADER_LIST_SIZE / 4033);
        assertThat(decoder.headerListSize()).isEqualTo(100_000L * 4033);
    }

    @Test
    void directBuffersAreDecodedAndConsumed() throws Exception {
        byte[] block = Hex.bytes("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff");
        ByteBuffer direct = ByteBuffer.allocateDirect(block.length + 2);
        direct.put((byte) 0).put(block).put((byte) 0).flip().position(1).limit(1 + block.length);
        RecordingSink sink = new RecordingSink();
        new HpackDecoder().decode(direct, sink);
        assertThat(sink.headers()).containsExactly(entry(":method", "GET"), entry(":scheme", "http"),
                entry(":path", "/"), entry(":authority", "www.example.com"));
        assertThat(direct.position()).isEqualTo(1 + block.length);

        ByteBuffer heap = ByteBuffer.wrap(new byte[block.length + 3], 3, block.length).slice();
        heap.put(block).flip();
        sink.clear();
        new HpackDecoder().decode(heap, sink);
        assertThat(sink.fields).hasSize(4);
        assertThat(heap.hasRemaining()).isFalse();
    }

    @Test
    void staticNamesAndValuesReachTheSinkAsInternedStrings() throws Exception {
        HpackDecoder decoder = new HpackDecoder();
        RecordingSink sink = new RecordingSink();
        // :method GET (indexed); user-agent as a literal name; then user-agent again from the table.
        decoder.decode(Hex.bytes("82 40 0a 757365722d6167656e74 01 78 be"), sink);
        assertThat(sink.fields.get(0).knownName()).isSameAs(":method");
        assertThat(sink.fields.get(0).knownValue()).isSameAs("GET");
        assertThat(sink.fields.get(1).knownName()).isSameAs("user-agent");
        assertThat(sink.fields.get(1).knownValue()).isNull();
        assertThat(sink.fields.get(2).knownName()).isSameAs("user-agent");

        List<String> strings = new java.util.ArrayList<>();
        decoder.decode(Hex.bytes("82 be 1003 782d61 0162"), HeaderSink.ofStrings(
                (name, value, neverIndexed) -> strings.add(name + "=" + value + (neverIndexed ? " (never)" : ""))));
        assertThat(strings).containsExactly(":method=GET", "user-agent=x", "x-a=b (never)");
    }

    private static void writeHuffmanLiteral(HeaderBlockBuffer out, int pattern, String name, String value) {
        out.writeByte(pattern);
        for (String s : new String[] {name, value}) {
            byte[] octets = s.getBytes(StandardCharsets.ISO_8859_1);
            byte[] encoded = new byte[HpackHuffmanEncoder.encodedLength(octets, 0, octets.length)];
            HpackHuffmanEncoder.encode(octets, 0, octets.length, encoded, 0);
            HpackEncoder.writeInteger(out, 0x80, 7, encoded.length);
            out.write(encoded, 0, encoded.length);
        }
    }

    private static void writeRawString(HeaderBlockBuffer out, String s) {
        byte[] octets = s.getBytes(StandardCharsets.ISO_8859_1);
        HpackEncoder.writeInteger(out, 0, 7, octets.length);
        out.write(octets, 0, octets.length);
    }
}
