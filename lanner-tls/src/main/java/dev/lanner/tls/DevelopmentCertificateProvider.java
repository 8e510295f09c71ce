package dev.lanner.tls;

/**
 * Supplies the development certificate for {@code https://localhost} (ASP.NET Core's
 * {@code dotnet dev-certs}), found with {@link java.util.ServiceLoader}; the lanner-certificates
 * module provides it. Use {@link DevelopmentCertificates#load()}.
 */
public interface DevelopmentCertificateProvider {

    /** The development certificate, created (and stored for the next runs) when there is none yet. */
    ServerCertificate developmentCertificate() throws CertificateLoadException;
}
