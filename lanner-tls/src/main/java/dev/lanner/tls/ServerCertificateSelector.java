package dev.lanner.tls;

/**
 * Chooses the certificate for a handshake from the SNI host name the client sent (Kestrel's
 * {@code ServerCertificateSelector}). Returns null when it has none for that name: the handshake fails.
 */
@FunctionalInterface
public interface ServerCertificateSelector {

    /** @param serverName the SNI host name, lower case, or null when the client sent none */
    ServerCertificate select(String serverName);

    static ServerCertificateSelector single(ServerCertificateSource source) {
        return serverName -> source.current();
    }
}
