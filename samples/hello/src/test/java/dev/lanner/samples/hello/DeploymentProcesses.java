package dev.lanner.samples.hello;

import static org.assertj.core.api.Assertions.fail;

import dev.lanner.hosting.HealthOptions;
import dev.lanner.hosting.HostOptions;
import dev.lanner.hosting.config.Configuration;
import dev.lanner.hosting.config.ConfigurationBuilder;
import dev.lanner.hosting.forwarding.ForwardedHeadersOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Shared helpers of the deployment tests (*IT): where the repository and the packaged sample are, free
 * loopback ports, plain HTTP/1.1 GETs, the settings a deployment file puts in effect, and child processes
 * whose output goes to a log file under {@code target/} so that a failure can show its tail.
 */
final class DeploymentProcesses {

    /** The JVM's exit status after a stop by SIGTERM (128 + 15); verified by SystemdUnitIT and DockerfileIT. */
    static final int JVM_SIGTERM_EXIT_CODE = 143;

    static final String JAR_NAME = "lanner-sample-hello.jar";

    private static final InetAddress LOOPBACK = loopback();

    private DeploymentProcesses() {
    }

    /** The repository root: failsafe runs in samples/hello. */
    static Path repositoryRoot() {
        Path workingDirectory = Path.of("").toAbsolutePath();
        Path root = workingDirectory.getParent() == null ? null : workingDirectory.getParent().getParent();
        if (root == null || !Files.isDirectory(root.resolve("deploy"))) {
            fail("Expected to run in <repository>/samples/hello, so that <repository>/deploy exists; working directory is "
                    + workingDirectory);
        }
        return root;
    }

    /** The sample's build context (the Dockerfile's directory). */
    static Path sampleDirectory() {
        return repositoryRoot().resolve("samples/hello");
    }

    /** samples/hello/target/, holding the packaged jar and lib/ (run the ITs after {@code package}). */
    static Path sampleTarget() {
        Path target = sampleDirectory().resolve("target");
        if (!Files.isRegularFile(target.resolve(JAR_NAME)) || !Files.isDirectory(target.resolve("lib"))) {
            fail("Expected " + target.resolve(JAR_NAME) + " and " + target.resolve("lib")
                    + ": run the deployment tests after `package` (mvn ... verify)");
        }
        return target;
    }

    /** The java binary running this test, for the child processes. */
    static String javaBinary() {
        return ProcessHandle.current().info().command().orElseThrow();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
            return socket.getLocalPort();
        }
    }

    /**
     * {@code GET path} on 127.0.0.1:{@code port} over one connection ({@code Connection: close}).
     *
     * @return the status code and the body, e.g. {@code "200 Healthy"}
     * @throws IOException when the connection fails (e.g. refused: nothing listens)
     */
    static String get(int port, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 2_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            int headersEnd = response.indexOf("\r\n\r\n");
            if (!response.startsWith("HTTP/1.1 ") || headersEnd < 0) {
                throw new IOException("Not an HTTP/1.1 response to GET " + path + ": " + response);
            }
            String status = response.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3);
            String body = response.substring(headersEnd + 4);
            for (String header : response.substring(0, headersEnd).split("\r\n")) {
                if (header.regionMatches(true, 0, "Content-Length:", 0, "Content-Length:".length())) {
                    int length = Integer.parseInt(header.substring("Content-Length:".length()).strip());
                    body = body.substring(0, Math.min(length, body.length()));
                }
            }
            return status + " " + body;
        }
    }

    /** The settings that stop a process: the shutdown timeout and the drain delay, and whether health is served. */
    record StopSettings(Duration shutdownTimeout, Duration drainDelay, boolean healthEnabled) {

        /** Drain delay + shutdown timeout: how long a graceful stop may take. */
        Duration total() {
            return shutdownTimeout.plus(drainDelay);
        }
    }

    /**
     * The stop settings in effect for these environment variables and arguments, bound by the product's own
     * configuration code ({@code LANNER_} variables, then arguments; defaults from
     * {@link HostOptions#defaults()} and {@link HealthOptions#defaults()}), so that a value in a deployment
     * file counts exactly as the application will read it.
     */
    static StopSettings stopSettings(Map<String, String> env, List<String> args) {
        Configuration configuration = new ConfigurationBuilder()
                .addEnvironmentVariables(ConfigurationBuilder.ENVIRONMENT_VARIABLE_PREFIX, env)
                .addCommandLine(args.toArray(String[]::new))
                .build();
        HostOptions host = configuration.bind("Hosting", HostOptions.class);
        HealthOptions health = configuration.bind("Health", HealthOptions.class);
        return new StopSettings(host.shutdownTimeout(), health.drainDelay(health.enabled()), health.enabled());
    }

    /** Top-level keys the hosting code reads (WebApplicationBuilder, WebApplication, AllowedHosts, ServerSelection). */
    private static final List<String> TOP_LEVEL_KEYS = List.of("Environment", "Urls", "PreferHostingUrls", "AllowedHosts", "Server");

    /** Sections bound to option records: a key below one must name a component of its record. */
    private static final Map<String, Class<?>> OPTION_SECTIONS = Map.of(
            "Hosting", HostOptions.class,
            "Health", HealthOptions.class,
            ForwardedHeadersOptions.SECTION, ForwardedHeadersOptions.class);

    /**
     * Fails for a configuration key (from {@code LANNER_} variables or arguments) that the code does not read:
     * the configuration ignores unknown keys, so a misspelt one would otherwise go unnoticed at start-up.
     * Known are a few top-level keys and, in the sections bound to option records, the records' components.
     */
    static void assertKnownKeys(Map<String, String> env, List<String> args) {
        Configuration configuration = new ConfigurationBuilder()
                .addEnvironmentVariables(ConfigurationBuilder.ENVIRONMENT_VARIABLE_PREFIX, env)
                .addCommandLine(args.toArray(String[]::new))
                .build();
        for (String key : configuration.asMap().keySet()) {
            String[] parts = key.split(":");
            boolean known;
            if (parts.length == 1) {
                known = TOP_LEVEL_KEYS.stream().anyMatch(key::equalsIgnoreCase);
            } else {
                Class<?> options = OPTION_SECTIONS.entrySet().stream()
                        .filter(section -> section.getKey().equalsIgnoreCase(parts[0]))
                        .map(Map.Entry::getValue).findFirst().orElse(null);
                known = options != null && parts.length == 2 && Arrays.stream(options.getRecordComponents())
                        .map(RecordComponent::getName).anyMatch(parts[1]::equalsIgnoreCase);
            }
            if (!known) {
                fail("Configuration key " + key + " (from " + configuration.sourceOf(key) + ") is not one the code reads; "
                        + "known: " + TOP_LEVEL_KEYS + " and, in " + OPTION_SECTIONS.keySet()
                        + ", the components of their option records (extend this test if the code reads a new key)");
            }
        }
    }

    /**
     * Starts {@code command} in {@code workingDirectory} with the inherited environment minus every
     * {@code LANNER_} variable, plus {@code env}; output and errors go to target/deployment-its/{@code name}.log.
     */
    static Child start(String name, List<String> command, Map<String, String> env, Path workingDirectory) throws IOException {
        Path logs = sampleTarget().resolve("deployment-its");
        Files.createDirectories(logs);
        Path log = logs.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> key.toUpperCase(java.util.Locale.ROOT).startsWith("LANNER_"));
        builder.environment().putAll(env);
        return new Child(builder.start(), log, command);
    }

    /** A started child process; {@link #close()} kills it if it still runs. */
    static final class Child implements AutoCloseable {

        private final Process process;
        private final Path log;
        private final List<String> command;

        private Child(Process process, Path log, List<String> command) {
            this.process = process;
            this.log = log;
            this.command = List.copyOf(command);
        }

        Process process() {
            return process;
        }

        /** The child's output and errors so far, line by line. */
        List<String> output() throws IOException {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        }

        /** Polls the output until a line matches {@code regex}; fails if the child ends or {@code timeout} passes. */
        String awaitLine(String regex, Duration timeout) throws IOException, InterruptedException {
            java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(regex);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                for (String line : output()) {
                    if (pattern.matcher(line).matches()) {
                        return line;
                    }
                }
                if (!process.isAlive()) {
                    fail("The process ended before a line matched " + regex + "\n" + describe());
                }
                if (System.nanoTime() - deadline > 0) {
                    fail("No line matched " + regex + " within " + timeout + "\n" + describe());
                }
                Thread.sleep(100);
            }
        }

        /** The command, the exit status if ended, and the last lines of the child's output, for failure messages. */
        String describe() {
            StringBuilder text = new StringBuilder("command: ").append(command)
                    .append(process.isAlive() ? "\n(still running)" : "\nexit code: " + process.exitValue())
                    .append("\n--- last lines of ").append(log).append(" ---\n");
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                for (String line : lines.subList(Math.max(0, lines.size() - 40), lines.size())) {
                    text.append(line).append('\n');
                }
            } catch (IOException e) {
                text.append("(log unreadable: ").append(e).append(")\n");
            }
            return text.toString();
        }

        /** Polls {@code GET path} until it answers {@code expected}; fails if the child ends or {@code timeout} passes. */
        void awaitResponse(int port, String path, String expected, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            String last = "(no answer yet)";
            while (true) {
                if (!process.isAlive()) {
                    fail("The process ended before GET " + path + " answered '" + expected + "'; last: " + last + "\n" + describe());
                }
                try {
                    last = get(port, path);
                    if (last.equals(expected)) {
                        return;
                    }
                } catch (IOException e) {
                    last = e.toString();
                }
                if (System.nanoTime() - deadline > 0) {
                    fail("GET " + path + " on port " + port + " did not answer '" + expected + "' within " + timeout
                            + "; last: " + last + "\n" + describe());
                }
                Thread.sleep(100);
            }
        }

        /** Sends SIGTERM ({@link Process#destroy()} on Linux). */
        void terminate() {
            process.destroy();
        }

        /** Waits for the child to end within {@code timeout} and returns its exit code; fails otherwise. */
        int awaitExit(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("The process did not end within " + timeout + "\n" + describe());
            }
            return process.exitValue();
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Splits on whitespace, keeping double- or single-quoted parts together (quotes removed). */
    static List<String> splitWords(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < text.length()) {
                    word.append(text.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < text.length()) {
                word.append(text.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            fail("Unbalanced quote in: " + text);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
