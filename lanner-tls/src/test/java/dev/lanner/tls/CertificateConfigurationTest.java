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

    @Test
    void aDeferredSectionReadsItsFilesWhenPreparedAndFailsThenInOneLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("later.p12");
        values.put(SECTION + ":Path", file.toString());
        values.put(SECTION + ":Password", TestCertificates.PASSWORD);

        ServerCertificateSource deferred = CertificateConfiguration.readDeferred(SECTION, values::get, key -> "appsettings.json");

        assertThat(deferred).isNotNull(); // the file does not exist yet, and nothing read it
        assertThatThrownBy(deferred::prepare).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Certificate file not found: " + file + " (" + SECTION + ")");
        java.nio.file.Files.move(TestCertificates.createPkcs12(dir, "server", "EC", "later.test"), file);
        deferred.prepare();
        assertThat(deferred.current().leaf().getSubjectX500Principal().getName()).isEqualTo("CN=later.test");
    }

    @Test
    void aDeferredSourceNotPreparedLoadsOnItsFirstHandshake(@TempDir Path dir) {
        values.put(SECTION + ":Path", TestCertificates.createPkcs12(dir, "server", "EC", "first.test").toString());
        values.put(SECTION + ":Password", TestCertificates.PASSWORD);

        ServerCertificateSource deferred = CertificateConfiguration.readDeferred(SECTION, values::get, key -> "appsettings.json");

        assertThat(deferred.current().leaf().getSubjectX500Principal().getName()).isEqualTo("CN=first.test");
    }

    @Test
    void aDeferredSectionStillRejectsAKeyPathWithoutPathAtOnce() {
        values.put(SECTION + ":KeyPath", "key.pem");
        assertThatThrownBy(() -> CertificateConfiguration.readDeferred(SECTION, values::get, key -> "appsettings.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid configuration in appsettings.json: " + SECTION + ":KeyPath is set but " + SECTION + ":Path is not");
    }

    @Test
    void selectorsPrepareEverySourceTheySelectFrom() {
        java.util.List<String> prepared = new java.util.ArrayList<>();
        ServerCertificateSource a = source("a", prepared);
        ServerCertificateSource b = source("b", prepared);
        ServerCertificateSource fallback = source("fallback", prepared);

        ServerCertificateSelector.single(a).prepare();
        new SniCertificateSelector(new java.util.LinkedHashMap<>(Map.of("a.test", a)), null).prepare();
        java.util.Map<String, ServerCertificateSource> sni = new java.util.LinkedHashMap<>();
        sni.put("*.b.test", b);
        sni.put("a.test", a);
        new SniCertificateSelector(sni, fallback).prepare();

        assertThat(prepared).containsExactly("a", "a", "b", "a", "fallback");
    }

    private static ServerCertificateSource source(String name, java.util.List<String> prepared) {
        return new ServerCertificateSource() {
            @Override
            public ServerCertificate current() {
                throw new AssertionError("not selected in this test");
            }

            @Override
            public void prepare() {
                prepared.add(name);
            }
        };
    }
}
