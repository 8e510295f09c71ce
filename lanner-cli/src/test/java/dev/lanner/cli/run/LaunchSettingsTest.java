package dev.lanner.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.cli.CliException;
import dev.lanner.cli.run.LaunchSettings.CommandName;
import dev.lanner.cli.run.LaunchSettings.Profile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LaunchSettingsTest {

    private static final Path FILE = Path.of("app", "launchSettings.json");

    private static LaunchSettings parse(String json) {
        return LaunchSettings.parse(FILE, json);
    }

    @Test
    void readsProfilesInFileOrderWithTheirSettings() {
        LaunchSettings settings = parse("""
                { // comments are allowed
                  "profiles": {
                    "web": { "commandName": "Project", "applicationUrl": "http://localhost:5000;https://localhost:5001",
                             "environmentVariables": { "LANNER_ENVIRONMENT": "Development", "N": 1 },
                             "commandLineArgs": "--a=1 \\"b c\\" 'd e'", "launchBrowser": true },
                    "Module": { "commandName": "Module", "applicationUrl": "http://localhost:5080" },
                    "out": { "commandName": "module", "hostingModel": "OutOfProcess" },
                  }
                }""");

        assertThat(settings.profiles()).containsExactly(
                new Profile("web", CommandName.PROJECT, "http://localhost:5000;https://localhost:5001",
                        Map.of("LANNER_ENVIRONMENT", "Development", "N", "1"), List.of("--a=1", "b c", "d e"), true, null),
                new Profile("Module", CommandName.MODULE, "http://localhost:5080", Map.of(), List.of(), false, "inprocess"),
                new Profile("out", CommandName.MODULE, null, Map.of(), List.of(), false, "outofprocess"));
        assertThat(settings.profiles().get(0).environmentVariables().keySet()).containsExactly("LANNER_ENVIRONMENT", "N");
    }

    @Test
    void selectsTheNamedProfileOrTheFirstProjectProfile() {
        LaunchSettings settings = parse("""
                {"profiles": {"Module": {"commandName": "Module"}, "web": {"commandName": "Project"}, "web2": {}}}""");

        assertThat(settings.select(null).orElseThrow().name()).isEqualTo("web");
        assertThat(settings.select("Module").orElseThrow().name()).isEqualTo("Module");
        assertThat(settings.select("WEB2").orElseThrow().name()).isEqualTo("web2");
        assertThat(parse("{\"profiles\": {\"m\": {\"commandName\": \"Module\"}}}").select(null)).isEmpty();
    }

    @Test
    void anUnknownProfileIsAnErrorListingTheProfiles() {
        LaunchSettings settings = parse("{\"profiles\": {\"a\": {}, \"b\": {}}}");

        assertThatThrownBy(() -> settings.select("c")).isInstanceOf(CliException.class)
                .hasMessage("no launch profile 'c' in " + FILE + "; profiles: a, b");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `[]` | expected a JSON object with "profiles"
            `{}` | profiles is missing; expected {"profiles": {"name": {"commandName": "Project", ...}}}
            `{"profiles": {"a": {"commandName": "IIS"}}}` | profiles.a.commandName is "IIS"; expected Project or Module
            `{"profiles": {"a": {"applicationURL": "x"}}}` | profiles.a.applicationURL is not a known key; expected one of commandName, applicationUrl, environmentVariables, commandLineArgs, launchBrowser, hostingModel
            `{"profiles": {"a": {"environmentVariables": ["X=1"]}}}` | profiles.a.environmentVariables is not an object; expected {"NAME": "value"}
            `{"profiles": {"a": {"launchBrowser": "yes"}}}` | profiles.a.launchBrowser is "yes"; expected true or false
            `{"profiles": {"a": {"commandName": "Project", "hostingModel": "inprocess"}}}` | profiles.a.hostingModel is only for "commandName": "Module"
            `{"profiles": {"a": {"commandName": "Module", "hostingModel": "sideways"}}}` | profiles.a.hostingModel is "sideways"; expected inprocess or outofprocess
            `{"profiles": {"a": {"commandLineArgs": "--x='1"}}}` | profiles.a.commandLineArgs has a single quote that is not closed
            """)
    void reportsABrokenFileInOneLineNamingTheKey(String json, String expected) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(CliException.class).hasMessage(FILE + ": " + expected);
    }

    @Test
    void reportsInvalidJsonWithItsPosition() {
        assertThatThrownBy(() -> parse("{\"profiles\": {\n  \"a\": {,}}}")).isInstanceOf(CliException.class)
                .hasMessageStartingWith(FILE + ": not valid JSON at line 2, column ");
    }
}
