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
        assertThat(run.environmentVariables()).isEmpty();
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
