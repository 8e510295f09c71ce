package dev.lanner.cli.certs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.cli.LannerCli;
import java.io.InputStream;
import java.math.BigInteger;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevCertsCommandTest {

    private static final String DIRECTORY_PROPERTY = "lanner.devCertsDir";
    private static final String NL = System.lineSeparator();

    @TempDir
    Path temp;

    private Path store;
    private String previousDirectory;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** The command works in a temporary directory, never in the user's ~/.lanner/dev-certs. */
    @BeforeEach
    void useATemporaryStore() {
        store = temp.resolve("store");
        previousDirectory = System.getProperty(DIRECTORY_PROPERTY);
        System.setProperty(DIRECTORY_PROPERTY, store.toString());
    }

    @AfterEach
    void restoreTheStore() {
        if (previousDirectory == null) {
            System.clearProperty(DIRECTORY_PROPERTY);
        } else {
            System.setProperty(DIRECTORY_PROPERTY, previousDirectory);
        }
    }

    private int execute(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        var commandLine = LannerCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private X509Certificate stored() throws Exception {
        return certificate(store.resolve("lanner-dev-cert.pem"));
    }

    @Test
    void createsTheCertificateAndSaysWhereItLivesAndWhenItExpires() throws Exception {
        assertThat(execute("dev-certs")).isZero();

        X509Certificate created = stored();
        assertThat(out.toString()).isEqualTo("Created a development certificate for localhost (there was none), valid until "
                + created.getNotAfter().toInstant() + "." + NL
                + "  certificate: " + store.resolve("lanner-dev-cert.pem") + NL
                + "  key:         " + store.resolve("lanner-dev-key.pem") + NL);
        assertThat(err.toString()).isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.resolve("lanner-dev-key.pem"))))
                .isEqualTo("rw-------");
    }

    @Test
    void keepsAValidCertificate() throws Exception {
        execute("dev-certs");
        X509Certificate created = stored();

        assertThat(execute("dev-certs")).isZero();

        assertThat(stored()).isEqualTo(created);
        assertThat(out.toString()).startsWith("The development certificate for localhost is valid until "
                + created.getNotAfter().toInstant() + " (364 days left); nothing to do." + NL);
    }

    @Test
    void checkDescribesAValidCertificate() throws Exception {
        execute("dev-certs");
        X509Certificate created = stored();

        assertThat(execute("dev-certs", "--check")).isZero();

        assertThat(out.toString()).isEqualTo("A valid development certificate exists." + NL
                + "  subject:     CN=localhost,O=Lanner Development" + NL
                + "  names:       DNS:localhost, IP:127.0.0.1, IP:0:0:0:0:0:0:0:1" + NL
                + "  valid until: " + created.getNotAfter().toInstant() + " (364 days left)" + NL
                + "  certificate: " + store.resolve("lanner-dev-cert.pem") + NL
                + "  key:         " + store.resolve("lanner-dev-key.pem") + NL);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void checkExitsWithOneWhenThereIsNoCertificateAndCreatesNone() {
        assertThat(execute("dev-certs", "--check")).isEqualTo(1);

        assertThat(out.toString()).isEqualTo("No development certificate in " + store
                + "; run lanner dev-certs to create one." + NL);
        assertThat(err.toString()).isEmpty();
        assertThat(store).doesNotExist();
    }

    @Test
    void checkExitsWithOneForAnUnusableCertificate() throws Exception {
        execute("dev-certs");
        Files.writeString(store.resolve("lanner-dev-key.pem"), "not a key");

        assertThat(execute("dev-certs", "--check")).isEqualTo(1);

        assertThat(out.toString()).startsWith("The development certificate is unusable (No private key in "
                + store.resolve("lanner-dev-key.pem") + "); run lanner dev-certs to make a new one." + NL);
    }

    @Test
    void replacesAnUnusableCertificateAndSaysWhy() throws Exception {
        execute("dev-certs");
        Files.writeString(store.resolve("lanner-dev-key.pem"), "not a key");

        assertThat(execute("dev-certs")).isZero();

        assertThat(out.toString()).startsWith("Created a development certificate for localhost (the previous one was"
                + " unusable: No private key in " + store.resolve("lanner-dev-key.pem") + "), valid until ");
        assertThat(execute("dev-certs", "--check")).isZero();
    }

    @Test
    void checkExitsWithOneForAnExpiredCertificate() throws Exception {
        X509Certificate expired = storeExpiredCertificate();

        assertThat(execute("dev-certs", "--check")).isEqualTo(1);

        assertThat(out.toString()).isEqualTo("The development certificate has expired; run lanner dev-certs to make"
                + " a new one." + NL
                + "  subject:     CN=localhost,O=Lanner Development" + NL
                + "  names:       DNS:localhost" + NL
                + "  valid until: " + expired.getNotAfter().toInstant() + " (expired)" + NL
                + "  certificate: " + store.resolve("lanner-dev-cert.pem") + NL
                + "  key:         " + store.resolve("lanner-dev-key.pem") + NL);
    }

    @Test
    void replacesAnExpiredCertificateAndSaysSo() throws Exception {
        X509Certificate expired = storeExpiredCertificate();

        assertThat(execute("dev-certs")).isZero();

        assertThat(out.toString()).startsWith("Created a development certificate for localhost (the previous one"
                + " expired on " + expired.getNotAfter().toInstant() + "), valid until " + stored().getNotAfter().toInstant()
                + "." + NL);
        assertThat(stored()).isNotEqualTo(expired);
        assertThat(execute("dev-certs", "--check")).isZero();
    }

    @Test
    void cleanRemovesTheCertificateThenCheckExitsWithOne() throws Exception {
        execute("dev-certs");

        assertThat(execute("dev-certs", "--clean")).isZero();

        assertThat(out.toString()).isEqualTo("Removed the development certificate from " + store + ":" + NL
                + "  lanner-dev-cert.pem" + NL + "  lanner-dev-key.pem" + NL);
        assertThat(store.resolve("lanner-dev-cert.pem")).doesNotExist();
        assertThat(store.resolve("lanner-dev-key.pem")).doesNotExist();
        assertThat(execute("dev-certs", "--check")).isEqualTo(1);
    }

    @Test
    void cleanWithNoCertificateSaysSoAndSucceeds() {
        assertThat(execute("dev-certs", "--clean")).isZero();

        assertThat(out.toString()).isEqualTo("No development certificate in " + store + "; nothing to remove." + NL);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void exportsPemWithTheKeyNextToItOwnerOnly() throws Exception {
        execute("dev-certs");
        X509Certificate created = stored();
        Path file = temp.resolve("localhost.pem");

        assertThat(execute("dev-certs", "--export-path", file.toString())).isZero();

        Path keyFile = temp.resolve("localhost.key");
        assertThat(out.toString()).isEqualTo("Exported the development certificate (valid until "
                + created.getNotAfter().toInstant() + "):" + NL
                + "  certificate: " + file + NL
                + "  key:         " + keyFile + NL);
        X509Certificate exported = certificate(file);
        assertThat(exported).isEqualTo(created);
        PrivateKey key = pemKey(keyFile);
        assertThat(signs(key, exported)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
    }

    @Test
    void exportCreatesTheCertificateFirstWhenThereIsNone() throws Exception {
        Path file = temp.resolve("cert.crt");

        assertThat(execute("dev-certs", "-ep", file.toString())).isZero();

        assertThat(out.toString()).startsWith("Created a development certificate for localhost (there was none) in "
                + store + "." + NL);
        assertThat(certificate(file)).isEqualTo(stored());
        assertThat(signs(pemKey(temp.resolve("cert.key")), stored())).isTrue();
    }

    @Test
    void exportsPkcs12ProtectedByThePassword() throws Exception {
        Path file = temp.resolve("localhost.p12");

        assertThat(execute("dev-certs", "--export-path", file.toString(), "--format", "pkcs12", "--password", "s3cret"))
                .isZero();

        assertThat(out.toString()).endsWith("  PKCS#12:     " + file + " (certificate and key, protected by the password)" + NL);
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keyStore.load(in, "s3cret".toCharArray());
        }
        assertThat(Collections.list(keyStore.aliases())).containsExactly("lanner-dev-cert");
        assertThat(keyStore.getCertificate("lanner-dev-cert")).isEqualTo(stored());
        PrivateKey key = (PrivateKey) keyStore.getKey("lanner-dev-cert", "s3cret".toCharArray());
        assertThat(signs(key, stored())).isTrue();
    }

    @Test
    void pkcs12WithoutAPasswordIsAOneLineError() {
        Path file = temp.resolve("localhost.p12");

        assertThat(execute("dev-certs", "--export-path", file.toString(), "--format", "pkcs12"))
                .isEqualTo(LannerCli.EXIT_USAGE);

        assertThat(err.toString()).isEqualTo("lanner: --format pkcs12 needs --password P (the PKCS#12 file is"
                + " protected by it)" + NL + "Try 'lanner dev-certs --help' for more information." + NL);
        assertThat(out.toString()).isEmpty();
        assertThat(file).doesNotExist();
        assertThat(store).doesNotExist();
    }

    @Test
    void refusesACertificatePathThatIsItsOwnKeyPath() {
        assertThat(execute("dev-certs", "--export-path", temp.resolve("localhost.key").toString()))
                .isEqualTo(LannerCli.EXIT_USAGE);

        assertThat(err.toString()).startsWith("lanner: --export-path " + temp.resolve("localhost.key")
                + " is where the key goes; name the certificate file .pem or .crt (the key is written next to it as .key)" + NL);
    }

    @Test
    void refusesToCombineActions() {
        assertThat(execute("dev-certs", "--check", "--clean")).isEqualTo(LannerCli.EXIT_USAGE);

        assertThat(err.toString()).startsWith("lanner: --check, --clean and --export-path do not combine;"
                + " run lanner dev-certs once for each" + NL);
    }

    @Test
    void refusesAPasswordWithoutAnExportPath() {
        assertThat(execute("dev-certs", "--password", "s3cret")).isEqualTo(LannerCli.EXIT_USAGE);

        assertThat(err.toString()).startsWith("lanner: --format and --password apply to --export-path FILE; add it" + NL);
        assertThat(store).doesNotExist();
    }

    @Test
    void exportToAMissingDirectoryIsAOneLineError() {
        Path file = temp.resolve("missing").resolve("localhost.pem");

        assertThat(execute("dev-certs", "--export-path", file.toString())).isEqualTo(LannerCli.EXIT_ERROR);

        assertThat(err.toString()).isEqualTo("lanner: cannot export to " + file + ": the directory " + file.getParent()
                + " does not exist; create it or choose another --export-path" + NL);
    }

    @Test
    void exportToADirectoryIsAOneLineError() {
        assertThat(execute("dev-certs", "--export-path", temp.toString())).isEqualTo(LannerCli.EXIT_ERROR);

        assertThat(err.toString()).isEqualTo("lanner: cannot export to " + temp + ": it is a directory; give a file"
                + " name, e.g. " + temp.resolve("localhost.pem") + NL);
    }

    @Test
    void aStoreThatIsNotADirectoryIsAOneLineErrorWithTheFix() throws Exception {
        Files.writeString(store.resolveSibling("store"), "a file");

        assertThat(execute("dev-certs")).isEqualTo(LannerCli.EXIT_ERROR);

        assertThat(err.toString()).isEqualTo("lanner: cannot create the development certificate in " + store + ": "
                + store + " exists and is not a directory; make it a writable directory, or set LANNER_DEV_CERTS_DIR"
                + " to one" + NL);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void namesTheKeyFileAfterTheCertificateFile() {
        assertThat(DevCertsCommand.pemKeyFile(Path.of("out/localhost.pem"))).isEqualTo(Path.of("out/localhost.key"));
        assertThat(DevCertsCommand.pemKeyFile(Path.of("my.cert.crt"))).isEqualTo(Path.of("my.cert.key"));
        assertThat(DevCertsCommand.pemKeyFile(Path.of("localhost"))).isEqualTo(Path.of("localhost.key"));
        assertThat(DevCertsCommand.pemKeyFile(Path.of(".pem"))).isEqualTo(Path.of(".pem.key"));
    }

    @Test
    void helpListsTheExitCodes() {
        assertThat(execute("dev-certs", "--help")).isZero();

        assertThat(out.toString()).contains("Exit codes:" + NL + "  0   Done; with --check, a valid certificate exists.");
        assertThat(execute("--help")).isZero();
        assertThat(out.toString()).contains("dev-certs");
    }

    /** A certificate like the development one that ended an hour ago, stored with its key. */
    private X509Certificate storeExpiredCertificate() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // The development certificate's subject, encoded as the JDK does (BouncyCastle's X500Name reverses the text).
        X500Name subject = X500Name.getInstance(new X500Principal("CN=localhost, O=Lanner Development").getEncoded());
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.ONE,
                Date.from(now.minus(Duration.ofDays(366))), Date.from(now.minus(Duration.ofHours(1))), subject,
                keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        Files.createDirectories(store);
        Files.writeString(store.resolve("lanner-dev-cert.pem"), pem(certificate));
        Files.writeString(store.resolve("lanner-dev-key.pem"), pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
        return certificate;
    }

    private static String pem(Object object) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    private static X509Certificate certificate(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static PrivateKey pemKey(Path file) throws Exception {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            return new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) parser.readObject());
        }
    }

    /** True when the key is the certificate's: what it signs, the certificate's public key verifies. */
    private static boolean signs(PrivateKey key, X509Certificate certificate) throws Exception {
        byte[] data = "lanner dev-certs".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(data);
        return verifier.verify(signature);
    }
}
