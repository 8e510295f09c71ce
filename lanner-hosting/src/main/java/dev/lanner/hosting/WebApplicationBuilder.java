package dev.lanner.hosting;

import dev.lanner.hosting.config.Configuration;
import dev.lanner.hosting.config.ConfigurationBuilder;
import dev.lanner.hosting.config.ConfigurationException;
import dev.lanner.hosting.diagnostics.ApplicationInstrumentation;
import dev.lanner.hosting.integration.InProcessHost;
import dev.lanner.hosting.integration.InProcessHosting;
import dev.lanner.hosting.integration.ModuleIntegration;
import dev.lanner.hosting.logging.LoggingConfigurator;
import dev.lanner.http.server.Server;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Configures a {@link WebApplication} before it is built: configuration is already layered
 * (defaults &lt; {@code appsettings.json} &lt; {@code appsettings.{Environment}.json} &lt;
 * {@code LANNER_*} environment variables &lt; command line) and can be read here; a custom
 * {@link Server} can be supplied instead of the one the {@code server} setting names.
 */
public final class WebApplicationBuilder {

    /**
     * Built-in defaults, the lowest configuration layer. {@code Hosting:RequestLog} is not among them: its
     * default depends on the environment (on in {@code Development}, off otherwise; see {@link #build()}).
     */
    static final Map<String, String> DEFAULTS = Map.of(
            "server", "default",
            "Hosting:ShutdownTimeout", "30");

    /** The key whose default follows the environment. */
    private static final String REQUEST_LOG_KEY = "Hosting:RequestLog";
    /** Request ids in the MDC for the application's lines; its default follows the environment too. */
    private static final String REQUEST_SCOPE_KEY = "Logging:RequestScope";

    private final WebApplicationOptions options;
    private final Configuration configuration;
    private final HostEnvironment environment;
    private Server server;

    WebApplicationBuilder(WebApplicationOptions options) {
        this.options = options;
        Map<String, String> defaults = new LinkedHashMap<>(DEFAULTS);
        defaults.putAll(options.settings());
        this.configuration = ConfigurationBuilder
                .standard(options.contentRoot(), options.args(), withoutModuleVariables(options.environmentVariables()), defaults)
                .build();
        this.environment = new HostEnvironment(configuration.get("Environment", HostEnvironment.PRODUCTION),
                options.contentRoot(), options.applicationName());
        configureLogging(configuration, environment);
    }

    /** The layered configuration. */
    public Configuration configuration() {
        return configuration;
    }

    public HostEnvironment environment() {
        return environment;
    }

    /** Uses {@code server} instead of looking one up by the {@code server} setting (hosts such as the module do this). */
    public WebApplicationBuilder useServer(Server server) {
        this.server = server;
        return this;
    }

    /** Builds the application; the server is created (not started) now, so its features are visible. */
    public WebApplication build() {
        try {
            HostOptions hostOptions = HostOptions.bind(configuration);
            if (!configuration.hasKey(REQUEST_LOG_KEY)) {
                // A line per request helps while developing and costs throughput in production.
                hostOptions = hostOptions.withRequestLog(environment.isDevelopment());
            }
            boolean requestScope = requestScope(configuration, environment);
            // In process, the module is the server: no socket, no out-of-process integration.
            InProcessHost host = server == null ? InProcessHosting.current().orElse(null) : null;
            ModuleIntegration module = host == null ? detectModule() : null;
            Server chosen = server != null ? server
                    : host != null ? new InProcessServer(host)
                    : ServerSelection.create(configuration, environment.applicationName());
            WebApplication application = new WebApplication(options, configuration, environment, hostOptions, chosen,
                    module, requestScope);
            for (ApplicationInstrumentation instrumentation
                    : ServiceLoader.load(ApplicationInstrumentation.class, WebApplicationBuilder.class.getClassLoader())) {
                instrumentation.instrument(application);
            }
            return application;
        } catch (ConfigurationException | StartupException e) {
            throw WebApplication.startupFailure(options, e);
        }
    }

    /**
     * {@code Logging:RequestScope}: whether the request's ids are in the MDC while the pipeline runs, so that
     * the application's own lines carry them. On in {@code Development}, off otherwise (it costs a string and
     * four MDC operations per request, measured in docs/logging.md); an explicit value wins.
     */
    static boolean requestScope(Configuration configuration, HostEnvironment environment) {
        String value = configuration.get(REQUEST_SCOPE_KEY);
        if (value == null) {
            return environment.isDevelopment();
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new ConfigurationException("Invalid configuration value in " + configuration.sourceOf(REQUEST_SCOPE_KEY)
                + ": '" + REQUEST_SCOPE_KEY + "' = \"" + value + "\" is not a valid boolean (expected type boolean)",
                REQUEST_SCOPE_KEY, configuration.sourceOf(REQUEST_SCOPE_KEY));
    }

    /**
     * Lets the logging backend (a {@link LoggingConfigurator} service, e.g. lanner-logging) apply the
     * {@code Logging} settings before anything else logs. In process, the module owns the process's logging:
     * an application it hosts must not reset it.
     */
    private static void configureLogging(Configuration configuration, HostEnvironment environment) {
        if (InProcessHosting.current().isPresent()) {
            return;
        }
        for (LoggingConfigurator configurator
                : ServiceLoader.load(LoggingConfigurator.class, WebApplicationBuilder.class.getClassLoader())) {
            configurator.configure(configuration, environment);
        }
    }

    /** Whether lanner-module started this process ({@code LANNER_PORT} and {@code LANNER_TOKEN}); {@code null} if not. */
    private ModuleIntegration detectModule() {
        try {
            return ModuleIntegration.detect(options.environmentVariables()).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new StartupException(e.getMessage(), e);
        }
    }

    /**
     * The environment without the module's variables: {@code LANNER_PORT}, {@code LANNER_TOKEN} and
     * {@code LANNER_APPL_PATH} are a protocol, not settings, and the token must not appear as configuration.
     */
    private static Map<String, String> withoutModuleVariables(Map<String, String> env) {
        if (ModuleIntegration.VARIABLES.stream().noneMatch(env::containsKey)) {
            return env;
        }
        Map<String, String> rest = new LinkedHashMap<>(env);
        rest.keySet().removeAll(ModuleIntegration.VARIABLES);
        return rest;
    }

    WebApplicationOptions options() {
        return options;
    }

    /** Reports a configuration error found while layering as a start-up failure. */
    static WebApplicationBuilder create(WebApplicationOptions options) {
        try {
            return new WebApplicationBuilder(options);
        } catch (ConfigurationException e) {
            throw WebApplication.startupFailure(options, e);
        }
    }
}
