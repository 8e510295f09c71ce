package dev.lanner.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.HttpContext;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.ServerAddressesFeature;
import dev.lanner.http.features.TlsConnectionFeature;
import dev.lanner.http.server.HttpApplication;
import dev.lanner.server.LannerServer;
import dev.lanner.server.LannerServerOptions;
import dev.lanner.server.tls.TlsConnectionMiddleware;
import dev.lanner.server.tls.TlsOptions;
import dev.lanner.tls.ServerCertificate;
import dev.lanner.tls.ServerCertificateFiles;
import dev.lanner.tls.ServerCertificateSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys read by BouncyCastle and the development certificate serve the JDK's TLS: a JDK client that
 * checks the certificate and the host name completes a request.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CertificatesOverTlsTest {

    @TempDir
    Path dir;

    /** Answers every request with the negotiated TLS protocol. */
    private static final class TlsProtocolApplication implements HttpApplication<HttpContext> {
        @Override
        public HttpContext createContext(FeatureCollection features) {
            return new HttpContext(features);
        }

        @Override
        public void processRequest(HttpContext context) throws Exception {
            byte[] body = context.feature(TlsConnectionFeature.class).protocol().getBytes(StandardCharsets.US_ASCII);
            context.response().setContentLength(body.length);
            context.response().write(body);
        }

        @Override
        public void disposeContext(HttpContext context, Throwable error) {
        }
    }

    private static String get(ServerCertificate certificate, String host) throws Exception {
        LannerServer server = new LannerServer(LannerServerOptions.defaults()
                .withConnectionMiddleware(new TlsConnectionMiddleware(TlsOptions.of(ServerCertificateSource.of(certificate)))));
        server.features().get(ServerAddressesFeature.class).addresses().add("http://127.0.0.1:0");
        server.start(new TlsProtocolApplication());
        try {
            String address = server.features().get(ServerAddressesFeature.class).addresses().get(0);
            int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            try (HttpClient client = HttpClient.newBuilder().sslContext(trusting(certificate.leaf()))
                    .version(HttpClient.Version.HTTP_1_1).build()) {
                HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(URI.create("https://" + host + ":" + port + "/")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                return response.body();
            }
        } finally {
            server.stop(Duration.ZERO);
        }
    }

    private static SSLContext trusting(X509Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), new SecureRandom());
        return context;
    }

    @Test
    void servesWithAPemCertificateAndItsEncryptedTraditionalKey() throws Exception {
        KeyPair keys = TestMaterial.rsaKeys();
        X509Certificate certificate = TestMaterial.selfSignedFor("localhost", keys);
        Path certificateFile = Files.writeString(dir.resolve("cert.pem"), TestMaterial.pem(certificate));
        Path keyFile = Files.writeString(dir.resolve("key.pem"), TestMaterial.encryptedTraditional(keys.getPrivate(), "pw"));
        assertThat(get(ServerCertificateFiles.read(certificateFile, keyFile, "pw"), "localhost")).isEqualTo("TLSv1.3");
    }

    @Test
    void servesWithAPemEcCertificate() throws Exception {
        KeyPair keys = TestMaterial.ecKeys();
        X509Certificate certificate = TestMaterial.selfSignedFor("localhost", keys);
        Path both = Files.writeString(dir.resolve("both.pem"), TestMaterial.pem(certificate) + TestMaterial.pkcs8(keys.getPrivate()));
        assertThat(get(ServerCertificateFiles.read(both, null, null), "localhost")).isEqualTo("TLSv1.3");
    }

    @Test
    void theDevelopmentCertificateIsValidForLocalhostAndTheLoopbackAddress() throws Exception {
        ServerCertificate development = new DevelopmentCertificate(dir, Clock.systemUTC()).developmentCertificate();
        assertThat(get(development, "localhost")).isEqualTo("TLSv1.3");
        assertThat(get(development, "127.0.0.1")).isEqualTo("TLSv1.3");
    }
}
