package dev.lanner.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.cli.LannerCli;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lanner run} as a user runs it: a project made by {@code lanner new web} in a temporary
 * folder, then {@code lanner run} started as a real process (this build's CLI classes, the JDK that
 * runs the tests) with its default {@code Project} profile on a given URL, without a profile, in
 * Release, and with its {@code Module} profile; each answers {@code 200}; SIGTERM to {@code lanner run}
 * ends in the application's graceful stop and exit code 0. The first run builds the project with
 * Maven (and {@code lanner new} installs Lanner's libraries to the local repository when missing).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LannerRunEndToEndTest {

    private static final String JAVA = ProcessHandle.current().info().command().orElseThrow();

    @TempDir
    static Path temp;

    private static Path project;

    @BeforeAll
    static void newProject() {
        project = temp.resolve("e2eapp");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var commandLine = LannerCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int status = commandLine.execute("new", "web", project.toString(), "--name", "e2eapp", "--package", "com.example.e2e");
        assertThat(status).as("lanner new web: %s %s", out, err).isZero();
        assertThat(project.resolve("launchSettings.json")).isRegularFile();
    }

    @Test
    @Order(1)
    void theProjectProfileOnAGivenUrlAnswersWithTheProfilesVariables() throws Exception {
        int port = freePort();
        try (Run run = Run.start(project, "--urls", "http://127.0.0.1:" + port)) {
            Response home = run.await("http://127.0.0.1:" + port + "/");
            assertThat(home.status()).isEqualTo(200);
            assertThat(home.body()).isEqualTo("Hello from e2eapp!");
            Response about = get("http://127.0.0.1:" + port + "/about");
            assertThat(about.body()).contains("Hello from the e2eapp profile").contains("Development");
            assertThat(run.output()).contains("launch profile 'e2eapp', Project; Debug; environment Development; urls http://127.0.0.1:" + port);

            assertThat(run.stop()).as("exit code after SIGTERM; output:%n%s", run.output()).isZero();
            assertThat(run.output()).contains("shutting down");
        }
        // Debug keeps local-variable tables (javac -g:lines,vars,source).
        assertThat(hasLocalVariableTable(Files.readAllBytes(
                project.resolve("target/classes/com/example/e2e/Main.class")))).isTrue();
    }

    /** Whether a class file names the LocalVariableTable attribute (javac writes it only with -g:vars). */
    private static boolean hasLocalVariableTable(byte[] classFile) {
        return new String(classFile, StandardCharsets.ISO_8859_1).contains("LocalVariableTable");
    }

    @Test
    @Order(2)
    void withoutALaunchProfileTheAppsettingsAndTheCommandLineDecideAndAnUnchangedProjectIsNotRebuilt() throws Exception {
        int port = freePort();
        try (Run run = Run.start(project, "--no-launch-profile", "--urls", "http://127.0.0.1:" + port)) {
            run.await("http://127.0.0.1:" + port + "/");
            Response about = get("http://127.0.0.1:" + port + "/about");
            assertThat(about.status()).isEqualTo(200);
            assertThat(about.body()).contains("Hello from appsettings").contains("Development");
            assertThat(run.output()).contains("is up to date (Debug; no source or pom changed since its last build); not building")
                    .contains("(no launch profile; Debug; environment Development");
            assertThat(run.stop()).isZero();
        }
    }

    @Test
    @Order(3)
    void releaseRunsThePackagedJarInProduction() throws Exception {
        int port = freePort();
        try (Run run = Run.start(project, "-c", "Release", "--urls", "http://127.0.0.1:" + port)) {
            run.await("http://127.0.0.1:" + port + "/");
            Response about = get("http://127.0.0.1:" + port + "/about");
            assertThat(about.status()).isEqualTo(200);
            assertThat(about.body()).contains("Production");
            assertThat(run.output()).contains("(Release, after a Debug build: clean first").contains("Release; environment Production");
            assertThat(run.stop()).isZero();
        }
        // On JDK 25 a Release run starts from an AOT cache that a training run made for this build.
        assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(AheadOfTimeCache.FIRST_JDK);
        try (var caches = Files.list(project.resolve("target/lanner-run/aot"))) {
            assertThat(caches.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".aot")))
                    .hasSize(1);
        }
        // Twenty requests on connections of their own, then Hosting:TrainingDuration (2 s) of keep-alive load.
        java.util.regex.Matcher training = java.util.regex.Pattern
                .compile("Training run: (\\d+) requests answered on 1 addresses; stopping")
                .matcher(Files.readString(project.resolve("target/lanner-run/aot/training.log")));
        assertThat(training.find()).isTrue();
        assertThat(Long.parseLong(training.group(1))).isGreaterThan(20 + 100);
        Path jar = RunCommand.packagedJar(ApplicationProject.locate(project), "com.example.e2e.Main");
        assertThat(jar.getFileName().toString()).endsWith(".jar");
        // Release leaves local-variable tables out (javac -g:lines,source).
        try (var file = new java.util.jar.JarFile(jar.toFile())) {
            assertThat(hasLocalVariableTable(file.getInputStream(file.getEntry("com/example/e2e/Main.class")).readAllBytes()))
                    .isFalse();
        }
    }

    @Test
    @Order(4)
    void theModuleProfileRunsTheApplicationBehindTheModule() throws Exception {
        int port = freePort();
        try (Run run = Run.start(project, "--launch-profile", "Module", "--urls", "http://127.0.0.1:" + port)) {
            Response home = run.await("http://127.0.0.1:" + port + "/");
            assertThat(home.status()).isEqualTo(200);
            assertThat(home.body()).isEqualTo("Hello from e2eapp!");
            assertThat(get("http://127.0.0.1:" + port + "/about").body()).contains("Hello from the Module profile");
            assertThat(run.output()).contains("launch profile 'Module', Module inprocess").contains("behind the module with");
            assertThat(run.stop()).isZero();
        }
    }

    @Test
    @Order(5)
    void httpsInDevelopmentUsesTheDevelopmentCertificate() throws Exception {
        int port = freePort();
        try (Run run = Run.start(project, "--Server:Endpoints:Https:Url=https://127.0.0.1:" + port)) {
            Response home = run.await("https://127.0.0.1:" + port + "/");
            assertThat(home.status()).isEqualTo(200);
            assertThat(home.body()).isEqualTo("Hello from e2eapp!");
            assertThat(run.stop()).isZero();
        }
        assertThat(temp.resolve("dev-certs").resolve("lanner-dev-cert.pem")).isRegularFile();
    }

    /**
     * Each command docs/getting-started.md shows is one a test here (or the lanner new / dev-certs
     * tests) runs: a command added to the guide without a test fails this.
     */
    @Test
    void everyCommandOfTheGettingStartedGuideIsExercised() throws IOException {
        Map<String, String> exercisedBy = Map.of(
                "./lanner new web ~/myapp", "newProject (lanner new web) and NewWebProjectEndToEndTest",
                "cd ~/myapp && mvn test", "NewWebProjectEndToEndTest (mvn -o test in the new project)",
                "./lanner run ~/myapp", "theProjectProfileOnAGivenUrlAnswersWithTheProfilesVariables",
                "./lanner run ~/myapp --launch-profile Module", "theModuleProfileRunsTheApplicationBehindTheModule",
                "./lanner run ~/myapp -c Release", "releaseRunsThePackagedJarInProduction",
                "./lanner run ~/myapp --no-launch-profile --urls http://127.0.0.1:8080",
                "withoutALaunchProfileTheAppsettingsAndTheCommandLineDecideAndAnUnchangedProjectIsNotRebuilt",
                "./lanner run ~/myapp --Greeting=Hi", "RunCommandTest.passesUnknownKeyValueOptionsThroughAsConfigurationOverrides",
                "./lanner dev-certs --check", "DevCertsCommandTest",
                "./lanner run ~/myapp --Server:Endpoints:Https:Url=https://localhost:5001",
                "httpsInDevelopmentUsesTheDevelopmentCertificate");
        Set<String> documented = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("..", "docs", "getting-started.md"))) {
            String text = line.strip();
            if (text.startsWith("| `./lanner") || text.startsWith("| `cd ")) {
                text = text.substring(3, text.indexOf('`', 3));
            }
            int comment = text.indexOf("  #");
            if (comment > 0) {
                text = text.substring(0, comment).strip();
            }
            if (text.startsWith("./lanner ") || text.startsWith("cd ~/myapp")) {
                documented.add(text);
            }
        }
        assertThat(documented).isNotEmpty();
        assertThat(exercisedBy.keySet()).as("commands in docs/getting-started.md").containsAll(documented);
    }

    // ---- helpers ----

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    record Response(int status, String body) {
    }

    static Response get(String url) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection(Proxy.NO_PROXY);
        if (connection instanceof HttpsURLConnection https) {
            // The development certificate made in the test's folder, trusted by this client only.
            https.setSSLSocketFactory(developmentTrust());
        }
        connection.setConnectTimeout(2_000);
        connection.setReadTimeout(10_000);
        try {
            int status = connection.getResponseCode();
            var in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            return new Response(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            connection.disconnect();
        }
    }

    private static SSLSocketFactory developmentTrust() throws IOException {
        try (InputStream in = Files.newInputStream(temp.resolve("dev-certs").resolve("lanner-dev-cert.pem"))) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("lanner-dev", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** {@code lanner run ...} in a process of its own, its output (stdout and stderr) in a file. */
    static final class Run implements AutoCloseable {
        private final Process process;
        private final Path log;
        private final List<ProcessHandle> children = new ArrayList<>();

        private Run(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        static Run start(Path project, String... options) throws IOException {
            List<String> command = new ArrayList<>(List.of(JAVA, "-cp", System.getProperty("java.class.path"),
                    LannerCli.class.getName(), "run", project.toString()));
            command.addAll(List.of(options));
            Path log = Files.createTempFile(temp, "lanner-run", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("LANNER_"));
            // Never the user's own development certificate.
            builder.environment().put("LANNER_DEV_CERTS_DIR", temp.resolve("dev-certs").toString());
            return new Run(builder.start(), log);
        }

        /** Polls {@code url} until it answers (the first run builds the project: a few minutes at most). */
        Response await(String url) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            while (true) {
                try {
                    return get(url);
                } catch (IOException notYet) {
                    assertThat(process.isAlive()).as("lanner run ended early; output:%n%s", output()).isTrue();
                    assertThat(System.nanoTime()).as("%s answering; output:%n%s", url, output()).isLessThan(deadline);
                    Thread.sleep(200);
                }
            }
        }

        /** SIGTERM to lanner run; its exit code. */
        int stop() throws InterruptedException {
            children.addAll(process.descendants().toList());
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("lanner run ended after SIGTERM").isTrue();
            return process.exitValue();
        }

        String output() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "(no output: " + e + ")";
            }
        }

        @Override
        public void close() {
            children.addAll(process.descendants().toList());
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            // The application (and a module's children) must not outlive the test.
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
