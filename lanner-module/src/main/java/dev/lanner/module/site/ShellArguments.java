package dev.lanner.module.site;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an {@code arguments} string the way a POSIX shell splits words, without expansions: whitespace
 * separates arguments; {@code 'single quotes'} keep everything literally; in {@code "double quotes"} a
 * backslash escapes only {@code "} and {@code \}; outside quotes a backslash escapes any character.
 * {@code ""} and {@code ''} are empty arguments.
 */
final class ShellArguments {
    private ShellArguments() {
    }

    /**
     * @throws IllegalArgumentException saying what is wrong (an unclosed quote, a trailing backslash)
     */
    static List<String> split(String text) {
        List<String> arguments = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inArgument = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inArgument) {
                    arguments.add(current.toString());
                    current.setLength(0);
                    inArgument = false;
                }
                i++;
                continue;
            }
            inArgument = true;
            switch (c) {
                case '\'' -> {
                    int close = text.indexOf('\'', i + 1);
                    if (close < 0) {
                        throw new IllegalArgumentException("a single quote is not closed");
                    }
                    current.append(text, i + 1, close);
                    i = close + 1;
                }
                case '"' -> i = doubleQuoted(text, i + 1, current);
                case '\\' -> {
                    if (i + 1 == text.length()) {
                        throw new IllegalArgumentException("a backslash ends the text");
                    }
                    current.append(text.charAt(i + 1));
                    i += 2;
                }
                default -> {
                    current.append(c);
                    i++;
                }
            }
        }
        if (inArgument) {
            arguments.add(current.toString());
        }
        return arguments;
    }

    /** Appends the double-quoted text starting at {@code start}; returns the index after the closing quote. */
    private static int doubleQuoted(String text, int start, StringBuilder current) {
        int i = start;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
                current.append(text.charAt(i + 1));
                i += 2;
            } else {
                current.append(c);
                i++;
            }
        }
        throw new IllegalArgumentException("a double quote is not closed");
    }
}
