package dev.lanner.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.http.server.ServerSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The platform server reads the default server's keys plus its own {@code Server:Platform:*}. */
class PlatformServerProviderTest {

    @Test
    void readsSharedLimitsAndItsOwnKeys() {
        PlatformServerOptions options = PlatformServerProvider.bind(ServerSettings.of(Map.of(
                "ApplicationName", "orders",
                "Server:Platform:UrlPrefixes", "http://+:8080/orders/; http://localhost:8080/",
                "Server:Platform:UrlPrefixes:0", "http://*:9090/",
                "Server:Platform:RequestQueueLimit", "7",
                "Server:Limits:MaxRequestBodySize", "1024",
                "Server:Limits:MaxConcurrentConnections", "50",
                "Server:Limits:KeepAliveTimeout", "00:00:15",
                "Server:Limits:MaxRequestHeaderCount", "20")));
        assertThat(options.name()).isEqualTo("application 'orders'");
        assertThat(options.urlPrefixes()).containsExactly("http://+:8080/orders/", "http://localhost:8080/", "http://*:9090/");
        assertThat(options.requestQueueLimit()).isEqualTo(7);
        assertThat(options.maxRequestBodySize()).isEqualTo(1024L);
        assertThat(options.maxConnections()).isEqualTo(50L);
        assertThat(options.idleConnectionTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(options.maxRequestHeaderCount()).isEqualTo(20);
    }

    @Test
    void defaultsAreKestrelsAndHttpSys() {
        PlatformServerOptions options = PlatformServerProvider.bind(ServerSettings.empty());
        assertThat(options.urlPrefixes()).isEqualTo(List.of());
        assertThat(options.requestQueueLimit()).isEqualTo(1000);
        assertThat(options.maxRequestBodySize()).isEqualTo(30_000_000L);
        assertThat(options.maxConnections()).isNull();
        assertThat(options.requestHeadersTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.maxRequestLineSize()).isEqualTo(8192);
    }

    @Test
    void readsTheServerHeaderTheEnvironmentAndTheDefaultCertificateSection() {
        PlatformServerOptions options = PlatformServerProvider.bind(ServerSettings.of(Map.of(
                "Server:AddServerHeader", "false", "Environment", "Development",
                "Server:Limits:RequestHeadersTimeout", "PT5S", "Server:Limits:MaxRequestBodySize", "null")));
        assertThat(options.addServerHeader()).isFalse();
        assertThat(options.development()).isTrue();
        assertThat(options.certificate()).isNull();
        assertThat(options.requestHeadersTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.maxRequestBodySize()).isNull();
        assertThatThrownBy(() -> PlatformServerProvider.bind(ServerSettings.of(Map.of(
                "Server:Certificates:Default:KeyPath", "key.pem"))))
                .hasMessage("Invalid configuration in configuration: Server:Certificates:Default:KeyPath is set but"
                        + " Server:Certificates:Default:Path is not");
    }

    @Test
    void malformedValuesFailWithOneLineNamingTheKey() {
        assertThatThrownBy(() -> PlatformServerProvider.bind(ServerSettings.of(Map.of(
                "Server:Platform:RequestQueueLimit", "zero"))))
                .hasMessage("Invalid configuration value in configuration: 'Server:Platform:RequestQueueLimit' = \"zero\""
                        + " is not a valid positive integer (expected type int)");
        assertThatThrownBy(() -> PlatformServerProvider.bind(ServerSettings.of(Map.of(
                "Server:Platform:UrlPrefixes", "ftp://+:21/"))))
                .hasMessage("Invalid configuration value in configuration: 'Server:Platform:UrlPrefixes':"
                        + " Invalid URL prefix 'ftp://+:21/': the scheme must be http or https");
        assertThatThrownBy(() -> PlatformServerProvider.bind(ServerSettings.of(Map.of(
                "Server:Limits:KeepAliveTimeout", "soon"))))
                .hasMessage("Invalid configuration value in configuration: 'Server:Limits:KeepAliveTimeout' = \"soon\""
                        + " is not a valid duration (seconds, HH:MM:SS or ISO-8601)");
    }
}
