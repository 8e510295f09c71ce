package dev.lanner.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.hosting.WebApplication;
import dev.lanner.hosting.WebApplicationOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module as an application finds it: on the class path, hosting's service loader instruments every
 * application, which then serves its meters in the Prometheus text format on the default server.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MetricsEndpointEndToEndTest {

    @TempDir
    Path root;

    private WebApplication app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop(Duration.ZERO);
        }
    }

    private int start(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "--urls=http://127.0.0.1:0";
        System.arraycopy(args, 0, all, 1, args.length);
        app = WebApplication.builder(WebApplicationOptions.isolated(root, all)).build();
        app.mapGet("/hello", ctx -> ctx.response().write("hello"));
        app.start();
        String url = app.urls().get(0);
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }

    /** Head and body of a GET, on a connection of its own. */
    private static String get(int port, String path) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void servesThePrometheusTextFormatAtMetrics() throws Exception {
        int port = start();
        assertThat(get(port, "/hello")).startsWith("HTTP/1.1 200 OK\r\n");
        String scrape = get(port, "/metrics");
        assertThat(scrape).startsWith("HTTP/1.1 200 OK\r\n")
                .contains("\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n")
                .contains("\r\nCache-Control: no-store\r\n");
        assertThat(scrape)
                .contains("# TYPE http_server_request_duration_seconds histogram\n")
                .contains("http_server_request_duration_seconds_count{http_request_method=\"GET\",http_response_status_code=\"200\","
                        + "http_route=\"/hello\",network_protocol_version=\"1.1\",url_scheme=\"http\"} 1\n")
                .contains("http_server_request_duration_seconds_bucket{http_request_method=\"GET\",http_response_status_code=\"200\","
                        + "http_route=\"/hello\",network_protocol_version=\"1.1\",url_scheme=\"http\",le=\"0.005\"}")
                // The scrape itself is running: one active request, one open connection.
                .contains("http_server_active_requests{http_request_method=\"GET\",url_scheme=\"http\"} 1.0\n")
                .contains("lanner_active_connections 1.0\n")
                .contains("lanner_rejections_total{reason=\"connection_limit\"} 0.0\n")
                .contains("# TYPE lanner_connection_duration_seconds histogram\n")
                .contains("jvm_memory_used_bytes{");
    }

    @Test
    void servesAtTheConfiguredPathWithoutTheJvmMeters() throws Exception {
        int port = start("--Metrics:Path=/internal/metrics", "--Metrics:Jvm=false");
        assertThat(get(port, "/metrics")).startsWith("HTTP/1.1 404 Not Found\r\n");
        String scrape = get(port, "/internal/metrics");
        assertThat(scrape).startsWith("HTTP/1.1 200 OK\r\n").contains("lanner_active_connections 1.0\n")
                .doesNotContain("jvm_memory_used_bytes");
    }

    @Test
    void disabledThereIsNoEndpoint() throws Exception {
        int port = start("--Metrics:Enabled=false");
        assertThat(get(port, "/metrics")).startsWith("HTTP/1.1 404 Not Found\r\n");
    }
}
