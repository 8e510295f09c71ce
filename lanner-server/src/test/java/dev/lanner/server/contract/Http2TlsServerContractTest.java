package dev.lanner.server.contract;

import dev.lanner.http.server.Server;
import dev.lanner.server.EndpointOptions;
import dev.lanner.server.HttpProtocols;
import dev.lanner.server.LannerServer;
import dev.lanner.server.LannerServerOptions;
import dev.lanner.server.tls.TlsOptions;
import dev.lanner.testkit.KeytoolCertificates;
import dev.lanner.testkit.KitClient;
import dev.lanner.testkit.ServerContractTests;
import dev.lanner.testkit.ServerFixture;
import dev.lanner.tls.CertificateLoadException;
import dev.lanner.tls.ServerCertificate;
import dev.lanner.tls.ServerCertificateFiles;
import dev.lanner.tls.ServerCertificateSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.BeforeAll;

/**
 * The server test kit against the default server over h2 with TLS: an HTTP/2-only HTTPS endpoint (ALPN
 * {@code h2}) with a self-signed certificate, and the JDK {@link HttpClient} speaking HTTP/2 with a
 * trust-all context. As over h2c, the protocol is {@code HTTP/2}, the scheme {@code https}, and the
 * minimum response data rate is refused per stream.
 */
class Http2TlsServerContractTest extends ServerContractTests {

    private static ServerCertificate certificate;

    @BeforeAll
    static void createCertificate() throws IOException, CertificateLoadException {
        Path dir = Files.createTempDirectory("lanner-kit-h2");
        Path file = KeytoolCertificates.createPkcs12(dir, "localhost", "EC", "localhost", "dns:localhost", "ip:127.0.0.1");
        certificate = ServerCertificateFiles.read(file, null, KeytoolCertificates.PASSWORD);
    }

    @Override
    protected ServerFixture fixture() {
        return new ServerFixture() {
            @Override
            public String listenUrl() {
                return "https://127.0.0.1:0";
            }

            @Override
            public Server create() {
                return new LannerServer(LannerServerOptions.defaults().withEndpoint(EndpointOptions.of(listenUrl())
                        .withProtocols(HttpProtocols.HTTP2)
                        .withTls(TlsOptions.of(ServerCertificateSource.of(certificate)))));
            }

            @Override
            public KitClient client(Server started) {
                return KitClient.http(KitClient.firstAddress(started), HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_2)
                        .sslContext(trustAll())
                        .connectTimeout(Duration.ofSeconds(5))
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build());
            }

            @Override
            public String requestProtocol() {
                return "HTTP/2";
            }

            @Override
            public boolean enforcesMinResponseDataRate() {
                return false;
            }
        };
    }

    private static SSLContext trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustAll()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }

    /** Trusts the test's self-signed certificate (and any other): test code only. */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}
