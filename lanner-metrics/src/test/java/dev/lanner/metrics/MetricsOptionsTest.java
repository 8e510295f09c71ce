package dev.lanner.metrics;

import dev.lanner.hosting.config.Configuration;
import dev.lanner.hosting.config.ConfigurationBuilder;
import dev.lanner.hosting.config.ConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code MetricsOptions.bind} reads its keys one by one; it must agree with the reflective binder. */
class MetricsOptionsTest {

    @Test
    void readsTheSectionOverTheDefaultsAsTheBinderDoes() {
        for (Map<String, String> values : java.util.List.of(Map.<String, String>of(),
                Map.of("Metrics:Enabled", "false", "Metrics:Path", "/m", "metrics:jvm", "FALSE"),
                Map.of("Metrics:Jvm", ""))) {
            Configuration configuration = configuration(values);
            assertThat(MetricsOptions.bind(configuration))
                    .isEqualTo(configuration.bind("Metrics", MetricsOptions.class));
        }
        assertThat(MetricsOptions.bind(configuration(Map.of()))).isEqualTo(MetricsOptions.defaults());
    }

    @Test
    void aBadPathOrBooleanFailsWithTheBindersMessage() {
        Configuration badPath = configuration(Map.of("Metrics:Path", "metrics"));
        assertThatThrownBy(() -> MetricsOptions.bind(badPath))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid configuration section 'Metrics' for type MetricsOptions:"
                        + " Metrics:Path must start with '/': metrics");
        assertThatThrownBy(() -> badPath.bind("Metrics", MetricsOptions.class))
                .hasMessage("Invalid configuration section 'Metrics' for type MetricsOptions:"
                        + " Metrics:Path must start with '/': metrics");
        assertThatThrownBy(() -> MetricsOptions.bind(configuration(Map.of("Metrics:Enabled", "perhaps"))))
                .hasMessage("Invalid configuration value in appsettings.json: 'Metrics:Enabled' = \"perhaps\""
                        + " is not a valid boolean (expected type boolean)");
    }

    private static Configuration configuration(Map<String, String> values) {
        return new ConfigurationBuilder().addInMemory(values, "appsettings.json").build();
    }
}
