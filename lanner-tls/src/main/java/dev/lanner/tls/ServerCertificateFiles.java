package dev.lanner.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a server certificate from files, as Kestrel's {@code Certificate:Path}, {@code KeyPath} and
 * {@code Password} do:
 * <ul>
 *   <li>PKCS#12 ({@code .p12}, {@code .pfx}, or any file that is not PEM when there is no key file):
 *       its first key entry, with {@code password} for the store and the key;</li>
 *   <li>PEM: a certificate chain (leaf first) and its key in the key file, or both in the one file
 *       when there is no key file; {@code password} decrypts an encrypted key. Certificates with an
 *       unencrypted PKCS#8 key are read with the JDK alone ({@link JdkPemReader}); other PEM by the
 *       {@link PemCertificateReader} of the lanner-certificates module.</li>
 * </ul>
 * Every failure is a {@link CertificateLoadException} with one line naming the file.
 */
public final class ServerCertificateFiles {

    private static final Logger log = LoggerFactory.getLogger(ServerCertificateFiles.class);

    /** How often a watching source looks at its files' size and modification time. */
    public static final Duration RELOAD_CHECK_INTERVAL = Duration.ofSeconds(1);

    private ServerCertificateFiles() {
    }

    /**
     * A source that loads the certificate now and loads it again, for new handshakes, when the files'
     * modification time or size change (looked at no more than once per {@link #RELOAD_CHECK_INTERVAL},
     * by the handshake that asks). While the new files cannot be loaded — half written, mismatched —
     * it keeps serving the previous certificate, and logs a warning once per change.
     *
     * @param keyPath  the PEM key file, or null (PKCS#12, or a PEM file that holds the key too)
     * @param password the PKCS#12 or encrypted key password, or null
     * @throws CertificateLoadException when the files cannot be loaded now
     */
    public static ServerCertificateSource watch(Path certificatePath, Path keyPath, String password)
            throws CertificateLoadException {
        return watch(certificatePath, keyPath, password, RELOAD_CHECK_INTERVAL);
    }

    /** As {@link #watch(Path, Path, String)}, looking at the files at most once per {@code checkInterval}. */
    public static ServerCertificateSource watch(Path certificatePath, Path keyPath, String password, Duration checkInterval)
            throws CertificateLoadException {
        return new FileCertificateSource(certificatePath, keyPath, password, checkInterval);
    }

    /**
     * Loads the certificate once.
     *
     * @param keyPath  the PEM key file, or null (PKCS#12, or a PEM file that holds the key too)
     * @param password the PKCS#12 or encrypted key password, or null
     */
    public static ServerCertificate read(Path certificatePath, Path keyPath, String password)
            throws CertificateLoadException {
        Path certificateFile = certificatePath.toAbsolutePath().normalize();
        Path keyFile = keyPath == null ? null : keyPath.toAbsolutePath().normalize();
        byte[] certificateBytes = readFile(certificateFile, "Certificate");
        ServerCertificate certificate;
        if (isPem(certificateBytes)) {
            String keyText = keyFile == null ? null : new String(readFile(keyFile, "Key"), StandardCharsets.ISO_8859_1);
            certificate = readPem(certificateFile, new String(certificateBytes, StandardCharsets.ISO_8859_1),
                    keyFile, keyText, password);
        } else if (keyFile == null || isPkcs12Name(certificateFile)) {
            certificate = readPkcs12(certificateFile, certificateBytes, password);
        } else {
            throw unsupported(certificateFile);
        }
        warnIfExpired(certificate, certificateFile);
        return certificate;
    }

    private static byte[] readFile(Path file, String what) throws CertificateLoadException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CertificateLoadException(what + " file not found: " + file, e);
        } catch (IOException e) {
            throw new CertificateLoadException("Cannot read the " + what.toLowerCase(Locale.ROOT) + " file " + file
                    + ": " + e.getMessage(), e);
        }
    }

    /** RFC 7468: PEM text has encapsulation boundaries; explanatory text may come before them. */
    private static boolean isPem(byte[] content) {
        return new String(content, StandardCharsets.ISO_8859_1).contains("-----BEGIN ");
    }

    private static boolean isPkcs12Name(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".p12") || name.endsWith(".pfx");
    }

    private static CertificateLoadException unsupported(Path file) {
        return new CertificateLoadException("Unsupported certificate file " + file + ": expected PEM or PKCS#12");
    }

    private static CertificateLoadException unreadableKey(Path file, Throwable cause) {
        return new CertificateLoadException("Cannot read the private key in " + file + ": wrong password or corrupt file",
                cause);
    }

    private static ServerCertificate readPem(Path certificateFile, String certificateText, Path keyFile, String keyText,
                                             String password) throws CertificateLoadException {
        String text = keyText == null ? certificateText : keyText;
        PemCertificateReader reader = password == null && JdkPemReader.reads(certificateText, text)
                ? JdkPemReader.INSTANCE : ServiceLookup.first(PemCertificateReader.class);
        if (reader == null) {
            throw new CertificateLoadException("Reading PEM certificates needs the lanner-certificates module on the class path");
        }
        List<X509Certificate> chain;
        try {
            chain = reader.readCertificates(certificateText);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new CertificateLoadException("Cannot read the certificates in " + certificateFile + ": corrupt file", e);
        }
        if (chain.isEmpty()) {
            throw new CertificateLoadException("No certificate in " + certificateFile);
        }
        Path file = keyFile == null ? certificateFile : keyFile;
        // RFC 7468 §11 (ENCRYPTED PRIVATE KEY) and RFC 1421's Proc-Type: 4,ENCRYPTED.
        if (password == null && text.contains("ENCRYPTED")) {
            throw new CertificateLoadException("The private key in " + file + " is encrypted and no password was given");
        }
        PrivateKey key;
        try {
            key = reader.readPrivateKey(text, password == null ? null : password.toCharArray());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw unreadableKey(file, e);
        }
        if (key == null) {
            throw new CertificateLoadException("No private key in " + file);
        }
        if (!KeyPairMatch.matches(chain.get(0).getPublicKey(), key)) {
            throw new CertificateLoadException("The private key in " + file + " does not match the certificate in "
                    + certificateFile);
        }
        return new ServerCertificate(chain, key);
    }

    private static ServerCertificate readPkcs12(Path file, byte[] content, String password)
            throws CertificateLoadException {
        char[] secret = password == null ? new char[0] : password.toCharArray();
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(content), secret);
        } catch (IOException e) {
            // The JDK reports a failed integrity check (the password) as an IOException caused by
            // UnrecoverableKeyException; anything else is not a PKCS#12 file it can read.
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw unreadableKey(file, e);
            }
            if (isPkcs12Name(file)) {
                throw new CertificateLoadException("Cannot read the PKCS#12 file " + file + ": corrupt file", e);
            }
            throw unsupported(file);
        } catch (GeneralSecurityException e) {
            throw unsupported(file);
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                Key key = store.getKey(alias, secret);
                Certificate[] chain = store.getCertificateChain(alias);
                if (key instanceof PrivateKey privateKey && chain != null && chain.length > 0) {
                    List<X509Certificate> certificates = new ArrayList<>(chain.length);
                    for (Certificate c : chain) {
                        certificates.add((X509Certificate) c);
                    }
                    return new ServerCertificate(certificates, privateKey);
                }
            }
        } catch (UnrecoverableKeyException e) {
            throw unreadableKey(file, e);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new CertificateLoadException("Cannot read the certificate in " + file + ": " + e.getMessage(), e);
        }
        throw new CertificateLoadException("No private key in " + file);
    }

    private static void warnIfExpired(ServerCertificate certificate, Path file) {
        Date notAfter = certificate.leaf().getNotAfter();
        if (notAfter.before(new Date())) {
            log.warn("The certificate in {} expired on {}; clients will refuse it", file, notAfter.toInstant());
        }
    }
}
