package dev.lanner.server.internal.http2.hpack;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HpackEncoderTest {

    /** The indexing policy, field by field (Huffman off so literals are readable). */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
        authorization       | Basic dXNlcjpwYXNz                       | 1f08 | never indexed
        proxy-authorization | Basic dXNlcjpwYXNz                       | 1f22 | never indexed
        set-cookie          | id=a3fWa; Max-Age=2592000                | 1f28 | never indexed
        cookie              | id=a3fWa                                 | 1f11 | never indexed
        cookie              | id=a3fWa; lang=en-US; theme=dark         | 60   | indexed
        :path               | /search?q=hpack                          | 04   | not indexed
        age                 | 42                                       | 0f06 | not indexed
        content-length      | 1024                                     | 0f0d | not indexed
        etag                | "33a64df551425fcc55e4d42a148795d9f25f89d4" | 0f13 | not indexed
        if-modified-since   | Wed, 21 Oct 2015 07:28:00 GMT            | 0f19 | not indexed
        if-none-match       | "bfc13a64729c4290ef5b2c2730249c88ca92d82d" | 0f1a | not indexed
        location            | https://example.com/next                 | 0f1f | not indexed
        content-type        | text/html; charset=utf-8                 | 5f   | indexed
        x-request-id        | 7b0c                                     | 40   | indexed
        """)
    void followsTheIndexingPolicy(String name, String value, String expectedPrefix, String kind) throws Exception {
        HpackEncoder encoder = new HpackEncoder(false, 4096);
        HeaderBlockBuffer out = encode(encoder, name, value, false);
        assertThat(Hex.of(out)).startsWith(expectedPrefix);
        assertThat(encoder.dynamicTable().length()).isEqualTo(kind.equals("indexed") ? 1 : 0);

        RecordingSink sink = new RecordingSink();
        new HpackDecoder().decode(out.toByteArray(), sink);
        assertThat(sink.fields).containsExactly(new RecordingSink.Field(name, value, kind.equals("never indexed"),
                sink.fields.get(0).knownName(), null));
    }

    @Test
    void sensitiveFieldsAreNeverIndexedAndKeepAnIndexedName() {
        HpackEncoder encoder = new HpackEncoder(false, 4096);
        assertThat(Hex.of(encode(encoder, "x-token", "abc", true))).isEqualTo("1007782d746f6b656e03616263");
        assertThat(Hex.of(encode(encoder, "accept", "*/*", true))).isEqualTo("1f04032a2f2a");
        assertThat(encoder.dynamicTable().length()).isZero();
    }

    @Test
    void repeatedFieldsBecomeOneOctetAndRepeatedNamesAnIndexedName() {
        HpackEncoder encoder = new HpackEncoder(false, 4096);
        assertThat(Hex.of(encode(encoder, "x-custom", "a", false))).isEqualTo("4008782d637573746f6d0161");
        assertThat(Hex.of(encode(encoder, "x-custom", "a", false))).isEqualTo("be");
        assertThat(Hex.of(encode(encoder, "x-custom", "b", false))).isEqualTo("7e0162"); // name index 62
        assertThat(Hex.of(encode(encoder, "x-custom", "a", false))).isEqualTo("bf"); // now second newest
        assertThat(Hex.of(encode(encoder, ":status", "200", false))).isEqualTo("88");
        assertThat(Hex.of(encode(encoder, "x-other", "z", true))).isEqualTo("1007782d6f74686572017a");
        assertThat(Hex.of(encode(encoder, "x-custom", "c", true))).isEqualTo("1f2f0163"); // never indexed, name 62
    }

    @Test
    void valuesTakingMoreThanThreeQuartersOfTheTableAreNotIndexed() {
        HpackEncoder encoder = new HpackEncoder(false, 4096);
        String fits = "v".repeat(4096 * 3 / 4 - 32 - "x-large".length());
        encode(encoder, "x-large", fits, false);
        assertThat(encoder.dynamicTable().length()).isEqualTo(1);
        HeaderBlockBuffer out = encode(encoder, "x-large", fits + "v", false);
        assertThat(Hex.of(out)).startsWith("0f2f"); // without indexing, name index 62
        assertThat(encoder.dynamicTable().length()).isEqualTo(1);
    }

    @Test
    void huffmanIsUsedOnlyWhenShorter() {
        HpackEncoder encoder = new HpackEncoder(true, 4096);
        // "www.example.com": 12 octets Huffman-coded instead of 15.
        assertThat(Hex.of(encode(encoder, ":authority", "www.example.com", false))).isEqualTo("418cf1e3c2e5f23a6ba0ab90f4ff");
        // "{}" takes 29 bits Huffman-coded: longer than its 2 octets.
        assertThat(Hex.of(encode(encoder, "x-j", "{}", false))).endsWith("027b7d");
    }

    @Test
    void rejectsUpperCaseNamesAndNonLatin1TextBeforeWritingAnything() {
        HpackEncoder encoder = new HpackEncoder();
        HeaderBlockBuffer out = new HeaderBlockBuffer();
        List<Map.Entry<String, String>> headers = List.of(entry("x-fine", "1"), entry("X-Bad", "2"));
        assertThatThrownBy(() -> encoder.encode(headers, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X-Bad");
        assertThat(out.length()).isZero();
        assertThat(encoder.dynamicTable().length()).isZero();

        assertThatThrownBy(() -> encoder.encodeHeader("Content-Type", "text/plain", false, out))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encoder.encodeHeader("x-euro", "\u20ac", false, out))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encoder.encodeHeader("x-\u0100", "v", false, out))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(out.length()).isZero();
    }

    @Test
    void latin1TextRoundTripsOctetForOctet() throws Exception {
        for (boolean huffman : new boolean[] {true, false}) {
            HpackEncoder encoder = new HpackEncoder(huffman, 4096);
            List<Map.Entry<String, String>> headers = List.of(entry("x-latin", "caf\u00e9 \u00ff\u0000\u007f"));
            HeaderBlockBuffer out = new HeaderBlockBuffer();
            encoder.encode(headers, out);
            assertThat(RecordingSink.decode(new HpackDecoder(), out.toByteArray())).isEqualTo(headers);
        }
    }

    @Test
    void tableSizeLoweredThenRaisedEmitsTheSmallestThenTheFinalSize() throws Exception {
        HpackEncoder encoder = new HpackEncoder(false, 4096);
        HpackDecoder decoder = new HpackDecoder();
        roundTrip(encoder, decoder, List.of(entry("x-a", "1")));
        assertThat(encoder.dynamicTable().length()).isEqualTo(1);

        encoder.setMaxTableSize(0);
        encoder.setMaxTableSize(4096);
        decoder.setMaxTableSize(0);
        decoder.setMaxTableSize(4096);
        HeaderBlockBuffer out = roundTrip(encoder, decoder, List.of(entry("x-a", "1")));
        assertThat(Hex.of(out)).startsWith("203fe11f" + "40"); // 0, 4096, then x-a inserted anew
        assertThat(decoder.dynamicTable().length()).isEqualTo(1);

        assertThat(Hex.of(roundTrip(encoder, decoder, List.of(entry("x-a", "1"))))).isEqualTo("be"); // no update
    }

    @Test
    void tableSizeChangesEmitOnlyWhatTheDecoderNeeds() throws Exception {
        HpackEncoder encoder = new HpackEncoder(false, 4096);
        HpackDecoder decoder = new HpackDecoder();
        encoder.setMaxTableSize(100);
        decoder.setMaxTableSize(100);
        assertThat(Hex.of(roundTrip(encoder, decoder, List.of(entry(":method", "GET"))))).isEqualTo("3f4582");

        encoder.setMaxTableSize(200);
        encoder.setMaxTableSize(150); // both above the current 100: only the final size
        decoder.setMaxTableSize(150);
        assertThat(Hex.of(roundTrip(encoder, decoder, List.of(entry(":method", "GET"))))).isEqualTo("3f7782");

        encoder.setMaxTableSize(150); // unchanged: nothing to say
        assertThat(Hex.of(roundTrip(encoder, decoder, List.of(entry(":method", "GET"))))).isEqualTo("82");

        HpackEncoder capped = new HpackEncoder(false, 4096);
        capped.setMaxTableSize(65_536); // the peer allows more than this encoder wants to use
        assertThat(Hex.of(roundTrip(capped, new HpackDecoder(), List.of(entry(":method", "GET"))))).isEqualTo("82");
        assertThat(capped.dynamicTable().capacity()).isEqualTo(4096);

        HpackEncoder small = new HpackEncoder(false, 256); // announces its smaller table at once
        assertThat(Hex.of(roundTrip(small, new HpackDecoder(), List.of(entry(":method", "GET"))))).isEqualTo("3fe10182");
    }

    @Test
    void encoderAndDecoderTablesStayEqualUnderConstantEviction() throws Exception {
        Random random = new Random(9113);
        String[] names = {"x-a", "x-b", "x-c", "user-agent", "accept", "cookie", "x-trace"};
        HpackEncoder encoder = new HpackEncoder(true, 256);
        HpackDecoder decoder = new HpackDecoder();
        HeaderBlockBuffer out = new HeaderBlockBuffer();
        for (int block = 0; block < 500; block++) {
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            for (int i = random.nextInt(8); i >= 0; i--) {
                String value = "v".repeat(random.nextInt(3)) + random.nextInt(random.nextBoolean() ? 4 : 10_000);
                headers.add(entry(names[random.nextInt(names.length)], value));
            }
            if (block % 97 == 0) {
                int size = random.nextInt(300);
                encoder.setMaxTableSize(size);
                decoder.setMaxTableSize(size);
            }
            out.clear();
            encoder.encode(headers, out);
            assertThat(RecordingSink.decode(decoder, out.toByteArray())).isEqualTo(headers);
            assertThat(RecordingSink.tableOf(decoder.dynamicTable()))
                    .isEqualTo(RecordingSink.tableOf(encoder.dynamicTable()));
        }
    }

    @Test
    void outputGrowsForLargeBlocks() throws Exception {
        HpackEncoder encoder = new HpackEncoder();
        List<Map.Entry<String, String>> headers = List.of(entry("x-big", "b".repeat(100_000)), entry(":status", "200"));
        HeaderBlockBuffer out = new HeaderBlockBuffer(16);
        encoder.encode(headers, out);
        assertThat(RecordingSink.decode(new HpackDecoder(200_000, 200_000), out.toByteArray())).isEqualTo(headers);
    }

    private static HeaderBlockBuffer encode(HpackEncoder encoder, String name, String value, boolean sensitive) {
        HeaderBlockBuffer out = new HeaderBlockBuffer();
        encoder.startBlock(out);
        encoder.encodeHeader(name, value, sensitive, out);
        return out;
    }

    private static HeaderBlockBuffer roundTrip(HpackEncoder encoder, HpackDecoder decoder,
            List<Map.Entry<String, String>> headers) throws HpackException {
        HeaderBlockBuffer out = new HeaderBlockBuffer();
        encoder.encode(headers, out);
        assertThat(RecordingSink.decode(decoder, out.toByteArray())).isEqualTo(headers);
        assertThat(RecordingSink.tableOf(decoder.dynamicTable())).isEqualTo(RecordingSink.tableOf(encoder.dynamicTable()));
        return out;
    }
}
