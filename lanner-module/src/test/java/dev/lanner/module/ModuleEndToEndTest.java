package dev.lanner.module;

import static dev.lanner.module.ModuleClients.awaitTrue;
import static dev.lanner.module.ModuleClients.curl;
import static dev.lanner.module.ModuleClients.get;
import static dev.lanner.module.ModuleClients.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanner.module.ModuleClients.CurlResult;
import dev.lanner.module.ModuleClients.Response;
import dev.lanner.module.internal.HostedApplication;
import dev.lanner.module.internal.outofprocess.OutOfProcessApplication;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module's out-of-process hosting end to end: a real front server on loopback (http, and https
 * with HTTP/2 and the development certificate), real child processes ({@link TestBackend} started
 * with the current {@code java}), real sockets. Clients are {@link HttpURLConnection} (HTTP/1.1) and curl
 * (HTTP/2 over TLS).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ModuleEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JAVA = ProcessHandle.current().info().command().orElseThrow();
    private static final String CLASS_PATH = System.getProperty("java.class.path");
    private static final String ERROR_HEADER = "Lanner-Module-Error";

    @TempDir
    Path temp;

    private Path appDirectory;
    private ModuleHost module;
    private final Set<Long> seenPids = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void directories() throws IOException {
        appDirectory = Files.createDirectories(temp.resolve("app"));
        assertThat(CLASS_PATH).as("the test class path the backend runs with").contains("test-classes");
    }

    @AfterEach
    void stopEverything() {
        List<ProcessHandle> handles = new ArrayList<>();
        if (module != null) {
            module.application("app").ifPresent(app -> handles.addAll(((OutOfProcessApplication) app).processes()));
            module.stop();
        }
        for (ProcessHandle handle : handles) {
            seenPids.add(handle.pid());
        }
        // Whatever the module left behind (it should leave nothing): every child this JVM started.
        ProcessHandle.current().descendants().forEach(h -> seenPids.add(h.pid()));
        for (long pid : seenPids) {
            ProcessHandle.of(pid).ifPresent(h -> {
                if (h.isAlive()) {
                    h.destroyForcibly();
                }
            });
        }
    }

    // ---- a. HTTPS + HTTP/2 at the edge, HTTP/1.1 to the backend; plain HTTP/1.1 too ----

    @Test
    void httpsWithHttp2AtTheEdgeReachesTheBackendWithTheClientsSchemeAddressPortAndPathBase() throws Exception {
        start("Development", app -> { });

        CurlResult curl = curl("--http2", httpsUrl() + "/app/info");

        assertThat(curl.httpVersion()).isEqualTo("2");
        assertThat(curl.status()).isEqualTo(200);
        JsonNode info = JSON.readTree(curl.body());
        assertThat(info.get("scheme").asText()).isEqualTo("https");
        assertThat(info.get("remoteAddress").asText()).isEqualTo("127.0.0.1");
        // The client as curl used it, not the module's upstream connection.
        assertThat(info.get("remotePort").asInt()).isEqualTo(curl.localPort());
        assertThat(info.get("remotePort").asInt()).isNotEqualTo(info.get("localPort").asInt());
        assertThat(info.get("pathBase").asText()).isEqualTo("/app");
        assertThat(info.get("path").asText()).isEqualTo("/info");
        assertThat(info.get("host").asText()).isEqualTo(httpsUrl().substring("https://".length()));
        assertThat(info.get("localPort").asInt()).isEqualTo(outOfProcess().ports().get(0));
        assertThat(info.get("pid").asLong()).isEqualTo(outOfProcess().processes().get(0).pid());

        CurlResult plain = curl("--http1.1", httpUrl() + "/app/info");
        assertThat(plain.httpVersion()).isEqualTo("1.1");
        assertThat(plain.status()).isEqualTo(200);
        JsonNode plainInfo = JSON.readTree(plain.body());
        assertThat(plainInfo.get("scheme").asText()).isEqualTo("http");
        assertThat(plainInfo.get("remoteAddress").asText()).isEqualTo("127.0.0.1");
        assertThat(plainInfo.get("remotePort").asInt()).isEqualTo(plain.localPort());
        assertThat(plainInfo.get("pathBase").asText()).isEqualTo("/app");
        assertThat(plainInfo.get("path").asText()).isEqualTo("/info");
        assertThat(plainInfo.get("pid").asLong()).isEqualTo(info.get("pid").asLong());

        Response echo = send("POST", httpUrl() + "/app/echo", Map.of(), "hello through the module");
        assertThat(echo.status()).isEqualTo(200);
        assertThat(echo.body()).isEqualTo("hello through the module");

        Response unmounted = get(httpUrl() + "/elsewhere");
        assertThat(unmounted.status()).isEqualTo(404);
    }

    @Test
    void aRequestBodyOfUnknownLengthOverHttp2IsForwardedWhole() throws Exception {
        start("Development", app -> { });
        // 200 KB of lines: more than one forwarding buffer, sent by curl from stdin without a length
        // (HTTP/2 without content-length; the module forwards it chunked).
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 200_000; i++) {
            text.append("line ").append(i).append('\n');
        }
        Path body = Files.writeString(temp.resolve("body.txt"), text);

        CurlResult echo = curl(body, "--http2", "-X", "POST", "-T", "-", httpsUrl() + "/app/echo");

        assertThat(echo.httpVersion()).isEqualTo("2");
        assertThat(echo.status()).isEqualTo(200);
        assertThat(echo.body()).isEqualTo(text.toString());
    }

    // ---- b. the backend's port answers only the module ----

    @Test
    void theBackendPortRejectsRequestsWithoutTheRightToken() throws Exception {
        start("Development", app -> { });
        assertThat(get(httpUrl() + "/app/info").status()).isEqualTo(200);
        OutOfProcessApplication app = outOfProcess();
        String direct = "http://127.0.0.1:" + app.ports().get(0) + "/app/info";

        Response noToken = get(direct);
        assertThat(noToken.status()).isEqualTo(400);
        assertThat(noToken.body()).doesNotContain("\"pid\"");

        Response wrongToken = send("GET", direct, Map.of("Lanner-Token", "0".repeat(app.token().length())), null);
        assertThat(wrongToken.status()).isEqualTo(400);

        // The right token is what the module sends: proves the 400s are about the token, not the port.
        Response rightToken = send("GET", direct, Map.of("Lanner-Token", app.token()), null);
        assertThat(rightToken.status()).isEqualTo(200);
    }

    // ---- c. a killed backend is replaced on the next request ----

    @Test
    void aKilledBackendIsStartedAgainByTheNextRequest() throws Exception {
        start("Development", app -> { });
        long first = pidFrom(get(httpUrl() + "/app/info"));
        ProcessHandle handle = outOfProcess().processes().get(0);
        assertThat(handle.pid()).isEqualTo(first);

        handle.destroyForcibly();
        handle.onExit().get(10, TimeUnit.SECONDS);
        assertThat(handle.isAlive()).isFalse();
        // Dead as the module sees it too (its Process object learns of the exit from its own reaper thread).
        awaitTrue(Duration.ofSeconds(5), () -> outOfProcess().processes().isEmpty());

        Response after = get(httpUrl() + "/app/info");
        assertThat(after.status()).isEqualTo(200);
        long second = pidFrom(after);
        assertThat(second).isNotEqualTo(first);
        assertThat(outOfProcess().processes()).extracting(ProcessHandle::pid).containsExactly(second);
    }

    /**
     * The request had reached the process when it died: it is answered 502 crashed, never sent again to
     * a new process (a POST would run twice), and the next request starts a new process. (A POST with
     * an empty body: the module can replay it, as a GET, when a pooled connection turns out closed.)
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"GET", "POST"})
    void aBackendKilledUnderARequestAnswersCrashedThenIsStartedAgain(String method) throws Exception {
        start("Development", app -> { });
        long first = pidFrom(get(httpUrl() + "/app/info"));
        ProcessHandle handle = ProcessHandle.of(first).orElseThrow();

        var inFlight = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return send(method, httpUrl() + "/app/slow?ms=10000", Map.of(), method.equals("POST") ? "" : null);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        awaitTrue(Duration.ofSeconds(5), () -> outOfProcess().inFlight() == 1);
        Thread.sleep(200); // the request is at the backend, sleeping
        handle.destroyForcibly();

        Response crashed = inFlight.get(20, TimeUnit.SECONDS);
        assertThat(crashed.status()).isEqualTo(502);
        assertThat(crashed.header(ERROR_HEADER)).contains("crashed");

        Response after = get(httpUrl() + "/app/info");
        assertThat(after.status()).isEqualTo(200);
        assertThat(pidFrom(after)).isNotEqualTo(first);
    }

    // ---- d. startupTimeLimit ----

    @Test
    void aBackendThatNeverListensGetsStartupTimeLimit() throws Exception {
        start("Development", app -> {
            app.put("startupTimeLimit", 2);
            mode(app, "never-listen");
        });

        Response response = get(httpUrl() + "/app/info");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header(ERROR_HEADER)).contains("startup-time-limit");
        assertThat(response.header("Retry-After")).contains("10");
        // The process that did not listen was killed.
        assertThat(outOfProcess().processes()).isEmpty();
        awaitTrue(Duration.ofSeconds(5), () -> ProcessHandle.current().children().noneMatch(ProcessHandle::isAlive));
    }

    // ---- e. rapidFailsPerMinute ----

    /**
     * From {@code OutOfProcessApplication.Slot.ready()}: each failed start is counted (within a minute)
     * before the response is written; the start whose count exceeds {@code rapidFailsPerMinute} already
     * answers {@code rapid-fail-limit}, and no later request starts a process. With 2: failures 1 and 2
     * are 502 start-failure, failure 3 (more than 2) is 503 rapid-fail-limit, request 4 is 503 without a start.
     */
    @Test
    void aBackendThatCrashesAtOnceReachesTheRapidFailLimit() throws Exception {
        Path logs = temp.resolve("logs");
        start("Development", app -> {
            app.put("rapidFailsPerMinute", 2);
            app.put("stdoutLogEnabled", true);
            app.put("stdoutLogFile", logs.resolve("stdout").toString());
            mode(app, "crash-at-once");
        });

        List<String> observed = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Response response = get(httpUrl() + "/app/info");
            observed.add(response.status() + " " + response.header(ERROR_HEADER).orElse("-"));
        }

        assertThat(observed).containsExactly("502 start-failure", "502 start-failure", "503 rapid-fail-limit",
                "503 rapid-fail-limit");
        // Three processes were started (one log file each), none for the fourth request.
        awaitTrue(Duration.ofSeconds(5), () -> logFiles(logs).size() == 3);
        Thread.sleep(300);
        assertThat(logFiles(logs)).hasSize(3);
        for (Path log : logFiles(logs)) {
            awaitTrue(Duration.ofSeconds(5), () -> read(log).contains(TestBackend.CRASH_LINE));
        }
    }

    // ---- f. app_offline.htm ----

    @Test
    void appOfflineStopsTheBackendAndServesTheFileUntilItIsRemoved() throws Exception {
        start("Development", app -> { });
        long first = pidFrom(get(httpUrl() + "/app/info"));
        ProcessHandle process = ProcessHandle.of(first).orElseThrow();

        Path offline = appDirectory.resolve("app_offline.htm");
        Files.writeString(offline, "<h1>down for maintenance</h1>");

        Response down = awaitResponse(Duration.ofSeconds(1), r -> r.status() == 503);
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.header(ERROR_HEADER)).contains("offline");
        assertThat(down.body()).isEqualTo("<h1>down for maintenance</h1>");
        process.onExit().get(15, TimeUnit.SECONDS);
        assertThat(process.isAlive()).isFalse();
        assertThat(outOfProcess().processes()).isEmpty();
        // Still offline while the file is there, and nothing is started.
        assertThat(get(httpUrl() + "/app/info").status()).isEqualTo(503);
        assertThat(outOfProcess().processes()).isEmpty();

        Files.delete(offline);
        Response up = awaitResponse(Duration.ofSeconds(1), r -> r.status() != 503);
        assertThat(up.status()).isEqualTo(200);
        assertThat(pidFrom(up)).isNotEqualTo(first);
    }

    // ---- g. stdout logs ----

    @Test
    void stdoutLogEnabledWritesTheProcessOutputToATimestampedFile() throws Exception {
        Path logs = temp.resolve("logs");
        start("Development", app -> {
            app.put("stdoutLogEnabled", true);
            app.put("stdoutLogFile", logs.resolve("stdout").toString());
        });

        long pid = pidFrom(get(httpUrl() + "/app/info"));

        awaitTrue(Duration.ofSeconds(5), () -> logFiles(logs).size() == 1);
        Path log = logFiles(logs).get(0);
        assertThat(log.getFileName().toString()).matches("stdout_\\d{14}_" + pid + "\\.log");
        awaitTrue(Duration.ofSeconds(5), () -> read(log).contains(TestBackend.STARTED + pid));
    }

    @Test
    void stdoutLogDisabledWritesNoFile() throws Exception {
        Path logs = temp.resolve("logs");
        start("Development", app -> {
            app.put("stdoutLogEnabled", false);
            app.put("stdoutLogFile", logs.resolve("stdout").toString());
        });

        assertThat(get(httpUrl() + "/app/info").status()).isEqualTo(200);

        Thread.sleep(300);
        assertThat(logs).doesNotExist();
        assertThat(appDirectory.resolve("logs")).doesNotExist();
    }

    // ---- h. requestTimeout ----

    @Test
    void aSlowBackendGetsGatewayTimeout() throws Exception {
        start("Development", app -> app.put("requestTimeout", 1));
        assertThat(get(httpUrl() + "/app/info").status()).isEqualTo(200);

        Response slow = get(httpUrl() + "/app/slow?ms=3000");

        assertThat(slow.status()).isEqualTo(504);
        assertThat(slow.header(ERROR_HEADER)).contains("gateway-timeout");
        // The backend was not at fault: it keeps serving.
        assertThat(get(httpUrl() + "/app/slow?ms=10").status()).isEqualTo(200);
    }

    // ---- i. error details only in Development ----

    @Test
    void theStartFailurePageShowsTheProcessOutputInDevelopment() throws Exception {
        start("Development", app -> mode(app, "crash-at-once"));

        Response response = get(httpUrl() + "/app/info");

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.header(ERROR_HEADER)).contains("start-failure");
        assertThat(response.body()).contains("exited with code 3").contains(TestBackend.CRASH_LINE);
    }

    @Test
    void theStartFailurePageHidesTheProcessOutputInProduction() throws Exception {
        start("Production", app -> mode(app, "crash-at-once"));

        Response response = get(httpUrl() + "/app/info");

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.header(ERROR_HEADER)).contains("start-failure");
        assertThat(response.body()).contains("The application could not start")
                .doesNotContain(TestBackend.CRASH_LINE).doesNotContain("exited with code");
    }

    @Test
    void anHttp10RequestWithoutHostAndABodyOverTheLimitAreAnsweredAsTheServerWould() throws Exception {
        start("Production", app -> { });
        int port = java.net.URI.create(httpUrl()).getPort();
        // HTTP/1.0 needs no Host; the module gives the backend one (HTTP/1.1 requires it).
        String http10 = raw(port, "GET /app/info HTTP/1.0\r\n\r\n");
        assertThat(http10).startsWith("HTTP/1.1 200 ");
        // A declared body over the server's limit is the server's 413, not a 502 from the module.
        String tooLarge = raw(port, "POST /app/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999999\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(tooLarge).startsWith("HTTP/1.1 413 ");
    }

    /** Sends {@code request} on a new connection and returns what comes back until the server closes. */
    private static String raw(int port, String request) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    // ---- the module and its site file ----

    /**
     * Writes the site file ({@code environment}; an http binding and, in Development, an https one with
     * HTTP/1.1 and HTTP/2, on free ports; one application at /app) and starts the module.
     */
    private void start(String environment, Consumer<ObjectNode> customize) throws Exception {
        ObjectNode site = JSON.createObjectNode();
        site.put("environment", environment);
        ArrayNode bindings = site.putArray("bindings");
        bindings.addObject().put("url", "http://127.0.0.1:0");
        if (environment.equals("Development")) {
            // Without a certificate an https binding needs the development certificate, which only Development uses.
            bindings.addObject().put("url", "https://127.0.0.1:0").put("protocols", "Http1AndHttp2");
        }
        ObjectNode app = site.putArray("applications").addObject();
        app.put("name", "app");
        app.put("path", "/app");
        app.put("directory", appDirectory.toString());
        app.put("processPath", JAVA);
        app.put("shutdownTimeLimit", 5);
        mode(app, "normal");
        customize.accept(app);
        Path siteFile = temp.resolve("site.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(siteFile.toFile(), site);

        Map<String, String> environmentVariables = new HashMap<>(System.getenv());
        environmentVariables.keySet().removeIf(name -> name.startsWith("LANNER_"));
        module = ModuleHost.create(siteFile, environmentVariables, false, "--Hosting:RequestLog=false");
        module.start();
    }

    private static void mode(ObjectNode app, String mode) {
        ArrayNode arguments = app.putArray("arguments");
        arguments.add("-cp").add(CLASS_PATH).add(TestBackend.class.getName()).add(mode).add("--Hosting:RequestLog=false");
    }

    private OutOfProcessApplication outOfProcess() {
        HostedApplication app = module.application("app").orElseThrow();
        return (OutOfProcessApplication) app;
    }

    private String httpUrl() {
        return ModuleClients.binding(module, "http://");
    }

    private String httpsUrl() {
        return ModuleClients.binding(module, "https://");
    }

    private long pidFrom(Response response) throws IOException {
        assertThat(response.status()).as("status of %s: %s", response.url(), response.body()).isEqualTo(200);
        long pid = JSON.readTree(response.body()).get("pid").asLong();
        seenPids.add(pid);
        return pid;
    }

    // ---- waiting ----

    private Response awaitResponse(Duration limit, java.util.function.Predicate<Response> until)
            throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Response response = get(httpUrl() + "/app/info");
            if (until.test(response) || System.nanoTime() > deadline) {
                return response;
            }
            Thread.sleep(50);
        }
    }

    private static List<Path> logFiles(Path logs) {
        if (!Files.isDirectory(logs)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(logs)) {
            return files.filter(p -> p.getFileName().toString().startsWith("stdout_")).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
