package dev.lanner.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One reader of a certificate section ({@code :Path}, {@code :KeyPath}, {@code :Password}) for both servers. */
class CertificateConfigurationTest {

    private static final String SECTION = "Server:Certificates:Default";

    private final Map<String, String> values = new HashMap<>();

    private ServerCertificateSource read() {
        return CertificateConfiguration.read(SECTION, values::get, key -> "appsettings.json");
    }

    @Test
    void noPathIsNoCertificate() {
        assertThat(read()).isNull();
    }

    @Test
    void aPkcs12FileIsLoadedWithItsPassword(@TempDir Path dir) {
        Path file = TestCertificates.createPkcs12(dir, "server", "EC", "server.test");
        values.put(SECTION + ":Path", " " + file + " ");
        values.put(SECTION + ":Password", TestCertificates.PASSWORD);
        assertThat(read().current().leaf().getSubjectX500Principal().getName()).isEqualTo("CN=server.test");
    }

    @Test
    void aKeyPathWithoutPathAndAnUnreadableFileFailInOneLineNamingTheSection(@TempDir Path dir) {
        values.put(SECTION + ":KeyPath", "key.pem");
        assertThatThrownBy(this::read).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid configuration in appsettings.json: " + SECTION + ":KeyPath is set but " + SECTION + ":Path is not");
        values.clear();
        values.put(SECTION + ":Path", dir.resolve("missing.p12").toString());
        assertThatThrownBy(this::read).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("(" + SECTION + ")").hasMessageNotContaining("\n");
    }
}
