package dev.lanner.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.tls.DevelopmentCertificateProvider;
import dev.lanner.tls.ServerCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
}
