package dev.lanner.hosting.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class ConfigurationTest {
    @TempDir
    Path root;

    private Configuration configuration;

    @BeforeEach
    void build() throws IOException {
        Path file = root.resolve("appsettings.json");
        Files.writeString(file, """
                {
                  "Server": {
                    "Urls": ["http://localhost:5000", "https://localhost:5001"],
                    "Endpoints": {
                      "Http": {"Url": "http://*:80"},
                      "Https": {"Url": "https://*:443", "Certificate": {"Path": "cert.pem"}}
                    },
                    "Limits": {"MaxRequestBodySize": 42, "Ratio": 1.5, "Enabled": true, "Proxy": null}
                  },
                  "Items": [{"Name": "a"}, {"Name": "b"}, [1, 2]]
                }
                """);
        configuration = new ConfigurationBuilder().addJsonFile(file, false).build();
    }

    @Test
    void lookupsAreCaseInsensitive() {
        assertThat(configuration.get("server:limits:maxrequestbodysize")).isEqualTo("42");
        assertThat(configuration.get("SERVER:LIMITS:MAXREQUESTBODYSIZE")).isEqualTo("42");
        assertThat(configuration.section("SERVER").section("limits").path()).isEqualTo("Server:Limits");
    }

    @Test
    void scalarsBecomeTheirTextAndNullBecomesEmpty() {
        Configuration limits = configuration.section("Server:Limits");

        assertThat(limits.asMap()).containsExactly(entry("Enabled", "true"), entry("MaxRequestBodySize", "42"),
                entry("Proxy", ""), entry("Ratio", "1.5"));
    }

    @Test
    void arraysBecomeIndexKeys() {
        assertThat(configuration.get("Server:Urls:0")).isEqualTo("http://localhost:5000");
        assertThat(configuration.get("Server:Urls:1")).isEqualTo("https://localhost:5001");
        assertThat(configuration.get("Items:1:Name")).isEqualTo("b");
        assertThat(configuration.get("Items:2:1")).isEqualTo("2");
        assertThat(configuration.section("Items").childKeys()).containsExactly("0", "1", "2");
    }

    @Test
    void sectionsResolveKeysRelativeToTheirPath() {
        Configuration endpoints = configuration.section("Server:Endpoints");

        assertThat(endpoints.path()).isEqualTo("Server:Endpoints");
        assertThat(endpoints.childKeys()).containsExactly("Http", "Https");
        assertThat(endpoints.get("Https:Certificate:Path")).isEqualTo("cert.pem");
        assertThat(endpoints.section("Https").childKeys()).containsExactly("Certificate", "Url");
        assertThat(endpoints.section("Https").asMap())
                .containsExactly(entry("Certificate:Path", "cert.pem"), entry("Url", "https://*:443"));
        assertThat(configuration.childKeys()).containsExactly("Items", "Server");
    }

    @Test
    void sectionValueAndExistence() {
        assertThat(configuration.section("Server:Limits:MaxRequestBodySize").value()).isEqualTo("42");
        assertThat(configuration.section("Server").value()).isNull();
        assertThat(configuration.section("Server").exists()).isTrue();
        assertThat(configuration.section("Server:Limits:Ratio").exists()).isTrue();
        assertThat(configuration.section("Missing").exists()).isFalse();
        assertThat(configuration.section("Missing").path()).isEqualTo("Missing");
        assertThat(configuration.section("Missing").childKeys()).isEmpty();
        assertThat(configuration.hasKey("server:endpoints")).isTrue();
        assertThat(configuration.hasKey("Server:Nope")).isFalse();
        assertThat(Configuration.empty().exists()).isFalse();
    }

    @Test
    void absentKeysAndDefaults() {
        assertThat(configuration.get("Server:Nope")).isNull();
        assertThat(configuration.get("Server:Nope", "fallback")).isEqualTo("fallback");
        assertThat(configuration.get("Server:Limits:Ratio", "fallback")).isEqualTo("1.5");
        assertThat(configuration.find("Server:Nope")).isEmpty();
        assertThat(configuration.find("server:limits:ratio")).contains("1.5");
        assertThat(configuration.sourceOf("Server:Nope")).isNull();
    }

    @Test
    void sourceOfNamesEverySource() {
        Configuration layered = new ConfigurationBuilder()
                .addDefaults(Map.of("A", "1", "B", "1", "C", "1", "D", "1"))
                .addJsonFile(root.resolve("appsettings.json"), false)
                .addEnvironmentVariables("LANNER_", Map.of("LANNER_B", "2"))
                .addCommandLine(new String[] {"--C=3"})
                .addInMemory(Map.of("D", "4"), "test values")
                .build();

        assertThat(layered.sourceOf("A")).isEqualTo("defaults");
        assertThat(layered.sourceOf("Server:Urls:0")).isEqualTo("appsettings.json");
        assertThat(layered.sourceOf("b")).isEqualTo("environment variable LANNER_B");
        assertThat(layered.sourceOf("C")).isEqualTo("command line");
        assertThat(layered.sourceOf("D")).isEqualTo("test values");
        assertThat(layered.section("Server").sourceOf("Limits:Ratio")).isEqualTo("appsettings.json");
    }

    @Test
    void asMapIsCaseInsensitiveAndUnmodifiable() {
        Map<String, String> values = configuration.section("Server:Limits").asMap();

        assertThat(values.get("ratio")).isEqualTo("1.5");
        assertThat(values).isUnmodifiable();
        assertThat(configuration.childKeys()).isUnmodifiable();
    }
}
