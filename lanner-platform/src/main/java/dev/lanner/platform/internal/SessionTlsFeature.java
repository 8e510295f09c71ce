package dev.lanner.platform.internal;

import dev.lanner.http.features.TlsConnectionFeature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The TLS feature of a platform request: what the {@code HttpsServer} negotiated, read from the
 * exchange's session when the application asks. Immutable; safe from any thread.
 */
record SessionTlsFeature(SSLSession session) implements TlsConnectionFeature {

    @Override
    public String protocol() {
        return session.getProtocol();
    }

    @Override
    public String cipherSuite() {
        return session.getCipherSuite();
    }

    @Override
    public String applicationProtocol() {
        return null;   // the JDK server offers no ALPN: always HTTP/1.1
    }

    @Override
    public X509Certificate clientCertificate() {
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    @Override
    public String serverName() {
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName();
                }
            }
        }
        return null;
    }
}
