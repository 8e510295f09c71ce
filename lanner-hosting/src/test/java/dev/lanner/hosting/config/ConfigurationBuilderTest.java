package dev.lanner.hosting.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class ConfigurationBuilderTest {
    private static final String[] NO_ARGS = {};

    @TempDir
    Path root;

    private void write(String fileName, String json) throws IOException {
        Files.writeString(root.resolve(fileName), json);
    }

    private Configuration standard(String[] args, Map<String, String> env, Map<String, String> defaults) {
        return ConfigurationBuilder.standard(root, args, env, defaults).build();
    }

    @Test
    void appsettingsOverridesDefaults() throws IOException {
        write("appsettings.json", "{\"Server\": {\"Port\": 5000}}");

        Configuration configuration = standard(NO_ARGS, Map.of(), Map.of("Server:Port", "80", "Server:Host", "localhost"));

        assertThat(configuration.get("Server:Port")).isEqualTo("5000");
        assertThat(configuration.sourceOf("Server:Port")).isEqualTo("appsettings.json");
        assertThat(configuration.get("Server:Host")).isEqualTo("localhost");
        assertThat(configuration.sourceOf("Server:Host")).isEqualTo("defaults");
    }

    @Test
    void environmentFileOverridesAppsettings() throws IOException {
        write("appsettings.json", "{\"Server\": {\"Port\": 5000, \"Host\": \"0.0.0.0\"}}");
        write("appsettings.Production.json", "{\"Server\": {\"Port\": 6000}}");

        Configuration configuration = standard(NO_ARGS, Map.of(), Map.of());

        assertThat(configuration.get("Server:Port")).isEqualTo("6000");
        assertThat(configuration.sourceOf("Server:Port")).isEqualTo("appsettings.Production.json");
        assertThat(configuration.get("Server:Host")).isEqualTo("0.0.0.0");
    }

    @Test
    void environmentVariableOverridesEnvironmentFile() throws IOException {
        write("appsettings.Production.json", "{\"Server\": {\"Port\": 6000}}");

        Configuration configuration = standard(NO_ARGS, Map.of("LANNER_SERVER__PORT", "7000"), Map.of());

        assertThat(configuration.get("Server:Port")).isEqualTo("7000");
        assertThat(configuration.sourceOf("Server:Port")).isEqualTo("environment variable LANNER_SERVER__PORT");
    }

    @Test
    void commandLineOverridesEnvironmentVariable() {
        Configuration configuration = standard(new String[] {"--Server:Port=8000"},
                Map.of("LANNER_SERVER__PORT", "7000"), Map.of());

        assertThat(configuration.get("Server:Port")).isEqualTo("8000");
        assertThat(configuration.sourceOf("Server:Port")).isEqualTo("command line");
    }

    @Test
    void everyLayerOverridesTheOneBelow() throws IOException {
        write("appsettings.json", """
                {"Layer": {"Json": "json", "Env": "json", "Vars": "json", "Cli": "json"}}""");
        write("appsettings.Staging.json", """
                {"Layer": {"Env": "env-file", "Vars": "env-file", "Cli": "env-file"}}""");
        Map<String, String> env = Map.of(
                "LANNER_ENVIRONMENT", "Staging",
                "LANNER_LAYER__VARS", "variable",
                "LANNER_LAYER__CLI", "variable",
                "OTHER_LAYER__CLI", "ignored");
        Map<String, String> defaults = Map.of(
                "Layer:Defaults", "default", "Layer:Json", "default", "Layer:Env", "default",
                "Layer:Vars", "default", "Layer:Cli", "default");

        Configuration configuration = standard(new String[] {"--Layer:Cli", "argument"}, env, defaults);

        assertThat(configuration.section("Layer").asMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "Defaults", "default", "Json", "json", "Env", "env-file", "Vars", "variable", "Cli", "argument"));
        assertThat(configuration.sourceOf("Layer:Defaults")).isEqualTo("defaults");
        assertThat(configuration.sourceOf("Layer:Json")).isEqualTo("appsettings.json");
        assertThat(configuration.sourceOf("Layer:Env")).isEqualTo("appsettings.Staging.json");
        assertThat(configuration.sourceOf("Layer:Vars")).isEqualTo("environment variable LANNER_LAYER__VARS");
        assertThat(configuration.sourceOf("Layer:Cli")).isEqualTo("command line");
        assertThat(configuration.get("Environment")).isEqualTo("Staging");
    }

    @Test
    void commandLineSelectsEnvironmentOverEnvironmentVariable() throws IOException {
        write("appsettings.Development.json", "{\"Detailed\": true}");
        write("appsettings.Staging.json", "{\"Staged\": true}");

        Configuration configuration = standard(new String[] {"--environment", "Development"},
                Map.of("LANNER_ENVIRONMENT", "Staging"), Map.of());

        assertThat(configuration.get("Environment")).isEqualTo("Development");
        assertThat(configuration.sourceOf("Environment")).isEqualTo("command line");
        assertThat(configuration.get("Detailed")).isEqualTo("true");
        assertThat(configuration.sourceOf("Detailed")).isEqualTo("appsettings.Development.json");
        assertThat(configuration.hasKey("Staged")).isFalse();
    }

    @Test
    void environmentVariableSelectsEnvironment() throws IOException {
        write("appsettings.Staging.json", "{\"Staged\": true}");

        Configuration configuration = standard(NO_ARGS, Map.of("LANNER_ENVIRONMENT", "Staging"), Map.of());

        assertThat(configuration.get("environment")).isEqualTo("Staging");
        assertThat(configuration.sourceOf("Environment")).isEqualTo("environment variable LANNER_ENVIRONMENT");
        assertThat(configuration.get("Staged")).isEqualTo("true");
    }

    @Test
    void environmentDefaultsToProduction() throws IOException {
        write("appsettings.Production.json", "{\"Live\": true}");

        Configuration configuration = standard(NO_ARGS, Map.of(), Map.of());

        assertThat(configuration.get("Environment")).isEqualTo("Production");
        assertThat(configuration.sourceOf("Environment")).isEqualTo("defaults");
        assertThat(configuration.get("Live")).isEqualTo("true");
    }

    @Test
    void appsettingsCannotChangeTheSelectedEnvironment() throws IOException {
        write("appsettings.json", "{\"Environment\": \"Development\"}");

        Configuration configuration = standard(NO_ARGS, Map.of(), Map.of());

        assertThat(configuration.get("Environment")).isEqualTo("Production");
    }

    @Test
    void environmentNameMustBeUsableInAFileName() {
        assertThatThrownBy(() -> standard(new String[] {"--environment=../secrets"}, Map.of(), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid environment name '../secrets' from command line: "
                        + "it must be a non-empty name usable in a file name");
    }

    @Test
    void missingOptionalFilesAreSkipped() {
        Configuration configuration = standard(NO_ARGS, Map.of(), Map.of("Server:Port", "80"));

        assertThat(configuration.asMap()).containsExactly(entry("Environment", "Production"), entry("Server:Port", "80"));
    }

    @Test
    void missingRequiredFileIsAnError() {
        Path missing = root.resolve("required.json");

        assertThatThrownBy(() -> new ConfigurationBuilder().addJsonFile(missing, false).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Configuration file not found: " + missing);
    }

    @Test
    void environmentVariablesNeedThePrefixAndMapDoubleUnderscoreToColon() {
        Configuration configuration = new ConfigurationBuilder()
                .addEnvironmentVariables("LANNER_", Map.of(
                        "LANNER_SERVER__LIMITS__MAXREQUESTBODYSIZE", "10",
                        "PATH", "/usr/bin",
                        "LANNER_", "no key"))
                .build();

        assertThat(configuration.asMap()).containsExactly(entry("SERVER:LIMITS:MAXREQUESTBODYSIZE", "10"));
        assertThat(configuration.get("Server:Limits:MaxRequestBodySize")).isEqualTo("10");
    }

    @Test
    void laterKeysKeepTheSpellingOfEarlierSections() {
        Configuration configuration = new ConfigurationBuilder()
                .addInMemory(Map.of("Server:Limits:MaxRequestBodySize", "1"), "memory")
                .addEnvironmentVariables("LANNER_", Map.of(
                        "LANNER_SERVER__LIMITS__MAXREQUESTBODYSIZE", "2",
                        "LANNER_SERVER__LIMITS__MAXHEADERS", "3"))
                .build();

        assertThat(configuration.asMap()).containsExactly(
                entry("Server:Limits:MAXHEADERS", "3"), entry("Server:Limits:MaxRequestBodySize", "2"));
        assertThat(configuration.section("server").childKeys()).containsExactly("Limits");
    }

    @Test
    void commandLineForms() {
        Configuration configuration = new ConfigurationBuilder().addCommandLine(new String[] {
                "--Server:Limits:MaxRequestBodySize=10", "--Server:Port", "8080", "/Logging:Level=Debug",
                "Plain=value", "--path", "/var/www", "--verbose", "--Empty=", "run", "-x", "--trace"})
                .build();

        assertThat(configuration.asMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "Server:Limits:MaxRequestBodySize", "10", "Server:Port", "8080", "Logging:Level", "Debug",
                "Plain", "value", "path", "/var/www", "verbose", "true", "Empty", "", "trace", "true"));
    }

    @Test
    void flagBeforeSlashOptionIsTrueAndDoubleDashEndsOptions() {
        Configuration configuration = new ConfigurationBuilder()
                .addCommandLine(new String[] {"--dry-run", "/Mode=fast", "--", "--after=ignored"})
                .build();

        assertThat(configuration.asMap()).containsExactlyInAnyOrderEntriesOf(Map.of("dry-run", "true", "Mode", "fast"));
    }

    @Test
    void laterCommandLineValueWins() {
        Configuration configuration = new ConfigurationBuilder()
                .addCommandLine(new String[] {"--Port=1", "--port=2"})
                .build();

        assertThat(configuration.get("PORT")).isEqualTo("2");
    }

    @Test
    void commandLineOptionWithoutKeyIsAnError() {
        assertThatThrownBy(() -> new ConfigurationBuilder().addCommandLine(new String[] {"--=5"}))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid command-line argument '--=5': the key is empty");
    }

    @Test
    void inMemorySourceUsesItsDisplayName() {
        Configuration configuration = new ConfigurationBuilder()
                .addDefaults(Map.of("A", "default"))
                .addInMemory(Map.of("A", "test"), "test overrides")
                .build();

        assertThat(configuration.get("A")).isEqualTo("test");
        assertThat(configuration.sourceOf("A")).isEqualTo("test overrides");
    }

    @Test
    void bindingErrorNamesTheFileThatSuppliedTheValue() throws IOException {
        write("appsettings.json", "{\"Server\": {\"Port\": 80}}");
        write("appsettings.Development.json", "{\"Server\": {\"Port\": \"eighty\"}}");
        Configuration configuration = standard(new String[] {"--environment=Development"}, Map.of(), Map.of());

        assertThatThrownBy(() -> configuration.bind("Server:Port", int.class))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid configuration value in appsettings.Development.json: 'Server:Port'"
                        + " = \"eighty\" is not a valid integer (expected type int)");
    }

    @Test
    void configurationsBuiltSeparatelyAreIndependent() {
        Configuration first = new ConfigurationBuilder().addInMemory(Map.of("Name", "first"), "a").build();
        Configuration second = new ConfigurationBuilder().addInMemory(Map.of("Name", "second"), "b").build();

        assertThat(first.get("Name")).isEqualTo("first");
        assertThat(second.get("Name")).isEqualTo("second");
        assertThat(first.bind("Name", String.class)).isEqualTo("first");
    }
}
