package dev.lanner.server.tls;

import dev.lanner.testkit.KeytoolCertificates;
import dev.lanner.tls.CertificateLoadException;
import dev.lanner.tls.ServerCertificate;
import dev.lanner.tls.ServerCertificateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Test certificates made with the JDK's keytool ({@link KeytoolCertificates}; lanner-server has no
 * BouncyCastle): self-signed, in PKCS#12 files protected by {@link #PASSWORD}.
 */
final class TestCertificates {

    static final String PASSWORD = KeytoolCertificates.PASSWORD;

    private TestCertificates() {
    }

    /** @see KeytoolCertificates#createPkcs12 */
    static Path createPkcs12(Path dir, String name, String keyAlgorithm, String commonName, String... subjectAltNames) {
        return KeytoolCertificates.createPkcs12(dir, name, keyAlgorithm, commonName, subjectAltNames);
    }

    /** A certificate for {@code commonName} (EC P-256), read back through {@link ServerCertificateFiles}. */
    static ServerCertificate create(Path dir, String name, String commonName, String... subjectAltNames) {
        try {
            return ServerCertificateFiles.read(createPkcs12(dir, name, "EC", commonName, subjectAltNames), null, PASSWORD);
        } catch (CertificateLoadException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Moves the file's modification time on, each call further. */
    static void touch(Path file) throws IOException {
        KeytoolCertificates.touch(file);
    }
}
