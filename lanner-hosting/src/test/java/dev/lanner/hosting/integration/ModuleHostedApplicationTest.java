package dev.lanner.hosting.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.hosting.StartupException;
import dev.lanner.hosting.WebApplication;
import dev.lanner.hosting.WebApplicationOptions;
import dev.lanner.hosting.testing.TestClient;
import dev.lanner.hosting.testing.TestRequest;
import dev.lanner.hosting.testing.TestResponse;
import dev.lanner.hosting.testing.TestServer;
import dev.lanner.http.features.TlsConnectionFeature;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hooks in WebApplication: detection, the integration first in the pipeline, the shutdown event. */
class ModuleHostedApplicationTest {

    private static final String TOKEN = "t0k3n";

    @TempDir
    Path root;

    private WebApplication app(Map<String, String> env) {
        WebApplicationOptions options = WebApplicationOptions.isolated(root).withEnvironmentVariables(env);
        WebApplication app = WebApplication.builder(options).useServer(new TestServer()).build();
        app.mapGet("/info", ctx -> ctx.response().write(ctx.request().pathBase() + " " + ctx.request().path()
                + " token=" + ctx.request().header("Lanner-Token")));
        app.mapGet("/whoami", ctx -> {
            TlsConnectionFeature tls = ctx.feature(TlsConnectionFeature.class);
            ctx.response().write("user=" + ctx.user() + " certificate="
                    + (tls == null ? null : tls.clientCertificate().getSubjectX500Principal().getName())
                    + " header=" + ctx.request().header("Lanner-User"));
        });
        return app;
    }

    private static Map<String, String> moduleEnvironment() {
        return Map.of("LANNER_PORT", "41234", "LANNER_TOKEN", TOKEN, "LANNER_APPL_PATH", "/outproc");
    }

    private static TestClient client(WebApplication app) {
        return ((TestServer) app.server()).client();
    }

    @Test
    void anApplicationWithoutTheVariablesIsNotModuleHosted() throws Exception {
        WebApplication app = app(Map.of("LANNER_TOKEN", TOKEN));
        app.start();

        assertThat(app.moduleIntegration()).isEmpty();
        assertThat(client(app).get("/info").bodyAsString()).isEqualTo(" /info token=null");
        app.stop();
    }

    @Test
    void theModulesVariablesAreDetectedAndAreNotConfiguration() {
        WebApplication app = app(moduleEnvironment());

        assertThat(app.moduleIntegration()).contains(new ModuleIntegration(41234, TOKEN, "/outproc"));
        assertThat(app.configuration().get("TOKEN")).isNull();
        assertThat(app.configuration().get("PORT")).isNull();
        assertThat(app.configuration().get("APPL_PATH")).isNull();
    }

    @Test
    void anInvalidPortFailsTheStartUpNamingTheVariable() {
        assertThatThrownBy(() -> app(Map.of("LANNER_PORT", "70000", "LANNER_TOKEN", TOKEN)))
                .isInstanceOf(StartupException.class)
                .hasMessage("The environment variable LANNER_PORT has the invalid value '70000'; expected a port number"
                        + " 1..65535 (set by lanner-module)");
    }

    @Test
    void requestsNeedTheTokenAndSeeTheMountAsPathBase() throws Exception {
        WebApplication app = app(moduleEnvironment());
        app.start();
        try {
            assertThat(client(app).get("/outproc/info").statusCode()).isEqualTo(400);
            TestResponse ok = client(app).send(TestRequest.get("/outproc/info").header("Lanner-Token", TOKEN));
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.bodyAsString()).isEqualTo("/outproc /info token=null");
        } finally {
            app.stop();
        }
    }

    @Test
    void theApplicationSeesTheUserAndCertificateOfTheEdgeForOneRequest() throws Exception {
        WebApplication app = app(moduleEnvironment());
        app.start();
        try {
            TestResponse withIdentity = client(app).send(TestRequest.get("/outproc/whoami").header("Lanner-Token", TOKEN)
                    .header("Lanner-User", EdgeIdentityHeaders.encodeUser("Zoë")).header("Lanner-Auth-Type", "Certificate")
                    .header("Lanner-Client-Certificate",
                            EdgeIdentityHeaders.encodeCertificate(ModuleIntegrationMiddlewareTest.aliceCertificate())));
            TestResponse next = client(app).send(TestRequest.get("/outproc/whoami").header("Lanner-Token", TOKEN));
            TestResponse withoutToken = client(app).send(TestRequest.get("/outproc/whoami").header("Lanner-User", "alice"));

            assertThat(withIdentity.bodyAsString())
                    .isEqualTo("user=ModuleUser[name=Zoë, authenticationType=Certificate] certificate=O=Lanner Test,CN=alice header=null");
            assertThat(next.bodyAsString()).isEqualTo("user=null certificate=null header=null");
            assertThat(withoutToken.statusCode()).isEqualTo(400);
        } finally {
            app.stop();
        }
    }

    @Test
    void theShutdownEventIsAcceptedThenTheApplicationStops() throws Exception {
        WebApplication app = app(moduleEnvironment());
        CountDownLatch stopping = new CountDownLatch(1);
        app.lifetime().applicationStopping().onAbort(stopping::countDown);
        app.start();

        TestResponse response = client(app).send(TestRequest.post("/lanner-integration")
                .header("Lanner-Token", TOKEN).header("Lanner-Event", "shutdown"));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEmpty();
        assertThat(stopping.await(10, TimeUnit.SECONDS)).isTrue();
        CountDownLatch stopped = new CountDownLatch(1);
        app.lifetime().applicationStopped().onAbort(stopped::countDown);
        assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
    }
}
