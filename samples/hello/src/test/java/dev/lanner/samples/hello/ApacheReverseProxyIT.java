package dev.lanner.samples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanner.hosting.WebApplication;
import dev.lanner.hosting.WebApplicationOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample behind real Apache httpd (Debian's apache2) configured by
 * {@code deploy/apache/lanner-hello.conf}: mod_proxy_http with {@code ProxyPass}, HTTP and HTTPS
 * virtual hosts, {@code RequestHeader set X-Forwarded-Proto}. Clients connect from their own loopback
 * addresses, so the application seeing that address proves X-Forwarded-For was applied.
 */
@Timeout(120)
class ApacheReverseProxyIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static WebApplication app;
    private static ProxyProcess apache;
    private static int http;
    private static int https;

    @BeforeAll
    static void start() throws Exception {
        int port = ProxyProcess.freePort();
        app = WebApplication.builder(WebApplicationOptions.isolated(Files.createDirectories(dir.resolve("app")),
                "--Urls=http://127.0.0.1:" + port, "--Hosting:RequestLog=false",
                "--ForwardedHeaders:Headers=All", "--ForwardedHeaders:KnownProxies=127.0.0.1",
                "--Health:Enabled=true", "--Health:DrainDelay=0")).build();
        HelloApplication.configure(app);
        app.start();
        http = ProxyProcess.freePort();
        https = ProxyProcess.freePort();
        Path[] certificate = ProxyProcess.selfSignedCertificate(dir);
        String file = "deploy/apache/lanner-hello.conf";
        Map<String, String> replacements = new LinkedHashMap<>();
        replacements.put("http://127.0.0.1:5000/", "http://127.0.0.1:" + port + "/");
        replacements.put("<VirtualHost *:80>", "<VirtualHost 127.0.0.1:" + http + ">");
        replacements.put("<VirtualHost *:443>", "<VirtualHost 127.0.0.1:" + https + ">");
        replacements.put("/etc/ssl/lanner/hello.crt", certificate[0].toString());
        replacements.put("/etc/ssl/lanner/hello.key", certificate[1].toString());
        String site = ProxyProcess.replace(file, Files.readString(ProxyProcess.repositoryRoot().resolve(file)), replacements);
        apache = ProxyProcess.apache(dir, site, List.of("127.0.0.1:" + http, "127.0.0.1:" + https + " https"), http, https);
    }

    @AfterAll
    static void stop() throws Exception {
        if (apache != null) {
            apache.close();
        }
        if (app != null) {
            app.stop();
        }
    }

    @Test
    void overHttpTheApplicationSeesTheClientsAddressSchemeHostAndPrefix() throws Exception {
        JsonNode info = LoopbackClient.get("127.0.0.5", http, "/hello/info", "shop.example").json();
        assertThat(info.get("remoteAddress").asText()).isEqualTo("127.0.0.5");
        assertThat(info.get("scheme").asText()).isEqualTo("http");
        assertThat(info.get("host").asText()).isEqualTo("shop.example");
        assertThat(info.get("pathBase").asText()).isEqualTo("/hello");
        assertThat(info.get("path").asText()).isEqualTo("/info");

        JsonNode root = LoopbackClient.get("127.0.0.5", http, "/info", "shop.example").json();
        assertThat(root.get("pathBase").asText()).isEmpty();
        assertThat(root.get("path").asText()).isEqualTo("/info");
    }

    @Test
    void overHttpsAtApacheTheApplicationSeesHttpsAndTheClient() throws Exception {
        String url = "https://shop.example:" + https + "/hello/info";
        String out = ProxyProcess.run(dir, List.of("curl", "-sS", "-k", "--interface", "127.0.0.6",
                "--resolve", "shop.example:" + https + ":127.0.0.1", "-w", "\n%{http_code}", url));
        assertThat(out.substring(out.lastIndexOf('\n') + 1)).isEqualTo("200");
        JsonNode info = JSON.readTree(out.substring(0, out.lastIndexOf('\n')));
        assertThat(info.get("remoteAddress").asText()).isEqualTo("127.0.0.6");
        assertThat(info.get("scheme").asText()).isEqualTo("https");
        assertThat(info.get("host").asText()).isEqualTo("shop.example:" + https);
        assertThat(info.get("pathBase").asText()).isEqualTo("/hello");
    }

    @Test
    void aClientCannotSpoofItsAddressSchemeOrPrefixThroughApache() throws Exception {
        // mod_proxy appends the address it saw to X-Forwarded-For; ForwardLimit 1 takes only that hop.
        JsonNode info = LoopbackClient.get("127.0.0.5", http, "/info", "shop.example",
                "X-Forwarded-For: 198.51.100.1", "X-Forwarded-Proto: https", "X-Forwarded-Prefix: /evil",
                "Forwarded: for=198.51.100.2;proto=https").json();
        assertThat(info.get("remoteAddress").asText()).isEqualTo("127.0.0.5");
        assertThat(info.get("scheme").asText()).isEqualTo("http");
        assertThat(info.get("pathBase").asText()).isEmpty();
    }
}
