package dev.lanner.hosting.diagnostics;

import dev.lanner.hosting.WebApplication;

/**
 * Instruments every {@link WebApplication} built in the process: an optional module (lanner-metrics)
 * provides this service; {@code WebApplicationBuilder.build()} finds implementations with
 * {@link java.util.ServiceLoader} on the class loader that loaded hosting, as it finds a
 * {@link dev.lanner.hosting.logging.LoggingConfigurator}, and calls each with the application just
 * built, before the application's own code maps anything. An implementation reads its settings from
 * {@link WebApplication#configuration()} and may add a {@link RequestObserver}
 * ({@link WebApplication#useRequestObserver}), endpoints, and observe {@link WebApplication#server()}.
 * With none present nothing changes.
 */
public interface ApplicationInstrumentation {

    /**
     * Instruments {@code application}, which is built and not started.
     *
     * @throws dev.lanner.hosting.config.ConfigurationException when a setting is invalid; start-up fails with
     *         its one-line message
     */
    void instrument(WebApplication application);
}
