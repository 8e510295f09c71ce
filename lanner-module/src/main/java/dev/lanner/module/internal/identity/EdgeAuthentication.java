package dev.lanner.module.internal.identity;

import dev.lanner.hosting.integration.ModuleUser;
import dev.lanner.http.HttpContext;
import dev.lanner.http.features.TlsConnectionFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.security.auth.x500.X500Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates a request's user at the edge, for the module to forward to the application (IIS's
 * Basic and client-certificate mapping authentication in front of the ASP.NET Core Module):
 *
 * <ol>
 *   <li>{@code Authorization: Basic} (RFC 7617) is checked against the {@link CredentialsFile}: a known
 *       user with the right password is {@link Authenticated} ({@value ModuleUser#BASIC}); anything else
 *       (unknown user, wrong password, malformed credentials) is a {@link Challenge}. Other schemes, and
 *       Basic when no credentials file is configured, are left to the application (treated as absent).</li>
 *   <li>Otherwise a client certificate ({@link TlsConnectionFeature#clientCertificate()}) that
 *       {@link Settings#certificateUsers()} maps is {@link Authenticated} ({@value ModuleUser#CERTIFICATE}).</li>
 *   <li>Otherwise the request is {@link Anonymous}, or a {@link Challenge} when {@link Settings#required()}.</li>
 * </ol>
 *
 * <p>A password verification is PBKDF2, tens of milliseconds: {@link #tryAuthenticate} never does one
 * (it answers {@code null} instead, for the caller to move to a thread that may block and call
 * {@link #authenticate}). Successful verifications are remembered in a bounded LRU keyed by user and the
 * SHA-256 of the password, so a client sending the same credentials again is answered on the event loop.
 * An unknown user costs a verification too (against another user's hash, so with the same iterations),
 * so that the time of the answer does not tell which users exist.
 *
 * <p>The credentials file is looked at (modification time and size) at most once a second and reloaded
 * when it changed; the cache goes with the old credentials. A reload that fails keeps the previous
 * credentials and logs one error line. Thread-safe.
 */
public final class EdgeAuthentication {

    private static final Logger log = LoggerFactory.getLogger(EdgeAuthentication.class);

    /** The realm of the challenge when {@link Settings#realm()} is not given. */
    public static final String DEFAULT_REALM = "lanner";
    /** How many successful verifications are remembered. */
    public static final int CACHE_SIZE = 1024;
    static final long CHECK_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final String THUMBPRINT_PREFIX = "sha256:";

    /**
     * How the module authenticates users at the edge.
     *
     * @param credentialsFile  the {@link CredentialsFile} for HTTP Basic, or {@code null} for no Basic
     * @param realm            the realm of the Basic challenge; {@code null} or blank means {@value #DEFAULT_REALM};
     *                         no {@code "}, {@code \} or control characters
     * @param certificateUsers client certificate to user name: the key is the subject DN (as
     *                         {@link X500Principal#getName()} writes it, RFC 2253, e.g. {@code CN=alice,O=Example};
     *                         matched as X.500 names, so case and spacing of values do not matter) or
     *                         {@code sha256:<thumbprint>} (64 hex digits of either case, colons allowed);
     *                         {@code null} means none
     * @param required         whether a request must be authenticated: then an anonymous one is a {@link Challenge}
     * @param certificateIssuers the issuers whose certificates may be mapped by subject: the edge accepts a client
     *                         certificate from any issuer (TLS only proves the key), so a subject alone proves
     *                         nothing; required when a key of {@code certificateUsers} is a subject. A certificate
     *                         mapped by thumbprint is pinned and needs none
     */
    public record Settings(Path credentialsFile, String realm, Map<String, String> certificateUsers, boolean required,
                           List<X509Certificate> certificateIssuers) {

        /** Settings without certificate issuers (thumbprints only). */
        public Settings(Path credentialsFile, String realm, Map<String, String> certificateUsers, boolean required) {
            this(credentialsFile, realm, certificateUsers, required, List.of());
        }

        public Settings {
            realm = realm == null || realm.isBlank() ? DEFAULT_REALM : realm.strip();
            for (int i = 0; i < realm.length(); i++) {
                char c = realm.charAt(i);
                if (c == '"' || c == '\\' || c < 0x20 || c == 0x7f) {
                    throw new IllegalArgumentException("the realm '" + realm + "' has the character " + describe(c)
                            + "; expected no quote, backslash or control character");
                }
            }
            certificateUsers = certificateUsers == null ? Map.of() : Map.copyOf(certificateUsers);
            certificateIssuers = certificateIssuers == null ? List.of() : List.copyOf(certificateIssuers);
        }

        /** HTTP Basic only, with the default realm. */
        public static Settings basic(Path credentialsFile, boolean required) {
            return new Settings(credentialsFile, null, null, required);
        }

        private static String describe(char c) {
            return c < 0x20 || c == 0x7f ? String.format("U+%04X", (int) c) : "'" + c + "'";
        }
    }

    /** What {@link #authenticate} decided. */
    public sealed interface Result permits Anonymous, Authenticated, Challenge {
    }

    /** No user, and none is required: the request goes on without one. */
    public record Anonymous() implements Result {
        public static final Anonymous INSTANCE = new Anonymous();
    }

    /** The user the request authenticated as: forwarded to the application. */
    public record Authenticated(ModuleUser user) implements Result {
        public Authenticated {
            if (user == null) {
                throw new IllegalArgumentException("user must not be null");
            }
        }
    }

    /**
     * The request is answered {@link #status()} without reaching the application.
     *
     * @param wwwAuthenticate the {@code WWW-Authenticate} value of the {@code 401}, e.g.
     *                        {@code Basic realm="lanner", charset="UTF-8"}; {@code null} when no credentials
     *                        file is configured (only a client certificate can authenticate, which no HTTP
     *                        challenge can ask for: the answer is then {@code 403})
     */
    public record Challenge(String wwwAuthenticate) implements Result {
        /** {@code 401 Unauthorized} with the challenge (RFC 9110 §15.5.2), or {@code 403 Forbidden} without one. */
        public int status() {
            return wwwAuthenticate == null ? 403 : 401;
        }
    }

    private final Settings settings;
    private final Challenge challenge;
    private final Map<X500Principal, String> usersBySubject = new HashMap<>();
    private final Map<String, String> usersByThumbprint = new HashMap<>();
    private final LongSupplier nanoClock;
    private final AtomicLong nextCheck;
    private volatile Credentials credentials;

    /**
     * Reads the credentials file now: a site that names one it cannot read does not start.
     *
     * @throws IllegalArgumentException when a key of {@link Settings#certificateUsers()} is neither a DN
     *                                  nor a thumbprint, a user name is blank, or two keys name one certificate
     * @throws IOException              when the credentials file cannot be loaded (a {@link CredentialsFileException}
     *                                  names the file and line)
     */
    public EdgeAuthentication(Settings settings) throws IOException {
        this(settings, System::nanoTime);
    }

    EdgeAuthentication(Settings settings, LongSupplier nanoClock) throws IOException {
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.challenge = new Challenge(settings.credentialsFile() == null ? null
                : "Basic realm=\"" + settings.realm() + "\", charset=\"UTF-8\"");
        settings.certificateUsers().forEach(this::addCertificateUser);
        if (!usersBySubject.isEmpty() && settings.certificateIssuers().isEmpty()) {
            throw new IllegalArgumentException("client certificates mapped by subject need their issuers (clientCertificate.issuers):"
                    + " the edge accepts a certificate from any issuer, so anyone could make one with that subject;"
                    + " name the issuers, or map certificates by sha256:<thumbprint>");
        }
        this.credentials = settings.credentialsFile() == null ? null : Credentials.load(settings.credentialsFile());
        this.nextCheck = new AtomicLong(nanoClock.getAsLong() + CHECK_INTERVAL_NANOS);
    }

    public Settings settings() {
        return settings;
    }

    /**
     * The result when it can be had without blocking, else {@code null}: the request carries Basic
     * credentials that are not in the cache, and only {@link #authenticate} (off the event loop) can answer.
     */
    public Result tryAuthenticate(HttpContext context) {
        return evaluate(context, false);
    }

    /** The result; may block for a password verification (tens of milliseconds). */
    public Result authenticate(HttpContext context) {
        return evaluate(context, true);
    }

    private Result evaluate(HttpContext context, boolean mayBlock) {
        if (settings.credentialsFile() != null) {
            String authorization = context.request().headers().get("Authorization");
            if (authorization != null && isBasic(authorization)) {
                return basic(authorization, mayBlock);
            }
        }
        TlsConnectionFeature tls = context.feature(TlsConnectionFeature.class);
        X509Certificate certificate = tls == null ? null : tls.clientCertificate();
        if (certificate != null) {
            String user = userOf(certificate);
            if (user != null) {
                return new Authenticated(new ModuleUser(user, ModuleUser.CERTIFICATE));
            }
        }
        return settings.required() ? challenge : Anonymous.INSTANCE;
    }

    // --- Basic (RFC 7617) ---

    /** {@code Basic} followed by a space or nothing: the scheme is case-insensitive (RFC 9110 §11.1). */
    private static boolean isBasic(String authorization) {
        String value = authorization.stripLeading();
        return value.regionMatches(true, 0, "Basic", 0, 5) && (value.length() == 5 || value.charAt(5) == ' ');
    }

    private Result basic(String authorization, boolean mayBlock) {
        char[] userPass = decodeBasic(authorization.strip().substring(5).strip());
        if (userPass == null) {
            return challenge;
        }
        try {
            int colon = indexOf(userPass, ':');
            if (colon <= 0) {
                return challenge; // no user-id, or no colon at all
            }
            String user = new String(userPass, 0, colon);
            char[] password = Arrays.copyOfRange(userPass, colon + 1, userPass.length);
            try {
                return verify(user, password, mayBlock);
            } finally {
                Arrays.fill(password, '\0');
            }
        } finally {
            Arrays.fill(userPass, '\0');
        }
    }

    private Result verify(String user, char[] password, boolean mayBlock) {
        Credentials current = currentCredentials();
        String hash = current.file.hashOf(user).orElse(null);
        String key = hash == null ? null : cacheKey(user, password);
        if (key != null && current.verified.contains(key)) {
            return new Authenticated(new ModuleUser(user, ModuleUser.BASIC));
        }
        if (!mayBlock) {
            return null;
        }
        if (hash == null) {
            // As long as a known user's wrong password: against another user's hash, the result unused.
            current.file.anyHash().ifPresent(other -> PasswordHash.verify(password, other));
            return challenge;
        }
        if (!PasswordHash.verify(password, hash)) {
            return challenge;
        }
        current.verified.add(key);
        return new Authenticated(new ModuleUser(user, ModuleUser.BASIC));
    }

    /** The user-pass of the credentials token68 as UTF-8 characters, or {@code null} when it is not base64 of UTF-8. */
    private static char[] decodeBasic(String token) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return null;
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            char[] result = new char[chars.remaining()];
            chars.get(result);
            Arrays.fill(chars.array(), '\0');
            return result;
        } catch (CharacterCodingException e) {
            return null;
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static int indexOf(char[] chars, char c) {
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** {@code user:<base64 SHA-256 of the UTF-8 password>}: the user has no colon, so the key is unambiguous. */
    private static String cacheKey(String user, char[] password) {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(bytes.duplicate());
            return user + ":" + Base64.getEncoder().encodeToString(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        } finally {
            Arrays.fill(bytes.array(), (byte) 0);
        }
    }

    /** The credentials, reloaded first when the file changed (looked at most every {@link #CHECK_INTERVAL_NANOS}). */
    private Credentials currentCredentials() {
        long now = nanoClock.getAsLong();
        long due = nextCheck.get();
        // One thread looks; the others go on with what is loaded (nanoTime may be negative: compare differences).
        if (now - due >= 0 && nextCheck.compareAndSet(due, now + CHECK_INTERVAL_NANOS)) {
            credentials = credentials.reloadIfChanged();
        }
        return credentials;
    }

    // --- client certificates ---

    private void addCertificateUser(String key, String user) {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("the certificate '" + key + "' maps to a blank user name; expected a user name");
        }
        String previous;
        if (key.regionMatches(true, 0, THUMBPRINT_PREFIX, 0, THUMBPRINT_PREFIX.length())) {
            String hex = key.substring(THUMBPRINT_PREFIX.length()).replace(":", "").strip().toLowerCase(Locale.ROOT);
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("the certificate key '" + key + "' has no SHA-256 thumbprint;"
                        + " expected sha256: and 64 hex digits (colons allowed)");
            }
            previous = usersByThumbprint.put(hex, user.strip());
        } else {
            X500Principal subject;
            try {
                subject = new X500Principal(key);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the certificate key '" + key + "' is neither a subject DN (RFC 2253,"
                        + " e.g. CN=alice,O=Example) nor sha256:<thumbprint>: " + e.getMessage());
            }
            previous = usersBySubject.put(subject, user.strip());
        }
        if (previous != null) {
            throw new IllegalArgumentException("the certificate key '" + key + "' names a certificate already mapped to '"
                    + previous + "'; expected each certificate once");
        }
    }

    /** The mapped user of {@code certificate}: by thumbprint first (one certificate), then by subject. */
    private String userOf(X509Certificate certificate) {
        if (!usersByThumbprint.isEmpty()) {
            String user = usersByThumbprint.get(thumbprint(certificate));
            if (user != null) {
                return user;
            }
        }
        if (usersBySubject.isEmpty()) {
            return null;
        }
        String user = usersBySubject.get(certificate.getSubjectX500Principal());
        return user != null && issuedByTrusted(certificate) ? user : null;
    }

    /** Whether a configured issuer signed {@code certificate}, and it is within its validity now. */
    private boolean issuedByTrusted(X509Certificate certificate) {
        try {
            certificate.checkValidity();
        } catch (CertificateException e) {
            return false;
        }
        for (X509Certificate issuer : settings.certificateIssuers()) {
            if (issuer.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
                try {
                    certificate.verify(issuer.getPublicKey());
                    return true;
                } catch (GeneralSecurityException e) {
                    // not this issuer's signature: try the next one of that name
                }
            }
        }
        return false;
    }

    /** The lower-case hex SHA-256 of the certificate's DER encoding (what {@code openssl x509 -fingerprint -sha256} shows). */
    static String thumbprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot compute the SHA-256 thumbprint of " + certificate.getSubjectX500Principal(), e);
        }
    }

    // --- the credentials file ---

    /** One load of the file with the verifications made against it; replaced whole on reload. */
    private static final class Credentials {
        final CredentialsFile file;
        final FileStamp stamp;
        final VerifiedCache verified;

        private Credentials(CredentialsFile file, FileStamp stamp, VerifiedCache verified) {
            this.file = file;
            this.stamp = stamp;
            this.verified = verified;
        }

        static Credentials load(Path path) throws IOException {
            FileStamp stamp = FileStamp.of(path); // before reading: a write after it shows as a change next time
            return new Credentials(CredentialsFile.load(path), stamp, new VerifiedCache(CACHE_SIZE));
        }

        /** This when the file looks unchanged, else a reload; a reload that fails keeps these credentials. */
        Credentials reloadIfChanged() {
            Path path = file.file();
            FileStamp now = FileStamp.of(path);
            if (now.equals(stamp)) {
                return this;
            }
            try {
                Credentials reloaded = load(path);
                log.info("Reloaded the credentials file {}: {} users", path, reloaded.file.size());
                return reloaded;
            } catch (IOException | RuntimeException e) {
                log.error("Cannot reload the credentials file, keeping the previous credentials: {}",
                        e instanceof CredentialsFileException ? e.getMessage() : path + ": " + e);
                // Remember the stamp that failed, so that the same broken file is not reported every second.
                return new Credentials(file, now, verified);
            }
        }
    }

    /** What tells a file changed: modification time and size ({@code null} fields when it cannot be read). */
    private record FileStamp(Object modified, long size) {
        static FileStamp of(Path path) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                return new FileStamp(attributes.lastModifiedTime(), attributes.size());
            } catch (IOException e) {
                return new FileStamp(null, -1);
            }
        }
    }

    /** The LRU of verified {@code user:password-digest} keys. */
    private static final class VerifiedCache {
        private final LinkedHashMap<String, Boolean> keys;

        VerifiedCache(int capacity) {
            this.keys = new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > capacity;
                }
            };
        }

        synchronized boolean contains(String key) {
            return keys.get(key) != null; // get, not containsKey: a hit is a use
        }

        synchronized void add(String key) {
            keys.put(key, Boolean.TRUE);
        }
    }
}
