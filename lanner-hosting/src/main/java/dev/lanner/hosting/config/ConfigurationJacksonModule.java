package dev.lanner.hosting.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.io.IOException;
import java.io.Serial;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jackson support for configuration binding: {@link Duration} in the formats configuration files use,
 * and {@code public static T defaults()} as the starting point of types that declare it.
 */
final class ConfigurationJacksonModule extends SimpleModule {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Seconds, possibly fractional: {@code 30}, {@code 1.5}. */
    private static final Pattern SECONDS = Pattern.compile("[-+]?\\d+(?:\\.\\d+)?");
    /** .NET TimeSpan: {@code [-][d.]hh:mm[:ss[.fraction]]}. */
    private static final Pattern TIME_SPAN =
            Pattern.compile("(-)?(?:(\\d+)\\.)?(\\d+):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?");
    /** The start of an ISO-8601 duration. */
    private static final Pattern ISO = Pattern.compile("[-+]?[Pp]");

    ConfigurationJacksonModule() {
        super("LannerConfiguration");
        addDeserializer(Duration.class, new DurationDeserializer());
        // ISO-8601, which the deserializer reads back; used when defaults() are turned into a tree.
        addSerializer(Duration.class, ToStringSerializer.instance);
        setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
                                                          JsonDeserializer<?> deserializer) {
                Method defaults = defaultsMethod(description.getBeanClass());
                return defaults == null ? deserializer : new DefaultsOverlayDeserializer(deserializer, defaults);
            }
        });
    }

    /** The {@code public static T defaults()} method of {@code type}, or {@code null}. */
    static Method defaultsMethod(Class<?> type) {
        try {
            Method method = type.getMethod("defaults");
            if (Modifier.isStatic(method.getModifiers()) && type.isAssignableFrom(method.getReturnType())) {
                // Needed when the type is not public, e.g. a package-private options record.
                method.trySetAccessible();
                return method;
            }
        } catch (NoSuchMethodException e) {
            // No defaults() convention: bound like any other type.
        }
        return null;
    }

    /**
     * Parses a duration: seconds ({@code 30}, {@code 1.5}), a .NET TimeSpan ({@code [-][d.]hh:mm[:ss[.fffffff]]})
     * or ISO-8601 ({@code PT30S}).
     *
     * @return the duration, or {@code null} when {@code text} is in none of these formats
     */
    static Duration parseDuration(String text) {
        String value = text.strip();
        try {
            if (SECONDS.matcher(value).matches()) {
                long nanos = new BigDecimal(value).movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact();
                return Duration.ofNanos(nanos);
            }
            Matcher timeSpan = TIME_SPAN.matcher(value);
            if (timeSpan.matches()) {
                return timeSpan(timeSpan);
            }
            if (ISO.matcher(value).lookingAt()) {
                return Duration.parse(value);
            }
        } catch (ArithmeticException | DateTimeParseException e) {
            return null;
        }
        return null;
    }

    private static Duration timeSpan(Matcher match) {
        long days = match.group(2) == null ? 0 : Long.parseLong(match.group(2));
        long hours = Long.parseLong(match.group(3));
        long minutes = Long.parseLong(match.group(4));
        long seconds = match.group(5) == null ? 0 : Long.parseLong(match.group(5));
        if ((match.group(2) != null && hours > 23) || minutes > 59 || seconds > 59) {
            return null;
        }
        long nanos = match.group(6) == null ? 0 : Long.parseLong((match.group(6) + "00000000").substring(0, 9));
        Duration duration = Duration.ofDays(days).plusHours(hours).plusMinutes(minutes).plusSeconds(seconds)
                .plusNanos(nanos);
        return match.group(1) != null ? duration.negated() : duration;
    }

    /** Reads {@link Duration} from the formats of {@link #parseDuration}; a blank string is {@code null}. */
    static final class DurationDeserializer extends StdScalarDeserializer<Duration> {
        @Serial
        private static final long serialVersionUID = 1L;

        DurationDeserializer() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonToken token = parser.currentToken();
            if (token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NUMBER_INT
                    && token != JsonToken.VALUE_NUMBER_FLOAT) {
                return (Duration) context.handleUnexpectedToken(Duration.class, parser);
            }
            String text = parser.getText();
            if (text.isBlank()) {
                return null;
            }
            Duration duration = parseDuration(text);
            if (duration == null) {
                return (Duration) context.handleWeirdStringValue(Duration.class, text,
                        "expected seconds, HH:MM:SS or ISO-8601 such as PT30S");
            }
            return duration;
        }
    }

    /**
     * Deserializes a type with {@code defaults()} by overlaying the configured properties on the tree of
     * {@code defaults()}, and supplies {@code defaults()} when the property is absent altogether.
     */
    static final class DefaultsOverlayDeserializer extends DelegatingDeserializer {
        @Serial
        private static final long serialVersionUID = 1L;

        private final transient Method defaults;

        DefaultsOverlayDeserializer(JsonDeserializer<?> delegate, Method defaults) {
            super(delegate);
            this.defaults = defaults;
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
            return new DefaultsOverlayDeserializer(newDelegatee, defaults);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode configured = context.readTree(parser);
            JsonNode merged = configured.isObject()
                    ? overlay(ConfigurationBinder.MAPPER.valueToTree(defaultsValue(context)), configured)
                    : configured;
            try (JsonParser mergedParser = merged.traverse(parser.getCodec())) {
                mergedParser.nextToken();
                return _delegatee.deserialize(mergedParser, context);
            }
        }

        @Override
        public Object getAbsentValue(DeserializationContext context) throws JsonMappingException {
            return defaultsValue(context);
        }

        private Object defaultsValue(DeserializationContext context) throws JsonMappingException {
            try {
                return defaults.invoke(null);
            } catch (IllegalAccessException | InvocationTargetException e) {
                Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
                throw JsonMappingException.from(context, defaults.getDeclaringClass().getSimpleName()
                        + ".defaults() failed: " + cause, cause);
            }
        }

        /** {@code top} laid over {@code base}: objects merge by case-insensitive name, anything else replaces. */
        private static JsonNode overlay(JsonNode base, JsonNode top) {
            if (!(base instanceof ObjectNode baseObject) || !(top instanceof ObjectNode topObject)) {
                return top;
            }
            ObjectNode result = baseObject.deepCopy();
            for (Map.Entry<String, JsonNode> property : topObject.properties()) {
                String name = existingName(result, property.getKey());
                result.set(name, overlay(result.get(name), property.getValue()));
            }
            return result;
        }

        private static String existingName(ObjectNode object, String name) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String candidate = names.next();
                if (candidate.equalsIgnoreCase(name)) {
                    return candidate;
                }
            }
            return name;
        }
    }
}
