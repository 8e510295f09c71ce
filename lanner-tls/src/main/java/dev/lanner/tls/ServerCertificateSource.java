package dev.lanner.tls;

/**
 * Supplies a certificate for new handshakes. File-based sources reload when their files change;
 * connections already established keep the certificate they were made with.
 */
@FunctionalInterface
public interface ServerCertificateSource {

    ServerCertificate current();

    static ServerCertificateSource of(ServerCertificate certificate) {
        return () -> certificate;
    }
}
