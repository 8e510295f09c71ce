package dev.lanner.samples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.hosting.WebApplication;
import dev.lanner.hosting.WebApplicationOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample on the default server over HTTPS with the development certificate, reached by real
 * clients — curl (HTTP/2 and HTTP/1.1), nghttp, the JDK HttpClient and headless Chromium — each
 * asserting the protocol ALPN negotiated. Also h2c with prior knowledge through curl and nghttp.
 * The tools come from Debian's curl, nghttp2-client and chromium packages (scripts/test installs them).
 */
class RealClientsOverHttpsTest {

    private static WebApplication app;
    private static String https;
    private static String h2c;

    @BeforeAll
    static void start(@TempDir Path root) {
        String[] args = {
            "--Environment=Development",
            "--Hosting:RequestLog=false",
            "--Server:Endpoints:Https:Url=https://127.0.0.1:0",
            "--Server:Endpoints:H2c:Url=http://127.0.0.1:0",
            "--Server:Endpoints:H2c:Protocols=Http2",
        };
        app = WebApplication.builder(WebApplicationOptions.isolated(root, args)).build();
        HelloApplication.configure(app);
        app.start();
        for (String url : app.urls()) {
            if (url.startsWith("https://")) {
                https = url;
            } else {
                h2c = url;
            }
        }
        assertThat(https).as("https endpoint in %s", app.urls()).isNotNull();
        assertThat(h2c).as("h2c endpoint in %s", app.urls()).isNotNull();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.stop();
        }
    }

    @Test
    void curlNegotiatesHttp2ByAlpn() throws Exception {
        Result r = run(List.of("curl", "-sS", "-k", "--http2", "-o", "-", "-w", "\n%{http_version} %{http_code}",
                https + "/plaintext"), 20);
        assertThat(r.exitCode).isZero();
        assertThat(r.stdout).isEqualTo("Hello, World!\n2 200");
    }

    @Test
    void curlSpeaksHttp11WhenAsked() throws Exception {
        Result r = run(List.of("curl", "-sS", "-k", "--http1.1", "-o", "-", "-w", "\n%{http_version} %{http_code}",
                https + "/json"), 20);
        assertThat(r.exitCode).isZero();
        assertThat(r.stdout).isEqualTo("{\"message\":\"Hello, World!\"}\n1.1 200");
    }

    @Test
    void curlUsesH2cWithPriorKnowledge() throws Exception {
        Result r = run(List.of("curl", "-sS", "--http2-prior-knowledge", "-o", "-", "-w", "\n%{http_version} %{http_code}",
                h2c + "/plaintext"), 20);
        assertThat(r.exitCode).isZero();
        assertThat(r.stdout).isEqualTo("Hello, World!\n2 200");
    }

    @Test
    void curlUploadsAndDownloadsALargeBodyOverHttp2() throws Exception {
        Path body = Files.createTempFile("lanner-upload", ".bin");
        try {
            byte[] data = new byte[3 * 1024 * 1024 + 17];
            new SecureRandom().nextBytes(data);
            Files.write(body, data);
            Path received = Files.createTempFile("lanner-download", ".bin");
            Result r = run(List.of("curl", "-sS", "-k", "--http2", "--data-binary", "@" + body, "-o", received.toString(),
                    "-w", "%{http_version} %{http_code}", https + "/echo"), 60);
            assertThat(r.exitCode).isZero();
            assertThat(r.stdout).isEqualTo("2 200");
            assertThat(Files.readAllBytes(received)).isEqualTo(data);
            Files.deleteIfExists(received);
        } finally {
            Files.deleteIfExists(body);
        }
    }

    @Test
    void nghttpNegotiatesH2AndGetsTheResponse() throws Exception {
        Result r = run(List.of("nghttp", "-nv", https + "/plaintext"), 20);
        assertThat(r.exitCode).isZero();
        assertThat(r.stdout).contains("The negotiated protocol: h2");
        // nghttp opens its request on stream 13, after PRIORITY frames for idle streams 3..11.
        assertThat(r.stdout).containsPattern("recv \\(stream_id=\\d+\\) :status: 200");
        assertThat(r.stdout).containsPattern("recv DATA frame <length=13, flags=0x01, stream_id=\\d+>");
    }

    @Test
    void nghttpSpeaksH2c() throws Exception {
        Result r = run(List.of("nghttp", "-nv", h2c + "/json"), 20);
        assertThat(r.exitCode).isZero();
        assertThat(r.stdout).containsPattern("recv \\(stream_id=\\d+\\) :status: 200");
        assertThat(r.stdout).containsPattern("recv \\(stream_id=\\d+\\) content-type: application/json");
        assertThat(r.stdout).containsPattern("recv DATA frame <length=27, flags=0x01, stream_id=\\d+>");
    }

    @Test
    void jdkHttpClientUsesHttp2() throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(trustAll())
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(https + "/info"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).contains("\"scheme\":\"https\"").contains("\"protocol\":\"HTTP/2\"");
            }
            HttpResponse<byte[]> echo = client.send(HttpRequest.newBuilder(URI.create(https + "/echo"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[200_000])).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(echo.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(echo.body()).hasSize(200_000);
        }
    }

    @Test
    void h2loadCompletesOverH2cWithoutErrors() throws Exception {
        Result r = run(List.of("h2load", "-n", "100000", "-c", "16", "-m", "32", h2c + "/plaintext"), 120);
        assertThat(r.exitCode).isZero();
        assertThat(r.stdout).contains("requests: 100000 total, 100000 started, 100000 done, 100000 succeeded, 0 failed, 0 errored, 0 timeout");
        assertThat(r.stdout).contains("status codes: 100000 2xx, 0 3xx, 0 4xx, 0 5xx");
    }

    @Test
    void h2loadCompletesOverTlsWithoutErrors() throws Exception {
        Result r = run(List.of("h2load", "-n", "100000", "-c", "16", "-m", "32", https + "/plaintext"), 120);
        assertThat(r.exitCode).isZero();
        assertThat(r.stdout).contains("Application protocol: h2");
        assertThat(r.stdout).contains("requests: 100000 total, 100000 started, 100000 done, 100000 succeeded, 0 failed, 0 errored, 0 timeout");
        assertThat(r.stdout).contains("status codes: 100000 2xx, 0 3xx, 0 4xx, 0 5xx");
    }

    @Test
    void headlessChromiumLoadsThePageOverHttp2(@TempDir Path profile) throws Exception {
        String chromium = Files.isExecutable(Path.of("/usr/bin/chromium")) ? "/usr/bin/chromium" : "chromium";
        Result r = run(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--ignore-certificate-errors", "--user-data-dir=" + profile,
                "--dump-dom", https + "/"), 90);
        assertThat(r.exitCode).as("chromium stderr: %s", r.stderr).isZero();
        assertThat(r.stdout).contains("<h1>Hello from Lanner</h1>");
        assertThat(r.stdout).contains("<span id=\"protocol\">HTTP/2</span>");
        assertThat(r.stdout).contains("(https)");
    }

    private static SSLContext trustAll() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
        return context;
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("lanner-client", ".out");
        Path err = Files.createTempFile("lanner-client", ".err");
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command)).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError(command.get(0) + " did not finish in " + timeoutSeconds + " s: "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
