package dev.lanner.samples.hello;

import static dev.lanner.samples.hello.DeploymentProcesses.JVM_SIGTERM_EXIT_CODE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanner.samples.hello.DeploymentProcesses.Child;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Proves that samples/hello/Dockerfile builds a working image from what {@code package} writes: its base
 * image is a Temurin JRE at least as new as the Java release the build targets, every COPY source exists
 * (the jar, and lib/ with every jar the manifest's Class-Path names), the jar's Main-Class is
 * {@link HelloApplication}, it exposes the port LANNER_URLS listens on, stops with SIGTERM, does not run as
 * root, and its ENTRYPOINT (exec form, so java receives the stop signal) with its ENV (on loopback and a free
 * port instead of every interface) starts the sample, which answers the health endpoints and exits on SIGTERM.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DockerfileIT {

    /** The image's application directory, which the COPY instructions fill from target/. */
    static final String IMAGE_APP_DIRECTORY = "/app/";
    private static final Pattern BASE_IMAGE = Pattern.compile("eclipse-temurin:(\\d+)-jre");
    private static final Pattern URL = Pattern.compile("(https?)://([^:/;]+):(\\d+)/?");

    private Dockerfile dockerfile;
    private Child child;

    @BeforeEach
    void readDockerfile() throws IOException {
        dockerfile = Dockerfile.read(DeploymentProcesses.sampleDirectory().resolve("Dockerfile"));
    }

    @AfterEach
    void killChild() throws InterruptedException {
        if (child != null) {
            child.close();
        }
    }

    @Test
    void baseImageIsATemurinJreForTheJavaReleaseTheBuildTargets() throws Exception {
        Matcher from = BASE_IMAGE.matcher(dockerfile.single("FROM"));
        assertThat(from.matches()).as("FROM %s is eclipse-temurin:<N>-jre", dockerfile.single("FROM")).isTrue();
        assertThat(Integer.parseInt(from.group(1))).isGreaterThanOrEqualTo(targetRelease());
    }

    @Test
    void copiesWhatThePackageWrites() throws IOException {
        Path context = DeploymentProcesses.sampleDirectory();
        Path target = DeploymentProcesses.sampleTarget();
        List<String> copies = dockerfile.all("COPY");
        assertThat(copies).as("COPY instructions").isNotEmpty();
        for (String copy : copies) {
            List<String> words = DeploymentProcesses.splitWords(copy).stream().filter(w -> !w.startsWith("--")).toList();
            assertThat(words).as("COPY %s: sources and a destination", copy).hasSizeGreaterThanOrEqualTo(2);
            String destination = words.get(words.size() - 1);
            for (String source : words.subList(0, words.size() - 1)) {
                Path path = context.resolve(source);
                assertThat(path).as("COPY source %s", source).exists();
                if (Files.isDirectory(path)) {
                    try (Stream<Path> files = Files.list(path)) {
                        assertThat(files.count()).as("files in COPY source %s", source).isPositive();
                    }
                }
                // The tests run the image's commands with /app/ mapped to target/: the COPY must be that mapping.
                assertThat(source).as("COPY source").startsWith("target/");
                assertThat(destination).as("COPY %s destination", source)
                        .isEqualTo(IMAGE_APP_DIRECTORY + source.substring("target/".length()));
            }
        }
        assertThat(copies).as("COPY of the jar and of lib/")
                .anySatisfy(copy -> assertThat(copy).startsWith("target/" + DeploymentProcesses.JAR_NAME + " "))
                .anySatisfy(copy -> assertThat(copy).startsWith("target/lib/ "));
        try (JarFile jar = new JarFile(target.resolve(DeploymentProcesses.JAR_NAME).toFile())) {
            Attributes manifest = jar.getManifest().getMainAttributes();
            assertThat(manifest.getValue(Attributes.Name.MAIN_CLASS)).isEqualTo(HelloApplication.class.getName());
            List<String> classPath = List.of(manifest.getValue(Attributes.Name.CLASS_PATH).strip().split("\\s+"));
            assertThat(classPath).as("manifest Class-Path").isNotEmpty().allSatisfy(entry -> {
                assertThat(entry).startsWith("lib/");
                assertThat(target.resolve(entry)).as("Class-Path entry %s", entry).isRegularFile();
            });
        }
    }

    @Test
    void exposesTheUrlsPortStopsWithSigtermAndDoesNotRunAsRoot() {
        Map<String, String> env = dockerfile.env();
        Matcher url = URL.matcher(env.getOrDefault("LANNER_URLS", ""));
        assertThat(url.matches()).as("ENV LANNER_URLS is one http(s)://host:port: %s", env.get("LANNER_URLS")).isTrue();
        assertThat(dockerfile.single("EXPOSE")).isEqualTo(url.group(3));
        assertThat(dockerfile.single("STOPSIGNAL")).isEqualTo("SIGTERM");
        String user = dockerfile.single("USER");
        assertThat(user.split(":")[0]).as("USER").isNotIn("root", "0");
    }

    @Test
    void configuresOnlyKeysTheCodeReads() {
        DeploymentProcesses.assertKnownKeys(dockerfile.env(), List.of());
    }

    @Test
    void entrypointServesHealthAndExitsOnSigterm() throws Exception {
        Path target = DeploymentProcesses.sampleTarget();
        int port = DeploymentProcesses.freePort();
        List<String> command = command(dockerfile, target);
        Map<String, String> env = runEnvironment(dockerfile.env(), port);
        // Only to keep the test short: no drain delay (the image's default is 5 s with health on).
        env.put("LANNER_HEALTH__DRAINDELAY", "0");

        child = DeploymentProcesses.start("dockerfile", command, env, workingDirectory(dockerfile, target));
        child.awaitResponse(port, "/healthz", "200 Healthy", Duration.ofSeconds(30));
        assertThat(DeploymentProcesses.get(port, "/readyz")).isEqualTo("200 Ready");

        child.terminate();
        int exitCode = child.awaitExit(Duration.ofSeconds(30));
        assertThat(exitCode).as("exit code after SIGTERM\n%s", child.describe()).isEqualTo(JVM_SIGTERM_EXIT_CODE);
    }

    /** The image's command (ENTRYPOINT, then CMD), both in exec form, with java and /app/ mapped to this machine. */
    static List<String> command(Dockerfile dockerfile, Path target) {
        List<String> command = new ArrayList<>(dockerfile.execForm("ENTRYPOINT"));
        if (!dockerfile.all("CMD").isEmpty()) {
            command.addAll(dockerfile.execForm("CMD"));
        }
        assertThat(command).as("ENTRYPOINT + CMD").isNotEmpty();
        assertThat(command.get(0)).as("the image's program").isEqualTo("java");
        command.set(0, DeploymentProcesses.javaBinary());
        boolean mapped = false;
        for (int i = 1; i < command.size(); i++) {
            if (command.get(i).contains(IMAGE_APP_DIRECTORY)) {
                command.set(i, command.get(i).replace(IMAGE_APP_DIRECTORY, target + "/"));
                mapped = true;
            }
        }
        assertThat(mapped).as("the command names a file under %s: %s", IMAGE_APP_DIRECTORY, command).isTrue();
        return command;
    }

    /** WORKDIR, which must be the application directory, mapped to target/. */
    static Path workingDirectory(Dockerfile dockerfile, Path target) {
        assertThat(dockerfile.single("WORKDIR") + "/").isEqualTo(IMAGE_APP_DIRECTORY);
        return target;
    }

    /** {@code env} with LANNER_URLS on 127.0.0.1:{@code port} (tests use loopback only), scheme and path kept. */
    static Map<String, String> runEnvironment(Map<String, String> env, int port) {
        Map<String, String> run = new LinkedHashMap<>(env);
        Matcher url = URL.matcher(run.getOrDefault("LANNER_URLS", ""));
        assertThat(url.matches()).as("LANNER_URLS is one http(s)://host:port: %s", run.get("LANNER_URLS")).isTrue();
        assertThat(url.group(1)).as("LANNER_URLS scheme").isEqualTo("http");
        run.put("LANNER_URLS", "http://127.0.0.1:" + port);
        return run;
    }

    /** The release the build compiles for: the root pom's maven.compiler.release, which its compiler plugin must agree with. */
    private static int targetRelease() throws Exception {
        Path pom = DeploymentProcesses.repositoryRoot().resolve("pom.xml");
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        Element project = document.getDocumentElement();
        String property = text(child(project, "properties"), "maven.compiler.release");
        assertThat(property).as("maven.compiler.release in %s", pom).isNotNull().matches("\\d+");
        int release = Integer.parseInt(property);
        NodeList plugins = document.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            if ("maven-compiler-plugin".equals(text(plugin, "artifactId"))) {
                String configured = text(child(plugin, "configuration"), "release");
                if (configured != null) {
                    String value = configured.equals("${maven.compiler.release}") ? property : configured;
                    assertThat(value).as("maven-compiler-plugin <release> in %s", pom).isEqualTo(property);
                }
            }
        }
        return release;
    }

    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element element = child(parent, name);
        return element == null ? null : element.getTextContent().strip();
    }

    /** A Dockerfile's instructions: keyword (upper case) and arguments, continuations joined, comments dropped. */
    record Dockerfile(List<Map.Entry<String, String>> instructions) {

        private static final ObjectMapper JSON = new ObjectMapper();

        static Dockerfile read(Path file) throws IOException {
            List<Map.Entry<String, String>> instructions = new ArrayList<>();
            StringBuilder pending = new StringBuilder();
            for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String line = raw.strip();
                if (line.startsWith("#") || (line.isEmpty() && pending.isEmpty())) {
                    continue; // comments, also between continuation lines, as Docker reads them
                }
                if (line.endsWith("\\")) {
                    pending.append(line, 0, line.length() - 1).append(' ');
                    continue;
                }
                pending.append(line);
                String instruction = pending.toString().strip();
                pending.setLength(0);
                if (instruction.isEmpty()) {
                    continue;
                }
                String[] parts = instruction.split("\\s+", 2);
                instructions.add(Map.entry(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1].strip() : ""));
            }
            if (!pending.isEmpty()) {
                fail(file + " ends inside a line continuation");
            }
            return new Dockerfile(List.copyOf(instructions));
        }

        List<String> all(String keyword) {
            return instructions.stream().filter(i -> i.getKey().equals(keyword)).map(Map.Entry::getValue).toList();
        }

        String single(String keyword) {
            List<String> values = all(keyword);
            assertThat(values).as("%s instructions", keyword).hasSize(1);
            return values.get(0);
        }

        /** A JSON-array ENTRYPOINT or CMD; the shell form would make /bin/sh PID 1, which does not pass SIGTERM on. */
        List<String> execForm(String keyword) {
            String arguments = single(keyword);
            try {
                List<String> words = List.of(JSON.readValue(arguments, String[].class));
                assertThat(words).as("%s %s", keyword, arguments).isNotEmpty();
                return words;
            } catch (JsonProcessingException e) {
                fail(keyword + " must be in exec (JSON array) form: " + arguments + " (" + e.getOriginalMessage() + ")");
                return List.of();
            }
        }

        /** Every ENV instruction in order: {@code ENV k=v k2="v 2"} or the legacy {@code ENV k v}. */
        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            for (String arguments : all("ENV")) {
                List<String> words = DeploymentProcesses.splitWords(arguments);
                if (!words.isEmpty() && !words.get(0).contains("=")) {
                    String[] legacy = arguments.split("\\s+", 2);
                    assertThat(legacy).as("ENV %s", arguments).hasSize(2);
                    env.put(legacy[0], legacy[1].strip());
                    continue;
                }
                for (String word : words) {
                    int equals = word.indexOf('=');
                    assertThat(equals).as("ENV assignment %s", word).isPositive();
                    env.put(word.substring(0, equals), word.substring(equals + 1));
                }
            }
            return env;
        }
    }
}
