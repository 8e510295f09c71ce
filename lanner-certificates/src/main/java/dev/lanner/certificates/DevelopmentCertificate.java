package dev.lanner.certificates;

import dev.lanner.tls.CertificateLoadException;
import dev.lanner.tls.DevelopmentCertificateProvider;
import dev.lanner.tls.ServerCertificate;
import dev.lanner.tls.ServerCertificateFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The development certificate for {@code https://localhost} (ASP.NET Core's dev-certs): a
 * self-signed EC P-256 certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1}, valid a
 * year, kept as PEM in a directory ({@value #CERTIFICATE_FILE}, {@value #KEY_FILE}, the key readable
 * by its owner only). The directory is the system property {@value #DIRECTORY_PROPERTY}, else the
 * environment variable {@value #DIRECTORY_VARIABLE}, else {@code ~/.lanner/dev-certs}. It is reused
 * while it has more than a day left ({@link #RENEW_BEFORE}), and made again otherwise. Browsers and
 * curl warn about it until it is trusted ({@code curl --cacert ~/.lanner/dev-certs/lanner-dev-cert.pem}).
 *
 * <p>The servers use it through {@link #developmentCertificate()}; {@code lanner dev-certs} manages
 * it with {@link #inspect()}, {@link #obtain()}, {@link #remove()}, {@link #exportPem} and
 * {@link #exportPkcs12}.
 *
 * <p>Processes that start at once (tests, several apps) make it once: they take a file lock in the
 * directory, and the files appear whole (written aside, then moved in atomically).
 */
public final class DevelopmentCertificate implements DevelopmentCertificateProvider {

    private static final Logger log = LoggerFactory.getLogger(DevelopmentCertificate.class);

    /** The system property naming the directory; it wins over {@value #DIRECTORY_VARIABLE}. */
    public static final String DIRECTORY_PROPERTY = "lanner.devCertsDir";
    /** The environment variable naming the directory when {@value #DIRECTORY_PROPERTY} is not set. */
    public static final String DIRECTORY_VARIABLE = "LANNER_DEV_CERTS_DIR";
    /** The certificate's file name in the directory (PEM). */
    public static final String CERTIFICATE_FILE = "lanner-dev-cert.pem";
    /** The private key's file name in the directory (unencrypted PKCS#8 PEM, owner-only on POSIX). */
    public static final String KEY_FILE = "lanner-dev-key.pem";
    /** The alias of the entry in a PKCS#12 file written by {@link #exportPkcs12}. */
    public static final String PKCS12_ALIAS = "lanner-dev-cert";
    private static final String LOCK_FILE = ".lock";
    /** The subject that marks a certificate as ours. */
    static final X500Principal SUBJECT = new X500Principal("CN=localhost, O=Lanner Development");
    /** How long a new certificate is valid. */
    public static final Duration VALIDITY = Duration.ofDays(365);
    /** A certificate with less left than this is made again. */
    public static final Duration RENEW_BEFORE = Duration.ofDays(1);
    /** Threads of this process take turns; the file lock keeps other processes out. */
    private static final Object IN_PROCESS = new Object();

    private final Path directory;
    private final Clock clock;

    /** The certificate in the default directory ({@link #defaultDirectory()}). */
    public DevelopmentCertificate() {
        this(defaultDirectory(), Clock.systemUTC());
    }

    /** The certificate kept in {@code directory} (created when first needed). */
    public DevelopmentCertificate(Path directory) {
        this(directory, Clock.systemUTC());
    }

    DevelopmentCertificate(Path directory, Clock clock) {
        this.directory = directory.toAbsolutePath().normalize();
        this.clock = clock;
    }

    /**
     * The system property {@value #DIRECTORY_PROPERTY}, else the environment variable
     * {@value #DIRECTORY_VARIABLE}, else {@code ~/.lanner/dev-certs}: where the servers look in Development.
     */
    public static Path defaultDirectory() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(DIRECTORY_VARIABLE);
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".lanner", "dev-certs");
    }

    /** The directory the certificate is kept in (absolute). */
    public Path directory() {
        return directory;
    }

    /** The stored certificate, {@value #CERTIFICATE_FILE} in {@link #directory()}. */
    public Path certificateFile() {
        return directory.resolve(CERTIFICATE_FILE);
    }

    /** The stored private key, {@value #KEY_FILE} in {@link #directory()}. */
    public Path keyFile() {
        return directory.resolve(KEY_FILE);
    }

    /** What {@link #inspect()} finds in the directory. */
    public enum State {
        /** Neither file, or only one of them. */
        MISSING,
        /** Ours, readable, and valid for more than {@link #RENEW_BEFORE}: the servers use it. */
        VALID,
        /** Still valid, but for less than {@link #RENEW_BEFORE}: the next use makes a new one. */
        EXPIRING,
        /** Past its end: the next use makes a new one. */
        EXPIRED,
        /** Unreadable, a key that does not match, not ours, or not valid yet: the next use makes a new one. */
        UNUSABLE
    }

    /**
     * The stored certificate's state.
     *
     * @param state       what was found
     * @param certificate the stored certificate, or null when {@link State#MISSING} or unreadable
     * @param problem     why it is {@link State#UNUSABLE} (one line), else null
     */
    public record Inspection(State state, X509Certificate certificate, String problem) {

        /** True when the servers use the stored certificate as it is. */
        public boolean isValid() {
            return state == State.VALID;
        }
    }

    /**
     * The result of {@link #obtain()}.
     *
     * @param certificate the certificate now stored, with its key
     * @param before      what was stored before; when not {@link State#VALID}, the certificate was made now
     */
    public record Obtained(ServerCertificate certificate, Inspection before) {

        /** True when the certificate was made by this call. */
        public boolean created() {
            return !before.isValid();
        }
    }

    /**
     * Looks at the stored certificate without changing it (nor creating the directory). It waits
     * while another process makes or removes it, so as not to see a new key beside an old certificate.
     */
    public Inspection inspect() {
        if (!Files.isDirectory(directory)) {
            return new Inspection(State.MISSING, null, null);
        }
        try {
            return locked(() -> read().inspection());
        } catch (IOException e) {
            // No lock in a directory we may only read: the files are still written whole.
            return read().inspection();
        }
    }

    @Override
    public ServerCertificate developmentCertificate() throws CertificateLoadException {
        return obtain().certificate();
    }

    /** The stored certificate while it is {@link State#VALID}; otherwise a new one, stored for the next runs. */
    public Obtained obtain() throws CertificateLoadException {
        try {
            return locked(() -> {
                Stored stored = read();
                switch (stored.inspection().state()) {
                    case VALID -> {
                        return new Obtained(stored.certificate(), stored.inspection());
                    }
                    case MISSING -> { }
                    case EXPIRING, EXPIRED -> log.info("The development certificate in {} expires on {}; making a new one",
                            directory, stored.inspection().certificate().getNotAfter().toInstant());
                    case UNUSABLE -> log.warn("The development certificate in {} is unusable ({}); making a new one",
                            directory, stored.inspection().problem());
                }
                return new Obtained(create(), stored.inspection());
            });
        } catch (IOException e) {
            throw new CertificateLoadException("Cannot create the development certificate in " + directory
                    + ": " + reason(e), e);
        } catch (UncheckedIOException e) {
            throw new CertificateLoadException("Cannot create the development certificate in " + directory
                    + ": " + reason(e.getCause()), e);
        }
    }

    /**
     * Deletes the stored certificate and key, so that the next use makes a new one.
     *
     * @return the files deleted; empty when there were none
     */
    public List<Path> remove() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try {
            return locked(() -> {
                List<Path> removed = new ArrayList<>();
                // Certificate first: a reader never finds the certificate without its key.
                for (Path file : List.of(certificateFile(), keyFile())) {
                    if (Files.deleteIfExists(file)) {
                        removed.add(file);
                    }
                }
                return List.copyOf(removed);
            });
        } catch (IOException e) {
            throw new IOException("Cannot remove the development certificate in " + directory + ": " + reason(e), e);
        }
    }

    /**
     * Writes the certificate ({@link #obtain() made first} if needed) as PEM: the certificate to
     * {@code certificateFile}, the key to {@code keyFile} (owner-only on POSIX). Existing files are replaced.
     *
     * @param password encrypts the key (PKCS#8, PBES2 with AES-256-CBC, as openssl does); null writes it in the clear
     */
    public Obtained exportPem(Path certificateFile, Path keyFile, char[] password) throws IOException {
        Obtained obtained = obtain();
        JcaPKCS8Generator key;
        try {
            OutputEncryptor encryptor = password == null ? null
                    : new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setPRF(PKCS8Generator.PRF_HMACSHA256)
                            .setProvider(Encryption.PROVIDER).setPassword(password).build();
            key = new JcaPKCS8Generator(obtained.certificate().privateKey(), encryptor);
        } catch (OperatorCreationException e) {
            throw new IOException("cannot encrypt the key: " + e.getMessage(), e);
        }
        // Key first, as when creating: a new certificate is never beside an old key.
        writeAtomically(keyFile, ascii(pem(key)), true);
        writeAtomically(certificateFile, ascii(pem(obtained.certificate().leaf())), false);
        return obtained;
    }

    /**
     * Writes the certificate ({@link #obtain() made first} if needed) and its key to a PKCS#12 file
     * protected by {@code password}, under the alias {@value #PKCS12_ALIAS}; owner-only on POSIX. An
     * existing file is replaced.
     */
    public Obtained exportPkcs12(Path file, char[] password) throws IOException {
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("a PKCS#12 file needs a password");
        }
        Obtained obtained = obtain();
        ServerCertificate certificate = obtained.certificate();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(PKCS12_ALIAS, certificate.privateKey(), password,
                    certificate.chain().toArray(new X509Certificate[0]));
            store.store(bytes, password);
        } catch (GeneralSecurityException e) {
            throw new IOException("the JDK cannot write PKCS#12: " + e.getMessage(), e);
        }
        writeAtomically(file, bytes.toByteArray(), true);
        return obtained;
    }

    /** What is stored: the inspection, and the certificate with its key when it could be read. */
    private record Stored(Inspection inspection, ServerCertificate certificate) {
    }

    private Stored read() {
        if (!Files.exists(certificateFile()) || !Files.exists(keyFile())) {
            return new Stored(new Inspection(State.MISSING, null, null), null);
        }
        ServerCertificate certificate;
        try {
            certificate = ServerCertificateFiles.read(certificateFile(), keyFile(), null);
        } catch (CertificateLoadException e) {
            return new Stored(new Inspection(State.UNUSABLE, null, e.getMessage()), null);
        }
        X509Certificate leaf = certificate.leaf();
        Instant now = clock.instant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        State state;
        String problem = null;
        if (!leaf.getSubjectX500Principal().equals(SUBJECT)) {
            state = State.UNUSABLE;
            problem = "its subject is " + leaf.getSubjectX500Principal().getName() + ", not " + SUBJECT.getName();
        } else if (now.isBefore(leaf.getNotBefore().toInstant())) {
            state = State.UNUSABLE;
            problem = "it is not valid before " + leaf.getNotBefore().toInstant() + " (is the clock right?)";
        } else if (!now.isBefore(notAfter)) {
            state = State.EXPIRED;
        } else if (!now.isBefore(notAfter.minus(RENEW_BEFORE))) {
            state = State.EXPIRING;
        } else {
            state = State.VALID;
        }
        return new Stored(new Inspection(state, leaf, problem), certificate);
    }

    /** Code that changes the directory, run while holding its lock. */
    private interface LockedAction<T> {
        T run() throws IOException;
    }

    private <T> T locked(LockedAction<T> action) throws IOException {
        synchronized (IN_PROCESS) {
            Files.createDirectories(directory);
            try (FileChannel lockFile = FileChannel.open(directory.resolve(LOCK_FILE),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockFile.lock()) {
                return action.run();
            }
        }
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
        writeAtomically(keyFile(), ascii(pem(new JcaPKCS8Generator(keys.getPrivate(), null))), true);
        writeAtomically(certificateFile(), ascii(pem(certificate)), false);
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

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Writes {@code target} whole or not at all: aside in the same directory, then moved in. On POSIX
     * it is readable by its owner only, or by everyone for a certificate (temporary files are owner-only).
     */
    private static void writeAtomically(Path target, byte[] content, boolean ownerOnly) throws IOException {
        Path file = target.toAbsolutePath().normalize();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString(ownerOnly ? "rw-------" : "rw-r--r--"))}
                : new FileAttribute<?>[0];
        try {
            Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp", attributes);
            try {
                Files.write(temporary, content);
                try {
                    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": " + reason(e), e);
        }
    }

    /**
     * What went wrong, in words: the JDK's file exceptions carry little more than a path in their
     * message ({@code AccessDeniedException: /x}).
     */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + " exists and is not a directory";
        }
        if (e instanceof NoSuchFileException f) {
            return "no such file or directory: " + f.getFile();
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason() + " (" + f.getFile() + ")";
        }
        return e.getMessage();
    }

    /** BouncyCastle's provider, only to encrypt exported keys (never registered); built on first use. */
    private static final class Encryption {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }
}
