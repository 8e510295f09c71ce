package dev.lanner.hosting;

import java.nio.file.Path;

/**
 * The environment an application runs in: its name ({@code Development}, {@code Staging},
 * {@code Production}, or any other), content root and application name.
 */
public record HostEnvironment(String name, Path contentRoot, String applicationName) {

    public static final String DEVELOPMENT = "Development";
    public static final String STAGING = "Staging";
    public static final String PRODUCTION = "Production";

    public boolean is(String environmentName) {
        return name.equalsIgnoreCase(environmentName);
    }

    public boolean isDevelopment() {
        return is(DEVELOPMENT);
    }

    public boolean isProduction() {
        return is(PRODUCTION);
    }
}
