package dev.lanner.server.tls;

import java.util.Locale;

/**
 * Whether the server asks the client for a certificate (Kestrel's {@code ClientCertificateMode}).
 * Immutable; safe from any thread.
 */
public enum ClientCertificateMode {
    /** No certificate is requested. */
    NO_CERTIFICATE,
    /** A certificate is requested; the handshake succeeds without one. */
    ALLOW_CERTIFICATE,
    /** A certificate is required; the handshake fails without one. */
    REQUIRE_CERTIFICATE;

    /** Parses {@code none|NoCertificate}, {@code allow|AllowCertificate}, {@code require|RequireCertificate}; null when unknown. */
    public static ClientCertificateMode parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "none", "nocertificate", "no_certificate" -> NO_CERTIFICATE;
            case "allow", "allowcertificate", "allow_certificate" -> ALLOW_CERTIFICATE;
            case "require", "requirecertificate", "require_certificate" -> REQUIRE_CERTIFICATE;
            default -> null;
        };
    }
}
