package dev.lanner.testkit;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A response as the kit's client saw it.
 *
 * @param headers field names in lower case, each with its values in the order received
 */
public record KitResponse(int status, Map<String, List<String>> headers, byte[] body) {

    /** The first value of {@code name}, or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every value of {@code name}, split at commas as a list-based field allows (RFC 9110 §5.3). */
    public List<String> headerValues(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        if (values == null) {
            return List.of();
        }
        return values.stream().flatMap(v -> java.util.Arrays.stream(v.split(","))).map(String::trim).toList();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
