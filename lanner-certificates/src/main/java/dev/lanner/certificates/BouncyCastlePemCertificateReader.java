package dev.lanner.certificates;

import dev.lanner.tls.PemCertificateReader;
import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.UnrecoverableKeyException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Reads PEM with BouncyCastle's {@link PEMParser}. The certificates and keys it returns are the
 * JDK's own (converted with the JDK's factories): SunJSSE signs with them. BouncyCastle's provider
 * is used only to decrypt encrypted keys, passed to the decryptors explicitly — it is never
 * registered, so it cannot take over the JDK's TLS.
 */
public final class BouncyCastlePemCertificateReader implements PemCertificateReader {

    /** BouncyCastle's provider for decrypting keys; built on first use (it takes a while). */
    private static final class Decryption {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }

    @Override
    public List<X509Certificate> readCertificates(String pem) throws IOException, GeneralSecurityException {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        }
        return certificates;
    }

    @Override
    public PrivateKey readPrivateKey(String pem, char[] password) throws IOException, GeneralSecurityException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object;
            while ((object = parser.readObject()) != null) {
                switch (object) {
                    case PrivateKeyInfo info -> {
                        return converter.getPrivateKey(info);
                    }
                    case PKCS8EncryptedPrivateKeyInfo encrypted -> {
                        return converter.getPrivateKey(decrypt(encrypted, password));
                    }
                    // Only the private half: an EC PRIVATE KEY may leave its public key out (RFC 5915 §3).
                    case PEMKeyPair pair -> {
                        return converter.getPrivateKey(pair.getPrivateKeyInfo());
                    }
                    case PEMEncryptedKeyPair encrypted -> {
                        return converter.getPrivateKey(decrypt(encrypted, password).getPrivateKeyInfo());
                    }
                    default -> {
                        // certificates, EC PARAMETERS, ...: not the key
                    }
                }
            }
        }
        return null;
    }

    private static PrivateKeyInfo decrypt(PKCS8EncryptedPrivateKeyInfo encrypted, char[] password)
            throws GeneralSecurityException {
        try {
            return encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                    .setProvider(Decryption.PROVIDER).build(passwordOf(password)));
        } catch (OperatorCreationException | PKCSException e) {
            throw undecryptable(e);
        }
    }

    private static PEMKeyPair decrypt(PEMEncryptedKeyPair encrypted, char[] password)
            throws IOException, GeneralSecurityException {
        try {
            return encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder()
                    .setProvider(Decryption.PROVIDER).build(passwordOf(password)));
        } catch (org.bouncycastle.openssl.EncryptionException e) {
            throw undecryptable(e);
        }
    }

    private static char[] passwordOf(char[] password) throws UnrecoverableKeyException {
        if (password == null) {
            throw new UnrecoverableKeyException("the key is encrypted and no password was given");
        }
        return password;
    }

    private static UnrecoverableKeyException undecryptable(Exception cause) {
        UnrecoverableKeyException e = new UnrecoverableKeyException("cannot decrypt the key: " + cause.getMessage());
        e.initCause(cause);
        return e;
    }
}
