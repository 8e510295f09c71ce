package dev.lanner.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.lanner.hosting.StartupException;
import dev.lanner.hosting.WebApplication;
import dev.lanner.hosting.WebApplicationOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The service as hosting finds it: the builder applies the {@code Logging} settings to the process's Logback. */
class WebApplicationLoggingTest {

    @TempDir
    Path root;

    private static LoggerContext logback() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }

    @AfterEach
    void restoreDefaults() {
        WebApplication.builder(WebApplicationOptions.isolated(root));
    }

    @Test
    void theBuilderAppliesLevelsFromTheCommandLine() {
        WebApplication.builder(WebApplicationOptions.isolated(root,
                "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:dev.lanner.server=Trace"));

        assertThat(logback().getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.WARN);
        assertThat(logback().getLogger("dev.lanner.server").getLevel()).isEqualTo(Level.TRACE);
    }

    @Test
    void theBuilderAppliesLevelsFromAppsettingsAndEnvironmentVariables() throws IOException {
        Files.writeString(root.resolve("appsettings.json"),
                "{\"Logging\": {\"LogLevel\": {\"Default\": \"Error\", \"dev.lanner.hosting\": \"Debug\"}}}");
        WebApplication.builder(WebApplicationOptions.isolated(root)
                .withEnvironmentVariables(Map.of("LANNER_Logging__LogLevel__dev.lanner.hosting", "Critical")));

        assertThat(logback().getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.ERROR);
        assertThat(logback().getLogger("dev.lanner.hosting").getLevel()).isEqualTo(Level.ERROR);
    }

    @Test
    void withoutSettingsTheDefaultIsInformation() {
        WebApplication.builder(WebApplicationOptions.isolated(root, "--Logging:LogLevel:Default=Trace"));
        WebApplication.builder(WebApplicationOptions.isolated(root));

        assertThat(logback().getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void anUnknownLevelFailsStartupWithOneLineNamingTheKey() {
        assertThatThrownBy(() -> WebApplication.builder(WebApplicationOptions.isolated(root, "--Logging:LogLevel:Default=Verbose")))
                .isInstanceOf(StartupException.class)
                .hasMessage("Invalid log level 'Verbose' for 'Logging:LogLevel:Default' from command line;"
                        + " expected one of Trace, Debug, Information, Warning, Error, Critical, None");
    }
}
