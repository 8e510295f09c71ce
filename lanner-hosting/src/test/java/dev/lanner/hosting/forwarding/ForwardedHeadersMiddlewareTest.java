package dev.lanner.hosting.forwarding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.HttpContext;
import dev.lanner.http.HttpHeaders;
import dev.lanner.http.server.core.RequestConnectionFeature;
import dev.lanner.http.features.DefaultHttpRequestFeature;
import dev.lanner.http.features.Features;
import dev.lanner.http.features.HttpConnectionFeature;
import dev.lanner.http.features.HttpRequestFeature;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ForwardedHeadersMiddlewareTest {

    private static final ForwardedHeadersOptions ALL = ForwardedHeadersOptions.defaults()
            .withHeaders(ForwardedHeader.values());

    private static InetAddress ip(String text) {
        return IpNetwork.parseAddress(text);
    }

    /** A request from {@code peer}:{@code 5000} to {@code http://app.local/}, with {@code headers}. */
    private static HttpContext request(String peer, String... headers) {
        Features features = new Features();
        features.set(HttpConnectionFeature.class, new RequestConnectionFeature("c1", ip(peer), 5000, ip("127.0.0.1"), 8080));
        DefaultHttpRequestFeature request = new DefaultHttpRequestFeature();
        HttpHeaders all = HttpHeaders.of(headers);
        all.set("Host", "app.local");
        request.setHeaders(all);
        features.set(HttpRequestFeature.class, request);
        return new HttpContext(features);
    }

    private static HttpContext apply(ForwardedHeadersOptions options, HttpContext context) {
        new ForwardedHeadersMiddleware(options).apply(context);
        return context;
    }

    private static HttpHeaders headers(HttpContext context) {
        return context.feature(HttpRequestFeature.class).headers();
    }

    @Test
    void trustedLoopbackPeerHasEveryXForwardedValueApplied() {
        HttpContext ctx = apply(ALL, request("127.0.0.1",
                "X-Forwarded-For", "203.0.113.9:4711", "X-Forwarded-Proto", "https",
                "X-Forwarded-Host", "example.com", "X-Forwarded-Prefix", "/shop/"));

        assertThat(ctx.connection().remoteAddress()).isEqualTo(ip("203.0.113.9"));
        assertThat(ctx.connection().remotePort()).isEqualTo(4711);
        assertThat(ctx.request().scheme()).isEqualTo("https");
        assertThat(ctx.request().host()).isEqualTo("example.com");
        assertThat(ctx.request().pathBase()).isEqualTo("/shop");
        HttpHeaders h = headers(ctx);
        assertThat(h.get("X-Original-For")).isEqualTo("127.0.0.1:5000");
        assertThat(h.get("X-Original-Proto")).isEqualTo("http");
        assertThat(h.get("X-Original-Host")).isEqualTo("app.local");
        assertThat(h.get("X-Original-Prefix")).isEqualTo("");
        assertThat(h.contains("X-Forwarded-For")).isFalse();
        assertThat(h.contains("X-Forwarded-Proto")).isFalse();
        assertThat(h.contains("X-Forwarded-Host")).isFalse();
        assertThat(h.contains("X-Forwarded-Prefix")).isFalse();
    }

    @Test
    void untrustedPeerLeavesTheRequestUnchanged() {
        HttpContext ctx = apply(ALL, request("198.51.100.7",
                "X-Forwarded-For", "203.0.113.9", "X-Forwarded-Proto", "https"));

        assertThat(ctx.connection().remoteAddress()).isEqualTo(ip("198.51.100.7"));
        assertThat(ctx.request().scheme()).isEqualTo("http");
        assertThat(headers(ctx).get("X-Forwarded-For")).isEqualTo("203.0.113.9");
        assertThat(headers(ctx).contains("X-Original-For")).isFalse();
    }

    @Test
    void knownNetworkAndKnownProxyAreTrusted() {
        ForwardedHeadersOptions options = ALL.withKnownNetworks(IpNetwork.parse("10.0.0.0/8")).withKnownProxies(ip("192.0.2.1"));
        assertThat(apply(options, request("10.9.8.7", "X-Forwarded-For", "203.0.113.9")).connection().remoteAddress())
                .isEqualTo(ip("203.0.113.9"));
        assertThat(apply(options, request("192.0.2.1", "X-Forwarded-For", "203.0.113.9")).connection().remoteAddress())
                .isEqualTo(ip("203.0.113.9"));
        assertThat(apply(options, request("127.0.0.1", "X-Forwarded-For", "203.0.113.9")).connection().remoteAddress())
                .isEqualTo(ip("127.0.0.1"));
    }

    @Test
    void forwardLimitOneUnwindsOnlyTheLastHop() {
        HttpContext ctx = apply(ALL.withKnownNetworks(IpNetwork.parse("10.0.0.0/8")),
                request("10.0.0.1", "X-Forwarded-For", "203.0.113.9, 10.0.0.2"));

        assertThat(ctx.connection().remoteAddress()).isEqualTo(ip("10.0.0.2"));
        assertThat(headers(ctx).get("X-Forwarded-For")).isEqualTo("203.0.113.9");
    }

    @Test
    void forwardLimitTwoUnwindsTwoTrustedHops() {
        HttpContext ctx = apply(ALL.withKnownNetworks(IpNetwork.parse("10.0.0.0/8")).withForwardLimit(2),
                request("10.0.0.1", "X-Forwarded-For", "198.51.100.1, 203.0.113.9, 10.0.0.2",
                        "X-Forwarded-Proto", "https, http"));

        assertThat(ctx.connection().remoteAddress()).isEqualTo(ip("203.0.113.9"));
        assertThat(ctx.request().scheme()).isEqualTo("https");
        assertThat(headers(ctx).get("X-Forwarded-For")).isEqualTo("198.51.100.1");
        assertThat(headers(ctx).contains("X-Forwarded-Proto")).isFalse();
    }

    @Test
    void anUntrustedHopStopsTheUnwinding() {
        HttpContext ctx = apply(ALL.withForwardLimit(3),
                request("127.0.0.1", "X-Forwarded-For", "198.51.100.1, 203.0.113.9"));

        // 203.0.113.9 is the client the trusted proxy saw; what it claims about earlier hops is not believed.
        assertThat(ctx.connection().remoteAddress()).isEqualTo(ip("203.0.113.9"));
        assertThat(headers(ctx).get("X-Forwarded-For")).isEqualTo("198.51.100.1");
    }

    @Test
    void ipv6ClientsWithAndWithoutBracketsAndPorts() {
        assertThat(apply(ALL, request("::1", "X-Forwarded-For", "[2001:db8::17]:4711")).connection().remotePort())
                .isEqualTo(4711);
        HttpContext bare = apply(ALL, request("::1", "X-Forwarded-For", "2001:db8::17"));
        assertThat(bare.connection().remoteAddress()).isEqualTo(ip("2001:db8::17"));
        assertThat(bare.connection().remotePort()).isZero();
        assertThat(headers(bare).get("X-Original-For")).isEqualTo("[0:0:0:0:0:0:0:1]:5000");
        assertThat(apply(ALL, request("::1", "X-Forwarded-For", "[2001:db8::17]")).connection().remoteAddress())
                .isEqualTo(ip("2001:db8::17"));
    }

    @Test
    void malformedValuesLeaveTheRequestUnchanged() {
        for (String[] bad : new String[][] {
                {"X-Forwarded-For", "not-an-ip"}, {"X-Forwarded-For", "203.0.113.9:99999"},
                {"X-Forwarded-For", "[203.0.113.9]"}, {"X-Forwarded-Proto", "ht tp"},
                {"X-Forwarded-Host", "a b"}, {"X-Forwarded-Prefix", "no-slash"},
                {"Forwarded", "for=\"unterminated"}}) {
            HttpContext ctx = apply(ALL, request("127.0.0.1", bad[0], bad[1]));
            assertThat(ctx.connection().remoteAddress()).as(bad[0] + ": " + bad[1]).isEqualTo(ip("127.0.0.1"));
            assertThat(ctx.request().scheme()).as(bad[0] + ": " + bad[1]).isEqualTo("http");
            assertThat(ctx.request().host()).isEqualTo("app.local");
            assertThat(ctx.request().pathBase()).isEmpty();
            assertThat(headers(ctx).get(bad[0])).isEqualTo(bad[1]);
        }
    }

    @Test
    void middlewareCallsNextEvenWhenValuesAreMalformed() throws Exception {
        AtomicBoolean called = new AtomicBoolean();
        new ForwardedHeadersMiddleware(ALL).invoke(request("127.0.0.1", "X-Forwarded-For", "%%%"), c -> called.set(true));
        assertThat(called).isTrue();
    }

    @Test
    void forwardedHeaderAppliesForProtoAndHost() {
        HttpContext ctx = apply(ALL, request("127.0.0.1",
                "Forwarded", "for=192.0.2.43, for=\"[2001:db8:cafe::17]:4711\";proto=https;host=example.com"));

        assertThat(ctx.connection().remoteAddress()).isEqualTo(ip("2001:db8:cafe::17"));
        assertThat(ctx.connection().remotePort()).isEqualTo(4711);
        assertThat(ctx.request().scheme()).isEqualTo("https");
        assertThat(ctx.request().host()).isEqualTo("example.com");
        assertThat(headers(ctx).get("Forwarded")).isEqualTo("for=\"192.0.2.43\"");
    }

    @Test
    void unknownAndObfuscatedForwardedNodesAreNotAddresses() {
        for (String node : new String[] {"unknown", "\"_gazonk\""}) {
            HttpContext ctx = apply(ALL, request("127.0.0.1", "Forwarded", "for=" + node + ";proto=https"));
            assertThat(ctx.connection().remoteAddress()).isEqualTo(ip("127.0.0.1"));
            assertThat(ctx.request().scheme()).isEqualTo("http");
        }
    }

    @Test
    void onlyEnabledHeadersAreApplied() {
        HttpContext ctx = apply(ForwardedHeadersOptions.defaults().withHeaders(ForwardedHeader.X_FORWARDED_PROTO),
                request("127.0.0.1", "X-Forwarded-For", "203.0.113.9", "X-Forwarded-Proto", "https"));

        assertThat(ctx.connection().remoteAddress()).isEqualTo(ip("127.0.0.1"));
        assertThat(ctx.request().scheme()).isEqualTo("https");
        assertThat(headers(ctx).get("X-Forwarded-For")).isEqualTo("203.0.113.9");
    }

    @Test
    void noConnectionAddressMeansNoTrust() {
        HttpContext ctx = request("127.0.0.1", "X-Forwarded-Proto", "https");
        ctx.feature(HttpConnectionFeature.class).setRemoteAddress(null);
        apply(ALL, ctx);
        assertThat(ctx.request().scheme()).isEqualTo("http");
    }

    @Test
    void forwardedHeaderWithLimitTwoUnwindsTrustedIpv6HopsAndKeepsTheOriginals() {
        HttpContext ctx = apply(ALL.withKnownNetworks(IpNetwork.parse("fd00::/8")).withForwardLimit(2),
                request("fd00::1", "Forwarded", "for=198.51.100.1;proto=https, for=\"[fd00::2]:8080\";host=example.com"));

        assertThat(ctx.connection().remoteAddress()).isEqualTo(ip("198.51.100.1"));
        assertThat(ctx.connection().remotePort()).isZero();
        assertThat(ctx.request().scheme()).isEqualTo("https");
        assertThat(ctx.request().host()).isEqualTo("example.com");
        assertThat(headers(ctx).get("X-Original-For")).isEqualTo("[fd00:0:0:0:0:0:0:1]:5000");
        assertThat(headers(ctx).get("X-Original-Proto")).isEqualTo("http");
        assertThat(headers(ctx).get("X-Original-Host")).isEqualTo("app.local");
        assertThat(headers(ctx).contains("Forwarded")).isFalse();
    }

    @Test
    void multipleHeaderLinesAreOneList() {
        HttpHeaders h = HttpHeaders.of("X-Forwarded-For", "198.51.100.1", "X-Forwarded-For", "127.0.0.5");
        HttpContext ctx = request("127.0.0.1");
        h.set("Host", "app.local");
        ctx.feature(HttpRequestFeature.class).setHeaders(h);

        apply(ALL.withForwardLimit(2), ctx);

        assertThat(ctx.connection().remoteAddress()).isEqualTo(ip("198.51.100.1"));
        assertThat(headers(ctx).contains("X-Forwarded-For")).isFalse();
    }

    @Test
    void schemeAndHostSyntaxFollowTheRfcs() {
        for (String ok : new String[] {"http", "https", "wss", "coap+tcp", "a.b-c"}) {
            assertThat(ForwardedHeadersMiddleware.isScheme(ok)).as(ok).isTrue();
        }
        for (String bad : new String[] {"", "1http", "ht tp", "http:", "-x"}) {
            assertThat(ForwardedHeadersMiddleware.isScheme(bad)).as("'%s'", bad).isFalse();
        }
        for (String ok : new String[] {"example.com", "example.com:8443", "[2001:db8::1]", "[2001:db8::1]:443",
                "a_b~c!$&'()*+;=%20", "h:"}) {
            assertThat(ForwardedHeadersMiddleware.isHost(ok)).as(ok).isTrue();
        }
        for (String bad : new String[] {"", ":80", "exa mple.com", "example.com:123456", "example.com:8a", "[]", "[2001:db8::g]",
                "[::1]x", "a/b", "a:1:2"}) {
            assertThat(ForwardedHeadersMiddleware.isHost(bad)).as("'%s'", bad).isFalse();
        }
    }
}
