package dev.lanner.samples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.samples.hello.DeploymentProcesses.Child;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shared black-box HTTP/1.1 probe ({@code ../shared/conformance/probe.py}, beside the repository)
 * against the packaged sample on each socket server: every case passes on the default server; on the
 * platform server every case but {@code chunked_trailers}, which the JDK's chunked decoder refuses
 * (docs/servers.md lists it).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConformanceProbeIT {

    private final List<Child> children = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Child child : children) {
            child.close();
        }
    }

    @Test
    void theDefaultServerPassesEveryCase() throws Exception {
        assertThat(probe("default")).endsWith("28 passed, 0 failed");
    }

    @Test
    void thePlatformServerPassesEveryCaseButTrailers() throws Exception {
        assertThat(probe("platform", "--skip", "chunked_trailers")).endsWith("27 passed, 0 failed");
    }

    /** Starts the packaged sample on {@code server}, runs the probe against it, returns the probe's last line. */
    private String probe(String server, String... options) throws Exception {
        Path probe = DeploymentProcesses.repositoryRoot().getParent().resolve("shared/conformance/probe.py");
        assertThat(probe).as("the shared probe beside the repository (../shared)").isRegularFile();
        int port = DeploymentProcesses.freePort();
        Child sample = DeploymentProcesses.start("probe-" + server, List.of(DeploymentProcesses.javaBinary(), "-jar",
                DeploymentProcesses.JAR_NAME, "--Urls=http://127.0.0.1:" + port, "--server=" + server), Map.of(),
                DeploymentProcesses.sampleTarget());
        children.add(sample);
        sample.awaitResponse(port, "/plaintext", "200 Hello, World!", Duration.ofSeconds(30));

        List<String> command = new ArrayList<>(List.of("python3", probe.toString(), "--host", "127.0.0.1", "--port",
                String.valueOf(port)));
        command.addAll(List.of(options));
        Process python = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(120, TimeUnit.SECONDS)).isTrue();
        Files.writeString(DeploymentProcesses.sampleTarget().resolve("deployment-its").resolve("probe-" + server + ".txt"), output);
        assertThat(output).as("probe output").doesNotContain("FAIL ");
        assertThat(python.exitValue()).as("probe exit code; output:%n%s", output).isZero();
        return output.strip();
    }
}
