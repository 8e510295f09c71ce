package dev.lanner.samples.hello;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.hosting.WebApplication;
import dev.lanner.hosting.WebApplicationOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Misconfigured HTTPS fails start-up with one line naming the problem: a missing file, a wrong
 * password, a key that does not belong to the certificate, and no certificate outside Development.
 * Test material is made with the openssl CLI (Debian's openssl, present wherever curl is).
 */
class HttpsStartupErrorsTest {

    @TempDir
    static Path dir;
    static Path cert;
    static Path key;
    static Path encryptedKey;
    static Path otherKey;
    static Path p12;

    @BeforeAll
    static void makeCertificates() throws Exception {
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        encryptedKey = dir.resolve("key-enc.pem");
        otherKey = dir.resolve("other-key.pem");
        p12 = dir.resolve("cert.p12");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-keyout", key.toString(), "-out", cert.toString());
        openssl("pkcs8", "-topk8", "-in", key.toString(), "-out", encryptedKey.toString(), "-passout", "pass:secret");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", otherKey.toString());
        openssl("pkcs12", "-export", "-in", cert.toString(), "-inkey", key.toString(), "-out", p12.toString(),
                "-passout", "pass:changeit");
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + output);
        }
    }

    /** Starts the sample with an HTTPS endpoint and {@code settings}, then stops it. */
    private static void start(String... settings) throws Exception {
        List<String> args = new ArrayList<>(List.of("--Server:Endpoints:Tls:Url=https://127.0.0.1:0"));
        args.addAll(List.of(settings));
        run(args, app -> { });
    }

    interface WhileRunning {
        void check(WebApplication app) throws Exception;
    }

    /** Starts the sample with {@code settings} (request log off), runs {@code whileRunning}, stops it. */
    private static void run(List<String> settings, WhileRunning whileRunning) throws Exception {
        List<String> args = new ArrayList<>(List.of("--Hosting:RequestLog=false"));
        args.addAll(settings);
        WebApplication app = WebApplication.builder(WebApplicationOptions.isolated(dir, args.toArray(String[]::new))).build();
        HelloApplication.configure(app);
        try {
            app.start();
            whileRunning.check(app);
        } finally {
            app.stop();
        }
    }

    @Test
    void missingCertificateFile() {
        assertThatThrownBy(() -> start("--Server:Endpoints:Tls:Certificate:Path=" + dir.resolve("nope.pem"),
                "--Server:Endpoints:Tls:Certificate:KeyPath=" + key))
                .hasMessage("Certificate file not found: " + dir.resolve("nope.pem") + " (Server:Endpoints:Tls:Certificate)");
    }

    @Test
    void missingKeyFile() {
        assertThatThrownBy(() -> start("--Server:Endpoints:Tls:Certificate:Path=" + cert,
                "--Server:Endpoints:Tls:Certificate:KeyPath=" + dir.resolve("nope-key.pem")))
                .hasMessage("Key file not found: " + dir.resolve("nope-key.pem") + " (Server:Endpoints:Tls:Certificate)");
    }

    @Test
    void wrongKeyPassword() {
        assertThatThrownBy(() -> start("--Server:Endpoints:Tls:Certificate:Path=" + cert,
                "--Server:Endpoints:Tls:Certificate:KeyPath=" + encryptedKey, "--Server:Endpoints:Tls:Certificate:Password=wrong"))
                .hasMessage("Cannot read the private key in " + encryptedKey
                        + ": wrong password or corrupt file (Server:Endpoints:Tls:Certificate)");
    }

    @Test
    void wrongPkcs12Password() {
        assertThatThrownBy(() -> start("--Server:Endpoints:Tls:Certificate:Path=" + p12,
                "--Server:Endpoints:Tls:Certificate:Password=wrong"))
                .hasMessage("Cannot read the private key in " + p12 + ": wrong password or corrupt file (Server:Endpoints:Tls:Certificate)");
    }

    @Test
    void keyNotMatchingTheCertificate() {
        assertThatThrownBy(() -> start("--Server:Endpoints:Tls:Certificate:Path=" + cert,
                "--Server:Endpoints:Tls:Certificate:KeyPath=" + otherKey))
                .hasMessage("The private key in " + otherKey + " does not match the certificate in " + cert
                        + " (Server:Endpoints:Tls:Certificate)");
    }

    @Test
    void aBrokenDefaultCertificateFailsTheStartOfAnHttpsEndpointThatUsesIt() {
        assertThatThrownBy(() -> start("--Server:Certificates:Default:Path=" + dir.resolve("gone.pem"),
                "--Server:Certificates:Default:KeyPath=" + key))
                .hasMessage("Certificate file not found: " + dir.resolve("gone.pem") + " (Server:Certificates:Default)");
    }

    @Test
    void theDefaultCertificateIsNotReadWithoutAnHttpsEndpoint() throws Exception {
        run(List.of("--Server:Endpoints:Http:Url=http://127.0.0.1:0",
                "--Server:Certificates:Default:Path=" + dir.resolve("gone.pem")), app -> {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(app.urls().get(0) + "/plaintext")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("Hello, World!");
        });
    }

    @Test
    void noCertificateOutsideDevelopment() {
        assertThatThrownBy(() -> start("--Environment=Production"))
                .hasMessage("Unable to configure HTTPS endpoint https://127.0.0.1:0: no server certificate was specified"
                        + " and the development certificate is used only in the Development environment; set"
                        + " Server:Endpoints:Tls:Certificate:Path (or Server:Certificates:Default:Path)");
    }

    @Test
    void rightPasswordsStart() throws Exception {
        start("--Server:Endpoints:Tls:Certificate:Path=" + cert, "--Server:Endpoints:Tls:Certificate:KeyPath=" + encryptedKey,
                "--Server:Endpoints:Tls:Certificate:Password=secret");
        start("--Server:Endpoints:Tls:Certificate:Path=" + p12, "--Server:Endpoints:Tls:Certificate:Password=changeit");
    }
}
