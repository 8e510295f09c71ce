package dev.lanner.cli.create;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills in a template's {@code {{variable}}} placeholders; nothing else is special (no template
 * engine: the templates are files as they will be written, with a few names left open).
 */
public final class TemplateText {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z][A-Za-z0-9]*)}}");

    private TemplateText() {
    }

    /**
     * {@code template} with every {@code {{variable}}} replaced by its value.
     *
     * @throws IllegalArgumentException when a placeholder has no value (a mistake in the template)
     */
    public static String substitute(String template, Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder result = new StringBuilder(template.length() + 64);
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalArgumentException("no value for template placeholder " + matcher.group());
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(result);
        return result.toString();
    }
}
