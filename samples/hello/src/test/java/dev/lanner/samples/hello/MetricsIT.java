package dev.lanner.samples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.samples.hello.DeploymentProcesses.Child;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The acceptance test of the metrics: the packaged sample ({@code java -jar}, lanner-metrics in target/lib/)
 * serves {@code /metrics} in the Prometheus format; a scrape before and after a known number of requests on
 * keep-alive connections shows exactly that many more in the request duration histogram's count for the
 * route, method and status, the route label is the endpoint's template, and the active-connections gauge
 * counts the connections held open (and the scrape's own).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MetricsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PLAINTEXT_COUNT = "http_server_request_duration_seconds_count{http_request_method=\"GET\","
            + "http_response_status_code=\"200\",http_route=\"/plaintext\",network_protocol_version=\"1.1\",url_scheme=\"http\"}";

    private final List<Child> children = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Socket socket : sockets) {
            socket.close();
        }
        for (Child child : children) {
            child.close();
        }
    }

    private int sample(String name, String... args) throws Exception {
        int port = DeploymentProcesses.freePort();
        List<String> command = new ArrayList<>(List.of(DeploymentProcesses.javaBinary(), "-jar",
                DeploymentProcesses.JAR_NAME, "--Urls=http://127.0.0.1:" + port));
        command.addAll(List.of(args));
        Child child = DeploymentProcesses.start(name, command, Map.of(), DeploymentProcesses.sampleTarget());
        children.add(child);
        child.awaitResponse(port, "/plaintext", "200 Hello, World!", WAIT);
        return port;
    }

    /** The scrape's body (on a connection of its own, closed after it). */
    private static String scrape(int port) throws IOException {
        String response = DeploymentProcesses.get(port, "/metrics");
        assertThat(response).startsWith("200 ");
        return response.substring(4);
    }

    /** The value of the series named exactly {@code series} (name and labels), or fails. */
    private static double value(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).strip());
            }
        }
        throw new AssertionError("no series " + series + " in:\n" + scrape);
    }

    private Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
        socket.setSoTimeout(5_000);
        sockets.add(socket);
        return socket;
    }

    /** One keep-alive {@code GET /plaintext} on {@code socket}: the response is read to its Content-Length. */
    private static void plaintext(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write("GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed inside a response head: " + head);
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nContent-Length: 13\r\n").doesNotContain("Connection: close");
        assertThat(new String(in.readNBytes(13), StandardCharsets.US_ASCII)).isEqualTo("Hello, World!");
    }

    @Test
    void scrapesShowTheExactRequestCountRouteLabelAndOpenConnections() throws Exception {
        int port = sample("metrics");
        String before = scrape(port);
        double countBefore = value(before, PLAINTEXT_COUNT);
        assertThat(value(before, "lanner_active_connections")).isEqualTo(1.0); // the scrape's own

        int connections = 3;
        int requests = 25;
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            held.add(connect(port));
        }
        for (int i = 0; i < requests; i++) {
            plaintext(held.get(i % connections));
        }

        String after = scrape(port);
        assertThat(value(after, PLAINTEXT_COUNT) - countBefore).isEqualTo(requests);
        assertThat(after).contains("http_route=\"/plaintext\"");
        assertThat(value(after, "lanner_active_connections")).isEqualTo(connections + 1.0);
        assertThat(value(after, "http_server_active_requests{http_request_method=\"GET\",url_scheme=\"http\"}")).isEqualTo(1.0);

        for (Socket socket : held) {
            socket.close();
        }
        // The server notices the closes asynchronously: wait (bounded) for the gauge to come back to the scrape alone.
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = scrape(port);
        while (value(last, "lanner_active_connections") != 1.0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            last = scrape(port);
        }
        assertThat(value(last, "lanner_active_connections")).isEqualTo(1.0);
        assertThat(value(last, PLAINTEXT_COUNT) - countBefore).isEqualTo(requests);
    }

    @Test
    void aRejectedRequestIsCountedOnceUnderItsReason() throws Exception {
        int port = sample("metrics-rejection");
        String series = "lanner_rejections_total{reason=\"invalid_request_line\"}";
        double before = value(scrape(port), series);
        try (Socket socket = connect(port)) {
            socket.getOutputStream().write("GET /plaintext  HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n");
        }
        assertThat(value(scrape(port), series) - before).isEqualTo(1.0);
    }

    @Test
    void metricsCanBeTurnedOff() throws Exception {
        int port = sample("metrics-off", "--Metrics:Enabled=false");
        assertThat(DeploymentProcesses.get(port, "/metrics")).startsWith("404 ");
    }
}
