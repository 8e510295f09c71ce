package dev.lanner.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.cli.LannerCli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RunCommandTest {
    private static RunCommand parse(String... args) {
        String[] withCommand = new String[args.length + 1];
        withCommand[0] = "run";
        System.arraycopy(args, 0, withCommand, 1, args.length);
        var parseResult = LannerCli.commandLine().parseArgs(withCommand);
        return (RunCommand) parseResult.subcommand().commandSpec().userObject();
    }

    @Test
    void readsTheProjectDirectoryAndDefaults() {
        RunCommand run = parse("samples/hello");

        assertThat(run.projectDir()).isEqualTo(Path.of("samples/hello"));
        assertThat(run.noBuild()).isFalse();
        assertThat(run.configuration()).isEqualTo(RunCommand.Configuration.Debug);
        assertThat(run.applicationArguments()).isEmpty();
        assertThat(run.systemProperties()).containsExactly(java.util.Map.entry("lanner.configuration", "Debug"));
        // Debug runs in Development unless told otherwise.
        assertThat(run.environmentVariables()).containsExactly(java.util.Map.entry("LANNER_ENVIRONMENT", "Development"));
        assertThat(run.buildProperties()).containsExactly("maven.compiler.debuglevel=lines,vars,source");
    }

    @Test
    void releaseRunsInProductionWithoutLocalVariableTables() {
        RunCommand run = parse("samples/hello", "-c", "Release");

        assertThat(run.environmentVariables()).containsExactly(java.util.Map.entry("LANNER_ENVIRONMENT", "Production"));
        assertThat(run.buildProperties()).containsExactly("maven.compiler.debuglevel=lines,source");
    }

    @Test
    void takesTheProfilesUrlsVariablesAndArgumentsUnderTheCommandLines() {
        LaunchSettings.Profile profile = LaunchSettings.parse(Path.of("launchSettings.json"), """
                {"profiles": {"web": {"commandName": "Project", "applicationUrl": "http://localhost:5000",
                  "environmentVariables": {"LANNER_ENVIRONMENT": "Staging", "LANNER_Greeting": "hi"},
                  "commandLineArgs": "--A=1 'two words'"}}}""").select(null).orElseThrow();

        RunCommand plain = parse("samples/hello", "--B=2");
        assertThat(plain.applicationArguments(profile, profile.applicationUrl()))
                .containsExactly("--urls=http://localhost:5000", "--A=1", "two words", "--B=2");
        assertThat(plain.environmentVariables(profile, plain.effectiveEnvironment(profile))).containsExactly(
                java.util.Map.entry("LANNER_ENVIRONMENT", "Staging"), java.util.Map.entry("LANNER_Greeting", "hi"));

        RunCommand overriding = parse("samples/hello", "--environment", "Test", "--urls", "http://127.0.0.1:0");
        assertThat(overriding.effectiveEnvironment(profile)).isEqualTo("Test");
    }

    @Test
    void passesUrlsToTheApplicationInKeyValueForm() {
        assertThat(parse("samples/hello", "--urls", "http://127.0.0.1:0").applicationArguments())
                .containsExactly("--urls=http://127.0.0.1:0");
        assertThat(parse("samples/hello", "--urls=http://127.0.0.1:0;http://[::1]:0").applicationArguments())
                .containsExactly("--urls=http://127.0.0.1:0;http://[::1]:0");
    }

    @Test
    void passesUnknownKeyValueOptionsThroughAsConfigurationOverrides() {
        RunCommand run = parse("samples/hello", "--Logging:LogLevel:Default=Debug", "--urls", "http://127.0.0.1:0",
                "--Server:Limits:MaxRequestBodySize=1024");

        assertThat(run.applicationArguments()).containsExactly(
                "--urls=http://127.0.0.1:0",
                "--Logging:LogLevel:Default=Debug",
                "--Server:Limits:MaxRequestBodySize=1024");
    }

    @Test
    void passesEverythingAfterDoubleDashVerbatim() {
        RunCommand run = parse("samples/hello", "--server", "platform", "--", "--urls", "x", "--no-build", "plain");

        assertThat(run.noBuild()).isFalse();
        assertThat(run.applicationArguments()).containsExactly("--server=platform", "--urls", "x", "--no-build", "plain");
    }

    @Test
    void passesTheEnvironmentAsArgumentAndAsLannerEnvironment() {
        RunCommand run = parse("samples/hello", "--environment", "Development");

        assertThat(run.applicationArguments()).containsExactly("--environment=Development");
        assertThat(run.environmentVariables()).containsExactly(java.util.Map.entry("LANNER_ENVIRONMENT", "Development"));
    }

    @Test
    void ordersKnownOptionsBeforePassThroughOptions() {
        RunCommand run = parse("--Foo=1", "samples/hello", "--server=default", "--environment=Staging", "--urls=http://*:0");

        assertThat(run.applicationArguments()).containsExactly(
                "--urls=http://*:0", "--environment=Staging", "--server=default", "--Foo=1");
    }

    @Test
    void releaseConfigurationIsReportedAsSystemProperty() {
        RunCommand run = parse("samples/hello", "-c", "release", "--no-build");

        assertThat(run.configuration()).isEqualTo(RunCommand.Configuration.Release);
        assertThat(run.noBuild()).isTrue();
        assertThat(run.systemProperties()).containsExactly(java.util.Map.entry("lanner.configuration", "Release"));
    }
}
