package dev.lanner.hosting.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.lanner.hosting.HealthOptions;
import dev.lanner.hosting.HostOptions;
import dev.lanner.hosting.config.Configuration;
import dev.lanner.hosting.config.ConfigurationBuilder;
import dev.lanner.hosting.config.ConfigurationException;
import dev.lanner.hosting.forwarding.ForwardedHeadersOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Fuzz target {@code configuration}: the configuration loader and binder. Input: an
 * {@code appsettings.json} file; at the end, read by the {@link FuzzedDataProvider}, how many
 * command-line arguments to take from the front. The layers are built as the host builds them and
 * the result is bound to the host's option types and to a record with every kind of property.
 *
 * <p>Invariants: only {@link ConfigurationException} escapes, with a one-line message that names
 * its key when it has one; the configuration holds exactly the file's values flattened
 * ({@code a:b}, {@code a:0}; {@code null} as empty) with the command line winning, as read here
 * independently; and a whole number bound to an {@code int} property is that
 * number.
 */
class ConfigurationFuzzTest {

    private static final Path FILE = createFile();
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();

    public enum Mode { Off, Fast, Careful }

    public record Nested(String name, Duration delay, List<Integer> ports) {
    }

    /** A property of every kind the binder converts to. */
    public record Sample(int count, long size, double ratio, boolean enabled, char letter, Mode mode, Duration timeout,
                        List<String> urls, Map<String, Integer> weights, Nested nested, List<Nested> items) {
    }

    @FuzzTest
    void configuration(FuzzedDataProvider data) throws IOException {
        String[] args = new String[data.consumeInt(0, 3)];
        for (int i = 0; i < args.length; i++) {
            args[i] = data.consumeString(40);
        }
        byte[] json = data.consumeRemainingAsBytes();
        Files.write(FILE, json);

        Configuration configuration = rejectedOr(() ->
                new ConfigurationBuilder().addJsonFile(FILE, false).addCommandLine(args).build());
        if (configuration == null) {
            return;
        }
        Map<String, String> actual = configuration.asMap();
        Map<String, Object> expected = expected(json, args);
        assertThat(actual.keySet()).hasSameSizeAs(expected.keySet());
        expected.forEach((key, value) -> {
            assertThat(actual).containsKey(key);
            if (value instanceof BigDecimal number) {
                assertThat(new BigDecimal(actual.get(key))).as(key).isEqualByComparingTo(number);
            } else {
                assertThat(actual.get(key)).as(key).isEqualTo(value);
            }
        });
        Sample sample = rejectedOr(() -> configuration.bind("Sample", Sample.class));
        String count = configuration.get("Sample:Count");
        if (sample != null && count != null && count.matches("-?[0-9]{1,9}")) {
            assertThat(sample.count()).isEqualTo(Integer.parseInt(count));
        }
        rejectedOr(() -> configuration.bind("Hosting", HostOptions.class));
        rejectedOr(() -> configuration.bind("Health", HealthOptions.class));
        rejectedOr(() -> ForwardedHeadersOptions.bind(configuration));
    }

    /** What {@code action} returns, or null when it was rejected with a well-formed ConfigurationException. */
    private static <T> T rejectedOr(Supplier<T> action) {
        try {
            return action.get();
        } catch (ConfigurationException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n", "\r");
            if (e.key() != null) {
                // The message is one line: a line break in a key shows as a space.
                assertThat(e.getMessage()).contains(e.key().replaceAll("\\s*\\R\\s*", " "));
            }
            return null;
        }
    }

    /**
     * The file flattened and the command line over it, read here without the loader: a String, or a BigDecimal
     * for a number (the loader keeps the file's text, e.g. {@code 1.50} or {@code 1e3}). Called only when the
     * loader accepted the file. Read token by token, as a section may appear twice ({@code {"a": {"b": 1},
     * "a": {"c": 2}}} holds {@code a:b} and {@code a:c}); only a repeated key is an error.
     */
    private static Map<String, Object> expected(byte[] json, String[] args) throws IOException {
        TreeMap<String, Object> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        try (JsonParser parser = JSON.createParser(json)) {
            parser.nextToken();
            flatten(parser, "", values);
        }
        commandLine(args, values);
        return values;
    }

    /** Reads the value at the parser's current token as the value of {@code key}. */
    private static void flatten(JsonParser parser, String key, Map<String, Object> out) throws IOException {
        switch (parser.currentToken()) {
            case START_OBJECT -> {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    flatten(parser, join(key, name), out);
                }
            }
            case START_ARRAY -> {
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    flatten(parser, join(key, Integer.toString(index++)), out);
                }
            }
            case VALUE_NULL -> out.put(key, "");
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> out.put(key, parser.getDecimalValue());
            default -> out.put(key, parser.getText());
        }
    }

    private static String join(String key, String child) {
        return key.isEmpty() ? child : key + ":" + child;
    }

    /** The documented command-line forms (ConfigurationBuilder#addCommandLine). */
    private static void commandLine(String[] args, Map<String, Object> out) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                return;
            }
            boolean option = arg.startsWith("--") || arg.startsWith("/");
            if (!option && arg.startsWith("-")) {
                continue;
            }
            String body = arg.startsWith("--") ? arg.substring(2) : arg.startsWith("/") ? arg.substring(1) : arg;
            int equals = body.indexOf('=');
            if (equals >= 0) {
                out.put(body.substring(0, equals).strip(), body.substring(equals + 1));
            } else if (option) {
                boolean valueFollows = i + 1 < args.length && !args[i + 1].startsWith("--")
                        && !(args[i + 1].startsWith("/") && args[i + 1].indexOf('=') > 1);
                out.put(body.strip(), valueFollows ? args[++i] : "true");
            }
        }
    }

    private static Path createFile() {
        try {
            Path folder = Files.createTempDirectory("lanner-fuzz-configuration");
            folder.toFile().deleteOnExit();
            Path file = folder.resolve("appsettings.json");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
