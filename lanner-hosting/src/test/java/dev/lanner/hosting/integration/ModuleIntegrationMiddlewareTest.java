package dev.lanner.hosting.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.hosting.forwarding.IpNetwork;
import dev.lanner.http.HttpContext;
import dev.lanner.http.HttpHeaders;
import dev.lanner.http.features.DefaultHttpRequestFeature;
import dev.lanner.http.features.DefaultHttpResponseFeature;
import dev.lanner.http.features.Features;
import dev.lanner.http.features.HttpConnectionFeature;
import dev.lanner.http.features.HttpRequestFeature;
import dev.lanner.http.features.HttpResponseBodyFeature;
import dev.lanner.http.features.HttpResponseFeature;
import dev.lanner.http.features.TlsConnectionFeature;
import dev.lanner.http.server.core.RequestConnectionFeature;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModuleIntegrationMiddlewareTest {

    private static final String TOKEN = "p41r!ng-T0ken";

    private final List<String> events = new ArrayList<>();
    private final List<HttpContext> seen = new ArrayList<>();

    private ModuleIntegrationMiddleware middleware(String applicationPath) {
        return new ModuleIntegrationMiddleware(new ModuleIntegration(41234, TOKEN, applicationPath), () -> events.add("stop"));
    }

    /** A request from the module's loopback peer 127.0.0.1:5000 to {@code http://localhost:41234}. */
    private static Exchange request(String method, String path, String... headers) {
        Features features = new Features();
        features.set(HttpConnectionFeature.class, new RequestConnectionFeature("c1",
                IpNetwork.parseAddress("127.0.0.1"), 5000, IpNetwork.parseAddress("127.0.0.1"), 41234));
        DefaultHttpRequestFeature request = new DefaultHttpRequestFeature();
        request.setMethod(method);
        request.setScheme("http");
        request.setPath(path);
        HttpHeaders all = HttpHeaders.of(headers);
        all.set("Host", "localhost:41234");
        request.setHeaders(all);
        features.set(HttpRequestFeature.class, request);
        features.set(HttpResponseFeature.class, new DefaultHttpResponseFeature());
        Exchange exchange = new Exchange(new HttpContext(features));
        features.set(HttpResponseBodyFeature.class, exchange);
        return exchange;
    }

    private Exchange run(ModuleIntegrationMiddleware middleware, Exchange exchange) throws Exception {
        middleware.invoke(exchange.context, ctx -> {
            events.add("app");
            seen.add(ctx);
        });
        return exchange;
    }

    @Test
    void requestWithTheTokenReachesTheApplicationWithoutTheTokenHeader() throws Exception {
        Exchange ex = run(middleware("/"), request("GET", "/info", "Lanner-Token", TOKEN));

        assertThat(events).containsExactly("app");
        assertThat(ex.context.request().headers().contains("Lanner-Token")).isFalse();
        assertThat(ex.context.response().statusCode()).isEqualTo(200);
    }

    @Test
    void requestWithoutTheTokenIsRejectedWith400AndNeverReachesTheApplication() throws Exception {
        Exchange ex = run(middleware("/"), request("GET", "/info", "X-Forwarded-For", "203.0.113.9:4711"));

        assertThat(events).isEmpty();
        assertThat(ex.context.response().statusCode()).isEqualTo(400);
        assertThat(ex.body()).isEqualTo("Bad Request: this port accepts only requests forwarded by lanner-module\n");
        assertThat(ex.completed).isTrue();
    }

    @Test
    void wrongEmptyOrDuplicatedTokenIsRejected() throws Exception {
        for (String[] headers : new String[][] {
                {"Lanner-Token", TOKEN + "x"}, {"Lanner-Token", ""}, {"Lanner-Token", TOKEN.toUpperCase()},
                {"Lanner-Token", TOKEN, "Lanner-Token", TOKEN}}) {
            Exchange ex = run(middleware("/"), request("GET", "/info", headers));
            assertThat(ex.context.response().statusCode()).isEqualTo(400);
        }
        assertThat(events).isEmpty();
    }

    @Test
    void appliesTheForwardedClientAddressPortSchemeAndHost() throws Exception {
        Exchange ex = run(middleware("/"), request("GET", "/info", "Lanner-Token", TOKEN,
                "X-Forwarded-For", "203.0.113.9:4711", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "example.com:8443"));

        HttpContext ctx = seen.get(0);
        assertThat(ctx.connection().remoteAddress()).isEqualTo(IpNetwork.parseAddress("203.0.113.9"));
        assertThat(ctx.connection().remotePort()).isEqualTo(4711);
        assertThat(ctx.request().scheme()).isEqualTo("https");
        assertThat(ctx.request().host()).isEqualTo("example.com:8443");
        assertThat(ex.context.request().headers().contains("X-Forwarded-For")).isFalse();
    }

    @Test
    void appliesAnIpv6ClientWithItsPort() throws Exception {
        run(middleware("/"), request("GET", "/info", "Lanner-Token", TOKEN, "X-Forwarded-For", "[2001:db8::1]:4711"));

        assertThat(seen.get(0).connection().remoteAddress()).isEqualTo(IpNetwork.parseAddress("2001:db8::1"));
        assertThat(seen.get(0).connection().remotePort()).isEqualTo(4711);
    }

    @Test
    void appliesOnlyTheModulesHopAndLeavesEarlierOnesForTheApplicationsOwnConfiguration() throws Exception {
        Exchange ex = run(middleware("/"), request("GET", "/info", "Lanner-Token", TOKEN,
                "X-Forwarded-For", "198.51.100.1, 203.0.113.9:4711"));

        assertThat(seen.get(0).connection().remoteAddress()).isEqualTo(IpNetwork.parseAddress("203.0.113.9"));
        assertThat(ex.context.request().headers().get("X-Forwarded-For")).isEqualTo("198.51.100.1");
    }

    @Test
    void splitsTheMountIntoPathBaseAndPath() throws Exception {
        assertPaths("/outproc", "/outproc/info", "/outproc", "/info");
        assertPaths("/outproc", "/outproc", "/outproc", "/");
        assertPaths("/outproc", "/outproc/", "/outproc", "/");
        assertPaths("/outproc", "/outproc/a/b/c", "/outproc", "/a/b/c");
        assertPaths("/outproc", "/OutProc/info", "/outproc", "/info");
        assertPaths("/outproc", "/outprocess/info", "", "/outprocess/info");
        assertPaths("/outproc", "/other", "", "/other");
        assertPaths("/", "/outproc/info", "", "/outproc/info");
        assertPaths("/a/b", "/a/b/c", "/a/b", "/c");
    }

    private void assertPaths(String mount, String path, String pathBase, String rest) throws Exception {
        seen.clear();
        run(middleware(mount), request("GET", path, "Lanner-Token", TOKEN));
        assertThat(seen.get(0).request().pathBase()).as("pathBase of %s under %s", path, mount).isEqualTo(pathBase);
        assertThat(seen.get(0).request().path()).as("path of %s under %s", path, mount).isEqualTo(rest);
    }

    @Test
    void shutdownEventIsAnswered202AndOnlyThenTheStopBegins() throws Exception {
        Exchange ex = request("POST", "/lanner-integration", "Lanner-Token", TOKEN, "Lanner-Event", "shutdown");
        ModuleIntegrationMiddleware middleware = new ModuleIntegrationMiddleware(new ModuleIntegration(41234, TOKEN, "/outproc"),
                () -> events.add("stop after " + ex.context.response().statusCode() + (ex.completed ? " completed" : " open")));
        middleware.invoke(ex.context, ctx -> events.add("app"));

        assertThat(events).containsExactly("stop after 202 completed");
        assertThat(ex.body()).isEmpty();
        assertThat(ex.context.response().headers().get("Content-Length")).isEqualTo("0");
    }

    @Test
    void shutdownEventWithAWrongTokenIsRejectedAndStopsNothing() throws Exception {
        Exchange ex = run(middleware("/"), request("POST", "/lanner-integration", "Lanner-Token", "nope", "Lanner-Event", "shutdown"));

        assertThat(ex.context.response().statusCode()).isEqualTo(400);
        assertThat(events).isEmpty();
    }

    @Test
    void getOnTheEventPathIsNotTheEvent() throws Exception {
        run(middleware("/"), request("GET", "/lanner-integration", "Lanner-Token", TOKEN, "Lanner-Event", "shutdown"));

        assertThat(events).containsExactly("app");
        assertThat(seen.get(0).request().headers().contains("Lanner-Event")).isFalse();
    }

    @Test
    void unknownEventIs400AndStopsNothing() throws Exception {
        Exchange ex = run(middleware("/"), request("POST", "/lanner-integration", "Lanner-Token", TOKEN, "Lanner-Event", "recycle"));

        assertThat(ex.context.response().statusCode()).isEqualTo(400);
        assertThat(events).isEmpty();
    }

    // --- identity from the edge ---

    /** {@code /CN=alice/O=Lanner Test}, self-signed EC P-256 (made with openssl req -x509, valid to 2126). */
    static X509Certificate aliceCertificate() throws Exception {
        try (InputStream in = ModuleIntegrationMiddlewareTest.class.getResourceAsStream("alice.pem")) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void userHeaderWithTheTokenBecomesTheUser() throws Exception {
        run(middleware("/"), request("GET", "/info", "Lanner-Token", TOKEN, "Lanner-User", "alice", "Lanner-Auth-Type", "Basic"));

        assertThat(seen.get(0).user()).isEqualTo(new ModuleUser("alice", "Basic"));
        assertThat(seen.get(0).user().getName()).isEqualTo("alice");
    }

    @Test
    void percentEncodedNonAsciiUserNameRoundTrips() throws Exception {
        String name = "Zoë Ångström/ops@example.com";
        run(middleware("/"), request("GET", "/info", "Lanner-Token", TOKEN,
                "Lanner-User", EdgeIdentityHeaders.encodeUser(name), "Lanner-Auth-Type", "Certificate"));

        assertThat(seen.get(0).user()).isEqualTo(new ModuleUser(name, "Certificate"));
    }

    @Test
    void userWithoutAuthenticationTypeIsOfTypeModule() throws Exception {
        run(middleware("/"), request("GET", "/info", "Lanner-Token", TOKEN, "Lanner-User", "alice"));

        assertThat(seen.get(0).user()).isEqualTo(new ModuleUser("alice", "Module"));
    }

    @Test
    void requestWithoutIdentityHeadersHasNoUserAndNoTlsFeature() throws Exception {
        run(middleware("/"), request("GET", "/info", "Lanner-Token", TOKEN, "Lanner-Other", "kept"));

        assertThat(seen.get(0).user()).isNull();
        assertThat(seen.get(0).feature(TlsConnectionFeature.class)).isNull();
        assertThat(seen.get(0).request().headers().get("Lanner-Other")).isEqualTo("kept");
    }

    @Test
    void certificateHeaderBecomesTheClientCertificateOfTheTlsFeature() throws Exception {
        X509Certificate alice = aliceCertificate();
        run(middleware("/"), request("GET", "/info", "Lanner-Token", TOKEN,
                "Lanner-Client-Certificate", EdgeIdentityHeaders.encodeCertificate(alice)));

        TlsConnectionFeature tls = seen.get(0).feature(TlsConnectionFeature.class);
        assertThat(tls.clientCertificate()).isEqualTo(alice);
        assertThat(tls.protocol()).isNull();
        assertThat(tls.cipherSuite()).isNull();
        assertThat(tls.applicationProtocol()).isNull();
        assertThat(tls.serverName()).isNull();
        assertThat(seen.get(0).user()).isNull();
    }

    @Test
    void certificateHeaderKeepsWhatTheExistingTlsFeatureNegotiated() throws Exception {
        X509Certificate alice = aliceCertificate();
        Exchange ex = request("GET", "/info", "Lanner-Token", TOKEN,
                "Lanner-Client-Certificate", EdgeIdentityHeaders.encodeCertificate(alice));
        ex.context.features().set(TlsConnectionFeature.class, new TlsConnectionFeature() {
            @Override public String protocol() { return "TLSv1.3"; }
            @Override public String cipherSuite() { return "TLS_AES_128_GCM_SHA256"; }
            @Override public String applicationProtocol() { return "http/1.1"; }
            @Override public X509Certificate clientCertificate() { return null; }
            @Override public String serverName() { return "app.internal"; }
        });
        run(middleware("/"), ex);

        TlsConnectionFeature tls = seen.get(0).feature(TlsConnectionFeature.class);
        assertThat(tls.clientCertificate()).isEqualTo(alice);
        assertThat(tls.protocol()).isEqualTo("TLSv1.3");
        assertThat(tls.cipherSuite()).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(tls.applicationProtocol()).isEqualTo("http/1.1");
        assertThat(tls.serverName()).isEqualTo("app.internal");
    }

    @Test
    void identityHeadersAreRemovedBeforeTheApplication() throws Exception {
        run(middleware("/"), request("GET", "/info", "Lanner-Token", TOKEN, "lanner-user", "alice",
                "LANNER-AUTH-TYPE", "Basic", "Lanner-Client-Certificate", EdgeIdentityHeaders.encodeCertificate(aliceCertificate())));

        HttpHeaders headers = seen.get(0).request().headers();
        assertThat(headers.contains("Lanner-User")).isFalse();
        assertThat(headers.contains("Lanner-Auth-Type")).isFalse();
        assertThat(headers.contains("Lanner-Client-Certificate")).isFalse();
        assertThat(seen.get(0).user()).isEqualTo(new ModuleUser("alice", "Basic"));
    }

    @Test
    void authenticationTypeAloneIsRemovedAndSetsNoUser() throws Exception {
        run(middleware("/"), request("GET", "/info", "Lanner-Token", TOKEN, "Lanner-Auth-Type", "Basic"));

        assertThat(seen.get(0).user()).isNull();
        assertThat(seen.get(0).request().headers().contains("Lanner-Auth-Type")).isFalse();
    }

    @Test
    void identityHeadersWithoutTheTokenAreRejectedAndNeverReachTheApplication() throws Exception {
        for (String[] headers : new String[][] {
                {"Lanner-User", "alice", "Lanner-Auth-Type", "Basic"},
                {"Lanner-Token", "wrong", "Lanner-User", "alice"},
                {"Lanner-Client-Certificate", EdgeIdentityHeaders.encodeCertificate(aliceCertificate())}}) {
            Exchange ex = run(middleware("/"), request("GET", "/info", headers));
            assertThat(ex.context.response().statusCode()).isEqualTo(400);
            assertThat(ex.body()).isEqualTo("Bad Request: this port accepts only requests forwarded by lanner-module\n");
            assertThat(ex.context.user()).isNull();
            assertThat(ex.context.feature(TlsConnectionFeature.class)).isNull();
        }
        assertThat(events).isEmpty();
    }

    @Test
    void malformedUserHeaderIs400NamingTheHeader() throws Exception {
        for (String value : new String[] {"al%2", "al%zzice", "al ice", "%C3%28", "%20", "alice%"}) {
            Exchange ex = run(middleware("/"), request("GET", "/info", "Lanner-Token", TOKEN, "Lanner-User", value));
            assertThat(ex.context.response().statusCode()).as(value).isEqualTo(400);
            assertThat(ex.body()).as(value).isEqualTo("Bad Request: malformed Lanner-User header\n");
            assertThat(ex.completed).isTrue();
            assertThat(ex.context.user()).isNull();
        }
        assertThat(events).isEmpty();
    }

    @Test
    void malformedCertificateHeaderIs400NamingTheHeader() throws Exception {
        String der = EdgeIdentityHeaders.encodeCertificate(aliceCertificate());
        for (String value : new String[] {"not base64!", "AAAA", der.substring(0, der.length() / 2), "MIIB" + der}) {
            Exchange ex = run(middleware("/"), request("GET", "/info", "Lanner-Token", TOKEN,
                    "Lanner-User", "alice", "Lanner-Client-Certificate", value));
            assertThat(ex.context.response().statusCode()).as(value).isEqualTo(400);
            assertThat(ex.body()).as(value).isEqualTo("Bad Request: malformed Lanner-Client-Certificate header\n");
            assertThat(ex.context.user()).isNull();
        }
        assertThat(events).isEmpty();
    }

    @Test
    void repeatedIdentityHeaderIs400NamingTheHeader() throws Exception {
        Exchange users = run(middleware("/"), request("GET", "/info", "Lanner-Token", TOKEN,
                "Lanner-User", "alice", "Lanner-User", "bob"));
        Exchange types = run(middleware("/"), request("GET", "/info", "Lanner-Token", TOKEN,
                "Lanner-User", "alice", "Lanner-Auth-Type", "Basic", "lanner-auth-type", "Certificate"));

        assertThat(users.context.response().statusCode()).isEqualTo(400);
        assertThat(users.body()).isEqualTo("Bad Request: malformed Lanner-User header\n");
        assertThat(types.context.response().statusCode()).isEqualTo(400);
        assertThat(types.body()).isEqualTo("Bad Request: malformed Lanner-Auth-Type header\n");
        assertThat(events).isEmpty();
    }

    /** A request's response body in memory. */
    private static final class Exchange implements HttpResponseBodyFeature {
        final HttpContext context;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean completed;

        Exchange(HttpContext context) {
            this.context = context;
        }

        String body() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        @Override public OutputStream stream() { return bytes; }
        @Override public void start() { }
        @Override public void complete() { completed = true; }
        @Override public void sendFile(Path file, long offset, long count) { throw new UnsupportedOperationException(); }
        @Override public void disableBuffering() { }
    }
}
