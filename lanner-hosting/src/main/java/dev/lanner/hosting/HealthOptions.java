package dev.lanner.hosting;

import dev.lanner.hosting.config.Configuration;
import java.time.Duration;

/**
 * Health endpoints for load balancers and orchestrators, bound from the {@code Health} section.
 *
 * @param enabled       serve the endpoints ({@code Health:Enabled}; default false; or call
 *                      {@link WebApplication#mapHealthChecks()})
 * @param livenessPath  answers {@code 200 Healthy} while the process runs ({@code Health:LivenessPath};
 *                      default {@code /healthz})
 * @param readinessPath answers {@code 200 Ready}, and {@code 503 Stopping} from the moment a stop begins
 *                      ({@code Health:ReadinessPath}; default {@code /readyz})
 * @param drainDelay    how long the server keeps serving after a stop begins (readiness already 503)
 *                      before it stops accepting ({@code Health:DrainDelay}; unset = 5 s when health is
 *                      enabled, 0 otherwise; seconds, {@code HH:MM:SS} or ISO-8601)
 */
public record HealthOptions(boolean enabled, String livenessPath, String readinessPath, Duration drainDelay) {

    static final Duration DEFAULT_DRAIN_DELAY = Duration.ofSeconds(5);

    public HealthOptions {
        checkPath("Health:LivenessPath", livenessPath);
        checkPath("Health:ReadinessPath", readinessPath);
        if (livenessPath.equalsIgnoreCase(readinessPath)) {
            throw new IllegalArgumentException("Health:LivenessPath and Health:ReadinessPath must differ: " + livenessPath);
        }
        if (drainDelay != null && drainDelay.isNegative()) {
            throw new IllegalArgumentException("Health:DrainDelay must be zero or positive: " + drainDelay);
        }
    }

    /** The documented defaults; configuration overlays them. */
    public static HealthOptions defaults() {
        return new HealthOptions(false, "/healthz", "/readyz", null);
    }

    /**
     * The {@code Health} section of {@code configuration} over {@link #defaults()}: what
     * {@code configuration.bind("Health", HealthOptions.class)} returns, read key by key (docs/decisions/015).
     */
    public static HealthOptions bind(Configuration configuration) {
        Configuration section = configuration.section("Health").requireSection(HealthOptions.class);
        HealthOptions defaults = defaults();
        boolean enabled = section.getValue("Enabled", boolean.class, defaults.enabled());
        String livenessPath = section.getValue("LivenessPath", String.class, defaults.livenessPath());
        String readinessPath = section.getValue("ReadinessPath", String.class, defaults.readinessPath());
        Duration drainDelay = section.getValue("DrainDelay", Duration.class, defaults.drainDelay());
        return section.construct(HealthOptions.class, () -> new HealthOptions(enabled, livenessPath, readinessPath, drainDelay));
    }

    /** The drain delay in effect when the endpoints are served ({@code served}) or not. */
    public Duration drainDelay(boolean served) {
        if (drainDelay != null) {
            return drainDelay;
        }
        return served ? DEFAULT_DRAIN_DELAY : Duration.ZERO;
    }

    private static void checkPath(String key, String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException(key + " must start with '/': " + path);
        }
    }
}
