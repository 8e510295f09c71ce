package dev.lanner.hosting.internal;

import dev.lanner.hosting.config.Configuration;
import dev.lanner.hosting.config.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code AllowedHosts} setting: {@code *} (every host) or a {@code ;}-separated list of host
 * names, IPv4 or bracketed IPv6 literals, and sub-domain wildcards ({@code *.example.com} matches
 * {@code a.example.com}, not {@code example.com}). Matching ignores the request's port and case, as
 * ASP.NET Core's {@code HostString.MatchesAny}. Immutable; {@link #matches} allocates nothing.
 */
public final class AllowedHosts {

    public static final String KEY = "AllowedHosts";

    private static final AllowedHosts ANY = new AllowedHosts(List.of(), true);

    /** Exact hosts, and wildcard suffixes kept with their leading dot ({@code .example.com}). */
    private final String[] exact;
    private final String[] suffixes;
    private final boolean any;
    private final String display;

    private AllowedHosts(List<String> entries, boolean any) {
        this.any = any;
        this.display = any ? "*" : String.join(";", entries);
        this.exact = entries.stream().filter(e -> !e.startsWith("*.")).toArray(String[]::new);
        this.suffixes = entries.stream().filter(e -> e.startsWith("*.")).map(e -> e.substring(1)).toArray(String[]::new);
    }

    public static AllowedHosts any() {
        return ANY;
    }

    /** The {@code AllowedHosts} setting of {@code configuration}; see {@link #parse(String, String)}. */
    public static AllowedHosts from(Configuration configuration) {
        return parse(configuration.get(KEY), configuration.sourceOf(KEY));
    }

    public static AllowedHosts parse(String value) {
        return parse(value, null);
    }

    /**
     * Parses the setting; {@code null} means the default {@code *}.
     *
     * @param source where the value came from (for the message), or {@code null}
     * @throws ConfigurationException naming {@code AllowedHosts} when an entry is not a host
     */
    public static AllowedHosts parse(String value, String source) {
        String invalid = "Invalid configuration value" + (source == null ? "" : " in " + source)
                + ": '" + KEY + "' = \"" + value + "\"";
        if (value == null) {
            return ANY;
        }
        List<String> entries = new ArrayList<>();
        for (String raw : value.split(";")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.equals("*")) {
                return ANY;
            }
            String problem = problem(entry);
            if (problem != null) {
                throw new ConfigurationException(invalid + ": entry '" + entry + "' " + problem, KEY, source);
            }
            entries.add(entry.toLowerCase(Locale.ROOT));
        }
        if (entries.isEmpty()) {
            throw new ConfigurationException(invalid + " lists no host (use * to allow every host)", KEY, source);
        }
        return new AllowedHosts(entries, false);
    }

    /** Why {@code entry} is not an allowed-host pattern, or {@code null} when it is one. */
    private static String problem(String entry) {
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0) {
                return "opens an IPv6 literal without closing it";
            }
            if (close != entry.length() - 1) {
                return "must not include a port (ports are ignored)";
            }
            String inner = entry.substring(1, close);
            for (int i = 0; i < inner.length(); i++) {
                char c = inner.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    return "is not an IPv6 literal";
                }
            }
            return inner.isEmpty() ? "is not an IPv6 literal" : null;
        }
        String name = entry.startsWith("*.") ? entry.substring(2) : entry;
        if (name.isEmpty()) {
            return "has no domain after '*.'";
        }
        int colon = name.indexOf(':');
        String host = colon < 0 ? name : name.substring(0, colon);
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            // RFC 3986 §3.2.2 reg-name without percent-encoding; '*' only as a leading "*." label.
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c > 0x7f;
            if (!ok) {
                return "is not a host name (only a leading '*.' may be a wildcard; no scheme, path or spaces)";
            }
        }
        if (colon >= 0) {
            return name.substring(colon + 1).chars().allMatch(Character::isDigit) && colon + 1 < name.length()
                    ? "must not include a port (ports are ignored)"
                    : "is not a host name (no scheme, path or spaces)";
        }
        return null;
    }

    public boolean allowsAny() {
        return any;
    }

    /** Whether the {@code Host} header value {@code host} (port ignored) is allowed. */
    public boolean matches(String host) {
        if (any) {
            return true;
        }
        int end = hostEnd(host);
        if (end <= 0) {
            return false;
        }
        for (String e : exact) {
            if (e.length() == end && host.regionMatches(true, 0, e, 0, end)) {
                return true;
            }
        }
        for (String s : suffixes) {
            // ".example.com" must be preceded by at least one character: "example.com" itself does not match.
            if (end > s.length() && host.regionMatches(true, end - s.length(), s, 0, s.length())) {
                return true;
            }
        }
        return false;
    }

    /** Where the host ends in {@code host[:port]} or {@code [v6][:port]}; -1 when it is malformed. */
    private static int hostEnd(String host) {
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0 || (close + 1 < host.length() && host.charAt(close + 1) != ':')) {
                return -1;
            }
            return close + 1;
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host.length() : colon;
    }

    @Override
    public String toString() {
        return display;
    }
}
