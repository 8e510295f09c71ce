package dev.lanner.samples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanner.hosting.WebApplication;
import dev.lanner.hosting.WebApplicationOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application's side of lanner-module over real sockets: started with the module's environment,
 * it listens on LANNER_PORT only, demands the pairing token, applies the module's forwarded headers
 * and mount per request, and stops on the module's shutdown event.
 */
class ModuleIntegrationOverSocketsTest {

    private static final String TOKEN = "Zq8#tF2!pairing";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private WebApplication app;
    private int port;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    /** Starts the sample as the module would, with {@code --Urls} set to prove it is ignored. */
    private void start(String... extraArgs) throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        List<String> args = new ArrayList<>(List.of("--Hosting:RequestLog=false", "--Urls=http://127.0.0.1:0"));
        args.addAll(List.of(extraArgs));
        WebApplicationOptions options = WebApplicationOptions.isolated(root, args.toArray(String[]::new))
                .withEnvironmentVariables(Map.of("LANNER_PORT", Integer.toString(port), "LANNER_TOKEN", TOKEN,
                        "LANNER_APPL_PATH", "/outproc"));
        app = WebApplication.builder(options).build();
        HelloApplication.configure(app);
        app.mapGet("/client", ctx -> {
            byte[] seen = (ctx.connection().remoteAddress().getHostAddress() + " " + ctx.connection().remotePort()
                    + " token=" + ctx.request().header("Lanner-Token")).getBytes(StandardCharsets.UTF_8);
            ctx.response().setContentLength(seen.length);
            ctx.response().write(seen);
        });
        app.start();
    }

    @Test
    void listensOnTheModulesPortOnlyAndIgnoresUrls() throws IOException {
        start();

        assertThat(app.urls()).containsExactly("http://127.0.0.1:" + port);
        assertThat(app.moduleIntegration()).isPresent();
    }

    @Test
    void forwardedRequestSeesTheClientSchemeHostAndMount() throws IOException {
        start();
        try (Socket socket = connect()) {
            Response response = send(socket, "GET /outproc/info HTTP/1.1\r\nHost: localhost:" + port + "\r\n"
                    + "Lanner-Token: " + TOKEN + "\r\nX-Forwarded-For: 203.0.113.9:4711\r\n"
                    + "X-Forwarded-Proto: https\r\nX-Forwarded-Host: www.example.com\r\n\r\n");

            assertThat(response.status()).isEqualTo(200);
            JsonNode info = JSON.readTree(response.body());
            assertThat(info.get("scheme").asText()).isEqualTo("https");
            assertThat(info.get("host").asText()).isEqualTo("www.example.com");
            assertThat(info.get("remoteAddress").asText()).isEqualTo("203.0.113.9");
            assertThat(info.get("pathBase").asText()).isEqualTo("/outproc");
            assertThat(info.get("path").asText()).isEqualTo("/info");
        }
    }

    @Test
    void eachRequestOnOneKeepAliveConnectionSeesItsOwnClient() throws IOException {
        start();
        try (Socket socket = connect()) {
            assertThat(send(socket, client("203.0.113.1:1111")).body()).isEqualTo("203.0.113.1 1111 token=null");
            assertThat(send(socket, client("[2001:db8::1]:4711")).body()).isEqualTo("2001:db8:0:0:0:0:0:1 4711 token=null");
            assertThat(send(socket, client("203.0.113.2:2222")).body()).isEqualTo("203.0.113.2 2222 token=null");
        }
    }

    @Test
    void theApplicationsOwnForwardedHeadersRunAfterTheIntegration() throws IOException {
        // The application trusts a proxy in front of the module; the module's hop is unwound first.
        start("--ForwardedHeaders:Headers=XForwardedFor", "--ForwardedHeaders:KnownNetworks=203.0.113.0/24");
        try (Socket socket = connect()) {
            assertThat(send(socket, client("198.51.100.7:5555, 203.0.113.9:4711")).body())
                    .isEqualTo("198.51.100.7 5555 token=null");
        }
    }

    @Test
    void requestsWithoutTheRightTokenGet400() throws IOException {
        start();
        try (Socket socket = connect()) {
            Response missing = send(socket, "GET /outproc/info HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(missing.status()).isEqualTo(400);
            assertThat(missing.body()).isEqualTo("Bad Request: this port accepts only requests forwarded by lanner-module\n");
            Response wrong = send(socket, "GET /outproc/info HTTP/1.1\r\nHost: localhost\r\nLanner-Token: " + TOKEN
                    + "-not\r\n\r\n");
            assertThat(wrong.status()).isEqualTo(400);
        }
    }

    @Test
    void shutdownEventIsAcceptedThenTheApplicationStopsAndThePortCloses() throws Exception {
        start();
        CountDownLatch stopping = new CountDownLatch(1);
        app.lifetime().applicationStopping().onAbort(stopping::countDown);
        try (Socket socket = connect()) {
            Response wrongToken = send(socket, "POST /lanner-integration HTTP/1.1\r\nHost: localhost\r\nLanner-Token: x\r\n"
                    + "Lanner-Event: shutdown\r\nContent-Length: 0\r\n\r\n");
            assertThat(wrongToken.status()).isEqualTo(400);
            assertThat(stopping.getCount()).isEqualTo(1);

            Response accepted = send(socket, "POST /lanner-integration HTTP/1.1\r\nHost: localhost\r\nLanner-Token: " + TOKEN
                    + "\r\nLanner-Event: shutdown\r\nContent-Length: 0\r\n\r\n");
            assertThat(accepted.status()).isEqualTo(202);
            assertThat(accepted.body()).isEmpty();
        }
        assertThat(stopping.await(10, TimeUnit.SECONDS)).as("applicationStopping fired").isTrue();
        assertThat(LoopbackClient.awaitRefused(port, Duration.ofSeconds(15))).as("port %d closed within 15 s", port).isTrue();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static String client(String forwardedFor) {
        return "GET /outproc/client HTTP/1.1\r\nHost: localhost\r\nLanner-Token: " + TOKEN
                + "\r\nX-Forwarded-For: " + forwardedFor + "\r\n\r\n";
    }

    private record Response(int status, String head, String body) {
    }

    /** Writes {@code request} and reads one response framed by Content-Length. */
    private static Response send(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        return new Response(Integer.parseInt(head.substring(9, 12)), head, body);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head);
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
