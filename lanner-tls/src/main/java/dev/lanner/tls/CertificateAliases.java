package dev.lanner.tls;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Names certificates for the JDK's key manager calls, which pass an alias string between
 * {@code chooseEngineServerAlias}, {@code getCertificateChain} and {@code getPrivateKey}. One
 * {@link ServerCertificate} object keeps one alias, so the three calls of a handshake agree even if
 * the source reloads in between. The newest {@value #CAPACITY} are remembered: a reload or a
 * selector that builds certificates on the fly cannot grow this without bound, and the three calls
 * of one handshake follow each other at once.
 */
final class CertificateAliases {

    static final int CAPACITY = 256;

    private final Map<ServerCertificate, String> aliasByCertificate = new IdentityHashMap<>();
    private final Map<String, ServerCertificate> certificateByAlias = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ServerCertificate> eldest) {
            if (size() > CAPACITY) {
                aliasByCertificate.remove(eldest.getValue());
                return true;
            }
            return false;
        }
    };
    private long next;

    synchronized String aliasOf(ServerCertificate certificate) {
        String alias = aliasByCertificate.get(certificate);
        if (alias == null) {
            alias = "lanner-" + next++;
            aliasByCertificate.put(certificate, alias);
            certificateByAlias.put(alias, certificate);
        }
        return alias;
    }

    /** The certificate of {@code alias}, or null when unknown. */
    synchronized ServerCertificate certificate(String alias) {
        return alias == null ? null : certificateByAlias.get(alias);
    }
}
