package dev.lanner.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.http.features.MinDataRate;
import dev.lanner.http.server.ServerSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ServerOptionsBinder}: every {@code Server:*} key it reads, and its one-line errors. */
class ServerOptionsBinderTest {

    private static LannerServerOptions bind(String key, String value) {
        return ServerOptionsBinder.bind(ServerSettings.of(Map.of(key, value)));
    }

    @Test
    void noSettingsGiveKestrelsDefaults() {
        LannerServerOptions options = ServerOptionsBinder.bind(ServerSettings.empty());
        assertThat(options.limits()).isEqualTo(ServerLimits.defaults());
        assertThat(options.addServerHeader()).isTrue();
        assertThat(options.allowSynchronousIO()).isTrue();
        ServerLimits d = options.limits();
        assertThat(d.maxConcurrentConnections()).isNull();
        assertThat(d.maxConcurrentUpgradedConnections()).isNull();
        assertThat(d.maxRequestLineSize()).isEqualTo(8192);
        assertThat(d.maxRequestHeadersTotalSize()).isEqualTo(32768);
        assertThat(d.maxRequestHeaderCount()).isEqualTo(100);
        assertThat(d.maxRequestBodySize()).isEqualTo(30_000_000L);
        assertThat(d.requestHeadersTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(d.minRequestBodyDataRate()).isEqualTo(new MinDataRate(240, Duration.ofSeconds(5)));
        assertThat(d.minResponseDataRate()).isEqualTo(new MinDataRate(240, Duration.ofSeconds(5)));
        assertThat(d.maxResponseBufferSize()).isEqualTo(65536);
    }

    static Stream<Arguments> limitKeys() {
        return Stream.of(
            limit("MaxConcurrentConnections", "10", ServerLimits::maxConcurrentConnections, 10L),
            limit("MaxConcurrentConnections", "", ServerLimits::maxConcurrentConnections, null),
            limit("MaxConcurrentUpgradedConnections", "3", ServerLimits::maxConcurrentUpgradedConnections, 3L),
            limit("MaxConcurrentUpgradedConnections", "null", ServerLimits::maxConcurrentUpgradedConnections, null),
            limit("MaxRequestLineSize", "4096", ServerLimits::maxRequestLineSize, 4096),
            limit("MaxRequestHeadersTotalSize", " 16384 ", ServerLimits::maxRequestHeadersTotalSize, 16384),
            limit("MaxRequestHeaderCount", "50", ServerLimits::maxRequestHeaderCount, 50),
            limit("MaxRequestBodySize", "1000", ServerLimits::maxRequestBodySize, 1000L),
            limit("MaxRequestBodySize", "0", ServerLimits::maxRequestBodySize, 0L),
            limit("MaxRequestBodySize", "null", ServerLimits::maxRequestBodySize, null),
            limit("RequestHeadersTimeout", "10", ServerLimits::requestHeadersTimeout, Duration.ofSeconds(10)),
            limit("RequestHeadersTimeout", "1.5", ServerLimits::requestHeadersTimeout, Duration.ofMillis(1500)),
            limit("RequestHeadersTimeout", "00:00:15", ServerLimits::requestHeadersTimeout, Duration.ofSeconds(15)),
            limit("RequestHeadersTimeout", "PT20S", ServerLimits::requestHeadersTimeout, Duration.ofSeconds(20)),
            limit("KeepAliveTimeout", "00:02:30", ServerLimits::keepAliveTimeout, Duration.ofSeconds(150)),
            limit("KeepAliveTimeout", "1.00:00:00", ServerLimits::keepAliveTimeout, Duration.ofDays(1)),
            limit("MinRequestBodyDataRate:BytesPerSecond", "100", ServerLimits::minRequestBodyDataRate,
                new MinDataRate(100, Duration.ofSeconds(5))),
            limit("MinRequestBodyDataRate:GracePeriod", "00:00:10", ServerLimits::minRequestBodyDataRate,
                new MinDataRate(240, Duration.ofSeconds(10))),
            limit("MinRequestBodyDataRate", "null", ServerLimits::minRequestBodyDataRate, null),
            limit("MinResponseDataRate:BytesPerSecond", "512.5", ServerLimits::minResponseDataRate,
                new MinDataRate(512.5, Duration.ofSeconds(5))),
            limit("MinResponseDataRate:GracePeriod", "2", ServerLimits::minResponseDataRate,
                new MinDataRate(240, Duration.ofSeconds(2))),
            limit("MinResponseDataRate", "", ServerLimits::minResponseDataRate, null),
            limit("MaxResponseBufferSize", "1024", ServerLimits::maxResponseBufferSize, 1024));
    }

    private static Arguments limit(String key, String value, Function<ServerLimits, Object> read, Object expected) {
        return Arguments.of(key, value, read, expected);
    }

    @ParameterizedTest(name = "Server:Limits:{0} = \"{1}\"")
    @MethodSource("limitKeys")
    void eachLimitKeyIsRead(String key, String value, Function<ServerLimits, Object> read, Object expected) {
        ServerLimits limits = bind("Server:Limits:" + key, value).limits();
        assertThat(read.apply(limits)).isEqualTo(expected);
        // Nothing else moved.
        assertThat(limits).isEqualTo(withOnly(limits, read, ServerLimits.defaults()));
    }

    /** {@code base} with the one component {@code read} picks taken from {@code changed}. */
    private static ServerLimits withOnly(ServerLimits changed, Function<ServerLimits, Object> read, ServerLimits base) {
        ServerLimits[] candidates = {
            base.withMaxConcurrentConnections(changed.maxConcurrentConnections()),
            base.withMaxConcurrentUpgradedConnections(changed.maxConcurrentUpgradedConnections()),
            base.withMaxRequestLineSize(changed.maxRequestLineSize()),
            base.withMaxRequestHeadersTotalSize(changed.maxRequestHeadersTotalSize()),
            base.withMaxRequestHeaderCount(changed.maxRequestHeaderCount()),
            base.withMaxRequestBodySize(changed.maxRequestBodySize()),
            base.withRequestHeadersTimeout(changed.requestHeadersTimeout()),
            base.withKeepAliveTimeout(changed.keepAliveTimeout()),
            base.withMinRequestBodyDataRate(changed.minRequestBodyDataRate()),
            base.withMinResponseDataRate(changed.minResponseDataRate()),
            base.withMaxResponseBufferSize(changed.maxResponseBufferSize()),
        };
        for (ServerLimits candidate : candidates) {
            if (candidate.equals(changed)) {
                return candidate;
            }
        }
        return base;
    }

    @Test
    void keysAreCaseInsensitive() {
        assertThat(bind("server:limits:maxrequestbodysize", "42").limits().maxRequestBodySize()).isEqualTo(42L);
    }

    @Test
    void serverHeaderAndSynchronousIoAreRead() {
        assertThat(bind("Server:AddServerHeader", "false").addServerHeader()).isFalse();
        assertThat(bind("Server:AddServerHeader", "TRUE").addServerHeader()).isTrue();
        assertThat(bind("Server:AllowSynchronousIO", "false").allowSynchronousIO()).isFalse();
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
            Arguments.of("Server:Limits:MaxRequestBodySize", "lots", "integer or null (expected type long)"),
            Arguments.of("Server:Limits:MaxConcurrentConnections", "1.5", "integer or null (expected type long)"),
            Arguments.of("Server:Limits:MaxRequestLineSize", "8k", "integer (expected type int)"),
            Arguments.of("Server:Limits:MaxRequestHeaderCount", "99999999999", "integer (expected type int)"),
            Arguments.of("Server:Limits:KeepAliveTimeout", "two minutes", "duration (seconds, HH:MM:SS or ISO-8601)"),
            Arguments.of("Server:Limits:RequestHeadersTimeout", "00:75:00", "duration (seconds, HH:MM:SS or ISO-8601)"),
            Arguments.of("Server:Limits:MinRequestBodyDataRate:BytesPerSecond", "fast", "number (expected type double)"),
            Arguments.of("Server:Limits:MinResponseDataRate:GracePeriod", "PTx", "duration (seconds, HH:MM:SS or ISO-8601)"),
            Arguments.of("Server:AddServerHeader", "yes", "boolean (expected type boolean)"),
            Arguments.of("Server:AllowSynchronousIO", "1", "boolean (expected type boolean)"));
    }

    @ParameterizedTest(name = "{0} = \"{1}\"")
    @MethodSource("malformed")
    void malformedValueFailsWithOneLineNamingSourceKeyAndType(String key, String value, String type) {
        ServerSettings settings = new ServerSettings() {
            @Override
            public String get(String k) {
                return k.equalsIgnoreCase(key) ? value : null;
            }

            @Override
            public Set<String> childKeys(String sectionKey) {
                return Set.of();
            }

            @Override
            public String sourceOf(String k) {
                return "appsettings.Production.json";
            }
        };
        assertThatThrownBy(() -> ServerOptionsBinder.bind(settings))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid configuration value in appsettings.Production.json: '" + key + "' = \"" + value
                        + "\" is not a valid " + type)
                .hasMessageNotContaining("\n");
    }

    @Test
    void mapSettingsNameTheirSourceConfiguration() {
        assertThatThrownBy(() -> bind("Server:Limits:MaxRequestBodySize", "lots"))
                .hasMessage("Invalid configuration value in configuration: 'Server:Limits:MaxRequestBodySize' = \"lots\""
                        + " is not a valid integer or null (expected type long)");
    }

    @Test
    void wellFormedButInvalidValueFailsNamingTheLimit() {
        assertThatThrownBy(() -> bind("Server:Limits:MaxRequestHeaderCount", "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MaxRequestHeaderCount")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> bind("Server:Limits:KeepAliveTimeout", "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KeepAliveTimeout");
    }

    @Test
    void defaultServerProviderBindsItsSettings() {
        LannerServer server = (LannerServer) new DefaultServerProvider()
                .create(ServerSettings.of(Map.of("Server:Limits:MaxRequestBodySize", "7")));
        assertThat(new DefaultServerProvider().name()).isEqualTo("default");
        assertThat(server.options().limits().maxRequestBodySize()).isEqualTo(7L);
    }

    @Test
    void http2LimitsAreRead() {
        LannerServerOptions options = ServerOptionsBinder.bind(ServerSettings.of(Map.of(
                "Server:Limits:Http2:MaxStreamsPerConnection", "7",
                "Server:Limits:Http2:MaxFrameSize", "32768",
                "Server:Limits:Http2:InitialStreamWindowSize", "100000",
                "Server:Limits:Http2:KeepAlivePingDelay", "00:00:30")));
        assertThat(options.http2()).isEqualTo(Http2Limits.defaults().withMaxStreamsPerConnection(7)
                .withMaxFrameSize(32768).withInitialStreamWindowSize(100_000)
                .withKeepAlivePing(Duration.ofSeconds(30), Duration.ofSeconds(20)));
        assertThat(ServerOptionsBinder.bind(ServerSettings.empty()).http2()).isEqualTo(Http2Limits.defaults());
    }

    @Test
    void http2LimitOutOfRangeFailsNamingIt() {
        assertThatThrownBy(() -> bind("Server:Limits:Http2:MaxFrameSize", "1000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid configuration in Server:Limits:Http2: Http2 MaxFrameSize must be within 16384..16777215, was 1000");
    }

    @Test
    void endpointsAreReadWithProtocols() {
        LannerServerOptions options = ServerOptionsBinder.bind(ServerSettings.of(Map.of(
                "Server:Endpoints:Plain:Url", "http://127.0.0.1:8080",
                "Server:Endpoints:H2c:Url", "http://127.0.0.1:8081",
                "Server:Endpoints:H2c:Protocols", "Http2")));
        assertThat(options.endpoints()).containsExactlyInAnyOrder(
                new EndpointOptions("Plain", "http://127.0.0.1:8080", HttpProtocols.HTTP1_AND_HTTP2, null),
                new EndpointOptions("H2c", "http://127.0.0.1:8081", HttpProtocols.HTTP2, null));
    }

    @Test
    void httpsEndpointWithoutCertificateKeepsItsTlsSettingsForTheDefaultCertificate() {
        LannerServerOptions options = ServerOptionsBinder.bind(ServerSettings.of(Map.of(
                "Server:Endpoints:Secure:Url", "https://127.0.0.1:8443",
                "Server:Endpoints:Secure:ClientCertificateMode", "RequireCertificate",
                "Server:Endpoints:Secure:SslProtocols", "Tls13",
                "Environment", "Development")));
        EndpointOptions endpoint = options.endpoints().get(0);
        assertThat(endpoint.tls().certificates()).isNull();
        assertThat(endpoint.tls().clientCertificateMode()).isEqualTo(dev.lanner.server.tls.ClientCertificateMode.REQUIRE_CERTIFICATE);
        assertThat(endpoint.tls().protocols()).containsExactly("TLSv1.3");
        assertThat(options.tlsDefaults().development()).isTrue();
        assertThat(options.tlsDefaults().defaultCertificate()).isNull();
    }

    @Test
    void endpointErrorsAreOneLine() {
        assertThatThrownBy(() -> bind("Server:Endpoints:Api:Protocols", "Http2"))
                .hasMessage("Invalid configuration in configuration: endpoint 'Api' has no Url (Server:Endpoints:Api:Url)");
        // Found by the server-options fuzz target: a key with a line break (possible in JSON) split the message.
        assertThatThrownBy(() -> bind("Server:Endpoints:Tls\r:Protocols", "Http2"))
                .hasMessage("Invalid configuration in configuration: endpoint 'Tls ' has no Url (Server:Endpoints:Tls :Url)");
        assertThatThrownBy(() -> ServerOptionsBinder.bind(ServerSettings.of(Map.of(
                "Server:Endpoints:Api:Url", "http://127.0.0.1:1", "Server:Endpoints:Api:Protocols", "Http3"))))
                .hasMessage("Invalid configuration value in configuration: 'Server:Endpoints:Api:Protocols' = \"Http3\""
                        + " is not a valid protocol set (one of [Http1, Http2, Http1AndHttp2])");
        assertThatThrownBy(() -> ServerOptionsBinder.bind(ServerSettings.of(Map.of(
                "Server:Endpoints:Api:Url", "https://127.0.0.1:1", "Server:Endpoints:Api:SslProtocols", "Ssl3"))))
                .hasMessage("Invalid configuration value in configuration: 'Server:Endpoints:Api:SslProtocols' = \"Ssl3\""
                        + " is not a valid TLS protocol list (Tls12, Tls13)");
        assertThatThrownBy(() -> ServerOptionsBinder.bind(ServerSettings.of(Map.of(
                "Server:Endpoints:Api:Url", "https://127.0.0.1:1", "Server:Endpoints:Api:Certificate:KeyPath", "k.pem"))))
                .hasMessage("Invalid configuration in configuration: Server:Endpoints:Api:Certificate:KeyPath is set but"
                        + " Server:Endpoints:Api:Certificate:Path is not");
    }
}
