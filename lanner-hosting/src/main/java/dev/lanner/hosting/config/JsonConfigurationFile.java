package dev.lanner.hosting.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a JSON configuration file into flattened settings: objects nest with {@code ':'}, arrays become
 * index keys, scalars their source text and {@code null} the empty string.
 *
 * <p>The file is streamed rather than read into a tree so that an error can name the last key read.
 */
final class JsonConfigurationFile {
    /** Comments and trailing commas are allowed, as in ASP.NET Core's appsettings files. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();

    /** Jackson's location suffix, e.g. {@code [Source: REDACTED ...; line: 1, column: 2]}. */
    private static final Pattern SOURCE_LOCATION =
            Pattern.compile("\\s*(?:at )?\\[Source: [^\\]]*?line: (\\d+), column: (\\d+)]");
    private static final Pattern OTHER_SOURCE = Pattern.compile("\\s*(?:at )?\\[Source: [^\\]]*]");

    private final Path file;
    private final String displayName;
    private final List<ConfigurationEntry> entries = new ArrayList<>();
    private final Map<String, String> seen = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private JsonParser parser;
    private String lastKey;

    private JsonConfigurationFile(Path file) {
        this.file = file;
        Path name = file.getFileName();
        this.displayName = name == null ? file.toString() : name.toString();
    }

    /**
     * @param optional whether a missing file yields no settings rather than an error
     * @throws ConfigurationException when the file is required but missing, unreadable, or not a JSON object
     */
    static List<ConfigurationEntry> read(Path file, boolean optional) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            if (optional) {
                return List.of();
            }
            throw new ConfigurationException("Configuration file not found: " + file, null, file.toString(), e);
        } catch (IOException e) {
            throw new ConfigurationException("Cannot read configuration file " + file + ": " + e.getMessage(),
                    null, file.toString(), e);
        }
        return new JsonConfigurationFile(file).parse(content);
    }

    private List<ConfigurationEntry> parse(byte[] content) {
        try (JsonParser jsonParser = JSON.createParser(content)) {
            parser = jsonParser;
            return readDocument();
        } catch (IOException e) {
            throw new ConfigurationException("Cannot read configuration file " + file + ": " + e.getMessage(),
                    null, file.toString(), e);
        }
    }

    private List<ConfigurationEntry> readDocument() throws IOException {
        try {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw invalid(null, "the file is empty; expected a JSON object");
            }
            if (first != JsonToken.START_OBJECT) {
                throw invalid(parser.currentTokenLocation(),
                        "the top-level value must be an object, not " + describe(first));
            }
            readValue("");
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw invalid(parser.currentTokenLocation(), "unexpected content after the top-level object");
            }
            return List.copyOf(entries);
        } catch (JsonProcessingException e) {
            // Jackson reads a field name together with the start of its value, so the parser's context
            // knows the key being read even when the error came before readValue saw the name.
            String key = contextKey(parser.getParsingContext());
            if (!key.isEmpty()) {
                lastKey = key;
            }
            throw invalid(e.getLocation(), jacksonReason(e.getOriginalMessage()));
        }
    }

    /** The configuration key of a parsing context: field names and array indexes from the root down. */
    private static String contextKey(JsonStreamContext context) {
        if (context == null || context.inRoot()) {
            return "";
        }
        String parent = contextKey(context.getParent());
        String segment = context.inArray() ? Integer.toString(context.getCurrentIndex()) : context.getCurrentName();
        return segment == null ? parent : Configuration.combine(parent, segment);
    }

    /** Reads the value starting at the current token, which is the value of {@code key}. */
    private void readValue(String key) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String child = Configuration.combine(key, parser.currentName());
                    lastKey = child;
                    parser.nextToken();
                    readValue(child);
                }
            }
            case START_ARRAY -> {
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    String child = Configuration.combine(key, Integer.toString(index++));
                    lastKey = child;
                    readValue(child);
                }
            }
            case VALUE_NULL -> add(key, "");
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> add(key, parser.getText());
            default -> throw invalid(parser.currentTokenLocation(), "unexpected " + token);
        }
    }

    private void add(String key, String value) {
        String previous = seen.putIfAbsent(key, key);
        if (previous != null) {
            throw invalid(parser.currentTokenLocation(), "duplicate key '" + key + "' (keys are case-insensitive)");
        }
        entries.add(new ConfigurationEntry(key, value, displayName));
    }

    private ConfigurationException invalid(JsonLocation location, String reason) {
        StringBuilder message = new StringBuilder("Invalid JSON in ").append(file);
        if (location != null && location.getLineNr() > 0) {
            message.append(" at line ").append(location.getLineNr())
                    .append(", column ").append(location.getColumnNr());
        }
        if (lastKey != null) {
            message.append(" (near key '").append(lastKey).append("')");
        }
        message.append(": ").append(reason);
        return new ConfigurationException(message.toString(), lastKey, file.toString());
    }

    /**
     * Jackson's message without its source descriptions: nested ones (such as the start of an unclosed
     * object) keep their line and column, the rest is dropped, and the message is folded onto one line.
     */
    private static String jacksonReason(String message) {
        if (message == null) {
            return "malformed JSON";
        }
        Matcher nested = SOURCE_LOCATION.matcher(message);
        String reason = nested.replaceAll(match -> " at line " + match.group(1) + ", column " + match.group(2));
        reason = OTHER_SOURCE.matcher(reason).replaceAll("");
        return ConfigurationException.oneLine(reason);
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : "'" + token.asString() + "'";
        };
    }
}
