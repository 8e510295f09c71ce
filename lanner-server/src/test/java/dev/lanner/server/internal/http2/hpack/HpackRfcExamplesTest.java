package dev.lanner.server.internal.http2.hpack;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * RFC 7541 Appendix C, octet for octet. The decoder is checked on every example; the encoder on
 * those whose choices agree with its indexing policy (C.2 to C.4 entirely, C.5.1 up to the
 * {@code location} field, which the policy does not index).
 */
class HpackRfcExamplesTest {

    private static final List<Map.Entry<String, String>> REQUEST_1 = List.of(
            entry(":method", "GET"), entry(":scheme", "http"), entry(":path", "/"),
            entry(":authority", "www.example.com"));
    private static final List<Map.Entry<String, String>> REQUEST_2 = List.of(
            entry(":method", "GET"), entry(":scheme", "http"), entry(":path", "/"),
            entry(":authority", "www.example.com"), entry("cache-control", "no-cache"));
    private static final List<Map.Entry<String, String>> REQUEST_3 = List.of(
            entry(":method", "GET"), entry(":scheme", "https"), entry(":path", "/index.html"),
            entry(":authority", "www.example.com"), entry("custom-key", "custom-value"));

    private static final List<Map.Entry<String, String>> RESPONSE_1 = List.of(
            entry(":status", "302"), entry("cache-control", "private"),
            entry("date", "Mon, 21 Oct 2013 20:13:21 GMT"), entry("location", "https://www.example.com"));
    private static final List<Map.Entry<String, String>> RESPONSE_2 = List.of(
            entry(":status", "307"), entry("cache-control", "private"),
            entry("date", "Mon, 21 Oct 2013 20:13:21 GMT"), entry("location", "https://www.example.com"));
    private static final List<Map.Entry<String, String>> RESPONSE_3 = List.of(
            entry(":status", "200"), entry("cache-control", "private"),
            entry("date", "Mon, 21 Oct 2013 20:13:22 GMT"), entry("location", "https://www.example.com"),
            entry("content-encoding", "gzip"),
            entry("set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"));

    @Nested
    class C1Integers {
        @Test
        void encodes10WithA5BitPrefix() {
            assertThat(encodeInteger(5, 10)).isEqualTo("0a");
        }

        @Test
        void encodes1337WithA5BitPrefix() {
            assertThat(encodeInteger(5, 1337)).isEqualTo("1f9a0a");
        }

        @Test
        void encodes42StartingAtAnOctetBoundary() {
            assertThat(encodeInteger(8, 42)).isEqualTo("2a");
        }

        @Test
        void decodes1337WithA5BitPrefixAsATableSizeUpdate() throws Exception {
            HpackDecoder decoder = new HpackDecoder();
            decoder.decode(Hex.bytes("3f9a0a"), new RecordingSink()); // 001 + 1337 on 5 bits
            assertThat(decoder.dynamicTable().capacity()).isEqualTo(1337);
        }

        private String encodeInteger(int prefixBits, int value) {
            HeaderBlockBuffer out = new HeaderBlockBuffer();
            HpackEncoder.writeInteger(out, 0, prefixBits, value);
            return Hex.of(out);
        }
    }

    @Nested
    class C2FieldRepresentations {
        @Test
        void c21LiteralWithIndexing() throws Exception {
            String wire = "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572";
            HpackDecoder decoder = new HpackDecoder();
            RecordingSink sink = new RecordingSink();
            decoder.decode(Hex.bytes(wire), sink);
            assertThat(sink.fields).containsExactly(
                    new RecordingSink.Field("custom-key", "custom-header", false, null, null));
            assertThat(RecordingSink.tableOf(decoder.dynamicTable())).containsExactly("custom-key: custom-header");
            assertThat(decoder.dynamicTable().size()).isEqualTo(55);

            assertThat(encodeOne("custom-key", "custom-header", false)).isEqualTo(Hex.of(Hex.bytes(wire)));
        }

        @Test
        void c22LiteralWithoutIndexing() throws Exception {
            String wire = "040c 2f73 616d 706c 652f 7061 7468";
            HpackDecoder decoder = new HpackDecoder();
            RecordingSink sink = new RecordingSink();
            decoder.decode(Hex.bytes(wire), sink);
            assertThat(sink.fields).containsExactly(
                    new RecordingSink.Field(":path", "/sample/path", false, ":path", null));
            assertThat(decoder.dynamicTable().length()).isZero();

            assertThat(encodeOne(":path", "/sample/path", false)).isEqualTo(Hex.of(Hex.bytes(wire)));
        }

        @Test
        void c23LiteralNeverIndexed() throws Exception {
            String wire = "1008 7061 7373 776f 7264 0673 6563 7265 74";
            HpackDecoder decoder = new HpackDecoder();
            RecordingSink sink = new RecordingSink();
            decoder.decode(Hex.bytes(wire), sink);
            assertThat(sink.fields).containsExactly(new RecordingSink.Field("password", "secret", true, null, null));
            assertThat(decoder.dynamicTable().length()).isZero();

            assertThat(encodeOne("password", "secret", true)).isEqualTo(Hex.of(Hex.bytes(wire)));
        }

        @Test
        void c24Indexed() throws Exception {
            HpackDecoder decoder = new HpackDecoder();
            RecordingSink sink = new RecordingSink();
            decoder.decode(Hex.bytes("82"), sink);
            assertThat(sink.fields).containsExactly(new RecordingSink.Field(":method", "GET", false, ":method", "GET"));
            assertThat(decoder.dynamicTable().length()).isZero();

            assertThat(encodeOne(":method", "GET", false)).isEqualTo("82");
        }

        private String encodeOne(String name, String value, boolean sensitive) {
            HpackEncoder encoder = new HpackEncoder(false, 4096);
            HeaderBlockBuffer out = new HeaderBlockBuffer();
            encoder.startBlock(out);
            encoder.encodeHeader(name, value, sensitive, out);
            return Hex.of(out);
        }
    }

    @Nested
    class C3RequestsWithoutHuffman {
        @Test
        void decodes() throws Exception {
            HpackDecoder decoder = new HpackDecoder();
            assertThat(RecordingSink.decode(decoder, Hex.bytes(
                    "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d"))).isEqualTo(REQUEST_1);
            assertThat(RecordingSink.tableOf(decoder.dynamicTable())).containsExactly(":authority: www.example.com");
            assertThat(decoder.dynamicTable().size()).isEqualTo(57);

            assertThat(RecordingSink.decode(decoder, Hex.bytes(
                    "8286 84be 5808 6e6f 2d63 6163 6865"))).isEqualTo(REQUEST_2);
            assertThat(RecordingSink.tableOf(decoder.dynamicTable()))
                    .containsExactly("cache-control: no-cache", ":authority: www.example.com");
            assertThat(decoder.dynamicTable().size()).isEqualTo(110);

            assertThat(RecordingSink.decode(decoder, Hex.bytes(
                    "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65")))
                    .isEqualTo(REQUEST_3);
            assertThat(RecordingSink.tableOf(decoder.dynamicTable())).containsExactly(
                    "custom-key: custom-value", "cache-control: no-cache", ":authority: www.example.com");
            assertThat(decoder.dynamicTable().size()).isEqualTo(164);
        }

        @Test
        void encodes() {
            HpackEncoder encoder = new HpackEncoder(false, 4096);
            assertThat(encode(encoder, REQUEST_1)).isEqualTo("828684410f7777772e6578616d706c652e636f6d");
            assertThat(encode(encoder, REQUEST_2)).isEqualTo("828684be58086e6f2d6361636865");
            assertThat(encode(encoder, REQUEST_3))
                    .isEqualTo("828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565");
            assertThat(RecordingSink.tableOf(encoder.dynamicTable())).containsExactly(
                    "custom-key: custom-value", "cache-control: no-cache", ":authority: www.example.com");
            assertThat(encoder.dynamicTable().size()).isEqualTo(164);
        }
    }

    @Nested
    class C4RequestsWithHuffman {
        @Test
        void decodes() throws Exception {
            HpackDecoder decoder = new HpackDecoder();
            assertThat(RecordingSink.decode(decoder, Hex.bytes(
                    "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"))).isEqualTo(REQUEST_1);
            assertThat(decoder.dynamicTable().size()).isEqualTo(57);
            assertThat(RecordingSink.decode(decoder, Hex.bytes(
                    "8286 84be 5886 a8eb 1064 9cbf"))).isEqualTo(REQUEST_2);
            assertThat(decoder.dynamicTable().size()).isEqualTo(110);
            assertThat(RecordingSink.decode(decoder, Hex.bytes(
                    "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"))).isEqualTo(REQUEST_3);
            assertThat(RecordingSink.tableOf(decoder.dynamicTable())).containsExactly(
                    "custom-key: custom-value", "cache-control: no-cache", ":authority: www.example.com");
            assertThat(decoder.dynamicTable().size()).isEqualTo(164);
        }

        @Test
        void encodes() {
            HpackEncoder encoder = new HpackEncoder(true, 4096);
            assertThat(encode(encoder, REQUEST_1)).isEqualTo("828684418cf1e3c2e5f23a6ba0ab90f4ff");
            assertThat(encode(encoder, REQUEST_2)).isEqualTo("828684be5886a8eb10649cbf");
            assertThat(encode(encoder, REQUEST_3)).isEqualTo("828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf");
        }
    }

    /** C.5 and C.6 run with SETTINGS_HEADER_TABLE_SIZE = 256 in force from the start. */
    @Nested
    class C5ResponsesWithoutHuffman {
        @Test
        void decodes() throws Exception {
            HpackDecoder decoder = decoderWith256OctetTable();
            assertThat(RecordingSink.decode(decoder, Hex.bytes(
                    "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133"
                    + "2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70"
                    + "6c65 2e63 6f6d"))).isEqualTo(RESPONSE_1);
            assertThat(RecordingSink.tableOf(decoder.dynamicTable())).containsExactly(
                    "location: https://www.example.com", "date: Mon, 21 Oct 2013 20:13:21 GMT",
                    "cache-control: private", ":status: 302");
            assertThat(decoder.dynamicTable().size()).isEqualTo(222);

            assertThat(RecordingSink.decode(decoder, Hex.bytes("4803 3330 37c1 c0bf"))).isEqualTo(RESPONSE_2);
            assertThat(RecordingSink.tableOf(decoder.dynamicTable())).containsExactly(
                    ":status: 307", "location: https://www.example.com", "date: Mon, 21 Oct 2013 20:13:21 GMT",
                    "cache-control: private");
            assertThat(decoder.dynamicTable().size()).isEqualTo(222);

            assertThat(RecordingSink.decode(decoder, Hex.bytes(
                    "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d"
                    + "54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049"
                    + "5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e"
                    + "3d31"))).isEqualTo(RESPONSE_3);
            assertThat(RecordingSink.tableOf(decoder.dynamicTable())).containsExactly(
                    "set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
                    "content-encoding: gzip", "date: Mon, 21 Oct 2013 20:13:22 GMT");
            assertThat(decoder.dynamicTable().size()).isEqualTo(215);
        }

        @Test
        void encodesC51AsTheRfcExceptThatLocationIsNotIndexed() {
            HpackEncoder encoder = new HpackEncoder(false, 4096);
            encoder.setMaxTableSize(256);
            String rfc = "4803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a31333a3231"
                    + "20474d54" + "6e17" + "68747470733a2f2f7777772e6578616d706c652e636f6d";
            // Our block opens with the size update to 256 (001 11111, 97 + 128, 1) and sends
            // location without indexing: 0000 1111 then 46 - 15 = 31.
            String ours = "3fe101" + rfc.replace("54" + "6e17", "54" + "0f1f17");
            assertThat(encode(encoder, RESPONSE_1)).isEqualTo(ours);
        }

        @Test
        void roundTripsThroughEncoderAndDecoder() throws Exception {
            roundTrip(false);
        }
    }

    @Nested
    class C6ResponsesWithHuffman {
        @Test
        void decodes() throws Exception {
            HpackDecoder decoder = decoderWith256OctetTable();
            assertThat(RecordingSink.decode(decoder, Hex.bytes(
                    "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6"
                    + "2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3"))).isEqualTo(RESPONSE_1);
            assertThat(decoder.dynamicTable().size()).isEqualTo(222);

            assertThat(RecordingSink.decode(decoder, Hex.bytes("4883 640e ffc1 c0bf"))).isEqualTo(RESPONSE_2);
            assertThat(RecordingSink.tableOf(decoder.dynamicTable())).containsExactly(
                    ":status: 307", "location: https://www.example.com", "date: Mon, 21 Oct 2013 20:13:21 GMT",
                    "cache-control: private");
            assertThat(decoder.dynamicTable().size()).isEqualTo(222);

            assertThat(RecordingSink.decode(decoder, Hex.bytes(
                    "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab"
                    + "77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f"
                    + "9587 3160 65c0 03ed 4ee5 b106 3d50 07"))).isEqualTo(RESPONSE_3);
            assertThat(RecordingSink.tableOf(decoder.dynamicTable())).containsExactly(
                    "set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
                    "content-encoding: gzip", "date: Mon, 21 Oct 2013 20:13:22 GMT");
            assertThat(decoder.dynamicTable().size()).isEqualTo(215);
        }

        @Test
        void roundTripsThroughEncoderAndDecoder() throws Exception {
            roundTrip(true);
        }
    }

    private static void roundTrip(boolean huffman) throws Exception {
        HpackEncoder encoder = new HpackEncoder(huffman, 256);
        HpackDecoder decoder = new HpackDecoder();
        for (List<Map.Entry<String, String>> response : List.of(RESPONSE_1, RESPONSE_2, RESPONSE_3)) {
            HeaderBlockBuffer out = new HeaderBlockBuffer();
            encoder.encode(response, out);
            assertThat(RecordingSink.decode(decoder, out.toByteArray())).isEqualTo(response);
            assertThat(RecordingSink.tableOf(decoder.dynamicTable()))
                    .isEqualTo(RecordingSink.tableOf(encoder.dynamicTable()));
        }
        assertThat(decoder.dynamicTable().capacity()).isEqualTo(256);
    }

    private static HpackDecoder decoderWith256OctetTable() {
        HpackDecoder decoder = new HpackDecoder();
        decoder.dynamicTable().setCapacity(256); // as if both ends had started with 256
        decoder.setMaxTableSize(256);
        return decoder;
    }

    private static String encode(HpackEncoder encoder, List<Map.Entry<String, String>> headers) {
        HeaderBlockBuffer out = new HeaderBlockBuffer();
        encoder.encode(headers, out);
        return Hex.of(out);
    }
}
