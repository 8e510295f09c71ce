package dev.lanner.server.tls;

import dev.lanner.tls.ServerCertificateSelector;
import dev.lanner.tls.ServerCertificateSource;
import java.time.Duration;
import java.util.List;

/**
 * TLS settings of one HTTPS endpoint. Immutable (the lists are copied); safe from any thread.
 *
 * @param certificates          picks the certificate for a handshake (SNI); see {@link ServerCertificateSelector};
 *                              null on an endpoint means the server's default certificate, which the server fills in
 * @param clientCertificateMode whether a client certificate is asked for ({@code Server:Endpoints:{name}:ClientCertificateMode})
 * @param protocols             the TLS versions enabled; default TLS 1.2 and 1.3 only ({@code SslProtocols})
 * @param applicationProtocols  ALPN protocols offered, in the server's preference order ({@code h2}, {@code http/1.1});
 *                              the server fills this from the endpoint's {@code Protocols}
 * @param handshakeTimeout      a handshake not finished in this time closes the connection; default 10 s
 */
public record TlsOptions(ServerCertificateSelector certificates, ClientCertificateMode clientCertificateMode,
                         List<String> protocols, List<String> applicationProtocols, Duration handshakeTimeout) {

    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    public TlsOptions {
        if (clientCertificateMode == null) {
            clientCertificateMode = ClientCertificateMode.NO_CERTIFICATE;
        }
        protocols = List.copyOf(protocols == null || protocols.isEmpty() ? DEFAULT_PROTOCOLS : protocols);
        applicationProtocols = List.copyOf(applicationProtocols == null ? List.of() : applicationProtocols);
        if (handshakeTimeout == null) {
            handshakeTimeout = Duration.ofSeconds(10);
        }
    }

    /** One certificate for every host name. */
    public static TlsOptions of(ServerCertificateSource certificate) {
        return of(ServerCertificateSelector.single(certificate));
    }

    public static TlsOptions of(ServerCertificateSelector certificates) {
        return new TlsOptions(certificates, ClientCertificateMode.NO_CERTIFICATE, DEFAULT_PROTOCOLS, List.of(), null);
    }

    public TlsOptions withCertificates(ServerCertificateSelector value) {
        return new TlsOptions(value, clientCertificateMode, protocols, applicationProtocols, handshakeTimeout);
    }

    public TlsOptions withClientCertificateMode(ClientCertificateMode value) {
        return new TlsOptions(certificates, value, protocols, applicationProtocols, handshakeTimeout);
    }

    public TlsOptions withProtocols(List<String> value) {
        return new TlsOptions(certificates, clientCertificateMode, value, applicationProtocols, handshakeTimeout);
    }

    public TlsOptions withApplicationProtocols(List<String> value) {
        return new TlsOptions(certificates, clientCertificateMode, protocols, value, handshakeTimeout);
    }

    public TlsOptions withHandshakeTimeout(Duration value) {
        return new TlsOptions(certificates, clientCertificateMode, protocols, applicationProtocols, value);
    }
}
