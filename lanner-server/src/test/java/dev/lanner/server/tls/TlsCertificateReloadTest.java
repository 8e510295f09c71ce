package dev.lanner.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.server.e2e.RunningServer;
import dev.lanner.tls.CertificateLoadException;
import dev.lanner.tls.ServerCertificate;
import dev.lanner.tls.ServerCertificateFiles;
import dev.lanner.tls.ServerCertificateSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A certificate file replaced under a running server: new handshakes use it, open connections go on. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TlsCertificateReloadTest {

    @TempDir
    static Path dir;
    private static Path first;
    private static Path second;
    private static ServerCertificate firstCertificate;
    private static ServerCertificate secondCertificate;

    @BeforeAll
    static void createCertificates() throws CertificateLoadException {
        first = TestCertificates.createPkcs12(dir, "first", "EC", "first.test");
        second = TestCertificates.createPkcs12(dir, "second", "RSA", "second.test");
        firstCertificate = ServerCertificateFiles.read(first, null, TestCertificates.PASSWORD);
        secondCertificate = ServerCertificateFiles.read(second, null, TestCertificates.PASSWORD);
    }

    private static Path copyOfFirst(String name) throws IOException {
        return Files.copy(first, dir.resolve(name + ".p12"));
    }

    private static void replace(Path target, Path with) throws IOException {
        Files.copy(with, target, StandardCopyOption.REPLACE_EXISTING);
        TestCertificates.touch(target);
    }

    @Test
    void newHandshakesUseTheReplacedCertificateWhileAnOpenConnectionGoesOn() throws IOException {
        Path served = copyOfFirst("served");
        ServerCertificateSource source = ServerCertificateFiles.watch(served, null, TestCertificates.PASSWORD, Duration.ZERO);
        List<ServerCertificate> trusted = List.of(firstCertificate, secondCertificate);
        try (RunningServer server = TlsTestServers.start(TlsOptions.of(source));
             TlsClient before = TlsClient.connect(server.port(), trusted)) {
            assertThat(before.serverLeaf()).isEqualTo(firstCertificate.leaf());
            assertThat(before.get("/info").status()).isEqualTo(200);

            replace(served, second);

            try (TlsClient after = TlsClient.connect(server.port(), trusted)) {
                assertThat(after.serverLeaf()).isEqualTo(secondCertificate.leaf());
                assertThat(after.get("/info").status()).isEqualTo(200);
            }
            assertThat(before.get("/info").status()).isEqualTo(200);
            assertThat(before.serverLeaf()).isEqualTo(firstCertificate.leaf());
        }
    }

    @Test
    void keepsThePreviousCertificateWhileTheNewFileIsUnreadable() throws IOException {
        Path served = copyOfFirst("unreadable");
        ServerCertificateSource source = ServerCertificateFiles.watch(served, null, TestCertificates.PASSWORD, Duration.ZERO);

        Files.write(served, new byte[] {1, 2, 3});
        TestCertificates.touch(served);
        assertThat(source.current()).isSameAs(source.current());
        assertThat(source.current().leaf()).isEqualTo(firstCertificate.leaf());

        replace(served, second);
        assertThat(source.current().leaf()).isEqualTo(secondCertificate.leaf());
    }

    @Test
    void looksAtTheFilesOncePerInterval() throws IOException {
        Path served = copyOfFirst("interval");
        ServerCertificateSource source = ServerCertificateFiles.watch(served, null, TestCertificates.PASSWORD, Duration.ofHours(1));
        replace(served, second);
        assertThat(source.current().leaf()).isEqualTo(firstCertificate.leaf());
    }

    @Test
    void aMissingFileFailsTheFirstLoadOnly() throws IOException {
        Path served = copyOfFirst("deleted");
        ServerCertificateSource source = ServerCertificateFiles.watch(served, null, TestCertificates.PASSWORD, Duration.ZERO);
        Files.delete(served);
        assertThat(source.current().leaf()).isEqualTo(firstCertificate.leaf());
    }
}
