package dev.lanner.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Reads PEM text (RFC 7468): the service behind PEM certificate files, found with
 * {@link java.util.ServiceLoader}. The lanner-certificates module provides it (on BouncyCastle), so
 * that the server itself needs the JDK alone. Keys and certificates returned must be the JDK's
 * own types (the JDK's TLS implementation signs with them).
 */
public interface PemCertificateReader {

    /** The X.509 certificates in {@code pem}, in order (a chain is leaf first); empty when it has none. */
    List<X509Certificate> readCertificates(String pem) throws IOException, GeneralSecurityException;

    /**
     * The first private key in {@code pem}: PKCS#8 ({@code PRIVATE KEY}), encrypted PKCS#8
     * ({@code ENCRYPTED PRIVATE KEY}) or OpenSSL's traditional {@code RSA}/{@code EC PRIVATE KEY},
     * plain or encrypted ({@code Proc-Type: 4,ENCRYPTED}).
     *
     * @param password the key's password, or null when it is not encrypted
     * @return the key, or null when {@code pem} holds none
     * @throws GeneralSecurityException when the key cannot be decrypted (wrong password) or decoded
     */
    PrivateKey readPrivateKey(String pem, char[] password) throws IOException, GeneralSecurityException;
}
