package dev.lanner.tls;

import dev.lanner.testkit.KeytoolCertificates;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Certificates for the tests, made with the JDK's keytool ({@link KeytoolCertificates}). */
final class TestCertificates {

    static final String PASSWORD = KeytoolCertificates.PASSWORD;

    private TestCertificates() {
    }

    /** @see KeytoolCertificates#createPkcs12 */
    static Path createPkcs12(Path dir, String name, String keyAlgorithm, String commonName, String... subjectAltNames) {
        return KeytoolCertificates.createPkcs12(dir, name, keyAlgorithm, commonName, subjectAltNames);
    }

    /** @see KeytoolCertificates#createCertificateOnlyPkcs12 */
    static Path createCertificateOnlyPkcs12(Path dir, String name) {
        return KeytoolCertificates.createCertificateOnlyPkcs12(dir, name);
    }

    /** A certificate for {@code commonName} (EC P-256), read back through {@link ServerCertificateFiles}. */
    static ServerCertificate create(Path dir, String name, String commonName, String... subjectAltNames) {
        try {
            return ServerCertificateFiles.read(createPkcs12(dir, name, "EC", commonName, subjectAltNames), null, PASSWORD);
        } catch (CertificateLoadException e) {
            throw new UncheckedIOException(e);
        }
    }
}
