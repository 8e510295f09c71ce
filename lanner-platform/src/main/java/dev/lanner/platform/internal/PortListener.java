package dev.lanner.platform.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.lanner.http.RequestPaths;
import dev.lanner.platform.UrlPrefix;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One port of the JDK server, shared by every application that registered a prefix on it. It binds
 * the wildcard address (as HTTP.sys listens on every address of a port) and routes each request by
 * its host and path: strong wildcard ({@code +}) prefixes first, then explicit host names, then the
 * weak wildcard ({@code *}); within each, the longest matching path.
 */
public final class PortListener {

    private static final Logger log = LoggerFactory.getLogger(PortListener.class);

    /** One application's claim on a prefix of this port. */
    public record Registration(UrlPrefix prefix, PrefixOwner owner) {
    }

    private final String scheme;
    private final HttpServer server;
    private final ExecutorService executor;
    private volatile Registration[] registrations = new Registration[0];

    private PortListener(String scheme, HttpServer server, ExecutorService executor) {
        this.scheme = scheme;
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code port} (0: a free one) on every address.
     *
     * @param https the TLS setup, or null for plain HTTP
     */
    public static PortListener bind(int port, HttpsConfigurator https) throws IOException {
        InetSocketAddress address = new InetSocketAddress(port);
        HttpServer server = https == null ? HttpServer.create(address, 1024) : HttpsServer.create(address, 1024);
        if (https != null) {
            ((HttpsServer) server).setHttpsConfigurator(https);
        }
        // Each exchange (reading its head, then the application) runs on its own virtual thread.
        ExecutorService executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("lanner-platform-" + server.getAddress().getPort() + "-", 0).factory());
        server.setExecutor(executor);
        PortListener listener = new PortListener(https == null ? "http" : "https", server, executor);
        server.createContext("/", listener::handle);
        server.start();
        return listener;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String scheme() {
        return scheme;
    }

    public synchronized void add(Registration registration) {
        Registration[] next = java.util.Arrays.copyOf(registrations, registrations.length + 1);
        next[next.length - 1] = registration;
        registrations = next;
    }

    /** Removes every registration of {@code owner}; returns how many remain. */
    public synchronized int removeAll(PrefixOwner owner) {
        List<Registration> kept = new ArrayList<>();
        for (Registration r : registrations) {
            if (r.owner() != owner) {
                kept.add(r);
            }
        }
        registrations = kept.toArray(Registration[]::new);
        return registrations.length;
    }

    public List<Registration> registrations() {
        return List.of(registrations);
    }

    /** Stops accepting, waits up to {@code delaySeconds} for running exchanges, then closes every connection. */
    public void close(int delaySeconds) {
        server.stop(delaySeconds);
        executor.shutdown();
    }

    /** The registration that claims a request, or null. */
    public Registration route(String host, String path) {
        Registration[] regs = registrations;
        for (UrlPrefix.HostKind kind : UrlPrefix.HostKind.values()) {
            Registration best = null;
            for (Registration r : regs) {
                UrlPrefix p = r.prefix();
                if (p.hostKind() == kind && p.matchesHost(host) && p.matchesPath(path)
                        && (best == null || p.path().length() > best.prefix().path().length())) {
                    best = r;
                }
            }
            if (best != null) {
                return best;
            }
        }
        return null;
    }

    private boolean anyHostMatches(String host) {
        for (Registration r : registrations) {
            if (r.prefix().matchesHost(host)) {
                return true;
            }
        }
        return false;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String invalid = invalidRequestHead(exchange);
        if (invalid != null) {
            // HTTP.sys is strict whatever the JDK's parser lets through (it let more through in older JDKs).
            reject(exchange, invalid.startsWith("505") ? 505 : 400, invalid.startsWith("505") ? invalid.substring(4) : invalid);
            return;
        }
        URI uri = exchange.getRequestURI();
        String host = requestHost(exchange, uri);
        if (host == null) {
            reject(exchange, 400, "Bad Request: invalid or missing Host");
            return;
        }
        String rawPath = uri.getRawPath();
        if (rawPath == null || !rawPath.startsWith("/")) {
            reject(exchange, 400, "Bad Request: invalid request target");
            return;
        }
        String path = RequestPaths.decodePath(rawPath);
        Registration match = route(host, path);
        if (match == null && exchange.getRequestHeaders().get("Host") == null && uri.getRawAuthority() == null
                && exchange.getLocalAddress().getAddress().isLoopbackAddress()) {
            // HTTP/1.0 without Host on a loopback connection: the local address or localhost, whichever is registered.
            host = "localhost";
            match = route(host, path);
        }
        if (match == null) {
            // HTTP.sys: a host no prefix claims is "Invalid Hostname" (400); a path none claims, 404.
            if (anyHostMatches(host)) {
                reject(exchange, 404, "Not Found");
            } else {
                reject(exchange, 400, "Bad Request: invalid hostname");
            }
            return;
        }
        match.owner().serve(exchange, match.prefix(), path);
    }

    /**
     * What is wrong with the request line or fields as RFC 9110/9112 define them, checked on top of the
     * JDK's parser: a method that is not a token, a version that is not {@code HTTP/1.0} or
     * {@code HTTP/1.1} ({@code 505 ...} for a well-formed other version, such as {@code HTTP/2.0}), a
     * field name that is not a token or a field value with a control character (NUL included).
     * {@code null} when the head is valid.
     */
    static String invalidRequestHead(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        if (method == null || method.isEmpty() || !isToken(method)) {
            return "Bad Request: invalid method";
        }
        String version = exchange.getProtocol();
        if (!"HTTP/1.1".equals(version) && !"HTTP/1.0".equals(version)) {
            if (version != null && version.length() == 8 && version.startsWith("HTTP/") && Character.isDigit(version.charAt(5))
                    && version.charAt(6) == '.' && Character.isDigit(version.charAt(7))) {
                return "505 HTTP Version Not Supported";
            }
            return "Bad Request: invalid request line";
        }
        for (var field : exchange.getRequestHeaders().entrySet()) {
            if (field.getKey() == null || field.getKey().isEmpty() || !isToken(field.getKey())) {
                return "Bad Request: invalid field name";
            }
            for (String value : field.getValue()) {
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    if ((c < 0x20 && c != '\t') || c == 0x7f) {
                        return "Bad Request: invalid character in field " + field.getKey();
                    }
                }
            }
        }
        return null;
    }

    /** RFC 9110 §5.6.2: {@code 1*tchar}. */
    private static boolean isToken(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    /**
     * The host a request is for, lower case without port: from an absolute-form target, else the one
     * Host field (RFC 9112 §3.2: an HTTP/1.1 request without one, or with several, is invalid), else —
     * HTTP/1.0 without Host — the local address the request arrived on. Null when invalid.
     */
    static String requestHost(HttpExchange exchange, URI uri) {
        List<String> hosts = exchange.getRequestHeaders().get("Host");
        if (hosts != null && hosts.size() > 1) {
            return null;
        }
        String authority = uri.getRawAuthority();
        if (authority == null) {
            if (hosts == null) {
                if (!"HTTP/1.0".equals(exchange.getProtocol())) {
                    return null;
                }
                InetSocketAddress local = exchange.getLocalAddress();
                String literal = local.getAddress().getHostAddress();
                return literal.indexOf(':') >= 0 ? "[" + literal.replaceFirst("%.*$", "") + "]" : literal;
            }
            authority = hosts.get(0).trim();
        }
        return hostOfAuthority(authority);
    }

    static String hostOfAuthority(String authority) {
        if (authority.isEmpty() || authority.indexOf('@') >= 0) {
            return null;
        }
        String host;
        String port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = authority.substring(0, close + 1);
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return null;
                }
                port = rest.substring(1);
            }
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? null : authority.substring(colon + 1);
        }
        if (port != null) {
            for (int i = 0; i < port.length(); i++) {
                if (port.charAt(i) < '0' || port.charAt(i) > '9') {
                    return null;
                }
            }
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '[' || c == ']' || c == ':' || c == '%';
            if (!ok) {
                return null;
            }
        }
        return host.isEmpty() ? null : host.toLowerCase(Locale.ROOT);
    }

    /** A short plain-text answer from the server itself; the connection is closed after it. */
    public static void reject(HttpExchange exchange, int status, String message) throws IOException {
        byte[] body = (message + "\n").getBytes(StandardCharsets.US_ASCII);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.getResponseHeaders().set("Connection", "close");
        boolean head = "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        OutputStream out = exchange.getResponseBody();
        if (!head) {
            out.write(body);
        }
        // Flushed, not closed: closing would first drain the unread request body, which may never come.
        out.flush();
        log.debug("{} {} -> {} ({})", exchange.getRequestMethod(), exchange.getRequestURI(), status, message);
        // Throwing makes the JDK server close the connection without draining an unread body.
        throw new ConnectionClosedAfterResponse();
    }

    /** Thrown out of a handler to have the JDK server close the connection once a response is sent. */
    public static final class ConnectionClosedAfterResponse extends IOException {
        public ConnectionClosedAfterResponse() {
            super("connection closed after the response", null);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
