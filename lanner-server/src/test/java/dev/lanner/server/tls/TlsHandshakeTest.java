package dev.lanner.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.server.e2e.RunningServer;
import dev.lanner.tls.ServerCertificate;
import dev.lanner.tls.ServerCertificateSource;
import dev.lanner.tls.SniCertificateSelector;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Handshakes against a real server over loopback: versions, ALPN, SNI, client certificates, failures. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TlsHandshakeTest {

    @TempDir
    static Path dir;
    private static ServerCertificate localhost;
    private static ServerCertificate siteA;
    private static ServerCertificate siteB;
    private static ServerCertificate client;

    @BeforeAll
    static void createCertificates() {
        localhost = TestCertificates.create(dir, "localhost", "localhost", "dns:localhost", "ip:127.0.0.1");
        siteA = TestCertificates.create(dir, "a", "a.test");
        siteB = TestCertificates.create(dir, "b", "*.b.test");
        client = TestCertificates.create(dir, "client", "client");
    }

    private static TlsOptions options() {
        return TlsOptions.of(ServerCertificateSource.of(localhost));
    }

    // --- protocol versions ---

    @Test
    void servesHttpsOverTls13() throws IOException {
        try (RunningServer server = TlsTestServers.start(options());
             TlsClient tls = TlsClient.connect(server.port(), List.of(localhost), null,
                     p -> p.setProtocols(new String[] {"TLSv1.3"}))) {
            TlsClient.Response response = tls.get("/info");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("TLSv1.3|" + tls.socket().getSession().getCipherSuite()
                    + "|null|null|null|https");
        }
    }

    @Test
    void servesHttpsOverTls12() throws IOException {
        try (RunningServer server = TlsTestServers.start(options());
             TlsClient tls = TlsClient.connect(server.port(), List.of(localhost), null,
                     p -> p.setProtocols(new String[] {"TLSv1.2"}))) {
            TlsClient.Response response = tls.get("/info");
            assertThat(response.text()).isEqualTo("TLSv1.2|" + tls.socket().getSession().getCipherSuite()
                    + "|null|null|null|https");
            assertThat(tls.socket().getSession().getCipherSuite()).startsWith("TLS_ECDHE_ECDSA_");
        }
    }

    @Test
    void servesTheJdkHttpClientThatVerifiesTheCertificate() throws Exception {
        try (RunningServer server = TlsTestServers.start(options());
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                     .sslContext(TlsClient.context(List.of(localhost), null)).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + server.port() + "/info")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).startsWith("TLSv1.3|TLS_").endsWith("|null|null|localhost|https");
        }
    }

    @Test
    void refusesATls11ClientHelloWithAProtocolVersionAlert() throws IOException {
        try (RunningServer server = TlsTestServers.start(options());
             Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(tls11ClientHello());
            byte[] reply = socket.getInputStream().readAllBytes();
            // RFC 8446 §6: an alert record (21) holding fatal (2) protocol_version (70).
            assertThat(reply).hasSize(7);
            assertThat(reply[0]).isEqualTo((byte) 21);
            assertThat(new byte[] {reply[5], reply[6]}).containsExactly(2, 70);
        }
    }

    @Test
    void refusesTls12WhenOnlyTls13IsEnabled() throws IOException {
        try (RunningServer server = TlsTestServers.start(options().withProtocols(List.of("TLSv1.3")))) {
            assertThatThrownBy(() -> TlsClient.connect(server.port(), List.of(localhost), null,
                    p -> p.setProtocols(new String[] {"TLSv1.2"})))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("protocol_version");
        }
    }

    @Test
    void rejectsAProtocolNameTheJdkDoesNotKnowAtConstruction() {
        assertThatThrownBy(() -> new TlsConnectionMiddleware(options().withProtocols(List.of("TLSv9"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TLSv9");
    }

    // --- ALPN ---

    @Test
    void negotiatesH2WhenTheClientOffersItAndTheEndpointPrefersIt() throws IOException {
        try (RunningServer server = TlsTestServers.start(options().withApplicationProtocols(List.of("h2", "http/1.1")));
             TlsClient tls = TlsClient.connect(server.port(), List.of(localhost), null,
                     p -> p.setApplicationProtocols(new String[] {"http/1.1", "h2"}))) {
            assertThat(tls.socket().getApplicationProtocol()).isEqualTo("h2");
        }
    }

    @Test
    void negotiatesHttp11WhenTheClientOffersOnlyThat() throws IOException {
        try (RunningServer server = TlsTestServers.start(options().withApplicationProtocols(List.of("h2", "http/1.1")));
             TlsClient tls = TlsClient.connect(server.port(), List.of(localhost), null,
                     p -> p.setApplicationProtocols(new String[] {"http/1.1"}))) {
            assertThat(tls.socket().getApplicationProtocol()).isEqualTo("http/1.1");
            assertThat(tls.get("/info").text()).endsWith("|http/1.1|null|null|https");
        }
    }

    @Test
    void servesAClientThatOffersNoAlpnWithoutAlpn() throws IOException {
        try (RunningServer server = TlsTestServers.start(options().withApplicationProtocols(List.of("h2", "http/1.1")));
             TlsClient tls = TlsClient.connect(server.port(), List.of(localhost))) {
            assertThat(tls.socket().getApplicationProtocol()).isEmpty();
            assertThat(tls.get("/info").text()).endsWith("|null|null|null|https");
        }
    }

    @Test
    void failsTheHandshakeWithNoApplicationProtocolWhenTheOffersDoNotOverlap() throws IOException {
        try (RunningServer server = TlsTestServers.start(options().withApplicationProtocols(List.of("h2", "http/1.1")))) {
            assertThatThrownBy(() -> TlsClient.connect(server.port(), List.of(localhost), null,
                    p -> p.setApplicationProtocols(new String[] {"spdy/3"})))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("no_application_protocol");
        }
    }

    @Test
    void closesAnHttp2OnlyConnectionWhoseClientOfferedNoAlpn() throws IOException {
        try (RunningServer server = TlsTestServers.start(options().withApplicationProtocols(List.of("h2")));
             TlsClient tls = TlsClient.connect(server.port(), List.of(localhost))) {
            // The server closes right after the handshake, before any request could be answered.
            assertThat(readToEndOrFailure(tls)).isEmpty();
        }
    }

    // --- SNI ---

    private static TlsOptions sniOptions(ServerCertificateSource fallback) {
        return TlsOptions.of(new SniCertificateSelector(Map.of(
                "a.test", ServerCertificateSource.of(siteA),
                "*.b.test", ServerCertificateSource.of(siteB)), fallback));
    }

    private static TlsClient connectWithSni(int port, String hostName) throws IOException {
        return TlsClient.connect(port, List.of(localhost, siteA, siteB), null,
                p -> p.setServerNames(List.of(new SNIHostName(hostName))));
    }

    @Test
    void choosesTheCertificateOfTheSniHostName() throws IOException {
        try (RunningServer server = TlsTestServers.start(sniOptions(ServerCertificateSource.of(localhost)))) {
            try (TlsClient tls = connectWithSni(server.port(), "a.test")) {
                assertThat(tls.serverLeaf()).isEqualTo(siteA.leaf());
                assertThat(tls.get("/info").text()).endsWith("|a.test|https");
            }
            try (TlsClient tls = connectWithSni(server.port(), "A.Test")) {
                assertThat(tls.serverLeaf()).isEqualTo(siteA.leaf());
                assertThat(tls.get("/info").text()).endsWith("|a.test|https");
            }
            try (TlsClient tls = connectWithSni(server.port(), "www.b.test")) {
                assertThat(tls.serverLeaf()).isEqualTo(siteB.leaf());
            }
        }
    }

    @Test
    void usesTheFallbackForUnknownNamesAndClientsWithoutSni() throws IOException {
        try (RunningServer server = TlsTestServers.start(sniOptions(ServerCertificateSource.of(localhost)))) {
            try (TlsClient tls = connectWithSni(server.port(), "c.test")) {
                assertThat(tls.serverLeaf()).isEqualTo(localhost.leaf());
            }
            try (TlsClient tls = TlsClient.connect(server.port(), List.of(localhost))) {
                assertThat(tls.serverLeaf()).isEqualTo(localhost.leaf());
                assertThat(tls.get("/info").text()).endsWith("|null|https");
            }
        }
    }

    @Test
    void failsTheHandshakeForAnUnknownNameWithoutFallback() throws IOException {
        try (RunningServer server = TlsTestServers.start(sniOptions(null))) {
            assertThatThrownBy(() -> connectWithSni(server.port(), "c.test")).isInstanceOf(SSLHandshakeException.class);
            try (TlsClient tls = connectWithSni(server.port(), "a.test")) {
                assertThat(tls.serverLeaf()).isEqualTo(siteA.leaf());
            }
        }
    }

    // --- client certificates ---

    @Test
    void asksForNoClientCertificateByDefault() throws IOException {
        try (RunningServer server = TlsTestServers.start(options());
             TlsClient tls = TlsClient.connect(server.port(), List.of(localhost), client, p -> { })) {
            assertThat(tls.get("/info").text()).endsWith("|null|null|null|https");
            assertThat(tls.socket().getSession().getLocalCertificates()).isNull();
        }
    }

    @Test
    void allowedClientCertificateIsOptionalAndVisibleWhenSent() throws IOException {
        TlsOptions allow = options().withClientCertificateMode(ClientCertificateMode.ALLOW_CERTIFICATE);
        try (RunningServer server = TlsTestServers.start(allow)) {
            try (TlsClient tls = TlsClient.connect(server.port(), List.of(localhost))) {
                assertThat(tls.get("/info").text()).endsWith("|null|null|null|https");
            }
            try (TlsClient tls = TlsClient.connect(server.port(), List.of(localhost), client, p -> { })) {
                assertThat(tls.get("/info").text()).endsWith("|null|CN=client|null|https");
            }
        }
    }

    @Test
    void requiredClientCertificateFailsTheConnectionWithoutOne() throws IOException {
        TlsOptions require = options().withClientCertificateMode(ClientCertificateMode.REQUIRE_CERTIFICATE);
        try (RunningServer server = TlsTestServers.start(require)) {
            try (TlsClient tls = TlsClient.connect(server.port(), List.of(localhost), client, p -> { })) {
                assertThat(tls.get("/info").text()).endsWith("|null|CN=client|null|https");
            }
            // In TLS 1.3 the client finishes its side first; the server's alert is what it reads next.
            assertThatThrownBy(() -> {
                try (TlsClient tls = TlsClient.connect(server.port(), List.of(localhost))) {
                    tls.readToEnd();
                }
            }).isInstanceOf(SSLException.class).hasMessageContaining("certificate_required");
        }
    }

    // --- failures that must not matter to anyone else ---

    @Test
    void closesAConnectionWhoseHandshakeDoesNotFinishInTime() throws IOException {
        try (RunningServer server = TlsTestServers.start(options().withHandshakeTimeout(Duration.ofMillis(300)));
             Socket idle = new Socket("127.0.0.1", server.port())) {
            idle.setSoTimeout(5_000);
            long started = System.nanoTime();
            // Half a ClientHello record header, then nothing.
            idle.getOutputStream().write(new byte[] {22, 3});
            assertThat(readToEndOrReset(idle.getInputStream())).isEmpty();
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(elapsedMillis).isBetween(250L, 3_000L);
            assertThat(waitForNoOpenConnections(server)).isTrue();
        }
    }

    @Test
    void closesPlaintextHttpWithoutDisturbingATlsConnection() throws IOException {
        try (RunningServer server = TlsTestServers.start(options());
             TlsClient tls = TlsClient.connect(server.port(), List.of(localhost))) {
            try (Socket plain = new Socket("127.0.0.1", server.port())) {
                plain.setSoTimeout(5_000);
                plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(readToEndOrReset(plain.getInputStream())).isEmpty();
            }
            try (Socket garbage = new Socket("127.0.0.1", server.port())) {
                garbage.setSoTimeout(5_000);
                garbage.getOutputStream().write(new byte[] {22, 3, 3, 0, 5, 1, 2, 3, 4, 5});
                assertThat(readToEndOrReset(garbage.getInputStream())).isNotEmpty().startsWith(21);
            }
            assertThat(tls.get("/info").status()).isEqualTo(200);
        }
    }

    /** Reads to the end; a reset (the server closed with unread input) counts as the end. */
    private static byte[] readToEndOrReset(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
        try {
            byte[] buffer = new byte[1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                read.write(buffer, 0, n);
            }
        } catch (java.net.SocketException e) {
            // connection reset
        }
        return read.toByteArray();
    }

    /** What the server sent before it ended the connection; a TLS-level failure counts as the end. */
    private static byte[] readToEndOrFailure(TlsClient tls) throws IOException {
        try {
            return tls.readToEnd();
        } catch (SSLException | java.net.SocketException e) {
            return new byte[0];
        }
    }

    private static boolean waitForNoOpenConnections(RunningServer server) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (server.server().openConnections() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** A TLS 1.1 ClientHello (RFC 4346 §7.4.1.2) offering TLS_RSA_WITH_AES_128_CBC_SHA, no extensions. */
    static byte[] tls11ClientHello() {
        byte[] body = new byte[2 + 32 + 1 + 4 + 2];
        int i = 0;
        body[i++] = 3;
        body[i++] = 2; // client_version TLS 1.1
        i += 32;       // random: zeros do for a refusal
        body[i++] = 0; // session id
        body[i++] = 0;
        body[i++] = 2;
        body[i++] = 0x00;
        body[i++] = 0x2f;
        body[i++] = 1; // one compression method: null
        body[i] = 0;
        byte[] record = new byte[5 + 4 + body.length];
        record[0] = 22; // handshake
        record[1] = 3;
        record[2] = 2;
        record[3] = 0;
        record[4] = (byte) (4 + body.length);
        record[5] = 1; // client_hello
        record[8] = (byte) body.length;
        System.arraycopy(body, 0, record, 9, body.length);
        return record;
    }
}
