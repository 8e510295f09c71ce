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
import dev.lanner.module.internal.inprocess.InProcessApplication;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-process hosting end to end: a real front server on loopback (http, and https with HTTP/2 and the
 * development certificate) loading {@code example.inproc.InProcessTestApp} from a jar of its own
 * ({@link InProcessAppJar}) into the module's JVM; clients are HttpURLConnection and curl.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class InProcessEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ERROR_HEADER = "Lanner-Module-Error";

    @TempDir
    Path temp;

    private Path appDirectory;
    private ModuleHost module;

    @BeforeEach
    void directories() throws IOException {
        appDirectory = Files.createDirectories(temp.resolve("app"));
    }

    @AfterEach
    void stop() {
        if (module != null) {
            module.stop();
        }
    }

    @Test
    void anInProcessApplicationServesHttpsWithHttp2AndHttp11WithTheClientsSchemeAddressAndMount() throws Exception {
        start(app -> app.putObject("environmentVariables").put("LANNER_Greeting", "hello from the site file"));

        CurlResult h2 = curl(null, "--http2", httpsUrl() + "/inproc/info");

        assertThat(h2.httpVersion()).isEqualTo("2");
        assertThat(h2.status()).isEqualTo(200);
        JsonNode info = JSON.readTree(h2.body());
        assertThat(info.get("scheme").asText()).isEqualTo("https");
        assertThat(info.get("protocol").asText()).isEqualTo("HTTP/2");
        assertThat(info.get("remoteAddress").asText()).isEqualTo("127.0.0.1");
        // The edge connection itself: the client's port, the module's public port.
        assertThat(info.get("remotePort").asInt()).isEqualTo(h2.localPort());
        assertThat(info.get("localPort").asInt()).isEqualTo(port(httpsUrl()));
        assertThat(info.get("pathBase").asText()).isEqualTo("/inproc");
        assertThat(info.get("path").asText()).isEqualTo("/info");
        assertThat(info.get("host").asText()).isEqualTo(httpsUrl().substring("https://".length()));
        // Inside the module's JVM, on its own libraries, with Lanner's types shared.
        assertThat(info.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(info.get("inProcess").asBoolean()).isTrue();
        assertThat(info.get("applicationLoader").asText()).isEqualTo("lanner-inprocess-inproc");
        assertThat(info.get("jacksonLoader").asText()).isEqualTo("lanner-inprocess-inproc");
        assertThat(info.get("contextLoader").asText()).isEqualTo(ModuleHost.class.getClassLoader().getName());
        assertThat(info.get("threadContextLoader").asText()).isEqualTo("lanner-inprocess-inproc");
        // The site's variables reach the application's configuration.
        assertThat(info.get("greeting").asText()).isEqualTo("hello from the site file");
        assertThat(info.get("urls").asText()).contains(httpsUrl() + "/inproc").contains(httpUrl() + "/inproc");

        CurlResult plain = curl(null, "--http1.1", httpUrl() + "/inproc/info");
        assertThat(plain.status()).isEqualTo(200);
        JsonNode plainInfo = JSON.readTree(plain.body());
        assertThat(plainInfo.get("scheme").asText()).isEqualTo("http");
        assertThat(plainInfo.get("protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(plainInfo.get("remotePort").asInt()).isEqualTo(plain.localPort());
        assertThat(plainInfo.get("pathBase").asText()).isEqualTo("/inproc");

        Response echo = send("POST", httpUrl() + "/inproc/echo", Map.of(), "in process, no socket");
        assertThat(echo.status()).isEqualTo(200);
        assertThat(echo.body()).isEqualTo("in process, no socket");
        assertThat(get(httpUrl() + "/INPROC/plaintext").body()).isEqualTo("Hello, World!");
        assertThat(get(httpUrl() + "/inprocess/plaintext").status()).isEqualTo(404);
    }

    @Test
    void aBlockingApplicationRunsOffTheEventLoopOverBothProtocols() throws Exception {
        start(app -> mode(app, "blocking"));

        CurlResult h2 = curl(null, "--http2", httpsUrl() + "/inproc/slow?ms=200");
        Response h1 = get(httpUrl() + "/inproc/slow?ms=200");

        assertThat(h2.httpVersion()).isEqualTo("2");
        assertThat(h2.status()).isEqualTo(200);
        assertThat(h2.body()).isEqualTo("slept\n");
        assertThat(h1.status()).isEqualTo(200);
        assertThat(h1.body()).isEqualTo("slept\n");
    }

    @Test
    void aCrashInMainGetsTheStartFailurePageAndTheOtherApplicationKeepsServing() throws Exception {
        start(app -> mode(app, "crash-in-main"));

        Response crashed = get(httpUrl() + "/inproc/info");
        Response again = get(httpUrl() + "/inproc/info");
        Response other = get(httpUrl() + "/other/plaintext");

        assertThat(crashed.status()).isEqualTo(502);
        assertThat(crashed.header(ERROR_HEADER)).contains("start-failure");
        assertThat(crashed.body()).contains("the test application crashed in main");
        assertThat(again.status()).isEqualTo(502);
        assertThat(again.header(ERROR_HEADER)).contains("start-failure");
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.body()).isEqualTo("Hello, World!");
    }

    @Test
    void aMainThatReturnsWithoutAnApplicationIsAStartFailure() throws Exception {
        start(app -> mode(app, "no-application"));

        Response response = get(httpUrl() + "/inproc/info");

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.header(ERROR_HEADER)).contains("start-failure");
        assertThat(response.body()).contains("returned without starting a WebApplication");
    }

    @Test
    void aMainThatNeverStartsGetsTheStartupTimeLimitPage() throws Exception {
        start(app -> {
            mode(app, "never-start");
            app.put("startupTimeLimit", 1);
            app.put("shutdownTimeLimit", 1);
        });

        Response response = get(httpUrl() + "/inproc/info");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header(ERROR_HEADER)).contains("startup-time-limit");
        assertThat(get(httpUrl() + "/other/plaintext").status()).isEqualTo(200);
    }

    @Test
    void appOfflineUnloadsTheApplicationAndRemovingItLoadsItAgain() throws Exception {
        start(app -> { });
        assertThat(get(httpUrl() + "/inproc/plaintext").status()).isEqualTo(200);
        WeakReference<ClassLoader> first = new WeakReference<>(inProcess().classLoader().orElseThrow());

        Path offline = Files.writeString(appDirectory.resolve("app_offline.htm"), "<p>back soon</p>");
        Response whileOffline = awaitStatus("/inproc/plaintext", 503);
        assertThat(whileOffline.header(ERROR_HEADER)).contains("offline");
        assertThat(whileOffline.body()).isEqualTo("<p>back soon</p>");
        awaitTrue(Duration.ofSeconds(10), () -> inProcess().classLoader().isEmpty());

        Files.delete(offline);
        Response back = awaitStatus("/inproc/plaintext", 200);
        assertThat(back.body()).isEqualTo("Hello, World!");
        assertThat(inProcess().classLoader().orElseThrow()).isNotSameAs(first.get());
        awaitCollected(first);
    }

    @Test
    void stoppingInterruptsTheThreadsTheApplicationLeftAndReleasesItsLoader() throws Exception {
        start(app -> mode(app, "leaves-thread"));
        assertThat(get(httpUrl() + "/inproc/plaintext").status()).isEqualTo(200);
        Thread left = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("left-by-test-app")).findFirst().orElseThrow();
        WeakReference<ClassLoader> loader = new WeakReference<>(inProcess().classLoader().orElseThrow());

        module.stop();

        assertThat(left.isAlive()).isFalse();
        left = null;
        awaitCollected(loader);
    }

    // ---- the module and its site file ----

    /** A site with http and https (HTTP/1.1 and HTTP/2) bindings, the test application at /inproc and a second one at /other. */
    private void start(Consumer<ObjectNode> customize) throws Exception {
        ObjectNode site = JSON.createObjectNode();
        site.put("environment", "Development");
        ArrayNode bindings = site.putArray("bindings");
        bindings.addObject().put("url", "http://127.0.0.1:0");
        bindings.addObject().put("url", "https://127.0.0.1:0").put("protocols", "Http1AndHttp2");
        ArrayNode applications = site.putArray("applications");
        ObjectNode app = applications.addObject();
        app.put("name", "inproc");
        app.put("path", "/inproc");
        app.put("directory", appDirectory.toString());
        app.put("hostingModel", "inprocess");
        app.put("jar", InProcessAppJar.get().toString());
        app.put("shutdownTimeLimit", 5);
        mode(app, "normal");
        customize.accept(app);
        ObjectNode other = applications.addObject();
        other.put("name", "other");
        other.put("path", "/other");
        other.put("directory", Files.createDirectories(temp.resolve("other")).toString());
        other.put("hostingModel", "inprocess");
        other.put("jar", InProcessAppJar.get().toString());
        mode(other, "normal");
        Path siteFile = temp.resolve("site.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(siteFile.toFile(), site);

        Map<String, String> environmentVariables = new HashMap<>(System.getenv());
        environmentVariables.keySet().removeIf(name -> name.startsWith("LANNER_"));
        module = ModuleHost.create(siteFile, environmentVariables, false, "--Hosting:RequestLog=false");
        module.start();
    }

    private static void mode(ObjectNode app, String mode) {
        app.putArray("arguments").add("--Test:Mode=" + mode).add("--Hosting:RequestLog=false");
    }

    private InProcessApplication inProcess() {
        return (InProcessApplication) module.application("inproc").orElseThrow();
    }

    private Response awaitStatus(String path, int status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Response response = get(httpUrl() + path);
            if (response.status() == status || System.nanoTime() > deadline) {
                assertThat(response.status()).as("status of %s", path).isEqualTo(status);
                return response;
            }
            Thread.sleep(50);
        }
    }

    /** Full collections until the loader is gone (bounded): nothing of the application may keep it. */
    static void awaitCollected(WeakReference<?> reference) throws InterruptedException {
        for (int i = 0; i < 50 && reference.get() != null; i++) {
            System.gc();
            Thread.sleep(100);
        }
        assertThat(reference.get()).as("the application's class loader after its unload and full GCs").isNull();
    }

    private String httpUrl() {
        return ModuleClients.binding(module, "http://");
    }

    private String httpsUrl() {
        return ModuleClients.binding(module, "https://");
    }

    private static int port(String url) {
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }
}
