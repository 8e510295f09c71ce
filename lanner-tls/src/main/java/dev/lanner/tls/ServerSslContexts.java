package dev.lanner.tls;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;

/**
 * The JDK {@link SSLContext} every Lanner server terminates TLS with: the certificate chosen per
 * handshake by a {@link ServerCertificateSelector} (SNI, reloads), and client certificates accepted
 * whatever their issuer for the application to judge. The default server's
 * {@code TlsConnectionMiddleware} and the platform server's {@code HttpsServer} share it, so one
 * certificate configuration behaves the same on both.
 */
public final class ServerSslContexts {

    private ServerSslContexts() {
    }

    public static SSLContext create(ServerCertificateSelector certificates) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new CertificateSelectingKeyManager(certificates)},
                    new TrustManager[] {new AnyClientCertificateTrustManager()}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK offers no TLS implementation: " + e.getMessage(), e);
        }
    }

    /** The SNI host name the client asked for in {@code session}, lower case, or null when it sent none. */
    public static String requestedHostName(SSLSession session) {
        return CertificateSelectingKeyManager.requestedHostName(session);
    }
}
