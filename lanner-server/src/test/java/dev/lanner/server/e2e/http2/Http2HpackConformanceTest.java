package dev.lanner.server.e2e.http2;

import static dev.lanner.server.e2e.http2.H2Frames.COMPRESSION_ERROR;
import static dev.lanner.server.e2e.http2.H2Frames.FLAG_END_HEADERS;
import static dev.lanner.server.e2e.http2.H2Frames.FLAG_END_STREAM;
import static dev.lanner.server.e2e.http2.H2Frames.PROTOCOL_ERROR;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RFC 7541 (HPACK) as the server's decoder must apply it, and RFC 9113 §4.3: "A decoding error in
 * a field block MUST be treated as a connection error (Section 5.4.1) of type COMPRESSION_ERROR."
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http2HpackConformanceTest {

    /** RFC 7541 C.4.1: "www.example.com", Huffman-encoded. */
    private static final int[] HUFFMAN_WWW_EXAMPLE_COM =
            {0xf1, 0xe3, 0xc2, 0xe5, 0xf2, 0x3a, 0x6b, 0xa0, 0xab, 0x90, 0xf4, 0xff};

    private static H2TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = H2TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // RFC 7541 §6.1: "The index value of 0 is not used. It MUST be treated as a decoding error if
    // found in an indexed header field representation."
    @Test
    void indexZeroIsACompressionError() throws IOException {
        assertCompressionError(RawFieldBlock.get("/").indexed(0));
    }

    // RFC 7541 §2.3.3: "Indices strictly greater than the sum of the lengths of both tables MUST be
    // treated as a decoding error." With an empty dynamic table, 62 is already beyond.
    @Test
    void indexBeyondTheStaticTableWithAnEmptyDynamicTableIsACompressionError() throws IOException {
        assertCompressionError(RawFieldBlock.get("/").indexed(RawFieldBlock.FIRST_DYNAMIC));
    }

    // RFC 7541 §2.3.3, as above, with one dynamic entry: 62 is valid, 63 is not.
    @Test
    void indexBeyondBothTablesIsACompressionError() throws IOException {
        try (H2Connection c = server.connect()) {
            sendGet(c, 1, RawFieldBlock.get("/").literalWithIndexing("x-one", "1"));
            assertThat(c.readResponse(1).status()).isEqualTo(200);
            sendGet(c, 3, RawFieldBlock.get("/").indexed(RawFieldBlock.FIRST_DYNAMIC + 1));
            c.expectGoAway(COMPRESSION_ERROR);
        }
    }

    // RFC 7541 §2.3.3 for a literal whose name is given by an index beyond both tables.
    @Test
    void literalWithAnIndexedNameBeyondBothTablesIsACompressionError() throws IOException {
        assertCompressionError(RawFieldBlock.get("/").literalWithoutIndexing(70, "x"));
    }

    // RFC 7541 §6.3: "The new maximum size MUST be lower than or equal to the limit determined by the
    // protocol using HPACK. A value that exceeds this limit MUST be treated as a decoding error." The
    // limit is the server's SETTINGS_HEADER_TABLE_SIZE, 4096.
    @Test
    void sizeUpdateAboveTheSettingIsACompressionError() throws IOException {
        assertCompressionError(RawFieldBlock.create().sizeUpdate(4097).indexed(RawFieldBlock.METHOD_GET)
                .indexed(RawFieldBlock.SCHEME_HTTP).literalWithoutIndexing(RawFieldBlock.AUTHORITY, "127.0.0.1")
                .literalWithoutIndexing(RawFieldBlock.PATH, "/"));
    }

    // RFC 7541 §4.2: "This dynamic table size update MUST occur at the beginning of the first header
    // block following the change to the dynamic table size"; §6.3 / RFC 9113 §4.3: one after a field
    // representation is a decoding error.
    @Test
    void sizeUpdateAfterTheFirstFieldIsACompressionError() throws IOException {
        assertCompressionError(RawFieldBlock.create().indexed(RawFieldBlock.METHOD_GET).sizeUpdate(100)
                .indexed(RawFieldBlock.SCHEME_HTTP).literalWithoutIndexing(RawFieldBlock.AUTHORITY, "127.0.0.1")
                .literalWithoutIndexing(RawFieldBlock.PATH, "/"));
    }

    // RFC 7541 §4.2: several size updates may open a block (the smallest, then the final size).
    @Test
    void sizeUpdatesAtTheStartOfABlockAreAccepted() throws IOException {
        try (H2Connection c = server.connect()) {
            sendGet(c, 1, RawFieldBlock.create().sizeUpdate(0).sizeUpdate(4096).indexed(RawFieldBlock.METHOD_GET)
                    .indexed(RawFieldBlock.SCHEME_HTTP).literalWithoutIndexing(RawFieldBlock.AUTHORITY, "127.0.0.1")
                    .literalWithoutIndexing(RawFieldBlock.PATH, "/"));
            assertThat(c.readResponse(1).status()).isEqualTo(200);
        }
    }

    // RFC 7541 §4.2, §6.3: a size update to 0 evicts every entry, so a reference to the former
    // first dynamic entry is beyond the tables.
    @Test
    void sizeUpdateToZeroEmptiesTheTable() throws IOException {
        try (H2Connection c = server.connect()) {
            sendGet(c, 1, RawFieldBlock.get("/").literalWithIndexing("x-gone", "soon"));
            assertThat(c.readResponse(1).status()).isEqualTo(200);
            sendGet(c, 3, RawFieldBlock.create().sizeUpdate(0).sizeUpdate(4096).indexed(RawFieldBlock.METHOD_GET)
                    .indexed(RawFieldBlock.SCHEME_HTTP).literalWithoutIndexing(RawFieldBlock.AUTHORITY, "127.0.0.1")
                    .literalWithoutIndexing(RawFieldBlock.PATH, "/").indexed(RawFieldBlock.FIRST_DYNAMIC));
            c.expectGoAway(COMPRESSION_ERROR);
        }
    }

    // RFC 7541 §2.2, §4: the dynamic table is connection state: an entry one request inserts is
    // referenced by a later one.
    @Test
    void dynamicTableStateCarriesAcrossRequests() throws IOException {
        try (H2Connection c = server.connect()) {
            sendGet(c, 1, RawFieldBlock.get("/").literalWithIndexing("x-state", "remembered"));
            assertThat(c.readResponse(1).status()).isEqualTo(200);
            sendGet(c, 3, RawFieldBlock.get("/headers").indexed(RawFieldBlock.FIRST_DYNAMIC));
            H2Response response = c.readResponse(3);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).contains("x-state: remembered\n");
        }
    }

    // RFC 7541 §4.4: "Before a new entry is added to the dynamic table, entries are evicted from the
    // end of the dynamic table until the size of the dynamic table is less than or equal to (maximum
    // size - new entry size) or until the table is empty." 3035 + 2035 > 4096: the first goes.
    @Test
    void insertingEvictsTheOldestEntries() throws IOException {
        try (H2Connection c = server.connect()) {
            sendGet(c, 1, RawFieldBlock.get("/").literalWithIndexing("x-a", "a".repeat(3000)));
            assertThat(c.readResponse(1).status()).isEqualTo(200);
            sendGet(c, 3, RawFieldBlock.get("/headers").literalWithIndexing("x-b", "b".repeat(2000)));
            assertThat(c.readResponse(3).status()).isEqualTo(200);
            sendGet(c, 5, RawFieldBlock.get("/headers").indexed(RawFieldBlock.FIRST_DYNAMIC));
            assertThat(c.readResponse(5).bodyText()).contains("x-b: " + "b".repeat(2000) + "\n");
            sendGet(c, 7, RawFieldBlock.get("/headers").indexed(RawFieldBlock.FIRST_DYNAMIC + 1));
            c.expectGoAway(COMPRESSION_ERROR);
        }
    }

    // RFC 7541 §4.4: "an attempt to add an entry larger than the maximum size causes the table to be
    // emptied of all existing entries and results in an empty table" — not an error.
    @Test
    void entryLargerThanTheTableEmptiesItWithoutError() throws IOException {
        try (H2Connection c = server.connect()) {
            sendGet(c, 1, RawFieldBlock.get("/").literalWithIndexing("x-small", "1"));
            assertThat(c.readResponse(1).status()).isEqualTo(200);
            sendGet(c, 3, RawFieldBlock.get("/").literalWithIndexing("x-huge", "h".repeat(5000)));
            assertThat(c.readResponse(3).status()).isEqualTo(200);
            sendGet(c, 5, RawFieldBlock.get("/").indexed(RawFieldBlock.FIRST_DYNAMIC));
            c.expectGoAway(COMPRESSION_ERROR);
        }
    }

    // RFC 7541 §6.2.3: a literal never indexed is delivered like any field and leaves the table as is.
    @Test
    void literalNeverIndexedIsDelivered() throws IOException {
        try (H2Connection c = server.connect()) {
            sendGet(c, 1, RawFieldBlock.get("/headers").literalNeverIndexed("x-secret", "s3cr3t"));
            assertThat(c.readResponse(1).bodyText()).contains("x-secret: s3cr3t\n");
            sendGet(c, 3, RawFieldBlock.get("/").indexed(RawFieldBlock.FIRST_DYNAMIC));
            c.expectGoAway(COMPRESSION_ERROR);
        }
    }

    // RFC 7541 §5.2: Huffman-encoded strings (here the C.4.1 example) are decoded.
    @Test
    void huffmanEncodedValueIsDecoded() throws IOException {
        try (H2Connection c = server.connect()) {
            sendGet(c, 1, RawFieldBlock.create().indexed(RawFieldBlock.METHOD_GET).indexed(RawFieldBlock.SCHEME_HTTP)
                    .literalWithoutIndexingHuffmanValue(RawFieldBlock.AUTHORITY, bytes(HUFFMAN_WWW_EXAMPLE_COM))
                    .literalWithoutIndexing(RawFieldBlock.PATH, "/headers"));
            H2Response response = c.readResponse(1);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).contains("host=www.example.com\n");
        }
    }

    // RFC 7541 §5.2: "A padding strictly longer than 7 bits MUST be treated as a decoding error."
    @Test
    void huffmanPaddingLongerThanSevenBitsIsACompressionError() throws IOException {
        int[] padded = Arrays.copyOf(HUFFMAN_WWW_EXAMPLE_COM, HUFFMAN_WWW_EXAMPLE_COM.length + 1);
        padded[padded.length - 1] = 0xff;
        assertCompressionError(RawFieldBlock.get("/").literalWithoutIndexingHuffmanValue(58, bytes(padded)));
    }

    // RFC 7541 §5.2: "A padding not corresponding to the most significant bits of the code for the
    // EOS symbol MUST be treated as a decoding error." 'a' is 00011; padded with zeros: 0x18.
    @Test
    void huffmanPaddingOfZerosIsACompressionError() throws IOException {
        assertCompressionError(RawFieldBlock.get("/").literalWithoutIndexingHuffmanValue(58, new byte[] {0x18}));
    }

    // RFC 7541 §5.2: "A Huffman-encoded string literal containing the EOS symbol MUST be treated as a
    // decoding error." EOS is 30 one-bits; 'a' (00011) then EOS then padding.
    @Test
    void huffmanEosSymbolIsACompressionError() throws IOException {
        // 'a' (5 bits) + EOS (30 one-bits) + 5 one-bits of padding = 40 bits.
        assertCompressionError(RawFieldBlock.get("/").literalWithoutIndexingHuffmanValue(58,
                bytes(new int[] {0x1f, 0xff, 0xff, 0xff, 0xff})));
    }

    // RFC 7541 §5.1 / §6: a block that ends inside an integer is a decoding error.
    @Test
    void truncatedIntegerIsACompressionError() throws IOException {
        assertCompressionError(RawFieldBlock.get("/").raw(0xff));
    }

    // RFC 7541 §5.2: a string whose length runs past the end of the block is a decoding error.
    @Test
    void truncatedStringIsACompressionError() throws IOException {
        assertCompressionError(RawFieldBlock.get("/").raw(0x00, 0x0a, 'x', '-'));
    }

    // RFC 7541 §5.1: "Integer encodings that exceed implementation limits ... MUST be treated as
    // decoding errors"; an index of 2^35 cannot name any entry.
    @Test
    void overlongIntegerIsACompressionError() throws IOException {
        assertCompressionError(RawFieldBlock.get("/").raw(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f));
    }

    // RFC 9113 §4.3: the server must decode every field block, including one of a request it rejects
    // (here as malformed, §8.2.1), or the tables of both ends diverge: an entry that block inserted
    // is usable afterwards.
    @Test
    void fieldBlockOfARejectedRequestStillUpdatesTheTable() throws IOException {
        try (H2Connection c = server.connect()) {
            sendGet(c, 1, RawFieldBlock.get("/").literalWithIndexing("x-kept", "yes")
                    .literalWithoutIndexing("X-Upper", "malformed"));
            c.expectRstStream(1, PROTOCOL_ERROR);
            sendGet(c, 3, RawFieldBlock.get("/headers").indexed(RawFieldBlock.FIRST_DYNAMIC));
            H2Response response = c.readResponse(3);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).contains("x-kept: yes\n");
        }
    }

    // RFC 9113 §6.5.2 SETTINGS_HEADER_TABLE_SIZE and RFC 7541 §4.2: when the client allows a table of
    // 0, the server's encoder must signal the reduction with a size update at the start of its next
    // field block (the test's decoder enforces that, once the SETTINGS is acknowledged).
    @Test
    void serverHonoursAClientHeaderTableSizeOfZero() throws IOException {
        try (H2Connection c = server.connect(H2Frames.SETTINGS_HEADER_TABLE_SIZE, 0)) {
            for (int i = 0; i < 3; i++) {
                c.assertServes();
            }
            assertThat(c.get("/trailers").trailer("x-checksum")).isEqualTo("abc");
        }
    }

    private static void sendGet(H2Connection c, int streamId, RawFieldBlock block) throws IOException {
        c.send(H2Frames.headers(streamId, FLAG_END_HEADERS | FLAG_END_STREAM, block.bytes()));
        c.skipStreamIdsUpTo(streamId);
    }

    private static void assertCompressionError(RawFieldBlock block) throws IOException {
        try (H2Connection c = server.connect()) {
            sendGet(c, 1, block);
            H2Frame goAway = c.expectGoAway(COMPRESSION_ERROR);
            assertThat(goAway.lastStreamId()).isLessThanOrEqualTo(1);
        }
    }

    private static byte[] bytes(int[] octets) {
        byte[] bytes = new byte[octets.length];
        for (int i = 0; i < octets.length; i++) {
            bytes[i] = (byte) octets[i];
        }
        return bytes;
    }
}
