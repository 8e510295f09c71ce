package dev.lanner.tls;

/**
 * Chooses the certificate for a handshake from the SNI host name the client sent (Kestrel's
 * {@code ServerCertificateSelector}). Returns null when it has none for that name: the handshake fails.
 */
@FunctionalInterface
public interface ServerCertificateSelector {

    /** @param serverName the SNI host name, lower case, or null when the client sent none */
    ServerCertificate select(String serverName);

    /**
     * Prepares every certificate source it selects from ({@link ServerCertificateSource#prepare()}), when
     * the server starts the endpoint. Does nothing by default.
     *
     * @throws IllegalArgumentException when one of them cannot be loaded
     */
    default void prepare() {
    }

    static ServerCertificateSelector single(ServerCertificateSource source) {
        return new ServerCertificateSelector() {
            @Override
            public ServerCertificate select(String serverName) {
                return source.current();
            }

            @Override
            public void prepare() {
                source.prepare();
            }
        };
    }
}
