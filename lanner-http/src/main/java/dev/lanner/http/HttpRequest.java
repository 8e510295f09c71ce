package dev.lanner.http;

import dev.lanner.http.features.HttpRequestFeature;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The request view of an {@link HttpContext}, backed by its {@link HttpRequestFeature}. */
public final class HttpRequest {

    private final HttpContext context;
    private String parsedQueryString;
    private Map<String, List<String>> parsedQuery;

    HttpRequest(HttpContext context) {
        this.context = context;
    }

    public HttpContext context() {
        return context;
    }

    private HttpRequestFeature f() {
        return context.requestFeature();
    }

    /** {@code GET}, {@code POST}, ... as received (methods are case-sensitive, RFC 9110 §9.1). */
    public String method() {
        return f().method();
    }

    public String scheme() {
        return f().scheme();
    }

    public void setScheme(String scheme) {
        f().setScheme(scheme);
    }

    public boolean isHttps() {
        return "https".equalsIgnoreCase(scheme());
    }

    /** {@code HTTP/1.1}, {@code HTTP/1.0} or {@code HTTP/2}. */
    public String protocol() {
        return f().protocol();
    }

    /** The {@code Host} header ({@code :authority} in HTTP/2), or {@code ""}. */
    public String host() {
        String host = f().headers().get("Host");
        return host == null ? "" : host;
    }

    public void setHost(String host) {
        f().headers().set("Host", host);
    }

    public String pathBase() {
        return f().pathBase();
    }

    public void setPathBase(String pathBase) {
        f().setPathBase(pathBase);
    }

    public String path() {
        return f().path();
    }

    public void setPath(String path) {
        f().setPath(path);
    }

    /** The raw query with its leading {@code ?}, or {@code ""}. */
    public String queryString() {
        return f().queryString();
    }

    public void setQueryString(String queryString) {
        f().setQueryString(queryString);
    }

    /** The request target as received. */
    public String rawTarget() {
        return f().rawTarget();
    }

    /** The first decoded value of query parameter {@code name}, or {@code null}. */
    public String query(String name) {
        List<String> values = query().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** All query parameters, decoded ({@code +} as space, percent-escapes as UTF-8), in order. */
    public Map<String, List<String>> query() {
        String qs = queryString();
        if (parsedQuery == null || !qs.equals(parsedQueryString)) {
            parsedQuery = parseQuery(qs);
            parsedQueryString = qs;
        }
        return parsedQuery;
    }

    public HttpHeaders headers() {
        return f().headers();
    }

    public String header(String name) {
        return f().headers().get(name);
    }

    public String contentType() {
        return header("Content-Type");
    }

    /** The declared body length, or {@code -1}. */
    public long contentLength() {
        return f().headers().contentLength();
    }

    /** The body stream. Reading it may block; it ends at the end of the body. */
    public InputStream body() {
        return f().body();
    }

    public void setBody(InputStream body) {
        f().setBody(body);
    }

    public byte[] readAllBytes() throws IOException {
        return body().readAllBytes();
    }

    /** The body decoded as UTF-8. */
    public String readString() throws IOException {
        return new String(readAllBytes(), StandardCharsets.UTF_8);
    }

    /** {@code scheme://host/pathBase/path?query}. */
    public String url() {
        return scheme() + "://" + host() + pathBase() + path() + queryString();
    }

    static Map<String, List<String>> parseQuery(String qs) {
        if (qs == null || qs.isEmpty() || qs.equals("?")) {
            return Map.of();
        }
        Map<String, List<String>> result = new LinkedHashMap<>();
        int start = qs.charAt(0) == '?' ? 1 : 0;
        for (String pair : qs.substring(start).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            result.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        result.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return Collections.unmodifiableMap(result);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s; // a malformed escape is kept literally rather than failing the request
        }
    }

    @Override
    public String toString() {
        return method() + " " + pathBase() + path() + queryString() + " " + protocol();
    }
}
