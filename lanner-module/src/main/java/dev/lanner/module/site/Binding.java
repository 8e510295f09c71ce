package dev.lanner.module.site;

import java.util.Objects;

/**
 * A public address the module listens on.
 *
 * @param url         {@code http://host:port} or {@code https://host:port}, as written in the site file
 *                    (host as the server accepts it: an IP literal, {@code localhost}, {@code *}, ...)
 * @param protocols   {@code "Http1"}, {@code "Http2"}, {@code "Http1AndHttp2"}, or {@code null} for the
 *                    server's default
 * @param certificate the https certificate; {@code null} for none: an https binding without one uses the
 *                    development certificate in the Development environment
 * @param clientCertificateMode {@code "NoCertificate"}, {@code "AllowCertificate"} or {@code "RequireCertificate"}
 *                    on https bindings; {@code null} for the server's default (none asked for)
 */
public record Binding(String url, String protocols, CertificateEntry certificate, String clientCertificateMode) {
    public Binding {
        Objects.requireNonNull(url, "url");
    }

    /** A binding that asks for no client certificate. */
    public Binding(String url, String protocols, CertificateEntry certificate) {
        this(url, protocols, certificate, null);
    }

    /** Whether the binding serves https. */
    public boolean isHttps() {
        return url.regionMatches(true, 0, "https:", 0, 6);
    }
}
