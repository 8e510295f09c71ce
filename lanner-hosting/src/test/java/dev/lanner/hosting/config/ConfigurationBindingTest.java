package dev.lanner.hosting.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigurationBindingTest {
    public enum Protocol { Http1, Http2, Http3 }

    public record Limits(long maxRequestBodySize, int maxHeaderCount, Duration requestTimeout, boolean allowChunked) {
        public static Limits defaults() {
            return new Limits(30_000_000L, 100, Duration.ofSeconds(30), true);
        }
    }

    public record Endpoint(String url, Protocol protocol, Duration timeout) {
        public static Endpoint defaults() {
            return new Endpoint(null, Protocol.Http1, Duration.ofSeconds(10));
        }
    }

    /** No defaults() of its own: nested types fall back to theirs. */
    public record ServerOptions(String name, Limits limits, List<Endpoint> endpoints, List<String> urls) {
    }

    public static class LoggingOptions {
        private String level = "Information";
        private int retainedFiles = 7;

        public String getLevel() {
            return level;
        }

        public void setLevel(String level) {
            this.level = level;
        }

        public int getRetainedFiles() {
            return retainedFiles;
        }

        public void setRetainedFiles(int retainedFiles) {
            this.retainedFiles = retainedFiles;
        }
    }

    public record Timeouts(Duration timeout) {
    }

    private static Configuration json(Map<String, String> values) {
        return new ConfigurationBuilder().addInMemory(values, "appsettings.json").build();
    }

    @Test
    void recordWithDefaultsKeepsUnsetDefaults() {
        Configuration configuration = json(Map.of("Server:Limits:MaxHeaderCount", "64"));

        assertThat(configuration.bind("Server:Limits", Limits.class))
                .isEqualTo(new Limits(30_000_000L, 64, Duration.ofSeconds(30), true));
    }

    @Test
    void missingSectionBindsToDefaults() {
        assertThat(json(Map.of()).bind("Server:Limits", Limits.class)).isEqualTo(Limits.defaults());
    }

    @Test
    void nestedAndListElementTypesGetTheirDefaults() {
        Configuration configuration = json(Map.of(
                "Server:Name", "edge",
                "Server:Endpoints:0:Url", "http://*:80",
                "Server:Endpoints:1:Url", "https://*:443",
                "Server:Endpoints:1:Protocol", "http2",
                "Server:Urls:0", "http://localhost",
                "Server:Unknown:Key", "ignored"));

        ServerOptions options = configuration.bind("Server", ServerOptions.class);

        assertThat(options).isEqualTo(new ServerOptions("edge", Limits.defaults(), List.of(
                new Endpoint("http://*:80", Protocol.Http1, Duration.ofSeconds(10)),
                new Endpoint("https://*:443", Protocol.Http2, Duration.ofSeconds(10))),
                List.of("http://localhost")));
    }

    @Test
    void keysMatchPropertiesCaseInsensitivelyAndValuesAreCoerced() {
        Configuration configuration = json(Map.of(
                "LIMITS:MAXREQUESTBODYSIZE", "10",
                "limits:allowchunked", "false",
                "Limits:RequestTimeout", "00:01:00"));

        assertThat(configuration.bind("Limits", Limits.class))
                .isEqualTo(new Limits(10, 100, Duration.ofMinutes(1), false));
    }

    @Test
    void pojoKeepsFieldInitializers() {
        LoggingOptions options = json(Map.of("Logging:Level", "Debug")).bind("Logging", LoggingOptions.class);

        assertThat(options.getLevel()).isEqualTo("Debug");
        assertThat(options.getRetainedFiles()).isEqualTo(7);
    }

    @Test
    void scalarsBindDirectly() {
        Configuration configuration = json(Map.of("Server:Port", "8080", "Server:Urls:0", "a", "Server:Urls:1", "b"));

        assertThat(configuration.bind("Server:Port", Integer.class)).isEqualTo(8080);
        assertThat(configuration.bind("Server:Urls", String[].class)).containsExactly("a", "b");
        assertThat(configuration.bind("Server:Missing", Integer.class)).isNull();
    }

    @ParameterizedTest
    @CsvSource({
            "30, PT30S",
            "1.5, PT1.5S",
            "00:00:30, PT30S",
            "01:02:03, PT1H2M3S",
            "00:30, PT30M",
            "1.02:00:00, PT26H",
            "00:00:00.25, PT0.25S",
            "-00:00:05, PT-5S",
            "PT30S, PT30S",
            "pt2m, PT2M",
            "P1D, PT24H"})
    void durationFormats(String text, String expected) {
        Timeouts timeouts = json(Map.of("Timeouts:Timeout", text)).bind("Timeouts", Timeouts.class);

        assertThat(timeouts.timeout()).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "00:60:00", "1.24:00:00", "30s", "1:2:3"})
    void invalidDurationsAreRejected(String text) {
        assertThatThrownBy(() -> json(Map.of("Timeouts:Timeout", text)).bind("Timeouts", Timeouts.class))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid configuration value in appsettings.json: 'Timeouts:Timeout' = \"" + text
                        + "\" is not a valid duration (seconds or HH:MM:SS) (expected type Duration)");
    }

    @Test
    void wrongIntegerNamesSourceKeyAndType() {
        assertThatThrownBy(() -> json(Map.of("Server:Limits:MaxHeaderCount", "many")).bind("Server:Limits", Limits.class))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid configuration value in appsettings.json: 'Server:Limits:MaxHeaderCount'"
                        + " = \"many\" is not a valid integer (expected type int)");
    }

    @Test
    void wrongLongNamesSourceKeyAndType() {
        ConfigurationException error = bindError(json(Map.of("Server:Limits:MaxRequestBodySize", "abc")),
                "Server:Limits", Limits.class);

        assertThat(error).hasMessage("Invalid configuration value in appsettings.json:"
                + " 'Server:Limits:MaxRequestBodySize' = \"abc\" is not a valid integer (expected type long)");
        assertThat(error.key()).isEqualTo("Server:Limits:MaxRequestBodySize");
        assertThat(error.source()).isEqualTo("appsettings.json");
    }

    @Test
    void wrongBooleanNamesSourceKeyAndType() {
        assertThatThrownBy(() -> json(Map.of("Server:Limits:AllowChunked", "yes")).bind("Server:Limits", Limits.class))
                .hasMessage("Invalid configuration value in appsettings.json: 'Server:Limits:AllowChunked'"
                        + " = \"yes\" is not a valid boolean (expected type boolean)");
    }

    @Test
    void wrongDurationNamesSourceKeyAndType() {
        assertThatThrownBy(() -> json(Map.of("Server:Limits:RequestTimeout", "later")).bind("Server:Limits", Limits.class))
                .hasMessage("Invalid configuration value in appsettings.json: 'Server:Limits:RequestTimeout'"
                        + " = \"later\" is not a valid duration (seconds or HH:MM:SS) (expected type Duration)");
    }

    @Test
    void wrongEnumNamesSourceKeyAndAllowedValues() {
        assertThatThrownBy(() -> json(Map.of("Server:Endpoints:0:Protocol", "Http9")).bind("Server", ServerOptions.class))
                .hasMessage("Invalid configuration value in appsettings.json: 'Server:Endpoints:0:Protocol'"
                        + " = \"Http9\" is not one of [Http1, Http2, Http3] (expected type Protocol)");
    }

    @Test
    void wrongValueFromEnvironmentVariableNamesTheVariable() {
        Configuration configuration = new ConfigurationBuilder()
                .addInMemory(Map.of("Server:Limits:MaxRequestBodySize", "1"), "appsettings.json")
                .addEnvironmentVariables("LANNER_", Map.of("LANNER_SERVER__LIMITS__MAXREQUESTBODYSIZE", "1x"))
                .build();

        assertThatThrownBy(() -> configuration.bind("Server:Limits", Limits.class))
                .hasMessage("Invalid configuration value in environment variable LANNER_SERVER__LIMITS__MAXREQUESTBODYSIZE:"
                        + " 'Server:Limits:MaxRequestBodySize' = \"1x\" is not a valid integer (expected type long)");
    }

    @Test
    void sectionWhereValueIsExpectedIsReported() {
        assertThatThrownBy(() -> json(Map.of("Limits:MaxHeaderCount:Value", "1")).bind("Limits", Limits.class))
                .hasMessage("Invalid configuration value in appsettings.json: 'Limits:MaxHeaderCount' is a section,"
                        + " not a valid integer (expected type int)");
    }

    public record Checked(String path) {
        public Checked {
            if (path != null && !path.startsWith("/")) {
                throw new IllegalArgumentException("Path must start with '/': " + path);
            }
        }
    }

    /** Its defaults() give Limits other values than Limits.defaults(): the outer defaults win. */
    public record Site(String name, Limits limits) {
        public static Site defaults() {
            return new Site("default", new Limits(1, 2, Duration.ofSeconds(3), false));
        }
    }

    public record Collections(Map<String, Integer> weights, int[] ports, List<Protocol> protocols,
                              java.util.Set<String> tags, Object raw) {
    }

    public static class Nested {
        private LoggingOptions logging = new LoggingOptions();
        public Limits limits;

        public LoggingOptions getLogging() {
            return logging;
        }

        public void setLogging(LoggingOptions logging) {
            this.logging = logging;
        }
    }

    @Test
    void aConstructorThatRejectsTheValuesFailsNamingTheSectionAndItsSource() {
        ConfigurationException error = bindError(json(Map.of("Site:Path", "health")), "Site", Checked.class);

        assertThat(error).hasMessage("Invalid configuration section 'Site' for type Checked:"
                + " Path must start with '/': health");
        assertThat(error.key()).isEqualTo("Site");
        assertThat(error.source()).isEqualTo("appsettings.json");
    }

    @Test
    void theEnclosingDefaultsWinOverTheNestedTypesOwnAndConfigurationWinsOverBoth() {
        Site site = json(Map.of("Site:Limits:MaxHeaderCount", "9")).bind("Site", Site.class);

        assertThat(site).isEqualTo(new Site("default", new Limits(1, 9, Duration.ofSeconds(3), false)));
    }

    @Test
    void mapsArraysEnumListsSetsAndUntypedSectionsBind() {
        Configuration configuration = json(Map.of(
                "C:Weights:a", "1", "C:Weights:B", "2",
                "C:Ports:0", "80", "C:Ports:1", "443",
                "C:Protocols", "HTTP2",
                "C:Tags:0", "x", "C:Tags:1", "x",
                "C:Raw:List:0", "v", "C:Raw:Name", "n"));

        Collections bound = configuration.bind("C", Collections.class);

        assertThat(bound.weights()).containsExactly(Map.entry("a", 1), Map.entry("B", 2));
        assertThat(bound.ports()).containsExactly(80, 443);
        assertThat(bound.protocols()).containsExactly(Protocol.Http2);
        assertThat(bound.tags()).containsExactly("x");
        assertThat(bound.raw()).isEqualTo(Map.of("List", List.of("v"), "Name", "n"));
    }

    @Test
    void aSectionWithNamedKeysWhereAListBelongsIsReported() {
        assertThatThrownBy(() -> json(Map.of("C:Ports:http", "80")).bind("C", Collections.class))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid configuration section 'C:Ports' for type int[] (in Collections):"
                        + " expected a list (keys 0, 1, 2, ...), found http");
    }

    @Test
    void pojoPropertiesAndPublicFieldsBindNestedSections() {
        Nested nested = json(Map.of("N:Logging:RetainedFiles", "3", "N:Limits:MaxHeaderCount", "5")).bind("N", Nested.class);

        assertThat(nested.getLogging().getRetainedFiles()).isEqualTo(3);
        assertThat(nested.getLogging().getLevel()).isEqualTo("Information");
        assertThat(nested.limits).isEqualTo(new Limits(30_000_000L, 5, Duration.ofSeconds(30), true));
    }

    @Test
    void anEmptyValueIsNullForObjectsAndZeroForPrimitives() {
        Configuration configuration = json(Map.of("L:MaxHeaderCount", "", "L:RequestTimeout", "", "S:Limits", ""));

        assertThat(configuration.bind("L", Limits.class)).isEqualTo(new Limits(30_000_000L, 0, null, true));
        assertThat(configuration.bind("S", ServerOptions.class).limits()).isNull();
    }

    @Test
    void getValueConvertsOneKeyOrGivesTheDefault() {
        Configuration configuration = json(Map.of("S:Port", "8080", "S:Delay", "00:00:02", "S:Empty", "", "S:Sub:Key", "v"));

        assertThat(configuration.getValue("S:Port", int.class, 80)).isEqualTo(8080);
        assertThat(configuration.getValue("S:Missing", int.class, 80)).isEqualTo(80);
        assertThat(configuration.getValue("S:Delay", Duration.class, null)).isEqualTo(Duration.ofSeconds(2));
        assertThat(configuration.getValue("S:Empty", boolean.class, true)).isFalse();
        assertThat(configuration.getValue("S:Empty", Integer.class, 5)).isNull();
        assertThatThrownBy(() -> configuration.getValue("S:Sub", String.class, null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid configuration value in appsettings.json: 'S:Sub' is a section,"
                        + " not a valid String (expected type String)");
        assertThatThrownBy(() -> configuration.getValue("S", Limits.class, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static ConfigurationException bindError(Configuration configuration, String section, Class<?> type) {
        try {
            configuration.bind(section, type);
        } catch (ConfigurationException e) {
            return e;
        }
        throw new AssertionError("binding " + section + " did not fail");
    }
}
