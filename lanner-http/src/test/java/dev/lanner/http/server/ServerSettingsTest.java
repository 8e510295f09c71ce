package dev.lanner.http.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The typed values every server binder reads its settings with, and their one-line errors. */
class ServerSettingsTest {

    private final ServerSettings settings = ServerSettings.of(Map.of(
            "Count", " 7 ", "Flag", "TRUE", "Limit", "null", "Big", "30000000", "Seconds", "1.5",
            "TimeSpan", "1.02:03:04", "Iso", "PT30S", "Environment", "development", "Bad", "lots"));

    @Test
    void readsEachTypeAndFallsBackWhenAbsent() {
        assertThat(settings.intValue("Count", 1)).isEqualTo(7);
        assertThat(settings.intValue("Missing", 1)).isEqualTo(1);
        assertThat(settings.booleanValue("Flag", false)).isTrue();
        assertThat(settings.nullableLongValue("Limit", 5L)).isNull();
        assertThat(settings.nullableLongValue("Big", null)).isEqualTo(30_000_000L);
        assertThat(settings.durationValue("Seconds", null)).isEqualTo(Duration.ofMillis(1500));
        assertThat(settings.durationValue("TimeSpan", null)).isEqualTo(Duration.ofDays(1).plusHours(2).plusMinutes(3).plusSeconds(4));
        assertThat(settings.durationValue("Iso", null)).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.isDevelopment()).isTrue();
        assertThat(ServerSettings.empty().isDevelopment()).isFalse();
    }

    @Test
    void malformedValuesFailWithOneLineNamingSourceKeyValueAndType() {
        assertThatThrownBy(() -> settings.intValue("Bad", 1))
                .hasMessage("Invalid configuration value in configuration: 'Bad' = \"lots\" is not a valid integer (expected type int)");
        assertThatThrownBy(() -> settings.booleanValue("Bad", true))
                .hasMessage("Invalid configuration value in configuration: 'Bad' = \"lots\" is not a valid boolean (expected type boolean)");
        assertThatThrownBy(() -> settings.nullableLongValue("Bad", null))
                .hasMessage("Invalid configuration value in configuration: 'Bad' = \"lots\" is not a valid integer or null (expected type long)");
        assertThatThrownBy(() -> settings.durationValue("Bad", null))
                .hasMessage("Invalid configuration value in configuration: 'Bad' = \"lots\" is not a valid duration (seconds, HH:MM:SS or ISO-8601)");
    }

    @Test
    void childKeysSpelledInTwoCasesAreOneChild() {
        // Found by the server-options fuzz target: "H2c" and "H2C" became two endpoints on one address.
        ServerSettings endpoints = ServerSettings.of(Map.of("Server:Endpoints:H2c:Url", "http://127.0.0.1:8081",
                "Server:Endpoints:H2C:Protocols", "Http2", "Server:Endpoints:Http:Url", "http://127.0.0.1:8080"));
        // Spelled as in the first key in case-insensitive order ("...:H2C:Protocols" before "...:H2c:Url").
        assertThat(endpoints.childKeys("Server:Endpoints")).containsExactly("H2C", "Http");
    }

    @Test
    void aValueWithLineBreaksStaysOnOneLineInTheError() {
        // Found by the server-options fuzz target: the raw value was copied into the message.
        ServerSettings broken = ServerSettings.of(Map.of("Count", "12\nX-Injected: 1\r\n\tz"));
        assertThatThrownBy(() -> broken.intValue("Count", 1))
                .hasMessage("Invalid configuration value in configuration: 'Count' = \"12\\nX-Injected: 1\\r\\n\\tz\" is not a valid integer (expected type int)");
    }
}
