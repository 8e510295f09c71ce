package dev.lanner.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.hosting.config.Configuration;
import dev.lanner.hosting.config.ConfigurationBuilder;
import dev.lanner.hosting.config.ConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoggingSettingsTest {

    private static Configuration commandLine(String... args) {
        return new ConfigurationBuilder().addCommandLine(args).build();
    }

    @Test
    void aspNetLevelNamesMapToLogbackLevels() {
        assertThat(LogLevel.parse("k", "Trace", "s").logback()).isEqualTo(ch.qos.logback.classic.Level.TRACE);
        assertThat(LogLevel.parse("k", "Debug", "s").logback()).isEqualTo(ch.qos.logback.classic.Level.DEBUG);
        assertThat(LogLevel.parse("k", "Information", "s").logback()).isEqualTo(ch.qos.logback.classic.Level.INFO);
        assertThat(LogLevel.parse("k", "Warning", "s").logback()).isEqualTo(ch.qos.logback.classic.Level.WARN);
        assertThat(LogLevel.parse("k", "Error", "s").logback()).isEqualTo(ch.qos.logback.classic.Level.ERROR);
        assertThat(LogLevel.parse("k", "Critical", "s").logback()).isEqualTo(ch.qos.logback.classic.Level.ERROR);
        assertThat(LogLevel.parse("k", "None", "s").logback()).isEqualTo(ch.qos.logback.classic.Level.OFF);
    }

    @Test
    void levelNamesAreCaseInsensitive() {
        assertThat(LogLevel.parse("k", "information", "s")).isEqualTo(LogLevel.INFORMATION);
        assertThat(LogLevel.parse("k", "WARNING", "s")).isEqualTo(LogLevel.WARNING);
        assertThat(LogLevel.parse("k", " dEbUg ", "s")).isEqualTo(LogLevel.DEBUG);
    }

    @Test
    void defaultsAreInformationAndTheReadableFormat() {
        LoggingSettings settings = LoggingSettings.from(commandLine());
        assertThat(settings).isEqualTo(new LoggingSettings(LogLevel.INFORMATION, Map.of(), ConsoleFormat.SIMPLE));
    }

    @Test
    void readsTheDefaultLevelCategoriesAndFormat() {
        LoggingSettings settings = LoggingSettings.from(commandLine("--Logging:LogLevel:Default=Warning",
                "--Logging:LogLevel:dev.lanner.server=Debug", "--Logging:LogLevel:dev.lanner.hosting.RequestLog=None",
                "--Logging:Console:Format=JSON"));
        assertThat(settings.defaultLevel()).isEqualTo(LogLevel.WARNING);
        assertThat(settings.categories()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "dev.lanner.server", LogLevel.DEBUG, "dev.lanner.hosting.RequestLog", LogLevel.NONE));
        assertThat(settings.format()).isEqualTo(ConsoleFormat.JSON);
    }

    @Test
    void readsLevelsFromEnvironmentVariables() {
        Configuration configuration = new ConfigurationBuilder()
                .addEnvironmentVariables(ConfigurationBuilder.ENVIRONMENT_VARIABLE_PREFIX,
                        Map.of("LANNER_Logging__LogLevel__Default", "Debug"))
                .build();
        assertThat(LoggingSettings.from(configuration).defaultLevel()).isEqualTo(LogLevel.DEBUG);
    }

    @Test
    void unknownLevelFailsNamingKeySourceAndAcceptedValues() {
        assertThatThrownBy(() -> LoggingSettings.from(commandLine("--Logging:LogLevel:dev.lanner.server=Verbose")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid log level 'Verbose' for 'Logging:LogLevel:dev.lanner.server' from command line;"
                        + " expected one of Trace, Debug, Information, Warning, Error, Critical, None");
    }

    @Test
    void unknownFormatFailsNamingKeyAndAcceptedValues() {
        assertThatThrownBy(() -> LoggingSettings.from(commandLine("--Logging:Console:Format=xml")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid console format 'xml' for 'Logging:Console:Format' from command line;"
                        + " expected one of simple, json");
    }
}
