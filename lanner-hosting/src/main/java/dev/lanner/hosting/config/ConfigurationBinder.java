package dev.lanner.hosting.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Binds configuration sections to typed objects: the section becomes a Jackson tree of strings that
 * Jackson converts to the target type. Behaviour is documented on {@link Configuration#bind(String, Class)}.
 */
final class ConfigurationBinder {
    /** Shared by all configurations; it is never reconfigured after construction. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES, MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY,
                    DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT)
            .addModule(new ConfigurationJacksonModule())
            .build();

    private static final Set<Class<?>> INTEGERS = Set.of(int.class, Integer.class, long.class, Long.class,
            short.class, Short.class, byte.class, Byte.class, BigInteger.class);
    private static final Set<Class<?>> NUMBERS = Set.of(double.class, Double.class, float.class, Float.class,
            BigDecimal.class);
    private static final int MAX_VALUE_DISPLAY_LENGTH = 80;

    private ConfigurationBinder() {
    }

    static <T> T bind(Configuration section, Class<T> type) {
        Objects.requireNonNull(type, "type");
        JsonNode tree = toTree(section);
        if (tree == null) {
            if (type.isPrimitive() || type.isEnum() || type.getName().startsWith("java.")) {
                return null;
            }
            tree = MAPPER.createObjectNode();
        }
        try {
            return MAPPER.convertValue(tree, type);
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof JsonMappingException cause) {
                throw describe(section, type, cause);
            }
            throw e;
        }
    }

    /** The section as a tree of text nodes, or {@code null} when it does not exist. */
    static JsonNode toTree(Configuration section) {
        Map<String, String> values = section.asMap();
        if (values.isEmpty()) {
            String own = section.value();
            return own == null ? null : TextNode.valueOf(own);
        }
        Node root = new Node();
        values.forEach((key, value) -> {
            Node node = root;
            for (String segment : key.split(String.valueOf(Configuration.KEY_DELIMITER), -1)) {
                node = node.children.computeIfAbsent(segment, name -> new Node());
            }
            node.value = value;
        });
        return root.toJson();
    }

    private static ConfigurationException describe(Configuration section, Class<?> type, JsonMappingException e) {
        String relative = e.getPath().stream()
                .map(reference -> reference.getFieldName() != null
                        ? reference.getFieldName() : Integer.toString(reference.getIndex()))
                .collect(Collectors.joining(String.valueOf(Configuration.KEY_DELIMITER)));
        String key = relative.isEmpty() ? section.path() : Configuration.combine(section.path(), relative);

        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            Class<?> target = mismatch.getTargetType();
            String expected = "(expected type " + target.getSimpleName() + ")";
            ConfigurationEntry entry = section.entryAt(key);
            if (entry != null) {
                return new ConfigurationException("Invalid configuration value in " + entry.source() + ": '"
                        + entry.key() + "' = \"" + display(entry.value()) + "\" is not " + expectation(target)
                        + " " + expected, entry.key(), entry.source(), e);
            }
            ConfigurationEntry below = section.firstEntryBelow(key);
            if (below != null) {
                String displayKey = below.key().substring(0, key.length());
                return new ConfigurationException("Invalid configuration value in " + below.source() + ": '"
                        + displayKey + "' is a section, not " + expectation(target) + " " + expected,
                        displayKey, below.source(), e);
            }
            return new ConfigurationException("Invalid configuration value for '" + key + "' (from "
                    + type.getSimpleName() + ".defaults()): not " + expectation(target) + " " + expected,
                    key, null, e);
        }
        Throwable reason = e.getCause() != null ? e.getCause() : e;
        String detail = reason instanceof JsonMappingException mapping ? mapping.getOriginalMessage() : reason.getMessage();
        ConfigurationEntry below = section.firstEntryBelow(key);
        String source = below == null ? null : below.source();
        return new ConfigurationException("Invalid configuration section '" + key + "' for type "
                + type.getSimpleName() + ": " + detail, key, source, e);
    }

    /** What a value of {@code type} must be, phrased to follow "is not". */
    private static String expectation(Class<?> type) {
        if (INTEGERS.contains(type)) {
            return "a valid integer";
        }
        if (NUMBERS.contains(type)) {
            return "a valid number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "a valid boolean";
        }
        if (type == Duration.class) {
            return "a valid duration (seconds or HH:MM:SS)";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants())
                    .map(constant -> ((Enum<?>) constant).name())
                    .collect(Collectors.joining(", ", "[", "]"));
        }
        if (type == char.class || type == Character.class) {
            return "a single character";
        }
        if (!type.isPrimitive() && !type.getName().startsWith("java.")) {
            return "a section";
        }
        return "a valid " + type.getSimpleName();
    }

    /** The value as it may appear in a one-line message: escaped and shortened. */
    private static String display(String value) {
        String escaped = value.replace("\\", "\\\\").replace("\"", "\\\"")
                .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        return escaped.length() <= MAX_VALUE_DISPLAY_LENGTH
                ? escaped : escaped.substring(0, MAX_VALUE_DISPLAY_LENGTH) + "...";
    }

    /** A node of the section tree; becomes an array when its children are exactly {@code 0..n-1}. */
    private static final class Node {
        private String value;
        private final TreeMap<String, Node> children = new TreeMap<>(Configuration.CHILD_ORDER);

        JsonNode toJson() {
            if (children.isEmpty()) {
                return TextNode.valueOf(value == null ? "" : value);
            }
            if (isArray()) {
                ArrayNode array = JsonNodeFactory.instance.arrayNode(children.size());
                children.values().forEach(child -> array.add(child.toJson()));
                return array;
            }
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            children.forEach((name, child) -> object.set(name, child.toJson()));
            return object;
        }

        private boolean isArray() {
            int index = 0;
            for (String name : children.keySet()) {
                if (!name.equals(Integer.toString(index++))) {
                    return false;
                }
            }
            return true;
        }
    }
}
