package dev.lanner.samples.hello;

import static dev.lanner.samples.hello.DeploymentProcesses.JVM_SIGTERM_EXIT_CODE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.lanner.samples.hello.DeploymentProcesses.Child;
import dev.lanner.samples.hello.DeploymentProcesses.StopSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves that deploy/systemd/lanner-hello.service works as written: systemd stops the service with
 * SIGTERM and waits long enough for the drain delay plus the shutdown timeout that its ExecStart puts in
 * effect, counts the JVM's exit status after SIGTERM as success, and its ExecStart (with its Environment=
 * and WorkingDirectory=, the install directory mapped to samples/hello/target/) starts the packaged
 * sample, which serves its health endpoints, turns readiness to {@code 503 Stopping} on SIGTERM while
 * still serving, and exits with a status the unit counts as success within TimeoutStopSec.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SystemdUnitIT {

    private static final String INSTALL_DIRECTORY = "/opt/lanner-hello";
    private static final String UNIT_JAVA = "/usr/bin/java";
    private static final Pattern LOOPBACK_URLS = Pattern.compile("--Urls=http://127\\.0\\.0\\.1:(\\d+)");

    private Map<String, Map<String, List<String>>> unit;
    private Child child;

    @BeforeEach
    void readUnit() throws IOException {
        unit = parseUnit(DeploymentProcesses.repositoryRoot().resolve("deploy/systemd/lanner-hello.service"));
    }

    @AfterEach
    void killChild() throws InterruptedException {
        if (child != null) {
            child.close();
        }
    }

    @Test
    void stopsWithSigtermAndWaitsForTheDrainDelayPlusTheShutdownTimeout() {
        assertThat(single("Service", "KillSignal")).isEqualTo("SIGTERM");

        StopSettings settings = DeploymentProcesses.stopSettings(environment(), applicationArguments());
        // The unit relies on the health endpoints (--Health:Enabled=true), so the drain delay applies.
        assertThat(settings.healthEnabled()).as("Health:Enabled in effect for ExecStart").isTrue();
        assertThat(timeoutStopSec())
                .as("TimeoutStopSec must cover Health:DrainDelay (%s) + Hosting:ShutdownTimeout (%s)",
                        settings.drainDelay(), settings.shutdownTimeout())
                .isGreaterThanOrEqualTo(settings.total());
    }

    @Test
    void configuresOnlyKeysTheCodeReads() {
        DeploymentProcesses.assertKnownKeys(environment(), applicationArguments());
    }

    @Test
    void countsTheJvmExitStatusAfterSigtermAsSuccess() {
        assertThat(successExitStatuses()).contains(JVM_SIGTERM_EXIT_CODE);
    }

    @Test
    void execStartServesHealthAndStopsGracefullyOnSigterm() throws Exception {
        Path target = DeploymentProcesses.sampleTarget();
        int port = DeploymentProcesses.freePort();

        List<String> command = new ArrayList<>(execStart());
        assertThat(command.get(0)).as("ExecStart's program").isEqualTo(UNIT_JAVA);
        command.set(0, DeploymentProcesses.javaBinary());
        boolean jarMapped = false;
        int urls = 0;
        for (int i = 1; i < command.size(); i++) {
            String argument = command.get(i);
            if (argument.contains(INSTALL_DIRECTORY + "/")) {
                command.set(i, argument.replace(INSTALL_DIRECTORY + "/", target + "/"));
                jarMapped = true;
            }
            Matcher matcher = LOOPBACK_URLS.matcher(argument);
            if (matcher.matches()) {
                command.set(i, "--Urls=http://127.0.0.1:" + port);
                urls++;
            }
        }
        assertThat(jarMapped).as("ExecStart names a file under %s/: %s", INSTALL_DIRECTORY, execStart()).isTrue();
        assertThat(urls).as("ExecStart has one --Urls=http://127.0.0.1:<port>: %s", execStart()).isEqualTo(1);
        // Only to keep the test short: the unit's drain delay (5 s by default) becomes 1 s. The arguments come
        // last, so this one wins; the unit's own value is what the TimeoutStopSec test checks.
        command.add("--Health:DrainDelay=1");

        String workingDirectory = single("Service", "WorkingDirectory");
        assertThat(workingDirectory).as("WorkingDirectory").isEqualTo(INSTALL_DIRECTORY);

        child = DeploymentProcesses.start("systemd-unit", command, environment(), target);
        child.awaitResponse(port, "/readyz", "200 Ready", Duration.ofSeconds(30));
        assertThat(DeploymentProcesses.get(port, "/healthz")).isEqualTo("200 Healthy");

        child.terminate();
        awaitStopping(port);
        // Still serving during the drain delay.
        assertThat(DeploymentProcesses.get(port, "/healthz")).as(child.describe()).isEqualTo("200 Healthy");

        int exitCode = child.awaitExit(timeoutStopSec());
        assertThat(exitCode).as("exit code after SIGTERM\n%s", child.describe()).isEqualTo(JVM_SIGTERM_EXIT_CODE);
        Set<Integer> success = new LinkedHashSet<>(successExitStatuses());
        success.add(0);
        assertThat(success).as("exit statuses the unit counts as success").contains(exitCode);
    }

    /** After SIGTERM, /readyz answers 200 Ready until the stop begins, then 503 Stopping while the port is open. */
    private void awaitStopping(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            String answer;
            try {
                answer = DeploymentProcesses.get(port, "/readyz");
            } catch (IOException e) {
                fail("/readyz stopped answering before it answered 503 Stopping: " + e + "\n" + child.describe());
                return;
            }
            if (answer.equals("503 Stopping")) {
                return;
            }
            assertThat(answer).as("/readyz before the stop begins").isEqualTo("200 Ready");
            if (System.nanoTime() - deadline > 0) {
                fail("/readyz still answers 200 Ready 10 s after SIGTERM\n" + child.describe());
            }
            Thread.sleep(20);
        }
    }

    private List<String> execStart() {
        List<String> words = DeploymentProcesses.splitWords(single("Service", "ExecStart"));
        assertThat(words).as("ExecStart").isNotEmpty();
        return words;
    }

    /** ExecStart's arguments after {@code -jar <file>}: the application's arguments. */
    private List<String> applicationArguments() {
        List<String> execStart = execStart();
        int jar = execStart.indexOf("-jar");
        assertThat(jar).as("ExecStart runs java -jar <file>: %s", execStart).isPositive().isLessThan(execStart.size() - 1);
        return execStart.subList(jar + 2, execStart.size());
    }

    /** Environment= lines: each holds one or more NAME=value assignments, optionally quoted. */
    private Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : unit.get("Service").getOrDefault("Environment", List.of())) {
            for (String assignment : DeploymentProcesses.splitWords(line)) {
                int equals = assignment.indexOf('=');
                assertThat(equals).as("Environment assignment %s", assignment).isPositive();
                env.put(assignment.substring(0, equals), assignment.substring(equals + 1));
            }
        }
        return env;
    }

    /** TimeoutStopSec: seconds, or a systemd time span such as {@code 1min 30s}. */
    private Duration timeoutStopSec() {
        String value = single("Service", "TimeoutStopSec");
        if (value.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        Matcher span = Pattern.compile("\\s*(\\d+)\\s*(min|s|ms)\\s*").matcher(value);
        Duration total = Duration.ZERO;
        int end = 0;
        while (span.lookingAt()) {
            long amount = Long.parseLong(span.group(1));
            total = total.plus(switch (span.group(2)) {
                case "min" -> Duration.ofMinutes(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMillis(amount);
            });
            end = span.end();
            span.region(end, value.length());
        }
        if (end == 0 || end != value.length()) {
            fail("TimeoutStopSec=" + value + " is not a time span this test reads (seconds, or e.g. 1min 30s)");
        }
        return total;
    }

    private List<Integer> successExitStatuses() {
        List<Integer> statuses = new ArrayList<>();
        for (String line : unit.get("Service").getOrDefault("SuccessExitStatus", List.of())) {
            for (String word : DeploymentProcesses.splitWords(line)) {
                if (word.matches("\\d+")) {
                    statuses.add(Integer.parseInt(word));
                }
            }
        }
        return statuses;
    }

    private String single(String section, String key) {
        assertThat(unit).as("sections of the unit").containsKey(section);
        List<String> values = unit.get(section).getOrDefault(key, List.of());
        assertThat(values).as("[%s] %s=", section, key).hasSize(1);
        return values.get(0);
    }

    /** Sections of key=value lines; comments (# or ;) and blank lines skipped, backslash continuations joined. */
    static Map<String, Map<String, List<String>>> parseUnit(Path file) throws IOException {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        Map<String, List<String>> current = null;
        StringBuilder pending = new StringBuilder();
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String line = raw.strip();
            if (pending.isEmpty() && (line.isEmpty() || line.startsWith("#") || line.startsWith(";"))) {
                continue;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            pending.append(line);
            line = pending.toString().strip();
            pending.setLength(0);
            if (line.startsWith("[") && line.endsWith("]")) {
                current = sections.computeIfAbsent(line.substring(1, line.length() - 1), name -> new LinkedHashMap<>());
                continue;
            }
            int equals = line.indexOf('=');
            if (current == null || equals <= 0) {
                fail("Not a key=value line in a section of " + file + ": " + raw);
            }
            current.computeIfAbsent(line.substring(0, equals).strip(), key -> new ArrayList<>())
                    .add(line.substring(equals + 1).strip());
        }
        return sections;
    }
}
