package dev.lanner.module;

import dev.lanner.hosting.WebApplication;
import dev.lanner.hosting.WebApplicationOptions;
import dev.lanner.http.HttpContext;
import dev.lanner.http.HttpResponse;
import dev.lanner.http.features.HttpRequestSuspensionFeature;
import dev.lanner.module.internal.ErrorPages;
import dev.lanner.module.internal.HostedApplication;
import dev.lanner.module.internal.identity.EdgeAuthentication;
import dev.lanner.module.internal.inprocess.InProcessApplication;
import dev.lanner.module.internal.outofprocess.OutOfProcessApplication;
import dev.lanner.module.site.ApplicationEntry;
import dev.lanner.module.site.Binding;
import dev.lanner.module.site.EdgeAuthenticationEntry;
import dev.lanner.module.site.Site;
import dev.lanner.module.site.SiteFile;
import dev.lanner.module.site.SiteFileException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The module: a front server on the default server that owns the site's bindings and hosts the
 * site's applications by path (and host). Out-of-process applications are started on their first
 * request. Editing the site file recycles only the applications whose entries changed; the others
 * keep their processes.
 *
 * <pre>{@code
 * ModuleHost module = ModuleHost.create(Path.of("site.json"));
 * module.run();   // until SIGTERM / Ctrl+C
 * }</pre>
 */
public final class ModuleHost implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModuleHost.class);

    /** Password checks running at once (each tens of milliseconds of CPU). */
    private static final Semaphore VERIFICATIONS = new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()));

    private final Path siteFile;
    private final Map<String, String> environmentVariables;
    private final WebApplication front;
    private final ErrorPages pages;
    private volatile Site site;
    private volatile Map<String, HostedApplication> applications = Map.of();
    private volatile EdgeAuthentication authentication;
    private WatchService watcher;
    private Thread watcherThread;

    private ModuleHost(Path siteFile, Site site, Map<String, String> environmentVariables, String[] args, boolean exitOnFailure)
            throws SiteFileException {
        this.siteFile = siteFile;
        this.site = site;
        this.environmentVariables = environmentVariables;
        this.pages = new ErrorPages("Development".equalsIgnoreCase(site.environment()));
        List<String> all = new ArrayList<>();
        all.add("--Environment=" + site.environment());
        int i = 0;
        for (Binding binding : site.bindings()) {
            String key = "--Server:Endpoints:Binding" + i++ + ":";
            all.add(key + "Url=" + binding.url());
            if (binding.protocols() != null) {
                all.add(key + "Protocols=" + binding.protocols());
            }
            if (binding.clientCertificateMode() != null) {
                all.add(key + "ClientCertificateMode=" + binding.clientCertificateMode());
            }
            if (binding.certificate() != null) {
                all.add(key + "Certificate:Path=" + binding.certificate().path());
                if (binding.certificate().keyPath() != null) {
                    all.add(key + "Certificate:KeyPath=" + binding.certificate().keyPath());
                }
                if (binding.certificate().password() != null) {
                    all.add(key + "Certificate:Password=" + binding.certificate().password());
                }
            }
        }
        all.addAll(List.of(args));
        // The front server's own configuration comes from the site file and the arguments only: the
        // module's environment (LANNER_PORT, say, when the module itself was started by one) is for
        // the applications it starts.
        WebApplicationOptions options = new WebApplicationOptions(all.toArray(String[]::new), siteFile.getParent(),
                Map.of(), Map.of(), "lanner-module", exitOnFailure);
        this.authentication = authentication(site, null);
        this.front = WebApplication.builder(options).build();
        front.run(this::route);
        // HTTP/1.1 requests run inline on the event loops: out-of-process forwarding suspends them and
        // relays on the same loop; whatever could block goes to a virtual thread (decision 008).
        front.setNonBlocking(true);
        this.applications = create(site.applications(), Map.of());
    }

    /** A module for {@code siteFile}, with {@code args} as extra configuration of the front server (e.g. {@code --Hosting:RequestLog=false}). */
    public static ModuleHost create(Path siteFile, String... args) throws SiteFileException {
        return create(siteFile, System.getenv(), false, args);
    }

    /**
     * @param environmentVariables what started processes inherit (before the module's own variables),
     *                             and where {@code LANNER_ENVIRONMENT} is read when the site names none
     * @param exitOnFailure        end the process with status 1 when {@link #run()} fails to start (a {@code main})
     */
    public static ModuleHost create(Path siteFile, Map<String, String> environmentVariables, boolean exitOnFailure,
                                    String... args) throws SiteFileException {
        Path file = siteFile.toAbsolutePath().normalize();
        Site site = SiteFile.load(file, environmentVariables);
        return new ModuleHost(file, site, environmentVariables, args, exitOnFailure);
    }

    /** The front server's addresses once started. */
    public List<String> urls() {
        return front.urls();
    }

    public Site site() {
        return site;
    }

    /** The hosted application named {@code name} now (its object changes when it is recycled). */
    public Optional<HostedApplication> application(String name) {
        return Optional.ofNullable(applications.get(name));
    }

    /** Starts the front server and the site-file watcher; applications start on their first request. */
    public void start() {
        front.lifetime().applicationStopped().onAbort(this::stopApplications);
        front.start();
        watchSiteFile();
        log.info("Module serving {} application(s) from {}", applications.size(), siteFile);
    }

    /** Starts, then blocks until the front server stops (SIGTERM, Ctrl+C): a {@code main}'s last call. */
    public void run() {
        front.lifetime().applicationStopped().onAbort(this::stopApplications);
        front.lifetime().applicationStarted().onAbort(this::watchSiteFile);
        front.run();
    }

    /** Stops the front server gracefully, then every application's processes. */
    public void stop() {
        front.stop();
        stopApplications();
    }

    @Override
    public void close() {
        stop();
    }

    private void route(HttpContext context) throws Exception {
        EdgeAuthentication auth = authentication;
        if (auth != null) {
            EdgeAuthentication.Result result = auth.tryAuthenticate(context);
            if (result == null) {
                authenticateOffTheLoop(context, auth);
                return;
            }
            if (!admit(context, result)) {
                return;
            }
        }
        dispatch(context);
    }

    /**
     * Checks a password that is not in the authentication's cache (tens of milliseconds of PBKDF2) on a
     * virtual thread, never on the thread serving the connection; the request then goes on there.
     */
    private void authenticateOffTheLoop(HttpContext context, EdgeAuthentication auth) throws Exception {
        HttpRequestSuspensionFeature suspension = context.features().get(HttpRequestSuspensionFeature.class);
        if (suspension == null) {
            // This thread may wait (a virtual thread of the server's).
            if (admit(context, auth.authenticate(context))) {
                dispatch(context);
            }
            return;
        }
        HttpRequestSuspensionFeature.Completion completion = suspension.suspend();
        // The rest of the request runs on the virtual thread, which may wait: no suspension for the application.
        context.features().set(HttpRequestSuspensionFeature.class, null);
        Thread.ofVirtual().name("lanner-module-authenticate").start(() -> {
            Throwable failure = null;
            try {
                EdgeAuthentication.Result result;
                // At most a few PBKDF2 checks at once, whatever a client sends: the others wait their turn here.
                VERIFICATIONS.acquire();
                try {
                    result = auth.authenticate(context);
                } finally {
                    VERIFICATIONS.release();
                }
                if (admit(context, result)) {
                    dispatch(context);
                }
            } catch (Throwable t) {
                failure = t;
            }
            completion.complete(failure);
        });
    }

    /** Applies the edge's verdict: the user goes on the request; a challenge is answered 401 here. */
    private static boolean admit(HttpContext context, EdgeAuthentication.Result result) throws Exception {
        switch (result) {
            case EdgeAuthentication.Anonymous anonymous -> {
                return true;
            }
            case EdgeAuthentication.Authenticated authenticated -> {
                context.setUser(authenticated.user());
                return true;
            }
            case EdgeAuthentication.Challenge challenge -> {
                HttpResponse response = context.response();
                response.setStatusCode(challenge.status());
                if (challenge.wwwAuthenticate() != null) {
                    response.setHeader("WWW-Authenticate", challenge.wwwAuthenticate());
                }
                response.setHeader("Cache-Control", "no-store");
                response.setContentType("text/plain; charset=utf-8");
                response.write(challenge.status() == 401 ? "Unauthorized: the site requires a known user\n"
                        : "Forbidden: the site requires a known client certificate\n");
                return false;
            }
        }
    }

    private void dispatch(HttpContext context) throws Exception {
        // A recycle may retire the application between the lookup and the call: route again then.
        for (int attempt = 0; attempt < 8; attempt++) {
            Optional<ApplicationEntry> entry = site.route(context.request().host(), context.request().path());
            HostedApplication application = entry.map(e -> applications.get(e.name())).orElse(null);
            if (application == null) {
                break;
            }
            if (application.handle(context)) {
                return;
            }
        }
        context.response().setStatusCode(404);
        context.response().setContentType("text/plain; charset=utf-8");
        context.response().write("No application is mounted at this path.\n");
    }

    /**
     * The site's edge authentication: {@code current} when its settings did not change (its cache and
     * loaded credentials stay), a new one when they did, {@code null} when the site has none.
     *
     * @throws SiteFileException naming the site file and the credentials file's problem in one line
     */
    private static EdgeAuthentication authentication(Site site, EdgeAuthentication current) throws SiteFileException {
        EdgeAuthenticationEntry entry = site.authentication();
        if (entry == null) {
            return null;
        }
        try {
            EdgeAuthentication.Settings settings = new EdgeAuthentication.Settings(entry.credentialsFile(), entry.realm(),
                    entry.certificateUsers(), entry.required(), issuers(entry.certificateIssuers()));
            if (current != null && current.settings().equals(settings)) {
                return current;
            }
            return new EdgeAuthentication(settings);
        } catch (IOException | IllegalArgumentException e) {
            throw new SiteFileException(site.file(), "authentication", site.file() + ": authentication: " + e.getMessage(), e);
        }
    }

    /** The certificates of a PEM file of issuers; none for {@code null}. */
    private static List<X509Certificate> issuers(Path file) throws IOException {
        if (file == null) {
            return List.of();
        }
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) c);
            }
            if (certificates.isEmpty()) {
                throw new IOException("clientCertificate.issuers " + file + " holds no certificate; expected PEM certificates");
            }
            return certificates;
        } catch (CertificateException e) {
            throw new IOException("clientCertificate.issuers " + file + " is not a PEM file of certificates: " + e.getMessage(), e);
        }
    }

    private Map<String, HostedApplication> create(List<ApplicationEntry> entries, Map<String, HostedApplication> keep) {
        Map<String, HostedApplication> created = new LinkedHashMap<>();
        for (ApplicationEntry entry : entries) {
            HostedApplication existing = keep.get(entry.name());
            if (existing != null && existing.entry().equals(entry)) {
                created.put(entry.name(), existing);
                continue;
            }
            created.put(entry.name(), switch (entry.hostingModel()) {
                case OUT_OF_PROCESS -> new OutOfProcessApplication(entry, pages, environmentVariables);
                case IN_PROCESS -> new InProcessApplication(entry, pages, environmentVariables, front::urls);
            });
        }
        return created;
    }

    private synchronized void stopApplications() {
        Map<String, HostedApplication> running = applications;
        applications = Map.of();
        stopAll(running.values());
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private static void stopAll(Iterable<HostedApplication> apps) {
        List<Thread> threads = new ArrayList<>();
        for (HostedApplication app : apps) {
            threads.add(Thread.ofVirtual().start(app::stop));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---- the site file: watched, reloaded, and applications recycled when their entry changed ----

    private synchronized void watchSiteFile() {
        if (watcher != null) {
            return;
        }
        try {
            watcher = FileSystems.getDefault().newWatchService();
            siteFile.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException e) {
            log.warn("Cannot watch {} for changes: {}", siteFile, e.toString());
            return;
        }
        WatchService service = watcher;
        watcherThread = Thread.ofPlatform().daemon().name("lanner-module-site-watcher").start(() -> {
            try {
                while (true) {
                    WatchKey key = service.take();
                    boolean changed = false;
                    for (WatchEvent<?> event : key.pollEvents()) {
                        if (event.context() instanceof Path p && p.getFileName().equals(siteFile.getFileName())) {
                            changed = true;
                        }
                    }
                    key.reset();
                    if (changed) {
                        // Editors write in steps: let the file settle before reading it.
                        Thread.sleep(200);
                        while (service.poll() != null) {
                            // events of the same save
                        }
                        reload();
                    }
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                // stopping
            }
        });
    }

    /**
     * Reads the site file again: a bad file is logged and changes nothing; otherwise applications
     * whose entries changed (or that were removed) are replaced and the old ones stopped once their
     * requests in flight are done, while new requests already go to the new ones.
     */
    synchronized void reload() {
        Site loaded;
        try {
            loaded = SiteFile.load(siteFile, environmentVariables);
        } catch (SiteFileException e) {
            log.error("Site file change ignored: {}", e.getMessage());
            return;
        }
        if (!loaded.bindings().equals(site.bindings())) {
            log.warn("Site file change: bindings changed; restart the module to apply them (applications are updated now)");
        }
        EdgeAuthentication auth;
        try {
            auth = authentication(loaded, authentication);
        } catch (SiteFileException e) {
            log.error("Site file change ignored: {}", e.getMessage());
            return;
        }
        Map<String, HostedApplication> old = applications;
        Map<String, HostedApplication> fresh = create(loaded.applications(), old);
        List<HostedApplication> retired = new ArrayList<>();
        for (HostedApplication app : old.values()) {
            if (fresh.get(app.entry().name()) != app) {
                retired.add(app);
            }
        }
        site = loaded;
        authentication = auth;
        applications = fresh;
        if (retired.isEmpty()) {
            log.info("Site file reloaded; no application changed");
            return;
        }
        retired.forEach(HostedApplication::retire);
        log.info("Site file reloaded; recycling {}", retired.stream().map(a -> a.entry().name()).toList());
        Thread.ofVirtual().name("lanner-module-recycle").start(() -> {
            for (HostedApplication app : retired) {
                long deadline = System.nanoTime() + app.entry().requestTimeout().toNanos();
                while (app.inFlight() > 0 && System.nanoTime() < deadline) {
                    try {
                        TimeUnit.MILLISECONDS.sleep(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            stopAll(retired);
        });
    }

}
