package dev.lanner.samples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanner.samples.hello.DeploymentProcesses.Child;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged sample ({@code java -jar target/lanner-sample-hello.jar}, Logback from lanner-logging in
 * target/lib/) logs as its configuration says: levels from {@code --Logging:LogLevel:*}, JSON lines with
 * {@code --Logging:Console:Format=json}, and the request log on in Development only unless set.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoggingIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String REQUEST_LINE = ".* INFO  dev\\.lanner\\.hosting\\.RequestLog - GET /plaintext HTTP/1\\.1 200 .* ms";

    private final List<Child> children = new ArrayList<>();

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (Child child : children) {
            child.close();
        }
    }

    /** Starts the packaged sample on a free port with {@code args}, and waits until it serves. */
    private Child sample(String name, int port, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(DeploymentProcesses.javaBinary(), "-jar",
                DeploymentProcesses.JAR_NAME, "--Urls=http://127.0.0.1:" + port));
        command.addAll(List.of(args));
        Child child = DeploymentProcesses.start(name, command, Map.of(), DeploymentProcesses.sampleTarget());
        children.add(child);
        child.awaitResponse(port, "/plaintext", "200 Hello, World!", WAIT);
        return child;
    }

    private static void requests(int port) throws IOException {
        for (int i = 0; i < 3; i++) {
            assertThat(DeploymentProcesses.get(port, "/plaintext")).isEqualTo("200 Hello, World!");
        }
    }

    /** Stops the child with SIGTERM and returns everything it wrote. */
    private static List<String> outputAfterExit(Child child) throws IOException, InterruptedException {
        child.terminate();
        child.awaitExit(WAIT);
        return child.output();
    }

    @Test
    void productionWritesReadableLinesAndNoRequestLine() throws Exception {
        int port = DeploymentProcesses.freePort();
        Child child = sample("logging-production", port);
        requests(port);

        List<String> output = outputAfterExit(child);
        assertThat(output).anySatisfy(line -> assertThat(line).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  "
                + "dev\\.lanner\\.hosting\\.WebApplication - Now listening on: http://127\\.0\\.0\\.1:" + port));
        assertThat(output).noneMatch(line -> line.contains("dev.lanner.hosting.RequestLog"));
    }

    @Test
    void developmentWritesARequestLinePerRequest() throws Exception {
        int port = DeploymentProcesses.freePort();
        Child child = sample("logging-development", port, "--Environment=Development");
        requests(port);

        child.awaitLine(REQUEST_LINE, WAIT);
    }

    @Test
    void warningLevelHidesTheRequestLogEvenInDevelopment() throws Exception {
        int port = DeploymentProcesses.freePort();
        Child child = sample("logging-warning", port, "--Environment=Development", "--Logging:LogLevel:Default=Warning");
        requests(port);

        List<String> output = outputAfterExit(child);
        assertThat(output).noneMatch(line -> line.contains("dev.lanner.hosting.RequestLog"));
        assertThat(output).noneMatch(line -> line.contains(" INFO "));
    }

    @Test
    void debugLevelShowsTheServersDebugLines() throws Exception {
        int port = DeploymentProcesses.freePort();
        Child child = sample("logging-debug", port, "--Logging:LogLevel:Default=Debug");
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write("NOT-HTTP\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
                    .startsWith("HTTP/1.1 400 ");
        }

        // The one line of the rejection: its reason's name, the connection's id in the MDC and in the message.
        child.awaitLine(".* DEBUG \\[.+\\] dev\\.lanner\\.server\\.Rejections ConnectionId=(\\S+) - Connection \\1 "
                + "rejected: invalid_request_line \\(400 INVALID_REQUEST_LINE: .*", WAIT);
    }

    @Test
    void jsonFormatWritesOneObjectPerLine() throws Exception {
        int port = DeploymentProcesses.freePort();
        Child child = sample("logging-json", port, "--Logging:Console:Format=json");

        String line = child.awaitLine("\\{.*\"message\":\"Now listening on: .*", WAIT);
        JsonNode event = new ObjectMapper().readTree(line);
        assertThat(event.get("level").asText()).isEqualTo("INFO");
        assertThat(event.get("logger").asText()).isEqualTo("dev.lanner.hosting.WebApplication");
        assertThat(event.get("message").asText()).isEqualTo("Now listening on: http://127.0.0.1:" + port);
        assertThat(event.get("thread").asText()).isNotEmpty();
        assertThat(event.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }

    @Test
    void anUnknownLevelEndsStartupWithOneLine() throws Exception {
        int port = DeploymentProcesses.freePort();
        List<String> command = List.of(DeploymentProcesses.javaBinary(), "-jar", DeploymentProcesses.JAR_NAME,
                "--Urls=http://127.0.0.1:" + port, "--Logging:LogLevel:Default=Verbose");
        Child child = DeploymentProcesses.start("logging-unknown-level", command, Map.of(), DeploymentProcesses.sampleTarget());
        children.add(child);

        assertThat(child.awaitExit(WAIT)).isEqualTo(1);
        assertThat(child.output()).singleElement().asString().endsWith(" ERROR dev.lanner.hosting.WebApplication - "
                + "Application startup failed: Invalid log level 'Verbose' for 'Logging:LogLevel:Default' from command line;"
                + " expected one of Trace, Debug, Information, Warning, Error, Critical, None");
    }
}
