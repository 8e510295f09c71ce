package dev.lanner.hosting;

import dev.lanner.hosting.config.Configuration;
import dev.lanner.hosting.diagnostics.RequestObserver;
import dev.lanner.hosting.forwarding.ForwardedHeadersMiddleware;
import dev.lanner.hosting.forwarding.ForwardedHeadersOptions;
import dev.lanner.hosting.integration.ModuleIntegration;
import dev.lanner.hosting.integration.ModuleIntegrationMiddleware;
import dev.lanner.hosting.internal.AllowedHosts;
import dev.lanner.hosting.internal.HealthEndpoints;
import dev.lanner.hosting.internal.HostFilteringMiddleware;
import dev.lanner.hosting.internal.HostingApplication;
import dev.lanner.hosting.internal.RouteTable;
import dev.lanner.hosting.internal.TrainingRun;
import dev.lanner.http.ApplicationBuilder;
import dev.lanner.http.HttpContext;
import dev.lanner.http.Middleware;
import dev.lanner.http.RequestDelegate;
import dev.lanner.http.features.ServerAddressesFeature;
import dev.lanner.http.server.Server;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A web application: a middleware pipeline and endpoints on a {@link Server}, with its own
 * configuration, environment and lifetime. Several can run in one JVM; nothing here is static.
 *
 * <pre>{@code
 * var app = WebApplication.builder(args).build();
 * app.mapGet("/plaintext", ctx -> ctx.response().write("Hello, World!"));
 * app.run();
 * }</pre>
 */
public final class WebApplication implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebApplication.class);

    private enum State { CREATED, STARTED, STOPPING, STOPPED }

    private final WebApplicationOptions options;
    private final Configuration configuration;
    private final HostEnvironment environment;
    private final HostOptions hostOptions;
    private final Server server;
    private final ApplicationBuilder pipeline;
    private final RouteTable routes = new RouteTable();
    private final ApplicationLifetime lifetime;
    private State state = State.CREATED;
    private boolean nonBlocking;
    private Thread shutdownHook;
    private final AllowedHosts allowedHosts;
    private final HealthOptions healthOptions;
    private boolean healthChecks;
    private ForwardedHeadersOptions forwardedHeaders;
    private final ModuleIntegration moduleIntegration;
    private final boolean requestScope;
    private RequestObserver requestObserver;

    WebApplication(WebApplicationOptions options, Configuration configuration, HostEnvironment environment,
                   HostOptions hostOptions, Server server, ModuleIntegration moduleIntegration, boolean requestScope) {
        this.moduleIntegration = moduleIntegration;
        this.requestScope = requestScope;
        this.options = options;
        this.configuration = configuration;
        this.environment = environment;
        this.hostOptions = hostOptions;
        this.server = server;
        this.pipeline = new ApplicationBuilder(server.features());
        this.nonBlocking = hostOptions.nonBlocking();
        this.allowedHosts = AllowedHosts.from(configuration);
        this.healthOptions = HealthOptions.bind(configuration);
        this.healthChecks = healthOptions.enabled();
        this.forwardedHeaders = ForwardedHeadersOptions.bind(configuration);
        this.lifetime = new ApplicationLifetime(() -> Thread.ofVirtual().name("lanner-stop").start(this::stop));
    }

    /** A builder for a process's {@code main}: command line, process environment, working directory. */
    public static WebApplicationBuilder builder(String[] args) {
        return WebApplicationBuilder.create(WebApplicationOptions.of(args));
    }

    /** A builder with explicit inputs (tests, hosts running several applications). */
    public static WebApplicationBuilder builder(WebApplicationOptions options) {
        return WebApplicationBuilder.create(options);
    }

    public Configuration configuration() {
        return configuration;
    }

    public HostEnvironment environment() {
        return environment;
    }

    public HostOptions hostOptions() {
        return hostOptions;
    }

    public Server server() {
        return server;
    }

    public ApplicationLifetime lifetime() {
        return lifetime;
    }

    /**
     * What lanner-module said when it started this process as its child ({@code LANNER_PORT},
     * {@code LANNER_TOKEN}, {@code LANNER_APPL_PATH}); empty when the application is not module-hosted.
     */
    public Optional<ModuleIntegration> moduleIntegration() {
        return Optional.ofNullable(moduleIntegration);
    }

    /** Whether {@code lanner-module} hosts this application in process (in its own JVM, no socket of its own). */
    public boolean isHostedInProcess() {
        return server instanceof InProcessServer;
    }

    /** The addresses the server listens on (after {@link #start()}: the bound ones). */
    public List<String> urls() {
        return addressesFeature().addresses();
    }

    /**
     * Declares that every middleware and endpoint of this application completes without blocking
     * once the request body has been received (no blocking I/O, locks or sleeps), so that the
     * default server may run requests inline on its event loop instead of on a virtual thread —
     * the fastest path for small, CPU-only handlers. Requests that must wait (a body still
     * arriving, an upgrade) still get a virtual thread. Also {@code Hosting:NonBlocking=true}.
     */
    public WebApplication setNonBlocking(boolean nonBlocking) {
        this.nonBlocking = nonBlocking;
        return this;
    }

    public boolean isNonBlocking() {
        return nonBlocking;
    }

    /**
     * Tells {@code observer} when each request starts and ends, with the matched endpoint's route (metrics:
     * lanner-metrics sets one). One per application; before {@link #start()}.
     */
    public synchronized WebApplication useRequestObserver(RequestObserver observer) {
        if (state != State.CREATED) {
            throw new IllegalStateException("the application was already started");
        }
        if (requestObserver != null && observer != null) {
            throw new IllegalStateException("a request observer is already set: " + requestObserver);
        }
        requestObserver = observer;
        return this;
    }

    // --- pipeline ---

    public WebApplication use(Middleware middleware) {
        pipeline.use(middleware);
        return this;
    }

    public WebApplication use(Function<RequestDelegate, RequestDelegate> component) {
        pipeline.use(component);
        return this;
    }

    /**
     * Applies forwarded headers from trusted proxies with {@code options} instead of the
     * {@code ForwardedHeaders} configuration; the middleware always runs first, before all other middleware.
     */
    public WebApplication useForwardedHeaders(ForwardedHeadersOptions options) {
        this.forwardedHeaders = options;
        return this;
    }

    public WebApplication run(RequestDelegate handler) {
        pipeline.run(handler);
        return this;
    }

    public WebApplication map(String pathMatch, Consumer<ApplicationBuilder> branch) {
        pipeline.map(pathMatch, branch);
        return this;
    }

    public WebApplication mapWhen(Predicate<HttpContext> predicate, Consumer<ApplicationBuilder> branch) {
        pipeline.mapWhen(predicate, branch);
        return this;
    }

    /** An endpoint for {@code GET} (and {@code HEAD}) on exactly {@code path}. Endpoints run after all middleware. */
    public WebApplication mapGet(String path, RequestDelegate handler) {
        routes.add("GET", path, handler);
        return this;
    }

    public WebApplication mapPost(String path, RequestDelegate handler) {
        routes.add("POST", path, handler);
        return this;
    }

    public WebApplication mapPut(String path, RequestDelegate handler) {
        routes.add("PUT", path, handler);
        return this;
    }

    public WebApplication mapDelete(String path, RequestDelegate handler) {
        routes.add("DELETE", path, handler);
        return this;
    }

    /** An endpoint for {@code method} on exactly {@code path}. */
    public WebApplication mapMethod(String method, String path, RequestDelegate handler) {
        routes.add(method, path, handler);
        return this;
    }

    /**
     * Serves the health endpoints: liveness ({@code Health:LivenessPath}, default {@code /healthz},
     * {@code 200 Healthy}) and readiness ({@code Health:ReadinessPath}, default {@code /readyz},
     * {@code 200 Ready}, then {@code 503 Stopping} once a stop begins), and turns on the drain delay
     * ({@code Health:DrainDelay}, default 5 s) so a load balancer sees the instance leave before the
     * port closes. Also {@code Health:Enabled=true}. They answer ahead of the application's middleware.
     */
    public synchronized WebApplication mapHealthChecks() {
        if (state != State.CREATED) {
            throw new IllegalStateException("the application was already started");
        }
        healthChecks = true;
        return this;
    }

    // --- lifetime ---

    /** Starts the server and returns once it listens. */
    public synchronized void start() {
        if (state != State.CREATED) {
            throw new IllegalStateException("the application was already started");
        }
        ServerAddressesFeature addresses = addressesFeature();
        InProcessServer inProcess = server instanceof InProcessServer s ? s : null;
        if (inProcess != null) {
            // The module's edge connection is the client's own: its address and scheme need no forwarded headers.
            inProcess.onStopRequested(lifetime::stopApplication);
            log.info("Hosted in process by lanner-module, mounted at '{}'",
                    inProcess.host().applicationPath().isEmpty() ? "/" : inProcess.host().applicationPath());
        } else if (moduleIntegration != null) {
            listenForModule(addresses);
        } else {
            String urls = configuration.get("Urls");
            if (urls != null && !urls.isBlank()) {
                addresses.addresses().clear();
                for (String url : urls.split(";")) {
                    if (!url.isBlank()) {
                        addresses.addresses().add(url.trim());
                    }
                }
            }
            addresses.setPreferHostingUrls(Boolean.parseBoolean(configuration.get("PreferHostingUrls", "false")));
        }
        routes.setRecordRoutes(requestObserver != null);
        pipeline.run(routes::dispatch);
        // The module's integration first (token, its forwarded headers, the mount), then the configured forwarded
        // headers (the real client, scheme and host), then host filtering and health, then the application.
        RequestDelegate app = withBuiltInSteps(pipeline.build());
        Consumer<HttpContext> first = null;
        if (moduleIntegration != null) {
            app = ModuleIntegrationMiddleware.first(moduleIntegration, lifetime::stopApplication,
                    ForwardedHeadersMiddleware.first(forwardedHeaders, app));
        } else if (inProcess == null && forwardedHeaders != null && !forwardedHeaders.headers().isEmpty()) {
            // Applied by the hosting application before the pipeline: one direct call per request.
            first = new ForwardedHeadersMiddleware(forwardedHeaders)::apply;
        }
        try {
            server.start(new HostingApplication(app, environment.isDevelopment(), hostOptions.requestLog(), nonBlocking, first,
                    requestObserver, requestScope));
        } catch (Exception e) {
            throw new StartupException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
        state = State.STARTED;
        for (String address : addresses.addresses()) {
            log.info("Now listening on: {}", address);
        }
        log.info("Application started. Hosting environment: {}; content root: {}", environment.name(), environment.contentRoot());
        lifetime.fireStarted();
    }

    /**
     * Starts, then blocks until the application stops: on SIGTERM/SIGINT or
     * {@link ApplicationLifetime#stopApplication()}, in-flight requests get
     * {@code Hosting:ShutdownTimeout} to finish. A start-up failure is logged in one line; for a
     * {@code main} ({@link WebApplicationOptions#of}) the process then exits with status 1.
     */
    public void run() {
        try {
            start();
        } catch (StartupException e) {
            throw startupFailure(options, e);
        }
        if (!(server instanceof InProcessServer) && TrainingRun.requested(configuration)) {
            // Behind the module, requests carry its pairing token and arrive under the application's mount.
            TrainingRun.exercise(configuration, urls(),
                    moduleIntegration == null ? "" : moduleIntegration.applicationPath(),
                    moduleIntegration == null ? "" : ModuleIntegration.TOKEN_HEADER + ": " + moduleIntegration.token() + "\r\n");
            stop();
            return;
        }
        if (!(server instanceof InProcessServer)) {
            // In process, the module stops the application (and a hook would keep its class loader alive).
            Thread hook = Thread.ofPlatform().unstarted(() -> {
                log.info("Application is shutting down...");
                stop();
            });
            synchronized (this) {
                shutdownHook = hook;
            }
            Runtime.getRuntime().addShutdownHook(hook);
        }
        try {
            lifetime.awaitStopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
        }
    }

    /** Stops gracefully within {@code Hosting:ShutdownTimeout}. */
    public void stop() {
        stop(hostOptions.shutdownTimeout());
    }

    /**
     * Stops: {@code applicationStopping} fires (readiness turns 503), the server keeps serving for
     * the drain delay ({@code Health:DrainDelay}), then refuses new requests, lets in-flight ones
     * finish within {@code gracePeriod} and aborts the rest.
     */
    public void stop(Duration gracePeriod) {
        Thread hook;
        synchronized (this) {
            if (state != State.STARTED) {
                return;
            }
            state = State.STOPPING;
            hook = shutdownHook;
        }
        lifetime.fireStopping();
        boolean interrupted = drain();
        try {
            server.stop(gracePeriod);
        } catch (Exception e) {
            log.warn("Server stop failed: {}", e.toString());
        }
        synchronized (this) {
            state = State.STOPPED;
        }
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is already exiting; the hook is running or will run and finds us stopped.
            }
        }
        lifetime.fireStopped();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * A module-hosted application listens on the module's loopback port only, as ASP.NET Core's
     * {@code UseIISIntegration} does: {@code Urls} and the server's own endpoints are overridden.
     */
    private void listenForModule(ServerAddressesFeature addresses) {
        List<String> ignored = new ArrayList<>();
        String urls = configuration.get("Urls");
        if (urls != null && !urls.isBlank()) {
            ignored.add("Urls=" + urls.strip());
        }
        if (!configuration.section("Server:Endpoints").childKeys().isEmpty()) {
            ignored.add("Server:Endpoints (" + String.join(", ", configuration.section("Server:Endpoints").childKeys()) + ")");
        }
        addresses.addresses().clear();
        addresses.addresses().add(moduleIntegration.url());
        addresses.setPreferHostingUrls(true);
        log.info("Hosted by lanner-module: listening on its port {} (LANNER_PORT) only, mounted at '{}'{}",
                moduleIntegration.port(), moduleIntegration.applicationPath().isEmpty() ? "/" : moduleIntegration.applicationPath(),
                ignored.isEmpty() ? "" : "; ignoring " + String.join("; ", ignored));
    }

    /**
     * The built-in steps ahead of the application's pipeline, outermost first: host filtering (it
     * must see the client's Host, so only forwarded headers may precede it), then the health endpoints.
     */
    private RequestDelegate withBuiltInSteps(RequestDelegate application) {
        ApplicationBuilder steps = new ApplicationBuilder(server.features());
        if (!allowedHosts.allowsAny()) {
            steps.use(new HostFilteringMiddleware(allowedHosts));
        }
        if (healthChecks) {
            steps.use(new HealthEndpoints(healthOptions.livenessPath(), healthOptions.readinessPath(),
                    lifetime.applicationStopping()));
        }
        return steps.run(application).build();
    }

    /**
     * Keeps serving for the drain delay after a stop began (readiness already answers 503), so a load
     * balancer takes the instance out of rotation before the port closes; 0 unless health is on.
     */
    private boolean drain() {
        Duration delay = healthOptions.drainDelay(healthChecks);
        if (delay.isZero()) {
            return false;
        }
        log.info("Draining for {} ms before the server stops accepting", delay.toMillis());
        try {
            Thread.sleep(delay);
            return false;
        } catch (InterruptedException e) {
            return true; // cut the drain short, still stop gracefully; the caller restores the flag
        }
    }

    private ServerAddressesFeature addressesFeature() {
        ServerAddressesFeature f = server.features().get(ServerAddressesFeature.class);
        if (f == null) {
            throw new IllegalStateException(server.getClass().getName() + " does not expose a ServerAddressesFeature");
        }
        return f;
    }

    /**
     * Logs a start-up failure in one line; for a {@code main} ends the process with status 1, so the
     * user sees that line and no stack trace. Otherwise returns the exception for the caller to throw.
     */
    static RuntimeException startupFailure(WebApplicationOptions options, RuntimeException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        log.error("Application startup failed: {}", message);
        if (options.exitOnStartupFailure()) {
            System.exit(1);
        }
        return e instanceof StartupException ? e : new StartupException(message, e);
    }
}
