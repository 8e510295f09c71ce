package dev.lanner.hosting;

import dev.lanner.hosting.config.Configuration;
import dev.lanner.hosting.config.ConfigurationBuilder;
import dev.lanner.hosting.config.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Hosting's options read their keys one by one ({@code HostOptions.bind}, {@code HealthOptions.bind}) rather
 * than through the reflective binder, for start-up time: both must give the same options, and the same
 * one-line error for the same bad value.
 */
class OptionsBindingTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "Hosting:ShutdownTimeout=5",
            "Hosting:ShutdownTimeout=00:01:30;Hosting:RequestLog=TRUE;Hosting:NonBlocking=true",
            "Hosting:RequestLog=",
            "Hosting:ShutdownTimeout=",
            "Hosting:ShutdownTimeout=-1",
            "Hosting:ShutdownTimeout=soon",
            "Hosting:RequestLog=maybe",
            "Hosting:RequestLog:Nested=true",
            "hosting:shutdowntimeout=PT2S;HOSTING:NONBLOCKING=false",
            "Hosting=plain",
            "Hosting=;Hosting:RequestLog=true"})
    void hostOptionsReadKeyByKeyAsTheBinderBindsThem(String settings) {
        assertSame(configuration(settings), HostOptions::bind, c -> c.bind("Hosting", HostOptions.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "Health:Enabled=true;Health:DrainDelay=2",
            "Health:LivenessPath=/live;Health:ReadinessPath=/ready",
            "Health:LivenessPath=live",
            "Health:LivenessPath=/same;Health:ReadinessPath=/SAME",
            "Health:DrainDelay=-00:00:01",
            "Health:DrainDelay=",
            "Health:Enabled=",
            "Health:Enabled=yes",
            "Health:ReadinessPath=",
            "Health=on"})
    void healthOptionsReadKeyByKeyAsTheBinderBindsThem(String settings) {
        assertSame(configuration(settings), HealthOptions::bind, c -> c.bind("Health", HealthOptions.class));
    }

    @org.junit.jupiter.api.Test
    void aConstructorRejectionNamesTheSection() {
        assertThatThrownBy(() -> HostOptions.bind(configuration("Hosting:ShutdownTimeout=-1")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid configuration section 'Hosting' for type HostOptions:"
                        + " Hosting:ShutdownTimeout must be zero or positive: PT-1S");
        assertThat(HostOptions.bind(configuration("Hosting:ShutdownTimeout=1.25")).shutdownTimeout())
                .isEqualTo(Duration.ofMillis(1250));
    }

    private static <T> void assertSame(Configuration configuration, Function<Configuration, T> byHand,
                                       Function<Configuration, T> byReflection) {
        Throwable reflectionError = catchThrowable(() -> byReflection.apply(configuration));
        if (reflectionError != null) {
            assertThat(reflectionError).isInstanceOf(ConfigurationException.class);
            assertThatThrownBy(() -> byHand.apply(configuration))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage(reflectionError.getMessage());
        } else {
            assertThat(byHand.apply(configuration)).isEqualTo(byReflection.apply(configuration));
        }
    }

    private static Configuration configuration(String settings) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (String pair : settings.split(";")) {
            if (!pair.isEmpty()) {
                int equals = pair.indexOf('=');
                values.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
        }
        return new ConfigurationBuilder().addInMemory(values, "appsettings.json").build();
    }
}
