package dev.lanner.certificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.tls.CertificateLoadException;
import dev.lanner.tls.ServerCertificate;
import dev.lanner.tls.ServerCertificateFiles;
import dev.lanner.tls.ServerCertificateSource;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate files as {@link ServerCertificateFiles} reads them with this module present: every
 * PEM key form openssl writes, passwords, mismatches, PKCS#12, reloading.
 */
class PemCertificateFilesTest {

    private static final String PASSWORD = "s3cret";

    @TempDir
    static Path dir;
    private static KeyPair ecKeys;
    private static KeyPair rsaKeys;
    private static X509Certificate ecCertificate;
    private static X509Certificate rsaCertificate;
    private static Path ecCertificateFile;
    private static Path rsaCertificateFile;

    @BeforeAll
    static void createMaterial() throws Exception {
        ecKeys = TestMaterial.ecKeys();
        rsaKeys = TestMaterial.rsaKeys();
        ecCertificate = TestMaterial.selfSigned("ec.test", ecKeys);
        rsaCertificate = TestMaterial.selfSigned("rsa.test", rsaKeys);
        ecCertificateFile = write("ec-cert.pem", TestMaterial.pem(ecCertificate));
        rsaCertificateFile = write("rsa-cert.pem", TestMaterial.pem(rsaCertificate));
    }

    private static Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static void assertJdkKeyOf(ServerCertificate certificate, X509Certificate leaf, KeyPair keys) {
        assertThat(certificate.leaf()).isEqualTo(leaf);
        assertThat(secretOf(certificate.privateKey())).isEqualTo(secretOf(keys.getPrivate()));
        // The JDK's TLS signs with the key: it must be the JDK's own type, named as the JDK names it.
        assertThat(certificate.privateKey().getAlgorithm()).isEqualTo(keys.getPrivate().getAlgorithm());
        assertThat(certificate.privateKey().getClass().getName()).startsWith("sun.security.");
    }

    /** The key's secret number (encodings of one key may differ in optional parts). */
    private static BigInteger secretOf(PrivateKey key) {
        return key instanceof ECPrivateKey ec ? ec.getS() : ((RSAPrivateKey) key).getPrivateExponent();
    }

    @Test
    void readsACertificateWithItsPkcs8Key() throws Exception {
        Path ecKey = write("ec-pkcs8.pem", TestMaterial.pkcs8(ecKeys.getPrivate()));
        Path rsaKey = write("rsa-pkcs8.pem", TestMaterial.pkcs8(rsaKeys.getPrivate()));
        assertJdkKeyOf(ServerCertificateFiles.read(ecCertificateFile, ecKey, null), ecCertificate, ecKeys);
        assertJdkKeyOf(ServerCertificateFiles.read(rsaCertificateFile, rsaKey, null), rsaCertificate, rsaKeys);
    }

    @Test
    void readsTraditionalRsaAndEcKeys() throws Exception {
        String ecText = TestMaterial.traditional(ecKeys.getPrivate());
        String rsaText = TestMaterial.traditional(rsaKeys.getPrivate());
        assertThat(ecText).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(rsaText).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertJdkKeyOf(ServerCertificateFiles.read(ecCertificateFile, write("ec-trad.pem", ecText), null), ecCertificate, ecKeys);
        assertJdkKeyOf(ServerCertificateFiles.read(rsaCertificateFile, write("rsa-trad.pem", rsaText), null), rsaCertificate, rsaKeys);
    }

    @Test
    void readsEncryptedKeysWithTheirPassword() throws Exception {
        Path pkcs8 = write("ec-enc-pkcs8.pem", TestMaterial.encryptedPkcs8(ecKeys.getPrivate(), PASSWORD));
        Path traditional = write("rsa-enc-trad.pem", TestMaterial.encryptedTraditional(rsaKeys.getPrivate(), PASSWORD));
        assertThat(Files.readString(pkcs8)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(Files.readString(traditional)).contains("Proc-Type: 4,ENCRYPTED", "DEK-Info: AES-256-CBC");
        assertJdkKeyOf(ServerCertificateFiles.read(ecCertificateFile, pkcs8, PASSWORD), ecCertificate, ecKeys);
        assertJdkKeyOf(ServerCertificateFiles.read(rsaCertificateFile, traditional, PASSWORD), rsaCertificate, rsaKeys);
    }

    @Test
    void reportsAWrongPasswordForAnEncryptedKey() throws Exception {
        Path pkcs8 = write("wrong-pkcs8.pem", TestMaterial.encryptedPkcs8(ecKeys.getPrivate(), PASSWORD));
        Path traditional = write("wrong-trad.pem", TestMaterial.encryptedTraditional(rsaKeys.getPrivate(), PASSWORD));
        assertThatThrownBy(() -> ServerCertificateFiles.read(ecCertificateFile, pkcs8, "wrong"))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessage("Cannot read the private key in " + pkcs8 + ": wrong password or corrupt file");
        assertThatThrownBy(() -> ServerCertificateFiles.read(rsaCertificateFile, traditional, "wrong"))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessage("Cannot read the private key in " + traditional + ": wrong password or corrupt file");
    }

    @Test
    void reportsAnEncryptedKeyWithoutPassword() throws Exception {
        Path pkcs8 = write("nopass-pkcs8.pem", TestMaterial.encryptedPkcs8(ecKeys.getPrivate(), PASSWORD));
        assertThatThrownBy(() -> ServerCertificateFiles.read(ecCertificateFile, pkcs8, null))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessage("The private key in " + pkcs8 + " is encrypted and no password was given");
    }

    @Test
    void reportsAKeyThatDoesNotMatchTheCertificate() throws Exception {
        Path otherEc = write("other-ec.pem", TestMaterial.pkcs8(TestMaterial.ecKeys().getPrivate()));
        Path otherRsa = write("other-rsa.pem", TestMaterial.pkcs8(TestMaterial.rsaKeys().getPrivate()));
        assertThatThrownBy(() -> ServerCertificateFiles.read(ecCertificateFile, otherEc, null))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessage("The private key in " + otherEc + " does not match the certificate in " + ecCertificateFile);
        assertThatThrownBy(() -> ServerCertificateFiles.read(rsaCertificateFile, otherRsa, null))
                .hasMessage("The private key in " + otherRsa + " does not match the certificate in " + rsaCertificateFile);
        assertThatThrownBy(() -> ServerCertificateFiles.read(ecCertificateFile, otherRsa, null))
                .hasMessage("The private key in " + otherRsa + " does not match the certificate in " + ecCertificateFile);
    }

    @Test
    void readsCertificateAndKeyFromOneFile() throws Exception {
        Path both = write("both.pem", TestMaterial.pem(ecCertificate) + TestMaterial.pkcs8(ecKeys.getPrivate()));
        assertJdkKeyOf(ServerCertificateFiles.read(both, null, null), ecCertificate, ecKeys);
    }

    @Test
    void readsAChainLeafFirst() throws Exception {
        KeyPair caKeys = TestMaterial.ecKeys();
        X509Certificate ca = TestMaterial.selfSigned("Test CA", caKeys);
        X509Certificate leaf = TestMaterial.signed("leaf.test", ecKeys, "Test CA", caKeys.getPrivate(), false);
        Path chain = write("chain.pem", TestMaterial.pem(leaf, ca));
        Path key = write("leaf-key.pem", TestMaterial.pkcs8(ecKeys.getPrivate()));
        assertThat(ServerCertificateFiles.read(chain, key, null).chain()).containsExactly(leaf, ca);
    }

    @Test
    void reportsAFileWithoutCertificateOrWithoutKey() throws Exception {
        Path keyOnly = write("key-only.pem", TestMaterial.pkcs8(ecKeys.getPrivate()));
        assertThatThrownBy(() -> ServerCertificateFiles.read(keyOnly, null, null))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessage("No certificate in " + keyOnly);
        assertThatThrownBy(() -> ServerCertificateFiles.read(ecCertificateFile, null, null))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessage("No private key in " + ecCertificateFile);
        assertThatThrownBy(() -> ServerCertificateFiles.read(ecCertificateFile, ecCertificateFile, null))
                .hasMessage("No private key in " + ecCertificateFile);
    }

    @Test
    void reportsACorruptKey() throws Exception {
        Path corrupt = write("corrupt-key.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> ServerCertificateFiles.read(ecCertificateFile, corrupt, null))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessage("Cannot read the private key in " + corrupt + ": wrong password or corrupt file");
    }

    private static Path pkcs12(String name, KeyPair keys, X509Certificate certificate) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", keys.getPrivate(), PASSWORD.toCharArray(), new Certificate[] {certificate});
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    @Test
    void readsPkcs12WithItsPasswordAndReportsAWrongOne() throws Exception {
        Path file = pkcs12("server.pfx", rsaKeys, rsaCertificate);
        assertJdkKeyOf(ServerCertificateFiles.read(file, null, PASSWORD), rsaCertificate, rsaKeys);
        assertThatThrownBy(() -> ServerCertificateFiles.read(file, null, "wrong"))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessage("Cannot read the private key in " + file + ": wrong password or corrupt file");
    }

    @Test
    void aWatchedPemPairReloadsWhenItsFilesChange() throws Exception {
        Path certificate = write("watched-cert.pem", TestMaterial.pem(ecCertificate));
        Path key = write("watched-key.pem", TestMaterial.pkcs8(ecKeys.getPrivate()));
        ServerCertificateSource source = ServerCertificateFiles.watch(certificate, key, null);
        assertThat(source.current().leaf()).isEqualTo(ecCertificate);

        Files.writeString(key, TestMaterial.pkcs8(rsaKeys.getPrivate()));
        Files.writeString(certificate, TestMaterial.pem(rsaCertificate));
        // File times tick coarsely; move them on so that the change shows whatever the file system.
        FileTime later = FileTime.fromMillis(System.currentTimeMillis() + 10_000);
        Files.setLastModifiedTime(key, later);
        Files.setLastModifiedTime(certificate, later);
        // Sources look at their files at most once per interval.
        Thread.sleep(ServerCertificateFiles.RELOAD_CHECK_INTERVAL.toMillis() + 100);

        assertThat(source.current().leaf()).isEqualTo(rsaCertificate);
    }
}
