package dev.lanner.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The key manager of a TLS endpoint: asks the endpoint's {@link ServerCertificateSelector} for the
 * certificate of the SNI host name of each handshake (RFC 6066 §3), so that a reloaded certificate
 * serves the next handshake and one endpoint can serve several host names.
 */
final class CertificateSelectingKeyManager extends X509ExtendedKeyManager {

    /** The handshake session remembers its certificate: the engine asks once per candidate key type. */
    private static final String SELECTED = "dev.lanner.tls.certificate";

    private final ServerCertificateSelector selector;
    private final CertificateAliases aliases = new CertificateAliases();

    CertificateSelectingKeyManager(ServerCertificateSelector selector) {
        this.selector = selector;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return chooseAlias(keyType, engine == null ? null : engine.getHandshakeSession());
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return chooseAlias(keyType, socket instanceof SSLSocket s ? s.getHandshakeSession() : null);
    }

    private String chooseAlias(String keyType, SSLSession handshake) {
        ServerCertificate certificate = handshake == null ? null : (ServerCertificate) handshake.getValue(SELECTED);
        if (certificate == null) {
            certificate = selector.select(requestedHostName(handshake));
            if (certificate == null) {
                return null;
            }
            if (handshake != null) {
                handshake.putValue(SELECTED, certificate);
            }
        }
        // The engine tries each key type the client's signature algorithms allow ("EC", "RSA", ...).
        if (!certificate.leaf().getPublicKey().getAlgorithm().equals(keyType)) {
            return null;
        }
        return aliases.aliasOf(certificate);
    }

    /** The SNI host name of the handshake, lower case (host names compare case-insensitively), or null. */
    static String requestedHostName(SSLSession session) {
        if (!(session instanceof ExtendedSSLSession extended)) {
            return null;
        }
        for (SNIServerName name : extended.getRequestedServerNames()) {
            if (name.getType() == StandardConstants.SNI_HOST_NAME && name instanceof SNIHostName host) {
                return host.getAsciiName().toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        ServerCertificate certificate = aliases.certificate(alias);
        return certificate == null ? null : certificate.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        ServerCertificate certificate = aliases.certificate(alias);
        return certificate == null ? null : certificate.privateKey();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    // The server never authenticates as a client.

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
