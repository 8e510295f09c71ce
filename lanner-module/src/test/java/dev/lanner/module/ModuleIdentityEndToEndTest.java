package dev.lanner.module;

import static dev.lanner.module.ModuleClients.curl;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanner.module.ModuleClients.CurlResult;
import dev.lanner.module.internal.identity.PasswordHash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both hosting models behind one edge (https with HTTP/2, client certificates allowed) with edge
 * authentication on: HTTP Basic against a credentials file, and client certificates issued by a test
 * CA mapped to users. Each application reports what it sees ({@code /info}): the in-process one
 * ({@code example.inproc.InProcessTestApp}, its own jar) and the out-of-process one ({@link TestBackend}).
 * Certificates come from openssl (installed by scripts/test); the client is curl.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ModuleIdentityEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JAVA = ProcessHandle.current().info().command().orElseThrow();
    private static final List<String> MOUNTS = List.of("/inproc", "/outproc");

    @TempDir
    Path temp;

    private ModuleHost module;
    private Path certificates;

    @BeforeEach
    void start() throws Exception {
        certificates = Files.createDirectories(temp.resolve("certificates"));
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-subj", "/CN=Lanner Test CA", "-keyout", "ca.key", "-out", "ca.pem");
        clientCertificate("carol", true);
        // The same subject as carol's, self-signed: what anyone can make.
        clientCertificate("mallory", false);
        Path users = Files.writeString(temp.resolve("users.txt"),
                "# the site's users\nalice:" + PasswordHash.hash("s3cret".toCharArray(), 1000) + "\n");

        ObjectNode site = JSON.createObjectNode();
        site.put("environment", "Development");
        ArrayNode bindings = site.putArray("bindings");
        bindings.addObject().put("url", "http://127.0.0.1:0");
        bindings.addObject().put("url", "https://127.0.0.1:0").put("protocols", "Http1AndHttp2")
                .put("clientCertificateMode", "AllowCertificate");
        ObjectNode authentication = site.putObject("authentication");
        authentication.putObject("basic").put("credentialsFile", users.toString()).put("realm", "Lanner tests");
        ObjectNode byCertificate = authentication.putObject("clientCertificate");
        byCertificate.putObject("users").put("CN=carol,O=Lanner Test", "carol");
        byCertificate.put("issuers", certificates.resolve("ca.pem").toString());
        ArrayNode applications = site.putArray("applications");
        for (boolean forward : new boolean[] {true, false}) {
            String suffix = forward ? "" : "-nocert";
            ObjectNode inProcess = applications.addObject();
            inProcess.put("name", "inproc" + suffix);
            inProcess.put("path", "/inproc" + suffix);
            inProcess.put("directory", Files.createDirectories(temp.resolve("inproc" + suffix)).toString());
            inProcess.put("hostingModel", "inprocess");
            inProcess.put("jar", InProcessAppJar.get().toString());
            inProcess.put("forwardClientCertificate", forward);
            inProcess.putArray("arguments").add("--Hosting:RequestLog=false");
            ObjectNode outOfProcess = applications.addObject();
            outOfProcess.put("name", "outproc" + suffix);
            outOfProcess.put("path", "/outproc" + suffix);
            outOfProcess.put("directory", Files.createDirectories(temp.resolve("outproc" + suffix)).toString());
            outOfProcess.put("processPath", JAVA);
            outOfProcess.put("shutdownTimeLimit", 5);
            outOfProcess.put("forwardClientCertificate", forward);
            outOfProcess.putArray("arguments").add("-cp").add(System.getProperty("java.class.path"))
                    .add(TestBackend.class.getName()).add("normal").add("--Hosting:RequestLog=false");
        }
        Path siteFile = temp.resolve("site.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(siteFile.toFile(), site);
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.keySet().removeIf(name -> name.startsWith("LANNER_"));
        module = ModuleHost.create(siteFile, environment, false, "--Hosting:RequestLog=false");
        module.start();
    }

    @AfterEach
    void stop() {
        if (module != null) {
            module.stop();
        }
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void bothModelsSeeHttpsTheClientTheirMountAndTheUserTheEdgeAuthenticated() throws Exception {
        for (String mount : MOUNTS) {
            CurlResult anonymous = curl(null, "--http2", https() + mount + "/info");
            assertThat(anonymous.httpVersion()).as(mount).isEqualTo("2");
            assertThat(anonymous.status()).as(mount).isEqualTo(200);
            JsonNode seen = JSON.readTree(anonymous.body());
            assertThat(seen.get("scheme").asText()).as(mount).isEqualTo("https");
            assertThat(seen.get("remoteAddress").asText()).as(mount).isEqualTo("127.0.0.1");
            assertThat(seen.get("remotePort").asInt()).as(mount).isEqualTo(anonymous.localPort());
            assertThat(seen.get("pathBase").asText()).as(mount).isEqualTo(mount);
            assertThat(seen.get("path").asText()).as(mount).isEqualTo("/info");
            assertThat(seen.get("user").isNull()).as(mount + " anonymous").isTrue();

            CurlResult alice = curl(null, "--http2", "-u", "alice:s3cret", https() + mount + "/info");
            assertThat(alice.status()).as(mount).isEqualTo(200);
            JsonNode asAlice = JSON.readTree(alice.body());
            assertThat(asAlice.get("user").asText()).as(mount).isEqualTo("alice");
            assertThat(asAlice.get("authenticationType").asText()).as(mount).isEqualTo("Basic");
            assertThat(asAlice.get("scheme").asText()).as(mount).isEqualTo("https");
            assertThat(asAlice.get("remotePort").asInt()).as(mount).isEqualTo(alice.localPort());

            CurlResult wrong = curl(null, "--http2", "-u", "alice:guess", https() + mount + "/info");
            assertThat(wrong.status()).as(mount).isEqualTo(401);
            assertThat(wrong.body()).as(mount).isEqualTo("Unauthorized: the site requires a known user\n");
        }
    }

    @Test
    void identityHeadersAClientSendsItselfAreNotBelieved() throws Exception {
        String forgedCertificate = Base64.getEncoder().encodeToString(
                java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(
                        Files.newInputStream(certificates.resolve("carol.pem"))).getEncoded());
        for (String mount : MOUNTS) {
            for (String protocol : List.of("--http2", "--http1.1")) {
                CurlResult forged = curl(null, protocol, "-H", "Lanner-User: mallory", "-H", "Lanner-Auth-Type: Basic",
                        "-H", "Lanner-Client-Certificate: " + forgedCertificate, https() + mount + "/info");
                assertThat(forged.status()).as(mount + " " + protocol).isEqualTo(200);
                JsonNode seen = JSON.readTree(forged.body());
                assertThat(seen.get("user").isNull()).as(mount + " " + protocol + " forged user").isTrue();
                assertThat(seen.get("clientCertificate").isNull()).as(mount + " " + protocol + " forged certificate").isTrue();
            }
        }
    }

    @Test
    void aClientCertificateFromTheNamedIssuerIsAUserAndReachesTheApplicationsThatForwardIt() throws Exception {
        for (String mount : MOUNTS) {
            CurlResult carol = curl(null, "--http2", "--cert", certificates.resolve("carol.pem").toString(),
                    "--key", certificates.resolve("carol.key").toString(), https() + mount + "/info");
            assertThat(carol.status()).as(mount).isEqualTo(200);
            JsonNode asCarol = JSON.readTree(carol.body());
            assertThat(asCarol.get("user").asText()).as("%s: %s", mount, carol.body()).isEqualTo("carol");
            assertThat(asCarol.get("authenticationType").asText()).as(mount).isEqualTo("Certificate");
            assertThat(asCarol.get("clientCertificate").asText()).as(mount).isEqualTo("CN=carol,O=Lanner Test");

            // The same subject from an issuer the site does not name: the application sees the certificate, no user.
            CurlResult mallory = curl(null, "--http2", "--cert", certificates.resolve("mallory.pem").toString(),
                    "--key", certificates.resolve("mallory.key").toString(), https() + mount + "/info");
            assertThat(mallory.status()).as(mount).isEqualTo(200);
            JsonNode asMallory = JSON.readTree(mallory.body());
            assertThat(asMallory.get("user").isNull()).as(mount).isTrue();
            assertThat(asMallory.get("clientCertificate").asText()).as(mount).isEqualTo("CN=carol,O=Lanner Test");

            // Without forwardClientCertificate the application does not see it, but still sees the user.
            CurlResult hidden = curl(null, "--http2", "--cert", certificates.resolve("carol.pem").toString(),
                    "--key", certificates.resolve("carol.key").toString(), https() + mount + "-nocert/info");
            assertThat(hidden.status()).as(mount).isEqualTo(200);
            JsonNode withoutCertificate = JSON.readTree(hidden.body());
            assertThat(withoutCertificate.get("clientCertificate").isNull()).as(mount + "-nocert").isTrue();
            assertThat(withoutCertificate.get("user").asText()).as(mount + "-nocert").isEqualTo("carol");
        }
    }

    // ---- helpers ----

    private String https() {
        return ModuleClients.binding(module, "https://");
    }

    /** A client key and certificate for subject CN=carol,O=Lanner Test (RFC 2253): signed by the test CA, or self-signed. */
    private void clientCertificate(String name, boolean byTheCa) throws Exception {
        String subject = "/O=Lanner Test/CN=carol";
        if (byTheCa) {
            openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", subject,
                    "-keyout", name + ".key", "-out", name + ".csr");
            openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                    "-days", "2", "-out", name + ".pem");
        } else {
            openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                    "-subj", subject, "-keyout", name + ".key", "-out", name + ".pem");
        }
    }

    private void openssl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(certificates.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("openssl %s: %s", String.join(" ", arguments), output).isZero();
    }
}
