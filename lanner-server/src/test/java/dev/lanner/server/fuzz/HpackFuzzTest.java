package dev.lanner.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.lanner.server.internal.http2.hpack.HeaderBlockBuffer;
import dev.lanner.server.internal.http2.hpack.HeaderSink;
import dev.lanner.server.internal.http2.hpack.HpackDecoder;
import dev.lanner.server.internal.http2.hpack.HpackEncoder;
import dev.lanner.server.internal.http2.hpack.HpackException;
import dev.lanner.server.internal.http2.hpack.HpackTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fuzz target {@code hpack}: the HPACK decoder ({@link HpackDecoder}) over the header blocks of one
 * connection, so that its dynamic table carries over from block to block. Input: the blocks one
 * after the other; at the end, read by the {@link FuzzedDataProvider}: optional small limits,
 * whether the re-encoding uses Huffman, how many blocks, and for each its length and any
 * SETTINGS_HEADER_TABLE_SIZE acknowledged before it.
 *
 * <p>Invariants: only {@link HpackException} escapes, always a COMPRESSION_ERROR; the fields
 * delivered never exceed SETTINGS_MAX_HEADER_LIST_SIZE (name + value + 32 each) and, when the list
 * is not too large, add up to {@link HpackDecoder#headerListSize()}; the dynamic table never
 * exceeds its capacity, nor the capacity the table size setting; and every list decoded in full,
 * encoded again by our {@link HpackEncoder} (a connection of its own, never-indexed fields kept
 * sensitive), decodes to the same fields with the encoder's and the decoder's tables equal. A list
 * with an upper-case name is refused by the encoder (RFC 9113 §8.2.1) without a change to its table.
 */
class HpackFuzzTest {

    @FuzzTest
    void headerBlocks(FuzzedDataProvider data) throws HpackException {
        boolean small = data.consumeBoolean();
        int maxHeaderListSize = small ? data.consumeInt(0, 1024) : HpackDecoder.DEFAULT_MAX_HEADER_LIST_SIZE;
        int maxStringLength = small ? data.consumeInt(0, 256) : HpackDecoder.DEFAULT_MAX_HEADER_LIST_SIZE;
        boolean huffman = data.consumeBoolean();
        int blocks = 1 + data.consumeInt(0, 15);

        HpackDecoder decoder = new HpackDecoder(maxHeaderListSize, maxStringLength);
        HpackEncoder encoder = new HpackEncoder(huffman, HpackEncoder.DEFAULT_TABLE_SIZE);
        HpackDecoder mirror = new HpackDecoder(Integer.MAX_VALUE, Integer.MAX_VALUE);
        HeaderBlockBuffer out = new HeaderBlockBuffer();
        for (int i = 0; i < blocks && data.remainingBytes() > 0; i++) {
            int tableSetting = data.consumeInt(0, 255);
            byte[] block = data.consumeBytes(data.consumeInt(0, 0xFFFF));
            if (tableSetting != 0) {
                decoder.setMaxTableSize((tableSetting - 1) * 32);
            }
            List<Field> fields = new ArrayList<>();
            try {
                decoder.decode(block, 0, block.length, sink(fields));
            } catch (HpackException e) {
                assertThat(e.isCompressionError()).isTrue();
                return; // the connection is closed; the decoder must not be used again
            }

            long delivered = fields.stream().mapToLong(f -> f.name().length() + f.value().length() + 32L).sum();
            assertThat(delivered).isLessThanOrEqualTo(maxHeaderListSize);
            assertThat(decoder.headerListSize()).isGreaterThanOrEqualTo(delivered);
            if (!decoder.headerListTooLarge()) {
                assertThat(decoder.headerListSize()).isEqualTo(delivered);
            }
            assertThat(HpackTables.size(decoder)).isLessThanOrEqualTo(HpackTables.capacity(decoder));
            assertThat(HpackTables.capacity(decoder)).isLessThanOrEqualTo(decoder.maxTableSize());

            if (!decoder.headerListTooLarge()) {
                reencode(fields, encoder, mirror, out);
            }
        }
    }

    /** Encodes {@code fields} as the next block of the encoder's connection and decodes it on the mirror. */
    private static void reencode(List<Field> fields, HpackEncoder encoder, HpackDecoder mirror, HeaderBlockBuffer out)
            throws HpackException {
        out.clear();
        if (fields.stream().anyMatch(f -> f.name().chars().anyMatch(c -> c >= 'A' && c <= 'Z'))) {
            List<String> before = HpackTables.entries(encoder);
            assertThatThrownBy(() -> encoder.encode(fields.stream().map(f -> Map.entry(f.name(), f.value())).toList(), out))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(HpackTables.entries(encoder)).isEqualTo(before);
            assertThat(out.length()).isZero();
            return;
        }
        encoder.startBlock(out);
        for (Field field : fields) {
            encoder.encodeHeader(field.name(), field.value(), field.neverIndexed(), out);
        }
        List<Field> again = new ArrayList<>();
        mirror.decode(out.toByteArray(), sink(again));
        assertThat(again).hasSameSizeAs(fields);
        for (int i = 0; i < fields.size(); i++) {
            assertThat(again.get(i).name()).isEqualTo(fields.get(i).name());
            assertThat(again.get(i).value()).isEqualTo(fields.get(i).value());
            if (fields.get(i).neverIndexed()) {
                assertThat(again.get(i).neverIndexed()).as("never indexed stays never indexed").isTrue();
            }
        }
        assertThat(HpackTables.entries(mirror)).isEqualTo(HpackTables.entries(encoder));
    }

    record Field(String name, String value, boolean neverIndexed) {
    }

    private static HeaderSink sink(List<Field> fields) {
        return HeaderSink.ofStrings((name, value, neverIndexed) -> fields.add(new Field(name, value, neverIndexed)));
    }
}
