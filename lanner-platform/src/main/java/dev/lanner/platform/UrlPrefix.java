package dev.lanner.platform;

import java.util.Locale;

/**
 * A URL prefix in HTTP.sys syntax, {@code scheme://host:port/path/}:
 * <ul>
 *   <li>host {@code +} is the strong wildcard (every host name, before any explicit one),
 *       {@code *} the weak wildcard (every host name no other prefix claims), anything else an
 *       explicit host name or IP literal ({@code [::1]} with its brackets), compared case-insensitively;</li>
 *   <li>the port defaults to 80 or 443; {@code 0} asks for a free port when registered;</li>
 *   <li>the path always ends with {@code /} (added when missing) and is compared case-insensitively,
 *       as HTTP.sys does.</li>
 * </ul>
 *
 * @param scheme {@code http} or {@code https}
 * @param host   {@code +}, {@code *} or a lower-cased host name
 * @param port   0 to 65535
 * @param path   starts and ends with {@code /}
 */
public record UrlPrefix(String scheme, String host, int port, String path) {

    /** How strongly a prefix's host claims requests: the lower, the earlier it is considered. */
    public enum HostKind { STRONG_WILDCARD, EXPLICIT, WEAK_WILDCARD }

    public UrlPrefix {
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("scheme must be http or https: " + scheme);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (!path.startsWith("/") || !path.endsWith("/")) {
            throw new IllegalArgumentException("path must start and end with '/': " + path);
        }
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException with a message naming the prefix and what is wrong with it
     */
    public static UrlPrefix parse(String text) {
        String s = text.trim();
        int schemeEnd = s.indexOf("://");
        if (schemeEnd <= 0) {
            throw invalid(text, "it has no scheme (expected http:// or https://)");
        }
        String scheme = s.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid(text, "the scheme must be http or https");
        }
        String rest = s.substring(schemeEnd + 3);
        if (rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0) {
            throw invalid(text, "a prefix has no query or fragment");
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "/" : rest.substring(slash);
        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw invalid(text, "the IPv6 literal has no closing ']'");
            }
            host = authority.substring(0, close + 1);
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw invalid(text, "unexpected text after the IPv6 literal");
                }
                portText = after.substring(1);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw invalid(text, "it has no host (use + or * for every host)");
        }
        if (host.indexOf('@') >= 0 || host.indexOf(' ') >= 0) {
            throw invalid(text, "the host is not a host name");
        }
        int port;
        if (portText == null) {
            port = scheme.equals("https") ? 443 : 80;
        } else {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw invalid(text, "the port is not a number");
            }
            if (port < 0 || port > 65535) {
                throw invalid(text, "the port is out of range");
            }
        }
        if (!path.endsWith("/")) {
            path = path + "/";
        }
        if (path.contains("//")) {
            throw invalid(text, "the path has an empty segment");
        }
        return new UrlPrefix(scheme, host.toLowerCase(Locale.ROOT), port, path);
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("Invalid URL prefix '" + text + "': " + why);
    }

    public HostKind hostKind() {
        return switch (host) {
            case "+" -> HostKind.STRONG_WILDCARD;
            case "*" -> HostKind.WEAK_WILDCARD;
            default -> HostKind.EXPLICIT;
        };
    }

    /** The same prefix on {@code newPort} (a port-0 prefix once its port is bound). */
    public UrlPrefix withPort(int newPort) {
        return new UrlPrefix(scheme, host, newPort, path);
    }

    /** The path base requests below this prefix get: the path without its trailing {@code /}. */
    public String pathBase() {
        return path.substring(0, path.length() - 1);
    }

    /** Whether this prefix's host claims {@code requestHost} (lower case, without port). */
    public boolean matchesHost(String requestHost) {
        return hostKind() != HostKind.EXPLICIT || host.equals(requestHost);
    }

    /**
     * Whether {@code requestPath} (decoded) lies below this prefix: it starts with the path, or it
     * is the path without its trailing slash ({@code /orders} for {@code /orders/}). ASCII case is ignored.
     */
    public boolean matchesPath(String requestPath) {
        int baseLength = path.length() - 1;
        if (requestPath.length() == baseLength) {
            return requestPath.regionMatches(true, 0, path, 0, baseLength);
        }
        return requestPath.regionMatches(true, 0, path, 0, path.length());
    }

    /** Whether both prefixes claim exactly the same requests (so only one application may hold them). */
    public boolean sameAs(UrlPrefix other) {
        return scheme.equals(other.scheme) && host.equals(other.host) && port == other.port
                && path.equalsIgnoreCase(other.path);
    }

    @Override
    public String toString() {
        return scheme + "://" + host + ":" + port + path;
    }
}
