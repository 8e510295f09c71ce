package dev.lanner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LannerCliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        var commandLine = LannerCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void helpListsTheRunCommand() {
        assertThat(execute("--help")).isZero();
        assertThat(out.toString()).contains("Usage: lanner").contains("run");
    }

    @Test
    void runHelpDescribesItsOptions() {
        assertThat(execute("run", "--help")).isZero();
        assertThat(out.toString()).contains("<projectDir>", "--urls", "--environment", "--server", "-c", "--no-build");
    }

    @Test
    void reportsAMissingProjectDirectoryAsOneLineWithExitCode1(@TempDir Path dir) {
        Path missing = dir.resolve("nope");

        assertThat(execute("run", missing.toString())).isEqualTo(LannerCli.EXIT_ERROR);

        assertThat(err.toString()).isEqualTo("lanner: project directory not found: " + missing + System.lineSeparator());
    }

    @Test
    void reportsADirectoryWithoutPomAsOneLineWithExitCode1(@TempDir Path dir) {
        assertThat(execute("run", dir.toString(), "--no-build")).isEqualTo(LannerCli.EXIT_ERROR);

        assertThat(err.toString().lines()).singleElement().asString().startsWith("lanner: no pom.xml in ");
    }

    @Test
    void rejectsAnUnknownConfigurationAsAUsageError(@TempDir Path dir) {
        assertThat(execute("run", dir.toString(), "-c", "Fast")).isEqualTo(LannerCli.EXIT_USAGE);

        assertThat(err.toString()).startsWith("lanner: Invalid value for option '--configuration'")
                .contains("Try 'lanner run --help'");
    }

    @Test
    void rejectsBothLaunchProfileOptionsAsAUsageError(@TempDir Path dir) {
        assertThat(execute("run", dir.toString(), "--launch-profile", "a", "--no-launch-profile")).isEqualTo(LannerCli.EXIT_USAGE);

        assertThat(err.toString()).startsWith("lanner: --launch-profile and --no-launch-profile exclude each other");
    }

    @Test
    void reportsAnUnknownProfileAsOneLineListingTheProfilesWithExitCode1(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("pom.xml"), "<project/>");
        Files.writeString(dir.resolve("launchSettings.json"),
                "{\"profiles\": {\"web\": {\"commandName\": \"Project\"}, \"Module\": {\"commandName\": \"Module\"}}}");

        assertThat(execute("run", dir.toString(), "--launch-profile", "nope", "--no-build")).isEqualTo(LannerCli.EXIT_ERROR);

        assertThat(err.toString()).isEqualTo("lanner: no launch profile 'nope' in " + dir.toRealPath().resolve("launchSettings.json")
                + "; profiles: web, Module" + System.lineSeparator());
    }

    @Test
    void reportsABrokenLaunchSettingsFileAsOneLineWithExitCode1(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("pom.xml"), "<project/>");
        Files.writeString(dir.resolve("launchSettings.json"), "{\"profiles\": {\"web\": {\"commandName\": \"Project\",}");

        assertThat(execute("run", dir.toString(), "--no-build")).isEqualTo(LannerCli.EXIT_ERROR);

        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("lanner: " + dir.toRealPath().resolve("launchSettings.json") + ": not valid JSON at line 1, column ");
    }
}
