package dev.lanner.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading certificates with the JDK alone: PKCS#12, and the one-line failures. PEM needs
 * lanner-certificates, absent here (its own tests read PEM).
 */
class ServerCertificateFilesTest {

    @TempDir
    static Path dir;
    private static Path pkcs12;

    @BeforeAll
    static void createCertificate() {
        pkcs12 = TestCertificates.createPkcs12(dir, "server", "EC", "server.test");
    }

    @Test
    void readsTheKeyEntryOfAPkcs12File() throws CertificateLoadException {
        ServerCertificate certificate = ServerCertificateFiles.read(pkcs12, null, TestCertificates.PASSWORD);
        assertThat(certificate.leaf().getSubjectX500Principal().getName()).isEqualTo("CN=server.test");
        assertThat(certificate.privateKey().getAlgorithm()).isEqualTo("EC");
        assertThat(certificate.chain()).hasSize(1);
    }

    @Test
    void readsPkcs12WhateverTheFileIsCalledWhenThereIsNoKeyFile() throws IOException {
        Path renamed = Files.copy(pkcs12, dir.resolve("server.bin"));
        assertThat(ServerCertificateFiles.read(renamed, null, TestCertificates.PASSWORD).leaf().getSubjectX500Principal()
                .getName()).isEqualTo("CN=server.test");
    }

    @Test
    void reportsAWrongPkcs12Password() {
        assertThatThrownBy(() -> ServerCertificateFiles.read(pkcs12, null, "not-the-password"))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessage("Cannot read the private key in " + pkcs12 + ": wrong password or corrupt file");
    }

    @Test
    void reportsAMissingCertificateFile() {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> ServerCertificateFiles.read(missing, null, null))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessage("Certificate file not found: " + missing);
    }

    @Test
    void reportsAMissingKeyFile() throws IOException {
        Path certificate = Files.writeString(dir.resolve("only-cert.pem"), "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n");
        Path missing = dir.resolve("missing-key.pem");
        assertThatThrownBy(() -> ServerCertificateFiles.read(certificate, missing, null))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessage("Key file not found: " + missing);
    }

    @Test
    void resolvesRelativePathsInMessages() {
        Path relative = Path.of("no-such-dir", "cert.pem");
        assertThatThrownBy(() -> ServerCertificateFiles.read(relative, null, null))
                .hasMessage("Certificate file not found: " + relative.toAbsolutePath());
    }

    @Test
    void saysPemNeedsTheCertificatesModule() throws IOException {
        Path pem = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> ServerCertificateFiles.read(pem, null, null))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessage("Reading PEM certificates needs the lanner-certificates module on the class path");
    }

    @Test
    void refusesAFileThatIsNeitherPemNorPkcs12() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a certificate");
        Path key = Files.writeString(dir.resolve("notes.key"), "not a key");
        String expected = "Unsupported certificate file " + text + ": expected PEM or PKCS#12";
        assertThatThrownBy(() -> ServerCertificateFiles.read(text, null, null)).hasMessage(expected);
        assertThatThrownBy(() -> ServerCertificateFiles.read(text, key, null)).hasMessage(expected);
    }

    @Test
    void reportsAPkcs12FileWithoutAPrivateKey() {
        Path certificateOnly = TestCertificates.createCertificateOnlyPkcs12(dir, "trusted");
        assertThatThrownBy(() -> ServerCertificateFiles.read(certificateOnly, null, TestCertificates.PASSWORD))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessage("No private key in " + certificateOnly);
    }

    @Test
    void saysTheDevelopmentCertificateNeedsTheCertificatesModule() {
        assertThatThrownBy(DevelopmentCertificates::load)
                .isInstanceOf(CertificateLoadException.class)
                .hasMessage("A development certificate needs the lanner-certificates module on the class path");
    }
}
