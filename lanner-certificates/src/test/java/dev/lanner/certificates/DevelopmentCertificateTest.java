package dev.lanner.certificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.certificates.DevelopmentCertificate.Inspection;
import dev.lanner.certificates.DevelopmentCertificate.Obtained;
import dev.lanner.certificates.DevelopmentCertificate.State;
import dev.lanner.tls.DevelopmentCertificateProvider;
import dev.lanner.tls.ServerCertificate;
import dev.lanner.tls.ServerCertificateFiles;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevelopmentCertificateTest {

    @TempDir
    Path dir;

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    @Test
    void createsASelfSignedLocalhostCertificate() throws Exception {
        ServerCertificate certificate = new DevelopmentCertificate(dir, Clock.systemUTC()).developmentCertificate();
        X509Certificate leaf = certificate.leaf();
        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=localhost,O=Lanner Development");
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(leaf.getSubjectX500Principal());
        leaf.verify(leaf.getPublicKey());
        assertThat(leaf.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(leaf.getPublicKey().toString()).contains("secp256r1");
        assertThat(leaf.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        // digitalSignature (0) and keyEncipherment (2)
        assertThat(leaf.getKeyUsage()).startsWith(true, false, true, false);
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        Duration validity = Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
        assertThat(validity).isEqualTo(Duration.ofDays(365).plusMinutes(1));
    }

    @Test
    void storesItAsPemWithAnOwnerOnlyKey() throws Exception {
        new DevelopmentCertificate(dir, Clock.systemUTC()).developmentCertificate();
        assertThat(Files.readString(dir.resolve("lanner-dev-cert.pem"))).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(dir.resolve("lanner-dev-key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("lanner-dev-key.pem"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("lanner-dev-cert.pem"))))
                .isEqualTo("rw-r--r--");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("lanner-dev-cert.pem", "lanner-dev-key.pem", ".lock");
        }
    }

    @Test
    void reusesTheStoredCertificateWhileItHasMoreThanADayLeft() throws Exception {
        Instant now = Instant.now();
        ServerCertificate first = new DevelopmentCertificate(dir, at(now)).developmentCertificate();
        ServerCertificate later = new DevelopmentCertificate(dir, at(now.plus(Duration.ofDays(363)))).developmentCertificate();
        assertThat(later.leaf()).isEqualTo(first.leaf());
        assertThat(later.privateKey().getEncoded()).isEqualTo(first.privateKey().getEncoded());
    }

    @Test
    void makesANewOneWhenLessThanADayIsLeft() throws Exception {
        Instant now = Instant.now();
        ServerCertificate first = new DevelopmentCertificate(dir, at(now)).developmentCertificate();
        Instant nearEnd = now.plus(Duration.ofDays(364)).plus(Duration.ofHours(12));
        ServerCertificate renewed = new DevelopmentCertificate(dir, at(nearEnd)).developmentCertificate();
        assertThat(renewed.leaf()).isNotEqualTo(first.leaf());
        assertThat(renewed.leaf().getNotAfter().toInstant()).isAfter(nearEnd.plus(Duration.ofDays(364)));
    }

    @Test
    void makesANewOneWhenTheStoredFilesAreUnusable() throws Exception {
        ServerCertificate first = new DevelopmentCertificate(dir, Clock.systemUTC()).developmentCertificate();
        Files.writeString(dir.resolve("lanner-dev-key.pem"), TestMaterial.pkcs8(TestMaterial.ecKeys().getPrivate()));
        ServerCertificate replaced = new DevelopmentCertificate(dir, Clock.systemUTC()).developmentCertificate();
        assertThat(replaced.leaf()).isNotEqualTo(first.leaf());
    }

    @Test
    void concurrentFirstUsesMakeOneCertificate() throws Exception {
        Callable<X509Certificate> load = () -> new DevelopmentCertificate(dir, Clock.systemUTC()).developmentCertificate().leaf();
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<Future<X509Certificate>> results = threads.invokeAll(List.of(load, load, load, load));
            X509Certificate first = results.get(0).get();
            for (Future<X509Certificate> result : results) {
                assertThat(result.get()).isEqualTo(first);
            }
        }
    }

    @Test
    void isTheDevelopmentCertificateServiceOnTheClassPath() {
        assertThat(ServiceLoader.load(DevelopmentCertificateProvider.class).findFirst())
                .containsInstanceOf(DevelopmentCertificate.class);
    }

    @Test
    void inspectsAMissingCertificate() {
        Inspection inspection = new DevelopmentCertificate(dir.resolve("none"), Clock.systemUTC()).inspect();

        assertThat(inspection).isEqualTo(new Inspection(State.MISSING, null, null));
        assertThat(inspection.isValid()).isFalse();
        assertThat(dir.resolve("none")).doesNotExist();
    }

    @Test
    void inspectsAValidCertificateWithoutChangingIt() throws Exception {
        ServerCertificate created = new DevelopmentCertificate(dir, Clock.systemUTC()).developmentCertificate();

        Inspection inspection = new DevelopmentCertificate(dir, Clock.systemUTC()).inspect();

        assertThat(inspection).isEqualTo(new Inspection(State.VALID, created.leaf(), null));
        assertThat(inspection.isValid()).isTrue();
    }

    @Test
    void inspectsExpiringAndExpiredCertificates() throws Exception {
        Instant now = Instant.now();
        X509Certificate leaf = new DevelopmentCertificate(dir, at(now)).developmentCertificate().leaf();
        Instant end = leaf.getNotAfter().toInstant();

        assertThat(new DevelopmentCertificate(dir, at(end.minus(Duration.ofHours(25)))).inspect().state())
                .isEqualTo(State.VALID);
        assertThat(new DevelopmentCertificate(dir, at(end.minus(Duration.ofHours(23)))).inspect())
                .isEqualTo(new Inspection(State.EXPIRING, leaf, null));
        assertThat(new DevelopmentCertificate(dir, at(end)).inspect())
                .isEqualTo(new Inspection(State.EXPIRED, leaf, null));
    }

    @Test
    void inspectsAKeyThatDoesNotMatchAsUnusable() throws Exception {
        new DevelopmentCertificate(dir, Clock.systemUTC()).developmentCertificate();
        Files.writeString(dir.resolve("lanner-dev-key.pem"), TestMaterial.pkcs8(TestMaterial.ecKeys().getPrivate()));

        Inspection inspection = new DevelopmentCertificate(dir, Clock.systemUTC()).inspect();

        assertThat(inspection.state()).isEqualTo(State.UNUSABLE);
        assertThat(inspection.certificate()).isNull();
        assertThat(inspection.problem()).isEqualTo("The private key in " + dir.resolve("lanner-dev-key.pem")
                + " does not match the certificate in " + dir.resolve("lanner-dev-cert.pem"));
    }

    @Test
    void obtainSaysWhetherItMadeTheCertificate() throws Exception {
        Instant now = Instant.now();
        Obtained first = new DevelopmentCertificate(dir, at(now)).obtain();
        Obtained again = new DevelopmentCertificate(dir, at(now)).obtain();
        Obtained renewed = new DevelopmentCertificate(dir, at(now.plus(Duration.ofDays(366)))).obtain();

        assertThat(first.created()).isTrue();
        assertThat(first.before().state()).isEqualTo(State.MISSING);
        assertThat(again.created()).isFalse();
        assertThat(again.certificate().leaf()).isEqualTo(first.certificate().leaf());
        assertThat(renewed.created()).isTrue();
        assertThat(renewed.before()).isEqualTo(new Inspection(State.EXPIRED, first.certificate().leaf(), null));
    }

    @Test
    void removeDeletesTheCertificateAndKeySoTheNextUseMakesANewOne() throws Exception {
        DevelopmentCertificate certificate = new DevelopmentCertificate(dir, Clock.systemUTC());
        X509Certificate first = certificate.developmentCertificate().leaf();

        assertThat(certificate.remove()).containsExactly(dir.resolve("lanner-dev-cert.pem"), dir.resolve("lanner-dev-key.pem"));

        assertThat(certificate.inspect().state()).isEqualTo(State.MISSING);
        assertThat(certificate.remove()).isEmpty();
        assertThat(certificate.developmentCertificate().leaf()).isNotEqualTo(first);
    }

    @Test
    void removeFindsNothingInAMissingDirectoryAndDoesNotCreateIt() throws Exception {
        assertThat(new DevelopmentCertificate(dir.resolve("none"), Clock.systemUTC()).remove()).isEmpty();
        assertThat(dir.resolve("none")).doesNotExist();
    }

    @Test
    void exportsTheStoredCertificateAsPemWithAnOwnerOnlyKey() throws Exception {
        DevelopmentCertificate certificate = new DevelopmentCertificate(dir.resolve("store"), Clock.systemUTC());
        ServerCertificate stored = certificate.developmentCertificate();
        Path key = dir.resolve("localhost.key");
        Files.writeString(key, "old");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        Obtained exported = certificate.exportPem(dir.resolve("localhost.pem"), key, null);

        assertThat(exported.created()).isFalse();
        ServerCertificate read = ServerCertificateFiles.read(dir.resolve("localhost.pem"), key, null);
        assertThat(read.leaf()).isEqualTo(stored.leaf());
        assertThat(read.privateKey().getEncoded()).isEqualTo(stored.privateKey().getEncoded());
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("localhost.pem"))))
                .isEqualTo("rw-r--r--");
    }

    @Test
    void exportsAnEncryptedPemKeyWhenGivenAPassword() throws Exception {
        DevelopmentCertificate certificate = new DevelopmentCertificate(dir.resolve("store"), Clock.systemUTC());

        Obtained exported = certificate.exportPem(dir.resolve("cert.pem"), dir.resolve("cert.key"), "s3cret".toCharArray());

        assertThat(exported.created()).isTrue();
        assertThat(Files.readString(dir.resolve("cert.key"))).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        ServerCertificate read = ServerCertificateFiles.read(dir.resolve("cert.pem"), dir.resolve("cert.key"), "s3cret");
        assertThat(read.privateKey().getEncoded()).isEqualTo(exported.certificate().privateKey().getEncoded());
    }

    @Test
    void exportsAPkcs12FileProtectedByThePassword() throws Exception {
        DevelopmentCertificate certificate = new DevelopmentCertificate(dir.resolve("store"), Clock.systemUTC());
        ServerCertificate stored = certificate.developmentCertificate();

        certificate.exportPkcs12(dir.resolve("localhost.p12"), "s3cret".toCharArray());

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("localhost.p12"))) {
            store.load(in, "s3cret".toCharArray());
        }
        assertThat(java.util.Collections.list(store.aliases())).containsExactly("lanner-dev-cert");
        assertThat(store.getCertificate("lanner-dev-cert")).isEqualTo(stored.leaf());
        assertThat(store.getKey("lanner-dev-cert", "s3cret".toCharArray()).getEncoded())
                .isEqualTo(stored.privateKey().getEncoded());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("localhost.p12"))))
                .isEqualTo("rw-------");
    }

    @Test
    void refusesAPkcs12FileWithoutAPassword() {
        DevelopmentCertificate certificate = new DevelopmentCertificate(dir, Clock.systemUTC());

        assertThatThrownBy(() -> certificate.exportPkcs12(dir.resolve("localhost.p12"), new char[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a PKCS#12 file needs a password");
        assertThat(dir.resolve("localhost.p12")).doesNotExist();
    }

    @Test
    void theSystemPropertyMovesTheDefaultDirectory() {
        String before = System.getProperty(DevelopmentCertificate.DIRECTORY_PROPERTY);
        System.setProperty("lanner.devCertsDir", dir.toString());
        try {
            assertThat(DevelopmentCertificate.defaultDirectory()).isEqualTo(dir);
            assertThat(new DevelopmentCertificate().certificateFile()).isEqualTo(dir.resolve("lanner-dev-cert.pem"));
        } finally {
            if (before == null) {
                System.clearProperty(DevelopmentCertificate.DIRECTORY_PROPERTY);
            } else {
                System.setProperty(DevelopmentCertificate.DIRECTORY_PROPERTY, before);
            }
        }
    }
}
