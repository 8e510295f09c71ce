package dev.lanner.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.features.ServerAddressesFeature;
import dev.lanner.http.features.TlsConnectionFeature;
import dev.lanner.testkit.KitApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HTTPS prefixes on the JDK's HttpsServer, with the development certificate in Development. */
@Timeout(60)
class HttpsPrefixTest {

    @Test
    void servesHttpsWithTheDevelopmentCertificate() throws Exception {
        UrlPrefixRegistry registry = new UrlPrefixRegistry();
        PlatformServer server = new PlatformServer(PlatformServerOptions.defaults().withName("tls")
                .withUrlPrefixes(List.of("https://localhost:0/")).withDevelopment(true), registry);
        server.start(new KitApplication(ctx -> {
            TlsConnectionFeature tls = ctx.features().get(TlsConnectionFeature.class);
            ctx.response().write(ctx.request().scheme() + " " + tls.protocol() + " " + ctx.request().protocol());
        }));
        try {
            String address = server.features().get(ServerAddressesFeature.class).addresses().get(0);
            assertThat(address).matches("https://localhost:\\d+/");
            int port = URI.create(address).getPort();
            try (HttpClient client = HttpClient.newBuilder().sslContext(trustAll())
                    .version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build()) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("https://localhost:" + port + "/secure")).timeout(Duration.ofSeconds(20)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                // The JDK server offers no ALPN: the client asked for h2 and got HTTP/1.1.
                assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
                assertThat(response.body()).isEqualTo("https TLSv1.3 HTTP/1.1");
            }
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }

    static SSLContext trustAll() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, new SecureRandom());
        return context;
    }
}
