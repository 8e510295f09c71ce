package dev.lanner.server.internal.http2.hpack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Interoperability with the hpack-test-case corpus (shared/testdata/hpack): blocks encoded by
 * other implementations decode to exactly the listed headers, and the raw header lists survive
 * our encoder and decoder. Each story's cases share one compression context, in order.
 */
class HpackStoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}: {1} stories, {2} cases")
    @CsvSource({
        "go-hpack, 32, 3384",
        "nghttp2, 32, 3384",
        "nghttp2-change-table-size, 31, 3267",
        "python-hpack, 32, 3384",
        "swift-nio-hpack-plain-text, 32, 3384",
    })
    void decodesEveryCaseOfEveryStory(String folder, int expectedStories, int expectedCases) throws Exception {
        int stories = 0;
        int cases = 0;
        for (Path story : stories(folder)) {
            HpackDecoder decoder = new HpackDecoder();
            for (JsonNode c : read(story).get("cases")) {
                JsonNode tableSize = c.get("header_table_size");
                if (tableSize != null && !tableSize.isNull()) {
                    decoder.setMaxTableSize(tableSize.asInt());
                }
                List<Map.Entry<String, String>> decoded = RecordingSink.decode(decoder, Hex.bytes(c.get("wire").asText()));
                assertThat(decoded)
                        .as("%s/%s case %d", folder, story.getFileName(), c.get("seqno").asInt())
                        .containsExactlyElementsOf(headers(c));
                assertThat(decoder.headerListTooLarge()).isFalse();
                cases++;
            }
            stories++;
        }
        assertThat(stories).isEqualTo(expectedStories);
        assertThat(cases).isEqualTo(expectedCases);
    }

    /**
     * raw-data: every case round-trips through our encoder and decoder, sharing one context per
     * story; with the default table, with a table the peer shrank, one the encoder limits
     * itself to, none at all, and without Huffman. The tables must end equal after each block.
     */
    @ParameterizedTest(name = "peer table {0}, encoder limit {1}, huffman {2}")
    @CsvSource({
        "4096, 4096, true",
        "4096, 4096, false",
        "256, 4096, true",
        "4096, 512, true",
        "0, 4096, true",
    })
    void rawDataRoundTripsThroughEncoderAndDecoder(int peerTableSize, int encoderLimit, boolean huffman)
            throws Exception {
        int stories = 0;
        int cases = 0;
        long rawOctets = 0;
        long encodedOctets = 0;
        HeaderBlockBuffer out = new HeaderBlockBuffer();
        for (Path story : stories("raw-data")) {
            HpackEncoder encoder = new HpackEncoder(huffman, encoderLimit);
            HpackDecoder decoder = new HpackDecoder();
            int caseInStory = 0;
            if (peerTableSize != HpackDecoder.DEFAULT_TABLE_SIZE) {
                decoder.setMaxTableSize(peerTableSize); // advertised and acknowledged
                encoder.setMaxTableSize(peerTableSize);
            }
            for (JsonNode c : read(story).get("cases")) {
                List<Map.Entry<String, String>> headers = headers(c);
                out.clear();
                encoder.encode(headers, out);
                List<Map.Entry<String, String>> decoded = RecordingSink.decode(decoder, out.toByteArray());
                assertThat(decoded).as("%s case %d", story.getFileName(), caseInStory++)
                        .containsExactlyElementsOf(headers);
                assertThat(RecordingSink.tableOf(decoder.dynamicTable()))
                        .isEqualTo(RecordingSink.tableOf(encoder.dynamicTable()));
                assertThat(decoder.dynamicTable().size()).isLessThanOrEqualTo(Math.min(peerTableSize, encoderLimit));
                for (Map.Entry<String, String> h : headers) {
                    rawOctets += h.getKey().length() + h.getValue().length();
                }
                encodedOctets += out.length();
                cases++;
            }
            stories++;
        }
        assertThat(stories).isEqualTo(32);
        assertThat(cases).isEqualTo(3384);
        assertThat(encodedOctets).isLessThan(rawOctets);
        if (peerTableSize == 4096 && encoderLimit == 4096 && huffman) {
            // Same header lists as nghttp2's folder: compress at least as well as nghttp2 does.
            assertThat(encodedOctets).isLessThanOrEqualTo(wireOctets("nghttp2"));
        }
    }

    private static long wireOctets(String folder) throws IOException {
        long octets = 0;
        for (Path story : stories(folder)) {
            for (JsonNode c : read(story).get("cases")) {
                octets += c.get("wire").asText().length() / 2;
            }
        }
        return octets;
    }

    private static List<Map.Entry<String, String>> headers(JsonNode c) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (JsonNode header : c.get("headers")) {
            header.fields().forEachRemaining(f -> headers.add(Map.entry(f.getKey(), f.getValue().asText())));
        }
        return headers;
    }

    private static JsonNode read(Path story) {
        try {
            return JSON.readTree(story.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> stories(String folder) throws IOException {
        try (Stream<Path> files = Files.list(corpus().resolve(folder))) {
            List<Path> stories = files.filter(p -> p.getFileName().toString().matches("story_\\d+\\.json"))
                    .sorted().toList();
            assertThat(stories).as("stories in %s", folder).isNotEmpty();
            return stories;
        }
    }

    /**
     * The corpus: the {@code hpack.testdata} system property, else {@code ../shared/testdata/hpack}
     * beside the repository (the root is the first folder up from the working directory that holds
     * {@code lanner-server/pom.xml}). Nothing else is searched: a missing corpus fails the test.
     */
    static Path corpus() {
        String property = System.getProperty("hpack.testdata");
        if (property != null) {
            return Paths.get(property);
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("lanner-server/pom.xml"))) {
                Path corpus = dir.resolveSibling("shared").resolve("testdata/hpack");
                if (!Files.isDirectory(corpus)) {
                    throw new IllegalStateException("HPACK corpus not found at " + corpus
                            + " (../shared beside the repository; or set -Dhpack.testdata)");
                }
                return corpus;
            }
        }
        throw new IllegalStateException("repository root (with lanner-server/pom.xml) not found above "
                + Paths.get("").toAbsolutePath());
    }
}
