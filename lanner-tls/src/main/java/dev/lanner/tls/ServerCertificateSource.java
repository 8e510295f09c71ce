package dev.lanner.tls;

/**
 * Supplies a certificate for new handshakes. File-based sources reload when their files change;
 * connections already established keep the certificate they were made with.
 */
@FunctionalInterface
public interface ServerCertificateSource {

    ServerCertificate current();

    /**
     * Loads what the first handshake would otherwise load (a configured certificate's files are read
     * here, not when the configuration is read): the server calls it while it starts the endpoint, so
     * that a certificate that cannot be loaded fails the start. Does nothing by default.
     *
     * @throws IllegalArgumentException in one line naming the problem when the certificate cannot be loaded
     */
    default void prepare() {
    }

    static ServerCertificateSource of(ServerCertificate certificate) {
        return () -> certificate;
    }
}
