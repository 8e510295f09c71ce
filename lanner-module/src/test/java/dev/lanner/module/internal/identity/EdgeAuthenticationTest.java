package dev.lanner.module.internal.identity;

import static dev.lanner.module.internal.identity.IdentityFixtures.ALICE;
import static dev.lanner.module.internal.identity.IdentityFixtures.ALICE_THUMBPRINT;
import static dev.lanner.module.internal.identity.IdentityFixtures.BOB;
import static dev.lanner.module.internal.identity.IdentityFixtures.basic;
import static dev.lanner.module.internal.identity.IdentityFixtures.request;
import static dev.lanner.module.internal.identity.PasswordHashTest.CORRECT_HORSE_1000;
import static dev.lanner.module.internal.identity.PasswordHashTest.PASSWORD_UMLAUTS_1000;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.hosting.integration.ModuleUser;
import dev.lanner.http.HttpContext;
import dev.lanner.module.internal.identity.EdgeAuthentication.Anonymous;
import dev.lanner.module.internal.identity.EdgeAuthentication.Authenticated;
import dev.lanner.module.internal.identity.EdgeAuthentication.Challenge;
import dev.lanner.module.internal.identity.EdgeAuthentication.Result;
import dev.lanner.module.internal.identity.EdgeAuthentication.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdgeAuthenticationTest {

    private static final String PASSWORD = "correct horse battery staple";
    private static final Challenge CHALLENGE = new Challenge("Basic realm=\"lanner\", charset=\"UTF-8\"");
    private static final Authenticated ALICE_BASIC = new Authenticated(new ModuleUser("alice", "Basic"));

    @TempDir
    Path dir;

    /** The test's clock: moves only when told. */
    private final AtomicLong nanos = new AtomicLong(-5_000_000_000L);
    private long fileTime = System.currentTimeMillis() - 60_000;

    private Path credentials(String text) throws IOException {
        Path file = dir.resolve("users.txt");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        // Each write gets a later modification time than the last: file times tick coarsely.
        fileTime += 10_000;
        Files.setLastModifiedTime(file, FileTime.fromMillis(fileTime));
        return file;
    }

    private EdgeAuthentication basicOnly(boolean required) throws IOException {
        Path file = credentials("alice:" + CORRECT_HORSE_1000 + "\nZoë:" + PASSWORD_UMLAUTS_1000 + "\n");
        return new EdgeAuthentication(Settings.basic(file, required), nanos::get);
    }

    private static Result authenticate(EdgeAuthentication auth, HttpContext context) {
        Result result = auth.tryAuthenticate(context);
        return result != null ? result : auth.authenticate(context);
    }

    // --- Basic ---

    @Test
    void validBasicCredentialsAreAuthenticatedAfterAVerification() throws IOException {
        EdgeAuthentication auth = basicOnly(false);
        HttpContext ctx = request(null, "Authorization", basic("alice", PASSWORD));

        assertThat(auth.tryAuthenticate(ctx)).isNull();
        assertThat(auth.authenticate(ctx)).isEqualTo(ALICE_BASIC);
    }

    @Test
    void aCachedVerificationIsAnsweredWithoutBlocking() throws IOException {
        EdgeAuthentication auth = basicOnly(false);
        auth.authenticate(request(null, "Authorization", basic("alice", PASSWORD)));

        assertThat(auth.tryAuthenticate(request(null, "Authorization", basic("alice", PASSWORD)))).isEqualTo(ALICE_BASIC);
        assertThat(auth.tryAuthenticate(request(null, "Authorization", basic("alice", PASSWORD + "!")))).isNull();
    }

    @Test
    void nonAsciiUserAndPasswordAreUtf8() throws IOException {
        EdgeAuthentication auth = basicOnly(false);

        assertThat(auth.authenticate(request(null, "Authorization", basic("Zoë", "pässwörd"))))
                .isEqualTo(new Authenticated(new ModuleUser("Zoë", "Basic")));
    }

    @Test
    void wrongPasswordIsChallengedAndNotCached() throws IOException {
        EdgeAuthentication auth = basicOnly(false);
        HttpContext ctx = request(null, "Authorization", basic("alice", "wrong"));

        Result result = auth.authenticate(ctx);

        assertThat(result).isEqualTo(CHALLENGE);
        assertThat(((Challenge) result).status()).isEqualTo(401);
        assertThat(auth.tryAuthenticate(ctx)).isNull();
    }

    @Test
    void unknownUserIsChallengedAfterAVerificationLikeAKnownOne() throws IOException {
        EdgeAuthentication auth = basicOnly(false);
        HttpContext ctx = request(null, "Authorization", basic("mallory", PASSWORD));

        assertThat(auth.tryAuthenticate(ctx)).isNull();
        assertThat(auth.authenticate(ctx)).isEqualTo(CHALLENGE);
        assertThat(auth.authenticate(request(null, "Authorization", basic("Alice", PASSWORD)))).isEqualTo(CHALLENGE);
    }

    @Test
    void malformedBasicCredentialsAreChallengedWithoutBlocking() throws IOException {
        EdgeAuthentication auth = basicOnly(false);
        String[] values = {
            "Basic", "Basic ", "Basic !!not-base64!!", "Basic " + b64("alice"), "Basic " + b64(":" + PASSWORD),
            "Basic " + Base64.getEncoder().encodeToString(new byte[] {'a', ':', (byte) 0xC3, (byte) 0x28}),
        };
        for (String value : values) {
            assertThat(auth.tryAuthenticate(request(null, "Authorization", value))).as(value).isEqualTo(CHALLENGE);
            assertThat(auth.authenticate(request(null, "Authorization", value))).as(value).isEqualTo(CHALLENGE);
        }
    }

    @Test
    void theSchemeIsCaseInsensitiveAndThePasswordMayHoldColons() throws IOException {
        Path file = credentials("carol:" + PasswordHash.hash("a:b:c".toCharArray(), 1000) + "\n");
        EdgeAuthentication auth = new EdgeAuthentication(Settings.basic(file, false), nanos::get);

        assertThat(auth.authenticate(request(null, "Authorization", "bASIC   " + b64("carol:a:b:c"))))
                .isEqualTo(new Authenticated(new ModuleUser("carol", "Basic")));
    }

    @Test
    void otherSchemesAreTreatedAsAbsent() throws IOException {
        EdgeAuthentication optional = basicOnly(false);
        EdgeAuthentication required = basicOnly(true);
        for (String value : new String[] {"Bearer eyJhbGciOiJIUzI1NiJ9.e30.x", "Negotiate YIIB", "Basicx " + b64("alice:" + PASSWORD)}) {
            assertThat(optional.tryAuthenticate(request(null, "Authorization", value))).as(value).isEqualTo(Anonymous.INSTANCE);
            assertThat(required.tryAuthenticate(request(null, "Authorization", value))).as(value).isEqualTo(CHALLENGE);
        }
    }

    @Test
    void noCredentialsAreAnonymousOrAChallengeWhenRequired() throws IOException {
        assertThat(basicOnly(false).tryAuthenticate(request(null))).isEqualTo(new Anonymous());
        assertThat(basicOnly(true).tryAuthenticate(request(null))).isEqualTo(CHALLENGE);
    }

    @Test
    void theRealmIsConfigurable() throws IOException {
        Path file = credentials("alice:" + CORRECT_HORSE_1000 + "\n");
        EdgeAuthentication auth = new EdgeAuthentication(new Settings(file, " Intranet (staff) ", null, true), nanos::get);

        assertThat(auth.tryAuthenticate(request(null))).isEqualTo(new Challenge("Basic realm=\"Intranet (staff)\", charset=\"UTF-8\""));
    }

    @Test
    void basicWithoutACredentialsFileIsLeftToTheApplication() throws IOException {
        EdgeAuthentication auth = new EdgeAuthentication(new Settings(null, null, Map.of(), false), nanos::get);

        assertThat(auth.tryAuthenticate(request(null, "Authorization", basic("alice", PASSWORD)))).isEqualTo(Anonymous.INSTANCE);
    }

    // --- client certificates ---

    @Test
    void mapsACertificateBySubjectDn() throws IOException {
        EdgeAuthentication auth = certificates(Map.of("O=Lanner Test,CN=alice", "alice"), false);

        assertThat(ALICE.getSubjectX500Principal().getName()).isEqualTo("O=Lanner Test,CN=alice");
        assertThat(auth.tryAuthenticate(request(ALICE))).isEqualTo(new Authenticated(new ModuleUser("alice", "Certificate")));
        assertThat(auth.tryAuthenticate(request(BOB))).isEqualTo(Anonymous.INSTANCE);
    }

    @Test
    void aSubjectFromAnIssuerNotNamedIsNotMapped() throws IOException {
        // Anyone can make a certificate with alice's subject; only one signed by a named issuer counts.
        EdgeAuthentication auth = new EdgeAuthentication(new Settings(null, null, Map.of("O=Lanner Test,CN=alice", "alice"),
                false, List.of(BOB)), nanos::get);

        assertThat(auth.tryAuthenticate(request(ALICE))).isEqualTo(Anonymous.INSTANCE);
    }

    @Test
    void mappingBySubjectWithoutIssuersIsRefused() {
        assertThatThrownBy(() -> new EdgeAuthentication(new Settings(null, null, Map.of("CN=alice", "alice"), false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("need their issuers (clientCertificate.issuers)");
    }

    @Test
    void subjectDnMatchesAsAnX500NameIgnoringCaseAndSpacing() throws IOException {
        EdgeAuthentication auth = certificates(Map.of("o=lanner  test, CN=Alice", "alice"), false);

        assertThat(auth.tryAuthenticate(request(ALICE))).isEqualTo(new Authenticated(new ModuleUser("alice", "Certificate")));
    }

    @Test
    void mapsACertificateByThumbprintInAnyCaseWithOrWithoutColons() throws IOException {
        String upperWithColons = "sha256:" + ALICE_THUMBPRINT;
        String lowerPlain = "SHA256:" + ALICE_THUMBPRINT.replace(":", "").toLowerCase();

        assertThat(EdgeAuthentication.thumbprint(ALICE)).isEqualTo(ALICE_THUMBPRINT.replace(":", "").toLowerCase());
        for (String key : new String[] {upperWithColons, lowerPlain}) {
            EdgeAuthentication auth = certificates(Map.of(key, "alice@example.com"), true);
            assertThat(auth.tryAuthenticate(request(ALICE))).as(key)
                    .isEqualTo(new Authenticated(new ModuleUser("alice@example.com", "Certificate")));
            assertThat(auth.tryAuthenticate(request(BOB))).as(key).isEqualTo(new Challenge(null));
        }
    }

    @Test
    void theThumbprintWinsOverTheSubject() throws IOException {
        EdgeAuthentication auth = certificates(Map.of("O=Lanner Test,CN=alice", "by-subject", "sha256:" + ALICE_THUMBPRINT, "by-thumbprint"), false);

        assertThat(auth.tryAuthenticate(request(ALICE))).isEqualTo(new Authenticated(new ModuleUser("by-thumbprint", "Certificate")));
    }

    @Test
    void requiredWithoutACredentialsFileIsForbiddenWithoutAChallenge() throws IOException {
        EdgeAuthentication auth = certificates(Map.of("O=Lanner Test,CN=alice", "alice"), true);

        Result result = auth.tryAuthenticate(request(null));

        assertThat(result).isEqualTo(new Challenge(null));
        assertThat(((Challenge) result).status()).isEqualTo(403);
    }

    @Test
    void basicComesBeforeTheCertificate() throws IOException {
        Path file = credentials("alice:" + CORRECT_HORSE_1000 + "\n");
        EdgeAuthentication auth = new EdgeAuthentication(new Settings(file, null, Map.of("O=Lanner Test,CN=bob", "bob"), false,
                List.of(BOB)), nanos::get);

        assertThat(authenticate(auth, request(BOB, "Authorization", basic("alice", PASSWORD)))).isEqualTo(ALICE_BASIC);
        assertThat(authenticate(auth, request(BOB, "Authorization", basic("alice", "wrong")))).isEqualTo(CHALLENGE);
        assertThat(authenticate(auth, request(BOB, "Authorization", "Bearer x")))
                .isEqualTo(new Authenticated(new ModuleUser("bob", "Certificate")));
    }

    @Test
    void rejectsSettingsThatCannotWork() {
        assertRejected(() -> new Settings(null, "say \"hi\"", null, false),
                "the realm 'say \"hi\"' has the character '\"'; expected no quote, backslash or control character");
        assertRejected(() -> new Settings(null, "a\tb", null, false),
                "the realm 'a\tb' has the character U+0009; expected no quote, backslash or control character");
        assertRejected(() -> certificates(Map.of("sha256:abcd", "alice"), false),
                "the certificate key 'sha256:abcd' has no SHA-256 thumbprint; expected sha256: and 64 hex digits (colons allowed)");
        assertRejected(() -> certificates(Map.of("not a dn", "alice"), false),
                "the certificate key 'not a dn' is neither a subject DN (RFC 2253, e.g. CN=alice,O=Example) nor sha256:<thumbprint>: ");
        assertRejected(() -> certificates(Map.of("CN=alice", " "), false),
                "the certificate 'CN=alice' maps to a blank user name; expected a user name");
        assertRejected(() -> certificates(Map.of("CN=alice,O=X", "a", "cn=ALICE, o=x", "b"), false),
                "names a certificate already mapped to");
    }

    private static void assertRejected(ThrowingCallable construction, String message) {
        assertThatThrownBy(construction).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    // --- the credentials file ---

    @Test
    void aCredentialsFileThatCannotBeLoadedFailsTheConstruction() throws IOException {
        Path file = credentials("alice\n");

        assertThatThrownBy(() -> new EdgeAuthentication(Settings.basic(file, false)))
                .isInstanceOf(CredentialsFileException.class).hasMessageStartingWith(file + ":1: no ':' on the line");
        assertThatThrownBy(() -> new EdgeAuthentication(Settings.basic(dir.resolve("none.txt"), false)))
                .isInstanceOf(CredentialsFileException.class).hasMessage(dir.resolve("none.txt") + ": file not found");
    }

    @Test
    void reloadsTheFileWhenItChangesAtMostOnceASecondAndDropsTheCache() throws IOException {
        EdgeAuthentication auth = basicOnly(false);
        assertThat(auth.authenticate(request(null, "Authorization", basic("alice", PASSWORD)))).isEqualTo(ALICE_BASIC);

        credentials("bob:" + CORRECT_HORSE_1000 + "\n");
        nanos.addAndGet(999_000_000L);
        assertThat(auth.tryAuthenticate(request(null, "Authorization", basic("alice", PASSWORD)))).as("not looked at yet")
                .isEqualTo(ALICE_BASIC);

        nanos.addAndGet(1_000_000L);
        assertThat(auth.tryAuthenticate(request(null, "Authorization", basic("alice", PASSWORD)))).as("cache dropped").isNull();
        assertThat(auth.authenticate(request(null, "Authorization", basic("alice", PASSWORD)))).isEqualTo(CHALLENGE);
        assertThat(auth.authenticate(request(null, "Authorization", basic("bob", PASSWORD))))
                .isEqualTo(new Authenticated(new ModuleUser("bob", "Basic")));
    }

    @Test
    void aFailedReloadKeepsThePreviousCredentials() throws IOException {
        EdgeAuthentication auth = basicOnly(false);
        auth.authenticate(request(null, "Authorization", basic("alice", PASSWORD)));

        credentials("alice:" + CORRECT_HORSE_1000 + "\nalice:" + CORRECT_HORSE_1000 + "\n");
        nanos.addAndGet(2_000_000_000L);

        assertThat(auth.tryAuthenticate(request(null, "Authorization", basic("alice", PASSWORD)))).isEqualTo(ALICE_BASIC);
        assertThat(auth.authenticate(request(null, "Authorization", basic("Zoë", "pässwörd"))))
                .isEqualTo(new Authenticated(new ModuleUser("Zoë", "Basic")));

        Files.delete(dir.resolve("users.txt"));
        nanos.addAndGet(2_000_000_000L);
        assertThat(auth.authenticate(request(null, "Authorization", basic("alice", PASSWORD)))).isEqualTo(ALICE_BASIC);

        credentials("carol:" + CORRECT_HORSE_1000 + "\n");
        nanos.addAndGet(2_000_000_000L);
        assertThat(auth.authenticate(request(null, "Authorization", basic("carol", PASSWORD))))
                .as("a fixed file is loaded again").isEqualTo(new Authenticated(new ModuleUser("carol", "Basic")));
    }

    @Test
    void isSafeUnderConcurrentRequests() throws Exception {
        EdgeAuthentication auth = basicOnly(false);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Result>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String password = i % 2 == 0 ? PASSWORD : "wrong";
                results.add(pool.submit(() -> authenticate(auth, request(null, "Authorization", basic("alice", password)))));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isEqualTo(i % 2 == 0 ? ALICE_BASIC : CHALLENGE);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private EdgeAuthentication certificates(Map<String, String> users, boolean required) throws IOException {
        // The fixtures are self-signed: each is its own issuer.
        return new EdgeAuthentication(new Settings(null, null, users, required, List.of(ALICE, BOB)), nanos::get);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
