package dev.lanner.server.internal.http1;

import java.util.ArrayList;
import java.util.List;

/**
 * Common header field names, so the server turns a received name into a String without
 * allocating ({@link #nameOf}) and writes a response name from pre-encoded bytes
 * ({@link ResponseHeaderWriter}). Immutable; safe from any thread.
 *
 * <p>Field names are case-insensitive (RFC 9110 §5.1); the server represents every received
 * name in lower case, the form HTTP/2 and HTTP/3 require on the wire, so that one name has one
 * String whatever the client's spelling. {@link #headerName()} is that interned lower-case String.
 */
public enum KnownHeader {
    ACCEPT("Accept"),
    ACCEPT_CHARSET("Accept-Charset"),
    ACCEPT_ENCODING("Accept-Encoding"),
    ACCEPT_LANGUAGE("Accept-Language"),
    ACCEPT_RANGES("Accept-Ranges"),
    ACCESS_CONTROL_ALLOW_CREDENTIALS("Access-Control-Allow-Credentials"),
    ACCESS_CONTROL_ALLOW_HEADERS("Access-Control-Allow-Headers"),
    ACCESS_CONTROL_ALLOW_METHODS("Access-Control-Allow-Methods"),
    ACCESS_CONTROL_ALLOW_ORIGIN("Access-Control-Allow-Origin"),
    ACCESS_CONTROL_EXPOSE_HEADERS("Access-Control-Expose-Headers"),
    ACCESS_CONTROL_MAX_AGE("Access-Control-Max-Age"),
    ACCESS_CONTROL_REQUEST_HEADERS("Access-Control-Request-Headers"),
    ACCESS_CONTROL_REQUEST_METHOD("Access-Control-Request-Method"),
    AGE("Age"),
    ALLOW("Allow"),
    ALT_SVC("Alt-Svc"),
    AUTHORIZATION("Authorization"),
    CACHE_CONTROL("Cache-Control"),
    CONNECTION("Connection"),
    CONTENT_DISPOSITION("Content-Disposition"),
    CONTENT_ENCODING("Content-Encoding"),
    CONTENT_LANGUAGE("Content-Language"),
    CONTENT_LENGTH("Content-Length"),
    CONTENT_LOCATION("Content-Location"),
    CONTENT_RANGE("Content-Range"),
    CONTENT_TYPE("Content-Type"),
    COOKIE("Cookie"),
    DATE("Date"),
    ETAG("ETag"),
    EXPECT("Expect"),
    EXPIRES("Expires"),
    FORWARDED("Forwarded"),
    FROM("From"),
    HOST("Host"),
    IF_MATCH("If-Match"),
    IF_MODIFIED_SINCE("If-Modified-Since"),
    IF_NONE_MATCH("If-None-Match"),
    IF_RANGE("If-Range"),
    IF_UNMODIFIED_SINCE("If-Unmodified-Since"),
    KEEP_ALIVE("Keep-Alive"),
    LAST_MODIFIED("Last-Modified"),
    LINK("Link"),
    LOCATION("Location"),
    MAX_FORWARDS("Max-Forwards"),
    ORIGIN("Origin"),
    PRAGMA("Pragma"),
    PRIORITY("Priority"),
    PROXY_AUTHENTICATE("Proxy-Authenticate"),
    PROXY_AUTHORIZATION("Proxy-Authorization"),
    RANGE("Range"),
    REFERER("Referer"),
    RETRY_AFTER("Retry-After"),
    SEC_WEBSOCKET_ACCEPT("Sec-WebSocket-Accept"),
    SEC_WEBSOCKET_EXTENSIONS("Sec-WebSocket-Extensions"),
    SEC_WEBSOCKET_KEY("Sec-WebSocket-Key"),
    SEC_WEBSOCKET_PROTOCOL("Sec-WebSocket-Protocol"),
    SEC_WEBSOCKET_VERSION("Sec-WebSocket-Version"),
    SERVER("Server"),
    SET_COOKIE("Set-Cookie"),
    STRICT_TRANSPORT_SECURITY("Strict-Transport-Security"),
    TE("TE"),
    TRAILER("Trailer"),
    TRANSFER_ENCODING("Transfer-Encoding"),
    UPGRADE("Upgrade"),
    UPGRADE_INSECURE_REQUESTS("Upgrade-Insecure-Requests"),
    USER_AGENT("User-Agent"),
    VARY("Vary"),
    VIA("Via"),
    WWW_AUTHENTICATE("WWW-Authenticate"),
    X_CONTENT_TYPE_OPTIONS("X-Content-Type-Options"),
    X_FORWARDED_FOR("X-Forwarded-For"),
    X_FORWARDED_HOST("X-Forwarded-Host"),
    X_FORWARDED_PROTO("X-Forwarded-Proto"),
    X_REQUESTED_WITH("X-Requested-With");

    private static final KnownHeader[][] BY_LENGTH;
    /**
     * Slots of a connection's cache of the previous request's known header values (see
     * {@code Http1Request}): small, so that an idle connection keeps 160 bytes of it, not a slot per
     * known header.
     */
    static final int VALUE_CACHE_SLOTS = 16;
    /** The request headers clients repeat most, each with a slot of its own; {@code Host} first (slot 0). */
    private static final List<KnownHeader> OWN_VALUE_SLOTS = List.of(HOST, ACCEPT, ACCEPT_ENCODING, ACCEPT_LANGUAGE,
            CONNECTION, USER_AGENT, CONTENT_TYPE, CONTENT_LENGTH, AUTHORIZATION, COOKIE, CACHE_CONTROL, ORIGIN, REFERER,
            UPGRADE_INSECURE_REQUESTS, X_FORWARDED_FOR, X_FORWARDED_PROTO);

    static {
        for (KnownHeader h : values()) {
            int own = OWN_VALUE_SLOTS.indexOf(h);
            // The others share slots 1..15 (an evicted value costs one String); never Host's, whose
            // cached value also means "validated" (Http1Request.onHeader).
            h.valueCacheSlot = own >= 0 ? own : 1 + h.ordinal() % (VALUE_CACHE_SLOTS - 1);
        }
        int max = 0;
        for (KnownHeader h : values()) {
            max = Math.max(max, h.lowerCase.length);
        }
        List<List<KnownHeader>> buckets = new ArrayList<>();
        for (int i = 0; i <= max; i++) {
            buckets.add(new ArrayList<>());
        }
        for (KnownHeader h : values()) {
            buckets.get(h.lowerCase.length).add(h);
        }
        BY_LENGTH = new KnownHeader[max + 1][];
        for (int i = 0; i <= max; i++) {
            BY_LENGTH[i] = buckets.get(i).toArray(new KnownHeader[0]);
        }
    }

    private final String canonicalName;
    private final String headerName;
    private final byte[] lowerCase;
    private final byte[] fieldPrefix;
    private int valueCacheSlot;

    KnownHeader(String canonicalName) {
        this.canonicalName = canonicalName;
        this.headerName = canonicalName.toLowerCase(java.util.Locale.ROOT).intern();
        this.lowerCase = AsciiStrings.ascii(headerName);
        this.fieldPrefix = AsciiStrings.ascii(canonicalName + ": ");
    }

    /** The interned lower-case name, e.g. {@code "content-length"}. */
    public String headerName() {
        return headerName;
    }

    /** The conventional spelling, e.g. {@code "Content-Length"}, used when writing HTTP/1.1. */
    public String canonicalName() {
        return canonicalName;
    }

    /** This header's slot in a request's value cache, {@code [0, VALUE_CACHE_SLOTS)}; only {@code Host} has slot 0. */
    int valueCacheSlot() {
        return valueCacheSlot;
    }

    /** {@code "Canonical-Name: "} pre-encoded; shared, never modify. */
    byte[] fieldPrefix() {
        return fieldPrefix;
    }

    /** Whether {@code [start, end)} is this name, ignoring ASCII case. */
    public boolean matches(byte[] buf, int start, int end) {
        return AsciiStrings.equalsIgnoreCase(buf, start, end, lowerCase);
    }

    /**
     * The known header named by {@code [start, end)}, ignoring ASCII case, or null. Allocates
     * nothing: a switch on the length, then a byte comparison with the few names of that length.
     */
    public static KnownHeader match(byte[] buf, int start, int end) {
        int len = end - start;
        if (len <= 0 || len >= BY_LENGTH.length) {
            return null;
        }
        byte first = AsciiStrings.toLowerCase(buf[start]);
        for (KnownHeader h : BY_LENGTH[len]) {
            if (h.lowerCase[0] == first && AsciiStrings.equalsIgnoreCase(buf, start, end, h.lowerCase)) {
                return h;
            }
        }
        return null;
    }

    /**
     * The lower-case name for {@code [start, end)}: the interned constant of a known header (the
     * same instance every time, nothing allocated), else a new lower-case String.
     */
    public static String nameOf(byte[] buf, int start, int end) {
        KnownHeader h = match(buf, start, end);
        return h != null ? h.headerName : AsciiStrings.lowerCaseLatin1(buf, start, end);
    }
}
