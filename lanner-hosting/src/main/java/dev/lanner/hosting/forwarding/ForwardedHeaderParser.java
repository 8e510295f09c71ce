package dev.lanner.hosting.forwarding;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A pure parser for the RFC 7239 {@code Forwarded} header: text in, one {@link Element} per hop out.
 * It knows nothing of trust or of the request; the middleware decides what to apply.
 */
public final class ForwardedHeaderParser {

    /**
     * One forwarded-element (RFC 7239 §4): the parameters one proxy added. Values are unquoted;
     * absent parameters are {@code null}.
     */
    public record Element(String forNode, String by, String proto, String host) {

        /** The element as header text, every value quoted (always valid, RFC 7239 §4). */
        public String format() {
            StringBuilder sb = new StringBuilder();
            append(sb, "for", forNode);
            append(sb, "by", by);
            append(sb, "proto", proto);
            append(sb, "host", host);
            return sb.toString();
        }

        private static void append(StringBuilder sb, String name, String value) {
            if (value == null) {
                return;
            }
            if (!sb.isEmpty()) {
                sb.append(';');
            }
            sb.append(name).append("=\"").append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
    }

    private ForwardedHeaderParser() {}

    /**
     * Parses a {@code Forwarded} value (several header lines joined with {@code ", "} are one value).
     *
     * @return the elements from left (the first proxy's) to right (the last proxy's)
     * @throws IllegalArgumentException when the value does not follow the RFC 7239 §4 grammar
     */
    public static List<Element> parse(String value) {
        List<Element> elements = new ArrayList<>();
        Cursor in = new Cursor(value == null ? "" : value);
        String forNode = null;
        String by = null;
        String proto = null;
        String host = null;
        while (true) {
            in.skipWhitespace();
            if (!in.atEnd() && in.peek() != ',' && in.peek() != ';') {
                // RFC 7239 §4: forwarded-pair = token "=" value; value = token / quoted-string
                String name = in.token();
                in.skipWhitespace();
                in.expect('=');
                in.skipWhitespace();
                String pairValue = in.peek() == '"' ? in.quotedString() : in.token();
                switch (name.toLowerCase(Locale.ROOT)) {
                    case "for" -> forNode = once(forNode, pairValue, name);
                    case "by" -> by = once(by, pairValue, name);
                    case "proto" -> proto = once(proto, pairValue, name);
                    case "host" -> host = once(host, pairValue, name);
                    default -> { } // §5: unknown parameters are extensions; ignore them.
                }
                in.skipWhitespace();
            }
            if (in.atEnd() || in.peek() == ',') {
                if (forNode != null || by != null || proto != null || host != null) {
                    elements.add(new Element(forNode, by, proto, host));
                }
                forNode = by = proto = host = null;
                if (in.atEnd()) {
                    return elements;
                }
                in.next();
            } else {
                in.expect(';');
            }
        }
    }

    private static String once(String previous, String value, String name) {
        // §4: each parameter MUST NOT occur more than once per forwarded-element.
        if (previous != null) {
            throw new IllegalArgumentException("'" + name + "' repeated in one forwarded-element");
        }
        return value;
    }

    private static final class Cursor {
        private final String text;
        private int pos;

        Cursor(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return pos >= text.length();
        }

        char peek() {
            return atEnd() ? '\0' : text.charAt(pos);
        }

        void next() {
            pos++;
        }

        void skipWhitespace() {
            while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
                pos++;
            }
        }

        void expect(char c) {
            if (peek() != c || atEnd()) {
                throw new IllegalArgumentException("expected '" + c + "' at " + pos);
            }
            pos++;
        }

        String token() {
            int start = pos;
            while (!atEnd() && isTokenChar(peek())) {
                pos++;
            }
            if (start == pos) {
                throw new IllegalArgumentException("expected a token at " + start);
            }
            return text.substring(start, pos);
        }

        // RFC 9110 §5.6.4: quoted-string with quoted-pair escapes.
        String quotedString() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (!atEnd()) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\') {
                    if (atEnd()) {
                        break;
                    }
                    c = text.charAt(pos++);
                }
                sb.append(c);
            }
            throw new IllegalArgumentException("unterminated quoted-string");
        }

        // RFC 9110 §5.6.2: tchar
        private static boolean isTokenChar(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }
    }
}
