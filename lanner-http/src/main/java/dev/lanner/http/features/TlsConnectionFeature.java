package dev.lanner.http.features;

import java.security.cert.X509Certificate;

/** What TLS negotiated on the request's connection. */
public interface TlsConnectionFeature {
    /** e.g. {@code TLSv1.3}. */
    String protocol();
    String cipherSuite();
    /** The ALPN result ({@code h2}, {@code http/1.1}) or {@code null}. */
    String applicationProtocol();
    /** The client's certificate, or {@code null} when none was sent. */
    X509Certificate clientCertificate();
    /** The SNI host name the client asked for, or {@code null}. */
    String serverName();
}
