package dev.lanner.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server as real clients see it: the JDK {@link HttpClient} and the {@code curl} command line tool. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClientsEndToEndTest {

    private static RunningServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() throws IOException {
        server = RunningServer.start(PipelineApplication.build(app -> app
                .map("/hello", b -> b.run(ctx -> {
                    ctx.response().setContentType("text/plain");
                    ctx.response().write("Hello, World!");
                }))
                .map("/echo", b -> b.run(ctx -> {
                    ctx.response().setHeader("X-Request-Transfer-Encoding",
                            String.valueOf(ctx.request().header("Transfer-Encoding")));
                    ctx.response().write(ctx.request().readAllBytes());
                }))
                .map("/connection", b -> b.run(ctx -> ctx.response().write(ctx.connection().id())))
                .map("/big", b -> b.run(ctx -> {
                    for (int i = 0; i < 100; i++) {
                        ctx.response().write(("line " + i + "\n").repeat(100));
                    }
                }))));
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10));
    }

    // ---- JDK HttpClient ---------------------------------------------------------------------------

    @Test
    void jdkClientGetsAResponse() throws Exception {
        HttpResponse<String> r = client.send(request("/hello").build(), BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(r.body()).isEqualTo("Hello, World!");
        assertThat(r.headers().firstValue("content-length")).hasValue("13");
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain");
        assertThat(r.headers().firstValue("server")).hasValue("Lanner");
    }

    @Test
    void jdkClientPostsFixedLengthAndStreamedBodies() throws Exception {
        HttpResponse<String> fixed = client.send(request("/echo").POST(BodyPublishers.ofString("fixed body")).build(),
                BodyHandlers.ofString());
        assertThat(fixed.body()).isEqualTo("fixed body");
        assertThat(fixed.headers().firstValue("x-request-transfer-encoding")).hasValue("null");

        byte[] large = "streamed ".repeat(10_000).getBytes();
        HttpResponse<byte[]> streamed = client.send(request("/echo")
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(large))).build(),
                BodyHandlers.ofByteArray());
        assertThat(streamed.body()).isEqualTo(large);
        assertThat(streamed.headers().firstValue("x-request-transfer-encoding")).hasValue("chunked");
        assertThat(streamed.headers().firstValue("transfer-encoding")).hasValue("chunked");
    }

    @Test
    void jdkClientWithExpectContinueSendsItsBodyAfterThe100() throws Exception {
        HttpResponse<String> r = client.send(request("/echo").expectContinue(true)
                .POST(BodyPublishers.ofString("after continue")).build(), BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("after continue");
    }

    @Test
    void jdkClientHeadGetsTheLengthWithoutABody() throws Exception {
        HttpResponse<String> r = client.send(request("/hello").method("HEAD", BodyPublishers.noBody()).build(),
                BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-length")).hasValue("13");
        assertThat(r.body()).isEmpty();
    }

    @Test
    void jdkClientReusesOneKeepAliveConnection() throws Exception {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            ids.add(client.send(request("/connection").build(), BodyHandlers.ofString()).body());
        }
        assertThat(ids).hasSize(1);
    }

    @Test
    void jdkClientDefaultHttp2AttemptFallsBackToHttp11() throws Exception {
        // The default client asks for h2c with "Upgrade: h2c"; the application does not upgrade, so HTTP/1.1 answers.
        try (HttpClient h2 = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> r = h2.send(request("/hello").build(), BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(r.body()).isEqualTo("Hello, World!");
        }
    }

    @Test
    void jdkClientReadsAChunkedResponse() throws Exception {
        HttpResponse<String> r = client.send(request("/big").build(), BodyHandlers.ofString());
        assertThat(r.headers().firstValue("transfer-encoding")).hasValue("chunked");
        assertThat(r.body()).hasSize(100 * 100 * "line 0\n".length() + 100 * 90 * 1);
        assertThat(r.body()).startsWith("line 0\nline 0\n").endsWith("line 99\n");
    }

    // ---- curl -----------------------------------------------------------------------------------------

    private static Curl.Result curl(String... args) throws IOException {
        Assumptions.assumeTrue(Curl.isAvailable(), "curl is not installed");
        Curl.Result r = Curl.run(args);
        assertThat(r.exitCode()).as("curl exit code; stderr: %s", r.stderr()).isZero();
        return r;
    }

    private static String url(String path) {
        return server.uri(path).toString();
    }

    @Test
    void curlGetShowsTheExactHead() throws IOException {
        Curl.Result r = curl("-i", url("/hello"));
        assertThat(r.stdout()).matches("(?s)HTTP/1\\.1 200 OK\r\nDate: [^\r]+ GMT\r\nServer: Lanner\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!");
    }

    @Test
    void curlReusesTheConnectionForTwoUrls() throws IOException {
        Curl.Result r = curl("-o", "/dev/null", "-o", "/dev/null", "-w", "%{http_code} %{num_connects}\\n",
                url("/hello"), url("/hello"));
        assertThat(r.stdout()).isEqualTo("200 1\n200 0\n");
    }

    @Test
    void curlPostsFixedAndChunkedBodies() throws IOException {
        assertThat(curl("--data-binary", "posted", url("/echo")).stdout()).isEqualTo("posted");
        Curl.Result chunked = curl("-i", "-H", "Transfer-Encoding: chunked", "--data-binary", "chunked body", url("/echo"));
        assertThat(chunked.stdout()).contains("\r\nX-Request-Transfer-Encoding: chunked\r\n").endsWith("\r\n\r\nchunked body");
    }

    @Test
    void curlWithExpectContinueGetsThe100() throws IOException {
        Curl.Result r = curl("-v", "-H", "Expect: 100-continue", "--data-binary", "continued", url("/echo"));
        assertThat(r.stderr()).contains("< HTTP/1.1 100 Continue").contains("< HTTP/1.1 200 OK");
        assertThat(r.stdout()).isEqualTo("continued");
    }

    @Test
    void curlHeadAndHttp10() throws IOException {
        Curl.Result head = curl("-I", url("/hello"));
        assertThat(head.stdout()).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nContent-Length: 13\r\n").endsWith("\r\n\r\n");
        Curl.Result http10 = curl("-i", "--http1.0", url("/hello"));
        assertThat(http10.stdout()).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nConnection: close\r\n")
                .endsWith("\r\n\r\nHello, World!");
    }

    @Test
    void curlReadsAChunkedResponse() throws IOException {
        Curl.Result r = curl(url("/big"));
        assertThat(r.stdout()).startsWith("line 0\n").endsWith("line 99\n").hasLineCount(100 * 100);
    }
}
