package dev.lanner.hosting.logging;

import dev.lanner.hosting.HostEnvironment;
import dev.lanner.hosting.config.Configuration;

/**
 * Configures the process's logging backend from Lanner configuration (the {@code Logging} section:
 * {@code Logging:LogLevel:Default}, {@code Logging:LogLevel:{category}}, {@code Logging:Console:Format}).
 *
 * <p>Hosting depends on the SLF4J API only; a backend module (lanner-logging, on Logback) provides this
 * service. {@code WebApplicationBuilder} finds implementations with {@link java.util.ServiceLoader} on the
 * class loader that loaded hosting and calls each right after the configuration is layered, before the
 * host logs anything. With none present, logging is whatever SLF4J binding the application carries.
 * An application hosted in process by lanner-module shares the module's logging and is not configured.
 */
public interface LoggingConfigurator {

    /**
     * Applies the logging settings of {@code configuration}. Validates every setting before changing
     * anything, so that a bad value leaves the previous logging in place to report it.
     *
     * @throws dev.lanner.hosting.config.ConfigurationException when a setting is invalid; the message is one
     *         line naming the key, its source and the accepted values
     */
    void configure(Configuration configuration, HostEnvironment environment);
}
