package dev.lanner.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** A certificate chain (leaf first) and the leaf's private key. */
public record ServerCertificate(List<X509Certificate> chain, PrivateKey privateKey) {

    public ServerCertificate {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one certificate");
        }
        if (privateKey == null) {
            throw new IllegalArgumentException("a server certificate needs its private key");
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }
}
