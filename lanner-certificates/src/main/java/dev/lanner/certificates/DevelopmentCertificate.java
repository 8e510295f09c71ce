package dev.lanner.certificates;

import dev.lanner.tls.CertificateLoadException;
import dev.lanner.tls.DevelopmentCertificateProvider;
import dev.lanner.tls.ServerCertificate;
import dev.lanner.tls.ServerCertificateFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The development certificate for {@code https://localhost} (ASP.NET Core's dev-certs): a
 * self-signed EC P-256 certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1}, valid a
 * year, kept as PEM in {@code $LANNER_DEV_CERTS_DIR} or else {@code ~/.lanner/dev-certs}
 * ({@value #CERTIFICATE_FILE}, {@value #KEY_FILE}, the key readable by its owner only). It is
 * reused while it has more than a day left, and made again otherwise. Browsers and curl warn about
 * it until it is trusted ({@code curl --cacert ~/.lanner/dev-certs/lanner-dev-cert.pem}).
 *
 * <p>Processes that start at once (tests, several apps) make it once: they take a file lock in the
 * directory, and the files appear whole (written aside, then moved in atomically).
 */
public final class DevelopmentCertificate implements DevelopmentCertificateProvider {

    private static final Logger log = LoggerFactory.getLogger(DevelopmentCertificate.class);

    static final String CERTIFICATE_FILE = "lanner-dev-cert.pem";
    static final String KEY_FILE = "lanner-dev-key.pem";
    private static final String LOCK_FILE = ".lock";
    /** The subject that marks a certificate as ours. */
    static final X500Principal SUBJECT = new X500Principal("CN=localhost, O=Lanner Development");
    static final Duration VALIDITY = Duration.ofDays(365);
    /** A certificate with less left than this is made again. */
    static final Duration RENEW_BEFORE = Duration.ofDays(1);
    /** Threads of this process take turns; the file lock keeps other processes out. */
    private static final Object IN_PROCESS = new Object();

    private final Path directory;
    private final Clock clock;

    /** The certificate in {@code $LANNER_DEV_CERTS_DIR}, or else {@code ~/.lanner/dev-certs}. */
    public DevelopmentCertificate() {
        this(defaultDirectory(), Clock.systemUTC());
    }

    DevelopmentCertificate(Path directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    static Path defaultDirectory() {
        String configured = System.getenv("LANNER_DEV_CERTS_DIR");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".lanner", "dev-certs");
    }

    Path directory() {
        return directory;
    }

    @Override
    public ServerCertificate developmentCertificate() throws CertificateLoadException {
        synchronized (IN_PROCESS) {
            try {
                Files.createDirectories(directory);
                try (FileChannel lockFile = FileChannel.open(directory.resolve(LOCK_FILE),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = lockFile.lock()) {
                    ServerCertificate existing = existing();
                    return existing != null ? existing : create();
                }
            } catch (IOException | UncheckedIOException e) {
                throw new CertificateLoadException("Cannot create the development certificate in " + directory
                        + ": " + e.getMessage(), e);
            }
        }
    }

    /** The stored certificate while it is ours and valid for more than a day, else null. */
    private ServerCertificate existing() {
        Path certificateFile = directory.resolve(CERTIFICATE_FILE);
        Path keyFile = directory.resolve(KEY_FILE);
        if (!Files.exists(certificateFile) || !Files.exists(keyFile)) {
            return null;
        }
        try {
            ServerCertificate certificate = ServerCertificateFiles.read(certificateFile, keyFile, null);
            X509Certificate leaf = certificate.leaf();
            Instant renewAt = leaf.getNotAfter().toInstant().minus(RENEW_BEFORE);
            if (leaf.getSubjectX500Principal().equals(SUBJECT) && clock.instant().isBefore(renewAt)
                    && !clock.instant().isBefore(leaf.getNotBefore().toInstant())) {
                return certificate;
            }
            log.info("The development certificate in {} expires on {}; making a new one", directory,
                    leaf.getNotAfter().toInstant());
        } catch (CertificateLoadException e) {
            log.warn("The development certificate in {} is unusable ({}); making a new one", directory, e.getMessage());
        }
        return null;
    }

    private ServerCertificate create() throws IOException {
        KeyPair keys;
        X509Certificate certificate;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            keys = generator.generateKeyPair();
            certificate = selfSigned(keys);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("the JDK cannot make an EC P-256 certificate: " + e.getMessage(), e);
        }
        // Key first: a reader never finds a new certificate beside an old key.
        writeAtomically(KEY_FILE, pem(new JcaPKCS8Generator(keys.getPrivate(), null)), true);
        writeAtomically(CERTIFICATE_FILE, pem(certificate), false);
        log.info("Created the development certificate for localhost in {}, valid until {}", directory,
                certificate.getNotAfter().toInstant());
        return new ServerCertificate(List.of(certificate), keys.getPrivate());
    }

    private X509Certificate selfSigned(KeyPair keys) throws GeneralSecurityException, OperatorCreationException,
            CertIOException {
        Instant now = clock.instant();
        X500Name subject = X500Name.getInstance(SUBJECT.getEncoded());
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(64, new SecureRandom()).setBit(63),
                // A minute back: clocks of a client on the same machine may lag a little.
                Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, "::1")}));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                extensions.createSubjectKeyIdentifier(keys.getPublic()));
        // Signed by the JDK's SunEC; the certificate is converted to the JDK's own type.
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    private void writeAtomically(String name, String content, boolean ownerOnly) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = ownerOnly && posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path temporary = Files.createTempFile(directory, name, ".tmp", attributes);
        try {
            Files.writeString(temporary, content, StandardCharsets.US_ASCII);
            try {
                Files.move(temporary, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, directory.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
