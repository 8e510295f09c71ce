package dev.lanner.hosting.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

class JsonConfigurationFileTest {
    @TempDir
    Path root;

    private ConfigurationException loadError(String json) throws IOException {
        Path file = root.resolve("appsettings.json");
        Files.writeString(file, json);
        return catchThrowableOfType(ConfigurationException.class,
                () -> new ConfigurationBuilder().addJsonFile(file, true).build());
    }

    @Test
    void invalidJsonNamesFileLineColumnAndLastKeyOnOneLine() throws IOException {
        ConfigurationException error = loadError("""
                {
                  "Server": {
                    "Limits": }
                }
                """);

        assertThat(error.getMessage())
                .startsWith("Invalid JSON in " + root.resolve("appsettings.json")
                        + " at line 3, column 15 (near key 'Server:Limits'): Unexpected character ('}' (code 125))")
                .doesNotContain("\n", "[Source");
        assertThat(error.key()).isEqualTo("Server:Limits");
        assertThat(error.source()).isEqualTo(root.resolve("appsettings.json").toString());
    }

    @Test
    void unexpectedEndKeepsNestedLocationsButNotSourceDescriptions() throws IOException {
        ConfigurationException error = loadError("{\n  \"Server\": {\"Port\": 80\n");

        assertThat(error.getMessage())
                .isEqualTo("Invalid JSON in " + root.resolve("appsettings.json")
                        + " at line 3, column 1 (near key 'Server:Port'): Unexpected end-of-input:"
                        + " expected close marker for Object (start marker at line 2, column 13)");
    }

    @Test
    void topLevelValueMustBeAnObject() throws IOException {
        ConfigurationException error = loadError("[1, 2]");

        assertThat(error.getMessage()).isEqualTo("Invalid JSON in " + root.resolve("appsettings.json")
                + " at line 1, column 1: the top-level value must be an object, not an array");
    }

    @Test
    void emptyFileIsAnError() throws IOException {
        ConfigurationException error = loadError("  \n");

        assertThat(error.getMessage()).isEqualTo("Invalid JSON in " + root.resolve("appsettings.json")
                + ": the file is empty; expected a JSON object");
    }

    @Test
    void duplicateKeysDifferingInCaseAreAnError() throws IOException {
        ConfigurationException error = loadError("{\"Port\": 1,\n \"PORT\": 2}");

        assertThat(error.getMessage()).isEqualTo("Invalid JSON in " + root.resolve("appsettings.json")
                + " at line 2, column 10 (near key 'PORT'): duplicate key 'PORT' (keys are case-insensitive)");
    }

    @Test
    void commentsAndTrailingCommasAreAllowed() throws IOException {
        Path file = root.resolve("appsettings.json");
        Files.writeString(file, """
                {
                  // development port
                  "Port": 5000, /* block */
                  "Hosts": ["a", "b",],
                }
                """);

        Configuration configuration = new ConfigurationBuilder().addJsonFile(file, false).build();

        assertThat(configuration.asMap())
                .containsExactly(entry("Hosts:0", "a"), entry("Hosts:1", "b"), entry("Port", "5000"));
    }
}
