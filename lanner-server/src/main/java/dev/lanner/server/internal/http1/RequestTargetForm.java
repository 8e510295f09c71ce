package dev.lanner.server.internal.http1;

/** The four forms of request-target (RFC 9112 §3.2). Immutable; safe from any thread. */
public enum RequestTargetForm {
    /** {@code /path?query}: the usual form (RFC 9112 §3.2.1). */
    ORIGIN,
    /** {@code http://host:port/path?query}: sent to proxies, accepted by servers (§3.2.2). */
    ABSOLUTE,
    /** {@code host:port}: only with CONNECT (§3.2.3). */
    AUTHORITY,
    /** {@code *}: only with OPTIONS (§3.2.4). */
    ASTERISK
}
