package dev.lanner.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PEM with a PKCS#8 key, read with the JDK alone (lanner-certificates is not on this module's test class path). */
class JdkPemReaderTest {

    @TempDir
    Path dir;

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "EC"})
    void readsACertificateAndItsPkcs8KeyFromSeparateFilesAndFromOne(String algorithm)
            throws IOException, GeneralSecurityException {
        Path pkcs12 = TestCertificates.createPkcs12(dir, "server-" + algorithm, algorithm, "server.test");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pkcs12)) {
            store.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        String alias = store.aliases().nextElement();
        Certificate certificate = store.getCertificate(alias);
        PrivateKey key = (PrivateKey) store.getKey(alias, TestCertificates.PASSWORD.toCharArray());
        String certificateText = "Subject: CN=server.test\n" + pem("CERTIFICATE", certificate.getEncoded());
        String keyText = pem("PRIVATE KEY", key.getEncoded());
        Path certificateFile = Files.writeString(dir.resolve(algorithm + ".crt"), certificateText);
        Path keyFile = Files.writeString(dir.resolve(algorithm + ".key"), keyText);
        Path combined = Files.writeString(dir.resolve(algorithm + ".pem"), keyText + certificateText);

        ServerCertificate separate = ServerCertificateFiles.read(certificateFile, keyFile, null);
        ServerCertificate together = ServerCertificateFiles.read(combined, null, null);

        for (ServerCertificate read : new ServerCertificate[] {separate, together}) {
            assertThat(read.leaf()).isEqualTo(certificate);
            assertThat(read.privateKey().getEncoded()).isEqualTo(key.getEncoded());
            assertThat(read.chain()).hasSize(1);
        }
    }

    @Test
    void leavesOtherKeyFormatsToTheCertificatesModule() {
        String certificate = "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n";
        assertThat(JdkPemReader.reads(certificate, "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n"))
                .isTrue();
        assertThat(JdkPemReader.reads(certificate, "-----BEGIN EC PRIVATE KEY-----\nAA==\n-----END EC PRIVATE KEY-----\n"))
                .isFalse();
        assertThat(JdkPemReader.reads(certificate, "-----BEGIN RSA PRIVATE KEY-----\nAA==\n-----END RSA PRIVATE KEY-----\n"))
                .isFalse();
        assertThat(JdkPemReader.reads(certificate,
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAA==\n-----END ENCRYPTED PRIVATE KEY-----\n")).isFalse();
        assertThat(JdkPemReader.reads(certificate, certificate)).isFalse();
        assertThat(JdkPemReader.reads("-----BEGIN PKCS7-----\nAA==\n-----END PKCS7-----\n",
                "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n")).isFalse();
    }

    @Test
    void aCorruptCertificateBlockIsACertificateLoadErrorNamingTheFile() throws IOException {
        Path certificateFile = Files.writeString(dir.resolve("bad.crt"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        Path keyFile = Files.writeString(dir.resolve("bad.key"), "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServerCertificateFiles.read(certificateFile, keyFile, null))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessage("Cannot read the certificates in " + certificateFile + ": corrupt file");
    }
    @ParameterizedTest
    @ValueSource(strings = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"})
    void thePkcs8AlgorithmIdentifierNamesTheKeyFactory(String algorithm) throws GeneralSecurityException {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("RSA") || algorithm.equals("RSASSA-PSS") || algorithm.equals("DSA")) {
            generator.initialize(2048);
        }
        PrivateKey generated = generator.generateKeyPair().getPrivate();
        byte[] pkcs8 = generated.getEncoded();

        assertThat(JdkPemReader.algorithmOf(pkcs8)).isEqualTo(algorithm);
        PrivateKey read = JdkPemReader.INSTANCE.readPrivateKey(pem("PRIVATE KEY", pkcs8), null);
        assertThat(read.getAlgorithm()).isEqualTo(generated.getAlgorithm());   // "EdDSA" for Ed25519 and Ed448
        assertThat(read.getEncoded()).isEqualTo(pkcs8);
    }

    @Test
    void truncatedOrForeignDerNamesNoAlgorithm() {
        assertThat(JdkPemReader.algorithmOf(new byte[0])).isNull();
        assertThat(JdkPemReader.algorithmOf(new byte[] {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                0x02, 0x01, 0x00})).isNull();
        assertThat(JdkPemReader.algorithmOf(new byte[] {0x30, 0x05, 0x02, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff})).isNull();
        assertThat(JdkPemReader.algorithmOf(new byte[] {0x30, 0x08, 0x02, 0x01, 0x00, 0x30, 0x03, 0x06, 0x01, 0x2a}))
                .isNull();
    }
}
