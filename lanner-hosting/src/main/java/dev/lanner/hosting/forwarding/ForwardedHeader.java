package dev.lanner.hosting.forwarding;

/** A header the forwarded-headers middleware may apply; the configuration name is the constant's {@link #configName()}. */
public enum ForwardedHeader {
    /** {@code X-Forwarded-For}: the client address, optionally with its port. */
    X_FORWARDED_FOR("XForwardedFor"),
    /** {@code X-Forwarded-Proto}: the scheme the client used. */
    X_FORWARDED_PROTO("XForwardedProto"),
    /** {@code X-Forwarded-Host}: the Host the client sent. */
    X_FORWARDED_HOST("XForwardedHost"),
    /** {@code X-Forwarded-Prefix}: the path the proxy removed; becomes the path base. */
    X_FORWARDED_PREFIX("XForwardedPrefix"),
    /** RFC 7239 {@code Forwarded}: {@code for=}, {@code proto=}, {@code host=}. */
    FORWARDED("Forwarded");

    private final String configName;

    ForwardedHeader(String configName) {
        this.configName = configName;
    }

    /** The name used in {@code ForwardedHeaders:Headers}. */
    public String configName() {
        return configName;
    }
}
