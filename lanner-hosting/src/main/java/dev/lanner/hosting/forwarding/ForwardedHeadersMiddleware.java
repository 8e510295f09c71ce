package dev.lanner.hosting.forwarding;

import dev.lanner.http.HttpContext;
import dev.lanner.http.HttpHeaders;
import dev.lanner.http.Middleware;
import dev.lanner.http.RequestDelegate;
import dev.lanner.http.RequestPaths;
import dev.lanner.http.features.HttpConnectionFeature;
import dev.lanner.http.features.HttpRequestFeature;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies what a trusted reverse proxy says about the original request, as ASP.NET Core's
 * {@code ForwardedHeadersMiddleware} does: {@code X-Forwarded-For} becomes the remote address and
 * port, {@code X-Forwarded-Proto} the scheme, {@code X-Forwarded-Host} the Host header,
 * {@code X-Forwarded-Prefix} the path base; RFC 7239 {@code Forwarded} carries the first three.
 *
 * <p>Trust: hops are unwound from the right, at most {@link ForwardedHeadersOptions#forwardLimit()};
 * a hop is applied only when the address it came from (first the connection's peer, then the
 * address the previous hop named) is trusted. An untrusted peer changes nothing. A malformed value,
 * or a {@code for} that is not an address ({@code unknown}, an obfuscated identifier), ends the
 * unwinding there; malformed ones are logged at debug.
 *
 * <p>Changes go through the request's features, so they last this one request. The values replaced
 * are kept in {@code X-Original-For}, {@code X-Original-Proto}, {@code X-Original-Host} and
 * {@code X-Original-Prefix}; consumed hops are removed from the forwarded headers, the rest stay.
 * When {@code Forwarded} is enabled and present it is used, and {@code X-Forwarded-*} is not read.
 *
 * <p>Runs on the request's thread; holds no per-request state.
 */
public final class ForwardedHeadersMiddleware implements Middleware {

    private static final Logger log = LoggerFactory.getLogger(ForwardedHeadersMiddleware.class);

    static final String X_FORWARDED_FOR = "X-Forwarded-For";
    static final String X_FORWARDED_PROTO = "X-Forwarded-Proto";
    static final String X_FORWARDED_HOST = "X-Forwarded-Host";
    static final String X_FORWARDED_PREFIX = "X-Forwarded-Prefix";
    static final String FORWARDED = "Forwarded";
    static final String X_ORIGINAL_FOR = "X-Original-For";
    static final String X_ORIGINAL_PROTO = "X-Original-Proto";
    static final String X_ORIGINAL_HOST = "X-Original-Host";
    static final String X_ORIGINAL_PREFIX = "X-Original-Prefix";

    private static final Pattern PREFIX = Pattern.compile("/[^\\s?#\\x00-\\x1F\\x7F]*");

    private final ForwardedHeadersOptions options;

    public ForwardedHeadersMiddleware(ForwardedHeadersOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
        this.options = options;
    }

    /** {@code app} with the middleware in front of it, or {@code app} itself when {@code options} apply no header. */
    public static RequestDelegate first(ForwardedHeadersOptions options, RequestDelegate app) {
        if (options == null || options.headers().isEmpty()) {
            return app;
        }
        ForwardedHeadersMiddleware middleware = new ForwardedHeadersMiddleware(options);
        return context -> middleware.invoke(context, app);
    }

    public ForwardedHeadersOptions options() {
        return options;
    }

    @Override
    public void invoke(HttpContext context, RequestDelegate next) throws Exception {
        apply(context);
        next.invoke(context);
    }

    /** Applies the forwarded values of a trusted proxy to {@code context}'s request; otherwise changes nothing. */
    public void apply(HttpContext context) {
        HttpConnectionFeature connection = context.feature(HttpConnectionFeature.class);
        HttpRequestFeature request = context.feature(HttpRequestFeature.class);
        if (connection == null || request == null || !options.trusts(connection.remoteAddress())) {
            return;
        }
        HttpHeaders headers = request.headers();
        Set<ForwardedHeader> enabled = options.headers();
        Hops hops;
        if (enabled.contains(ForwardedHeader.FORWARDED) && headers.contains(FORWARDED)) {
            hops = Hops.fromForwarded(headers);
        } else {
            hops = Hops.fromXForwarded(headers, enabled);
        }
        if (hops == null || hops.count() == 0) {
            return;
        }

        InetAddress address = connection.remoteAddress();
        int port = connection.remotePort();
        String scheme = null;
        String host = null;
        String prefix = null;
        boolean forApplied = false;
        int consumed = 0;
        int limit = Math.min(hops.count(), options.forwardLimit());
        // Unwind from the right: the last hop was added by the proxy we are talking to.
        for (int i = 0; i < limit; i++) {
            if (!options.trusts(address)) {
                break;
            }
            String forText = hops.fromRight(hops.fors, i);
            String protoText = hops.fromRight(hops.protos, i);
            String hostText = hops.fromRight(hops.hosts, i);
            String prefixText = hops.fromRight(hops.prefixes, i);
            Endpoint endpoint = null;
            if (forText != null) {
                endpoint = Endpoint.parse(forText);
                if (endpoint == null) {
                    if (!isNonAddressIdentifier(forText)) {
                        log.debug("Ignoring malformed forwarded client address '{}'", forText);
                    }
                    break;
                }
            }
            if (protoText != null && !isScheme(protoText)) {
                log.debug("Ignoring malformed forwarded scheme '{}'", protoText);
                break;
            }
            if (hostText != null && !isHost(hostText)) {
                log.debug("Ignoring malformed forwarded host '{}'", hostText);
                break;
            }
            if (prefixText != null && !PREFIX.matcher(prefixText).matches()) {
                log.debug("Ignoring malformed forwarded prefix '{}'", prefixText);
                break;
            }
            if (endpoint != null) {
                address = endpoint.address();
                port = endpoint.port();
                forApplied = true;
            }
            scheme = protoText != null ? protoText : scheme;
            host = hostText != null ? hostText : host;
            prefix = prefixText != null ? prefixText : prefix;
            consumed++;
        }
        if (consumed == 0) {
            return;
        }

        if (forApplied) {
            headers.set(X_ORIGINAL_FOR, Endpoint.format(connection.remoteAddress(), connection.remotePort()));
            connection.setRemoteAddress(address);
            connection.setRemotePort(port);
        }
        if (scheme != null) {
            headers.set(X_ORIGINAL_PROTO, request.scheme());
            request.setScheme(scheme.toLowerCase(Locale.ROOT));
        }
        if (host != null) {
            String original = headers.get("Host");
            if (original != null) {
                headers.set(X_ORIGINAL_HOST, original);
            }
            headers.set("Host", host);
        }
        if (prefix != null) {
            headers.set(X_ORIGINAL_PREFIX, request.pathBase());
            String decoded = RequestPaths.decodePath(prefix);
            request.setPathBase(decoded.endsWith("/") ? decoded.substring(0, decoded.length() - 1) : decoded);
        }
        hops.removeConsumed(headers, consumed);
    }

    /** RFC 3986 §3.1: {@code ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )}; {@code http} and {@code https} first. */
    static boolean isScheme(String text) {
        if (text.equals("https") || text.equals("http")) {
            return true;
        }
        if (text.isEmpty() || !isAlpha(text.charAt(0))) {
            return false;
        }
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    /** RFC 9110 §7.2: {@code uri-host [ ":" port ]}, the host a reg-name or a bracketed IP-literal. */
    static boolean isHost(String text) {
        int i = 0;
        int n = text.length();
        if (n > 0 && text.charAt(0) == '[') {
            int close = text.indexOf(']');
            if (close < 2) {
                return false;
            }
            for (i = 1; i < close; i++) {
                char c = text.charAt(i);
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.')) {
                    return false;
                }
            }
            i = close + 1;
        } else {
            for (; i < n && text.charAt(i) != ':'; i++) {
                if (!isRegNameChar(text.charAt(i))) {
                    return false;
                }
            }
            if (i == 0) {
                return false;
            }
        }
        if (i == n) {
            return true;
        }
        if (text.charAt(i) != ':' || n - i - 1 > 5) {
            return false;
        }
        for (i++; i < n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    // RFC 3986 §3.2.2 reg-name: unreserved / pct-encoded / sub-delims
    private static boolean isRegNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~!$&'()*+;=%".indexOf(c) >= 0;
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** {@code unknown} and obfuscated identifiers (RFC 7239 §6.2, §6.3) are legal but are not addresses. */
    private static boolean isNonAddressIdentifier(String node) {
        return node.startsWith("_") || node.equalsIgnoreCase("unknown");
    }

    /** The values each hop reported, left to right, per field; a {@code null} entry means the hop did not say. */
    private static final class Hops {
        final List<String> fors;
        final List<String> protos;
        final List<String> hosts;
        final List<String> prefixes;
        private final List<ForwardedHeaderParser.Element> elements;

        private Hops(List<String> fors, List<String> protos, List<String> hosts, List<String> prefixes,
                     List<ForwardedHeaderParser.Element> elements) {
            this.fors = fors;
            this.protos = protos;
            this.hosts = hosts;
            this.prefixes = prefixes;
            this.elements = elements;
        }

        static Hops fromXForwarded(HttpHeaders headers, Set<ForwardedHeader> enabled) {
            return new Hops(
                    list(headers, X_FORWARDED_FOR, enabled.contains(ForwardedHeader.X_FORWARDED_FOR)),
                    list(headers, X_FORWARDED_PROTO, enabled.contains(ForwardedHeader.X_FORWARDED_PROTO)),
                    list(headers, X_FORWARDED_HOST, enabled.contains(ForwardedHeader.X_FORWARDED_HOST)),
                    list(headers, X_FORWARDED_PREFIX, enabled.contains(ForwardedHeader.X_FORWARDED_PREFIX)),
                    null);
        }

        static Hops fromForwarded(HttpHeaders headers) {
            List<ForwardedHeaderParser.Element> elements;
            String value = headers.getCombined(FORWARDED);
            try {
                elements = ForwardedHeaderParser.parse(value);
            } catch (IllegalArgumentException e) {
                log.debug("Ignoring malformed Forwarded header '{}': {}", value, e.getMessage());
                return null;
            }
            List<String> fors = new ArrayList<>();
            List<String> protos = new ArrayList<>();
            List<String> hosts = new ArrayList<>();
            for (ForwardedHeaderParser.Element element : elements) {
                fors.add(element.forNode());
                protos.add(element.proto());
                hosts.add(element.host());
            }
            return new Hops(fors, protos, hosts, List.of(), elements);
        }

        int count() {
            return Math.max(Math.max(fors.size(), protos.size()), Math.max(hosts.size(), prefixes.size()));
        }

        /** Each header's list is aligned by its right end, as ASP.NET Core does. */
        String fromRight(List<String> values, int i) {
            return i < values.size() ? values.get(values.size() - 1 - i) : null;
        }

        void removeConsumed(HttpHeaders headers, int consumed) {
            if (elements != null) {
                List<ForwardedHeaderParser.Element> rest = elements.subList(0, elements.size() - consumed);
                headers.remove(FORWARDED);
                if (!rest.isEmpty()) {
                    headers.set(FORWARDED, String.join(", ", rest.stream().map(ForwardedHeaderParser.Element::format).toList()));
                }
                return;
            }
            keepRest(headers, X_FORWARDED_FOR, fors, consumed);
            keepRest(headers, X_FORWARDED_PROTO, protos, consumed);
            keepRest(headers, X_FORWARDED_HOST, hosts, consumed);
            keepRest(headers, X_FORWARDED_PREFIX, prefixes, consumed);
        }

        private static void keepRest(HttpHeaders headers, String name, List<String> values, int consumed) {
            if (values.isEmpty()) {
                return;
            }
            headers.remove(name);
            if (values.size() > consumed) {
                headers.set(name, String.join(", ", values.subList(0, values.size() - consumed)));
            }
        }

        private static List<String> list(HttpHeaders headers, String name, boolean enabled) {
            String value = enabled ? headers.getCombined(name) : null;
            if (value == null || value.isBlank()) {
                return List.of();
            }
            if (value.indexOf(',') < 0) {
                return List.of(value.strip()); // one hop: the usual case behind one proxy
            }
            List<String> values = new ArrayList<>(4);
            for (String part : value.split(",")) {
                values.add(part.strip());
            }
            return values;
        }
    }

    /** A client address with an optional port (0 when absent). */
    record Endpoint(InetAddress address, int port) {

        /** {@code 192.0.2.1}, {@code 192.0.2.1:4711}, {@code 2001:db8::1}, {@code [2001:db8::1]}, {@code [2001:db8::1]:4711}; else {@code null}. */
        static Endpoint parse(String text) {
            String addressText = text;
            String portText = null;
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                if (close < 0) {
                    return null;
                }
                addressText = text.substring(1, close);
                String rest = text.substring(close + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        return null;
                    }
                    portText = rest.substring(1);
                }
            } else if (text.indexOf(':') == text.lastIndexOf(':') && text.indexOf(':') >= 0) {
                // One colon: IPv4 with a port. More than one: a bare IPv6 address.
                addressText = text.substring(0, text.indexOf(':'));
                portText = text.substring(text.indexOf(':') + 1);
            }
            InetAddress address = IpNetwork.parseAddress(addressText);
            if (address == null || (text.startsWith("[") && !addressText.contains(":"))) {
                return null;
            }
            int port = 0;
            if (portText != null) {
                port = parsePort(portText);
                if (port < 0) {
                    return null;
                }
            }
            return new Endpoint(address, port);
        }

        /** One to five digits, at most 65535; else -1. */
        private static int parsePort(String text) {
            if (text.isEmpty() || text.length() > 5) {
                return -1;
            }
            int port = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                port = port * 10 + (c - '0');
            }
            return port <= 65535 ? port : -1;
        }

        /** As ASP.NET Core writes {@code X-Original-For}: {@code ip:port}, IPv6 in brackets. */
        static String format(InetAddress address, int port) {
            if (address == null) {
                return "";
            }
            String host = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
            return host + ":" + port;
        }
    }
}
