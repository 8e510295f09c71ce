package dev.lanner.samples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanner.hosting.WebApplication;
import dev.lanner.hosting.WebApplicationOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample behind real nginx (Debian's package) configured by {@code deploy/nginx/lanner-hello.conf}:
 * three instances in one upstream with keep-alive connections, HTTP/1.1 and HTTPS with HTTP/2 at
 * nginx's edge. Clients connect from their own loopback addresses (127.0.0.5, 127.0.0.6), so the
 * application seeing that address proves X-Forwarded-For was applied; it also sees the client's
 * scheme, host and the prefix nginx strips. The instances trust nginx (127.0.0.1) only, so the same
 * headers from any other client are ignored.
 */
@Timeout(120)
class NginxReverseProxyIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static final List<WebApplication> instances = new ArrayList<>();
    private static final List<Integer> instancePorts = new ArrayList<>();
    private static ProxyProcess nginx;
    private static int http;
    private static int https;

    @BeforeAll
    static void start() throws Exception {
        for (int i = 0; i < 3; i++) {
            int port = ProxyProcess.freePort();
            WebApplication app = WebApplication.builder(WebApplicationOptions.isolated(Files.createDirectories(dir.resolve("app" + i)),
                    "--Urls=http://127.0.0.1:" + port, "--Hosting:RequestLog=false",
                    "--ForwardedHeaders:Headers=All", "--ForwardedHeaders:KnownProxies=127.0.0.1",
                    "--Health:Enabled=true", "--Health:DrainDelay=0")).build();
            HelloApplication.configure(app);
            app.start();
            instances.add(app);
            instancePorts.add(port);
        }
        http = ProxyProcess.freePort();
        https = ProxyProcess.freePort();
        Path[] certificate = ProxyProcess.selfSignedCertificate(dir);
        String file = "deploy/nginx/lanner-hello.conf";
        Map<String, String> replacements = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            replacements.put("127.0.0.1:500" + i + " ", "127.0.0.1:" + instancePorts.get(i) + " ");
        }
        replacements.put("listen 80;", "listen 127.0.0.1:" + http + ";");
        replacements.put("listen 443 ssl http2;", "listen 127.0.0.1:" + https + " ssl http2;");
        replacements.put("/etc/ssl/lanner/hello.crt", certificate[0].toString());
        replacements.put("/etc/ssl/lanner/hello.key", certificate[1].toString());
        String site = ProxyProcess.replace(file, Files.readString(ProxyProcess.repositoryRoot().resolve(file)), replacements);
        nginx = ProxyProcess.nginx(dir, site, http, https);
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        instances.forEach(WebApplication::stop);
    }

    @Test
    void overHttpTheApplicationSeesTheClientsAddressSchemeHostAndPrefix() throws Exception {
        JsonNode info = LoopbackClient.get("127.0.0.5", http, "/hello/info", "shop.example").json();
        assertThat(info.get("remoteAddress").asText()).isEqualTo("127.0.0.5");
        assertThat(info.get("scheme").asText()).isEqualTo("http");
        assertThat(info.get("host").asText()).isEqualTo("shop.example");
        assertThat(info.get("pathBase").asText()).isEqualTo("/hello");
        assertThat(info.get("path").asText()).isEqualTo("/info");

        JsonNode root = LoopbackClient.get("127.0.0.5", http, "/info", "shop.example:8080").json();
        assertThat(root.get("host").asText()).isEqualTo("shop.example:8080");
        assertThat(root.get("pathBase").asText()).isEmpty();
        assertThat(root.get("path").asText()).isEqualTo("/info");
    }

    @Test
    void overHttp2AndTlsAtNginxTheApplicationSeesHttpsAndTheClient() throws Exception {
        String url = "https://shop.example:" + https + "/hello/info";
        String out = ProxyProcess.run(dir, List.of("curl", "-sS", "-k", "--http2", "--interface", "127.0.0.6",
                "--resolve", "shop.example:" + https + ":127.0.0.1", "-w", "\n%{http_version} %{http_code}", url));
        String[] parts = out.split("\n");
        assertThat(parts[parts.length - 1]).as("curl's protocol and status").isEqualTo("2 200");
        JsonNode info = JSON.readTree(out.substring(0, out.lastIndexOf('\n')));
        assertThat(info.get("remoteAddress").asText()).isEqualTo("127.0.0.6");
        assertThat(info.get("scheme").asText()).isEqualTo("https");
        assertThat(info.get("host").asText()).isEqualTo("shop.example:" + https);
        assertThat(info.get("pathBase").asText()).isEqualTo("/hello");
        assertThat(info.get("protocol").asText()).as("nginx to the application").isEqualTo("HTTP/1.1");
    }

    @Test
    void aClientCannotSpoofItsAddressThroughNginx() throws Exception {
        // nginx appends the address it saw; ForwardLimit 1 takes only that last hop.
        JsonNode info = LoopbackClient.get("127.0.0.5", http, "/info", "shop.example",
                "X-Forwarded-For: 198.51.100.1", "X-Forwarded-Proto: https", "X-Forwarded-Prefix: /evil",
                "Forwarded: for=198.51.100.2;proto=https").json();
        assertThat(info.get("remoteAddress").asText()).isEqualTo("127.0.0.5");
        assertThat(info.get("scheme").asText()).as("nginx sets X-Forwarded-Proto itself").isEqualTo("http");
        assertThat(info.get("pathBase").asText()).as("nginx clears X-Forwarded-Prefix outside /hello/").isEmpty();
    }

    @Test
    void theSameHeadersFromAClientThatIsNotAKnownProxyAreIgnored() throws Exception {
        int port = instancePorts.getFirst();
        JsonNode info = LoopbackClient.get("127.0.0.7", port, "/info", "127.0.0.1:" + port,
                "X-Forwarded-For: 203.0.113.7", "X-Forwarded-Proto: https", "X-Forwarded-Host: evil.example",
                "X-Forwarded-Prefix: /evil", "Forwarded: for=203.0.113.8;proto=https;host=evil.example").json();
        assertThat(info.get("remoteAddress").asText()).isEqualTo("127.0.0.7");
        assertThat(info.get("scheme").asText()).isEqualTo("http");
        assertThat(info.get("host").asText()).isEqualTo("127.0.0.1:" + port);
        assertThat(info.get("pathBase").asText()).isEmpty();
    }

    @Test
    void twoClientsOverOneUpstreamKeepAliveConnectionEachSeeTheirOwnAddress() throws Exception {
        // Round robin over three instances: request i goes to instance i % 3, so each instance gets
        // both clients' requests, on the keep-alive connection nginx holds to it.
        Map<String, Set<String>> clientsByConnection = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            String client = i % 2 == 0 ? "127.0.0.5" : "127.0.0.6";
            JsonNode info = LoopbackClient.get(client, http, "/info", "shop.example").json();
            assertThat(info.get("remoteAddress").asText()).as("request %d from %s", i, client).isEqualTo(client);
            String connection = info.get("localPort").asInt() + "/" + info.get("connectionId").asText();
            clientsByConnection.computeIfAbsent(connection, c -> new HashSet<>()).add(client);
        }
        assertThat(clientsByConnection.values()).as("upstream connections and the clients they carried: %s", clientsByConnection)
                .contains(Set.of("127.0.0.5", "127.0.0.6"));
        assertThat(clientsByConnection).as("nginx reuses its upstream connections").hasSizeLessThanOrEqualTo(3);
    }
}
