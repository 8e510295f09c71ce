package dev.lanner.server.tls;

import dev.lanner.http.features.TlsConnectionFeature;
import dev.lanner.tls.ServerSslContexts;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * What the handshake of a connection negotiated, as its requests see it. Immutable: built on the
 * connection's virtual thread once the handshake is done, then safe from any thread.
 */
record TlsConnectionInfo(String protocol, String cipherSuite, String applicationProtocol,
                         X509Certificate clientCertificate, String serverName) implements TlsConnectionFeature {

    /** Reads the negotiated values from an engine whose handshake finished. */
    static TlsConnectionInfo of(SSLEngine engine) {
        SSLSession session = engine.getSession();
        String alpn = engine.getApplicationProtocol();
        return new TlsConnectionInfo(session.getProtocol(), session.getCipherSuite(),
                alpn == null || alpn.isEmpty() ? null : alpn,
                clientCertificate(session), ServerSslContexts.requestedHostName(session));
    }

    private static X509Certificate clientCertificate(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? leaf : null;
        } catch (SSLPeerUnverifiedException e) {
            return null; // the client sent none
        }
    }
}
