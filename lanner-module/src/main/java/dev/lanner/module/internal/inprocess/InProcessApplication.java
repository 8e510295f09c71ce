package dev.lanner.module.internal.inprocess;

import dev.lanner.hosting.integration.ModuleIntegration;
import dev.lanner.http.HttpContext;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.HttpRequestFeature;
import dev.lanner.http.features.HttpRequestSuspensionFeature;
import dev.lanner.http.features.TlsConnectionFeature;
import dev.lanner.http.server.HttpApplication;
import dev.lanner.module.internal.AppOffline;
import dev.lanner.module.internal.ErrorPages;
import dev.lanner.module.internal.HostedApplication;
import dev.lanner.module.internal.ModuleError;
import dev.lanner.module.internal.RequestGate;
import dev.lanner.module.site.ApplicationEntry;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application the module runs inside its own JVM (the ASP.NET Core Module's in-process hosting):
 * on its first request the module loads the application's jar in a class loader of its own and runs
 * its {@code main}; the application's {@code WebApplication} registers with the module
 * ({@link dev.lanner.hosting.integration.InProcessHost}) instead of binding a socket, and requests go
 * from the edge connection straight into its pipeline, the mount moved to the path base.
 *
 * <p>A crash in {@code main}, a failed start or a start beyond {@code startupTimeLimit} marks the
 * application failed (its page, until the site file changes); the module and the other applications
 * go on. Stopping (a recycle, {@code app_offline.htm}, the module's stop) asks the application to
 * stop gracefully within {@code shutdownTimeLimit}, interrupts the threads it left, and drops its
 * class loader.
 */
public final class InProcessApplication implements HostedApplication {

    private static final Logger log = LoggerFactory.getLogger(InProcessApplication.class);

    private final ApplicationEntry entry;
    private final ErrorPages pages;
    private final Map<String, String> environment;
    private final Supplier<List<String>> frontUrls;
    private final AppOffline offline;
    private final RequestGate gate = new RequestGate();
    private final Object lifecycle = new Object();
    private volatile Instance current;
    private volatile ModuleError failure;
    private volatile String failedBecause;
    private volatile boolean stopped;

    /**
     * @param moduleEnvironment the module's environment, under the entry's {@code environmentVariables}
     * @param frontUrls         the module's addresses (the application reports them, its mount appended)
     */
    public InProcessApplication(ApplicationEntry entry, ErrorPages pages, Map<String, String> moduleEnvironment,
                                Supplier<List<String>> frontUrls) {
        this.entry = entry;
        this.pages = pages;
        Map<String, String> env = new LinkedHashMap<>(moduleEnvironment);
        // The out-of-process protocol's variables belong to a process the module started, never to an in-process application.
        env.keySet().removeAll(ModuleIntegration.VARIABLES);
        env.putAll(entry.environmentVariables());
        this.environment = Map.copyOf(env);
        this.frontUrls = frontUrls;
        this.offline = new AppOffline(entry.directory());
    }

    @Override
    public ApplicationEntry entry() {
        return entry;
    }

    @Override
    public int inFlight() {
        return gate.inFlight();
    }

    @Override
    public void retire() {
        gate.retire();
    }

    /** The class loader of the application as it runs now (tests watch it being released). */
    public Optional<ClassLoader> classLoader() {
        Instance i = current;
        return i == null ? Optional.empty() : Optional.of(i.loader());
    }

    @Override
    public boolean handle(HttpContext context) throws Exception {
        if (!gate.enter()) {
            return false;
        }
        boolean handedOver = false;
        try {
            if (offline.answer(context, pages, this::stopForOffline)) {
                return true;
            }
            ModuleError failed = failure;
            if (failed != null) {
                pages.write(context, entry.name(), failed, failedBecause);
                return true;
            }
            Instance running = current;
            HttpApplication<?> app = running == null ? null : running.application();
            if (app != null) {
                handedOver = serve(context, running, app);
                return true;
            }
            // The application has to start: never on the caller's thread when it must not wait (an event
            // loop, an HTTP/2 stream's reader); a virtual thread starts it and serves the request.
            HttpRequestSuspensionFeature suspension = context.features().get(HttpRequestSuspensionFeature.class);
            if (suspension == null) {
                startThenServe(context);
                return true;
            }
            HttpRequestSuspensionFeature.Completion completion = suspension.suspend();
            handedOver = true;
            Thread.ofVirtual().name("lanner-module-start-" + entry.name()).start(() -> {
                Throwable error = null;
                try {
                    startThenServe(context);
                } catch (Throwable t) {
                    error = t;
                }
                gate.exit();
                completion.complete(error);
            });
            return true;
        } finally {
            if (!handedOver) {
                gate.exit();
            }
        }
    }

    /** Starts the application if it is not running, then serves the request here (a thread that may wait). */
    private void startThenServe(HttpContext context) throws Exception {
        Instance running = start();
        if (running == null) {
            pages.write(context, entry.name(), failure, failedBecause);
            return;
        }
        HttpApplication<?> app = running.application();
        if (app == null) {
            pages.write(context, entry.name(), ModuleError.START_FAILURE, "the application stopped while starting");
            return;
        }
        mount(context);
        running.invoke(app, context.features());
    }

    /**
     * Serves on the caller's thread when the application never blocks (the sample's endpoints, on
     * the edge's event loop), else suspends the request and serves it on a virtual thread; true when
     * suspended (the in-flight count then drops when the request completes).
     */
    private boolean serve(HttpContext context, Instance running, HttpApplication<?> app) throws Exception {
        mount(context);
        FeatureCollection features = context.features();
        HttpRequestSuspensionFeature suspension;
        if (app.isNonBlocking() || (suspension = features.get(HttpRequestSuspensionFeature.class)) == null) {
            running.invoke(app, features);
            return false;
        }
        HttpRequestSuspensionFeature.Completion completion = suspension.suspend();
        Thread.ofVirtual().start(() -> {
            Throwable error = null;
            try {
                running.invoke(app, features);
            } catch (Throwable t) {
                error = t;
            }
            gate.exit();
            completion.complete(error);
        });
        return true;
    }

    /**
     * The mount moves from the path to the path base (segment boundary, ignoring case; the base takes
     * the site's spelling), as the integration middleware does out of process.
     */
    private void mount(HttpContext context) {
        if (!entry.forwardClientCertificate()) {
            hideClientCertificate(context.features());
        }
        String mount = entry.path();
        if (mount.equals("/")) {
            return;
        }
        HttpRequestFeature request = context.features().get(HttpRequestFeature.class);
        String path = request.path();
        if (!path.regionMatches(true, 0, mount, 0, mount.length())
                || (path.length() > mount.length() && path.charAt(mount.length()) != '/')) {
            return;
        }
        request.setPathBase(request.pathBase() + mount);
        request.setPath(path.length() == mount.length() ? "/" : path.substring(mount.length()));
    }

    /**
     * Without {@code forwardClientCertificate}, the application does not see the client's certificate,
     * as out of process: the request's TLS feature is one that has none (the rest is the edge's).
     */
    private static void hideClientCertificate(FeatureCollection features) {
        TlsConnectionFeature tls = features.get(TlsConnectionFeature.class);
        if (tls != null && tls.clientCertificate() != null) {
            features.set(TlsConnectionFeature.class, new WithoutClientCertificate(tls));
        }
    }

    private record WithoutClientCertificate(TlsConnectionFeature edge) implements TlsConnectionFeature {
        @Override public String protocol() { return edge.protocol(); }
        @Override public String cipherSuite() { return edge.cipherSuite(); }
        @Override public String applicationProtocol() { return edge.applicationProtocol(); }
        @Override public X509Certificate clientCertificate() { return null; }
        @Override public String serverName() { return edge.serverName(); }
    }

    /** The running instance, started now if needed; {@code null} when it failed (then {@link #failure} says why). */
    private Instance start() {
        synchronized (lifecycle) {
            Instance running = current;
            if (running != null && running.application() != null) {
                return running;
            }
            if (failure != null) {
                return null;
            }
            if (stopped) {
                fail(ModuleError.START_FAILURE, "the module is stopping");
                return null;
            }
            Instance instance;
            try {
                instance = Instance.load(entry, environment, mountedUrls(), this::ended);
            } catch (Exception e) {
                fail(ModuleError.START_FAILURE, e.getMessage() == null ? e.toString() : e.getMessage());
                return null;
            }
            current = instance;
            Instance.Started outcome = instance.awaitStarted(entry.startupTimeLimit());
            switch (outcome) {
                case STARTED -> {
                    log.info("Application '{}' started in process ({} from {})", entry.name(), instance.mainClass(), instance.jar());
                    return instance;
                }
                case TIMED_OUT -> fail(ModuleError.STARTUP_TIME_LIMIT, "the application's main did not start a WebApplication within "
                        + entry.startupTimeLimit().toSeconds() + " s (startupTimeLimit)");
                case FAILED -> fail(ModuleError.START_FAILURE, instance.failureMessage());
            }
            current = null;
            Thread.ofVirtual().name("lanner-module-unload-" + entry.name()).start(() -> instance.unload(entry.shutdownTimeLimit()));
            return null;
        }
    }

    private void fail(ModuleError error, String why) {
        failedBecause = why;
        failure = error;
        log.error("Application '{}' (in process) failed: {}; it stays stopped until its site file entry changes", entry.name(), why);
    }

    /** The application's {@code main} ended: after a stop it asked for itself, the next request starts it again. */
    private void ended(Instance instance) {
        synchronized (lifecycle) {
            if (current == instance) {
                current = null;
                log.info("Application '{}' (in process) stopped; its next request starts it again", entry.name());
            }
        }
    }

    private List<String> mountedUrls() {
        String mount = entry.path().equals("/") ? "" : entry.path();
        return frontUrls.get().stream().map(url -> url + mount).toList();
    }

    private void stopForOffline() {
        Instance running;
        synchronized (lifecycle) {
            running = current;
            current = null;
        }
        if (running != null) {
            log.info("app_offline.htm found for application '{}': stopping it", entry.name());
            Thread.ofVirtual().name("lanner-module-offline-" + entry.name()).start(() -> running.unload(entry.shutdownTimeLimit()));
        }
    }

    @Override
    public void stop() {
        Instance running;
        synchronized (lifecycle) {
            stopped = true;
            running = current;
            current = null;
        }
        if (running != null) {
            running.unload(entry.shutdownTimeLimit());
        }
    }

    /** One request through {@code application}: create its context, process, dispose (with the error, if any). */
    static <C> void invoke(HttpApplication<C> application, FeatureCollection features) throws Exception {
        C context = application.createContext(features);
        Throwable error = null;
        try {
            application.processRequest(context);
        } catch (Exception | Error e) {
            error = e;
            throw e;
        } finally {
            application.disposeContext(context, error);
        }
    }
}
