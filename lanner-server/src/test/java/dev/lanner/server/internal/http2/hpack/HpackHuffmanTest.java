package dev.lanner.server.internal.http2.hpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HpackHuffmanTest {

    /** Codes quoted from RFC 7541 Appendix B, checked against the canonical derivation. */
    @ParameterizedTest(name = "symbol {0}")
    @CsvSource({
        "0, 1ff8, 13", "1, 7fffd8, 23", "9, ffffea, 24", "10, 3ffffffc, 30", "22, 3ffffffe, 30",
        "32, 14, 6", "47, 18, 6", "48, 0, 5", "97, 3, 5", "116, 9, 5", "122, 7b, 7", "127, ffffffc, 28",
        "128, fffe6, 20", "135, 7fffd9, 23", "199, 1ffffec, 25", "203, 7ffffde, 27", "220, ffffffd, 28",
        "249, ffffffe, 28", "254, 7fffff0, 27", "255, 3ffffee, 26", "256, 3fffffff, 30",
    })
    void derivedCodesMatchAppendixB(int symbol, String hexCode, int length) {
        assertThat(HpackHuffmanCode.CODES[symbol]).isEqualTo(Integer.parseInt(hexCode, 16));
        assertThat(HpackHuffmanCode.LENGTHS[symbol]).isEqualTo((byte) length);
    }

    /** Strings of RFC 7541 C.4 and C.6. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        www.example.com                                          | f1e3c2e5f23a6ba0ab90f4ff
        no-cache                                                 | a8eb10649cbf
        custom-key                                               | 25a849e95ba97d7f
        custom-value                                             | 25a849e95bb8e8b4bf
        302                                                      | 6402
        307                                                      | 640eff
        private                                                  | aec3771a4b
        Mon, 21 Oct 2013 20:13:21 GMT                            | d07abe941054d444a8200595040b8166e082a62d1bff
        https://www.example.com                                  | 9d29ad171863c78f0b97c8e9ae82ae43d3
        gzip                                                     | 9bd9ab
        foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1 | 94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007
        """)
    void encodesAndDecodesTheRfcExamples(String text, String hex) throws Exception {
        byte[] octets = text.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(Hex.of(encode(octets))).isEqualTo(hex);
        assertThat(HpackHuffmanEncoder.encodedLength(octets, 0, octets.length)).isEqualTo(hex.length() / 2);
        assertThat(new String(decode(Hex.bytes(hex)), StandardCharsets.ISO_8859_1)).isEqualTo(text);
    }

    @Test
    void roundTripsEveryOctetAloneAndAllTogether() throws Exception {
        byte[] all = new byte[256];
        for (int b = 0; b < 256; b++) {
            all[b] = (byte) b;
            byte[] one = {(byte) b};
            byte[] encoded = encode(one);
            assertThat(encoded).hasSize((HpackHuffmanCode.LENGTHS[b] + 7) / 8);
            assertThat(decode(encoded)).as("octet %d", b).isEqualTo(one);
        }
        assertThat(decode(encode(all))).isEqualTo(all);
    }

    @Test
    void roundTripsRandomStrings() throws Exception {
        Random random = new Random(7541);
        for (int i = 0; i < 2_000; i++) {
            byte[] octets = new byte[random.nextInt(200)];
            if (i % 2 == 0) {
                random.nextBytes(octets); // any octet, long codes included
            } else {
                for (int j = 0; j < octets.length; j++) {
                    octets[j] = (byte) (0x20 + random.nextInt(0x5f)); // printable ASCII, as in headers
                }
            }
            byte[] encoded = encode(octets);
            assertThat(decode(encoded)).isEqualTo(octets);
            assertThat(HpackHuffmanDecoder.decodedLength(encoded, 0, encoded.length)).isEqualTo(octets.length);
            // The string variant, reading through a scratch buffer shorter than most strings.
            String asString = new String(octets, StandardCharsets.ISO_8859_1);
            byte[] fromString = new byte[encoded.length + 1];
            int length = HpackHuffmanEncoder.encodeIfShorter(asString, new byte[7], fromString, 0, encoded.length + 1);
            assertThat(java.util.Arrays.copyOf(fromString, length)).isEqualTo(encoded);
        }
    }

    @Test
    void emptyStringIsEmpty() throws Exception {
        assertThat(encode(new byte[0])).isEmpty();
        assertThat(decode(new byte[0])).isEmpty();
    }

    @Test
    void acceptsPaddingOfOneToSevenOnes() throws Exception {
        // '0' is 00000: 3 padding bits; 'a' + '0' is 10 bits: 6 padding bits; ' ' + 'a' is 11: 5.
        assertThat(decode(Hex.bytes("07"))).isEqualTo("0".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(decode(Hex.bytes("183f"))).isEqualTo("a0".getBytes(StandardCharsets.ISO_8859_1));
        // '\\' is 19 bits: 5 padding bits.
        assertThat(decode(Hex.bytes("fffe1f"))).isEqualTo("\\".getBytes(StandardCharsets.ISO_8859_1));
        // '0' '0' '0' then 'a' without padding: 5 + 5 + 5 + 5 = 20 bits, plus 4 ones.
        assertThat(decode(Hex.bytes("00003f"))).isEqualTo("000a".getBytes(StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        EOS alone (30 ones, 2 padding)                  | ffffffff         | contains EOS
        EOS after a symbol                              | 1fffffffff       | contains EOS
        padding of 8 ones                               | ff               | padding
        padding of 8 ones after a symbol                | 07ff             | padding
        padding of zeros                                | 18               | padding
        padding 1 then 0                                | 1e               | padding
        8 bits of the 10-bit code of '!'                | fe               | padding
        """)
    void rejectsInvalidEncodings(String what, String hex, String message) {
        assertThatThrownBy(() -> decode(Hex.bytes(hex)))
                .as(what)
                .isInstanceOfSatisfying(HpackException.class, e -> assertThat(e.isCompressionError()).isTrue())
                .hasMessageContaining(message);
        assertThatThrownBy(() -> HpackHuffmanDecoder.decodedLength(Hex.bytes(hex), 0, hex.replace(" ", "").length() / 2))
                .hasMessageContaining(message);
    }

    @Test
    void encodeIfShorterGivesUpAtTheLimitWithoutWritingPastIt() {
        // "www.example.com": 12 octets encoded.
        byte[] dst = new byte[16];
        assertThat(HpackHuffmanEncoder.encodeIfShorter("www.example.com", new byte[4], dst, 2, 13)).isEqualTo(12);
        assertThat(Hex.of(java.util.Arrays.copyOfRange(dst, 2, 14))).isEqualTo("f1e3c2e5f23a6ba0ab90f4ff");
        byte[] guarded = new byte[16];
        assertThat(HpackHuffmanEncoder.encodeIfShorter("www.example.com", new byte[4], guarded, 2, 12)).isEqualTo(-1);
        assertThat(guarded[14]).isZero();
        // "{}": 29 bits, 4 octets, not shorter than 2.
        byte[] small = new byte[4];
        assertThat(HpackHuffmanEncoder.encodeIfShorter("{}", new byte[4], small, 0, 2)).isEqualTo(-1);
        assertThat(small[2]).isZero();
    }

    private static byte[] encode(byte[] octets) {
        byte[] out = new byte[HpackHuffmanEncoder.encodedLength(octets, 0, octets.length)];
        int end = HpackHuffmanEncoder.encode(octets, 0, octets.length, out, 0);
        assertThat(end).isEqualTo(out.length);
        return out;
    }

    private static byte[] decode(byte[] encoded) throws HpackException {
        byte[] out = new byte[HpackHuffmanDecoder.maxDecodedLength(encoded.length)];
        int length = HpackHuffmanDecoder.decode(encoded, 0, encoded.length, out, 0);
        return java.util.Arrays.copyOf(out, length);
    }
}
