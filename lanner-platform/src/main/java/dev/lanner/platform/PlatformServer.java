package dev.lanner.platform;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import dev.lanner.http.features.DefaultServerAddressesFeature;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.Features;
import dev.lanner.http.features.ServerAddressesFeature;
import dev.lanner.http.server.HttpApplication;
import dev.lanner.http.server.Server;
import dev.lanner.platform.internal.JdkServerSettings;
import dev.lanner.platform.internal.PlatformExchange;
import dev.lanner.platform.internal.PortListener;
import dev.lanner.platform.internal.PrefixOwner;
import dev.lanner.tls.CertificateLoadException;
import dev.lanner.tls.DevelopmentCertificates;
import dev.lanner.tls.ServerCertificateSelector;
import dev.lanner.tls.ServerCertificateSource;
import dev.lanner.tls.ServerSslContexts;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform server (our HTTP.sys): the {@link Server} contract on the JDK's own
 * {@code com.sun.net.httpserver}. The application registers URL prefixes
 * ({@code http://+:8080/orders/}, {@code http://localhost:8080/}, {@code http://*:8080/}) in a
 * {@link UrlPrefixRegistry}, so that several applications of one JVM share a port; the matched
 * prefix's path becomes the request's path base. Beyond {@link PlatformServerOptions#requestQueueLimit()}
 * requests at once the application answers 503.
 *
 * <p>Each request runs on its own virtual thread and may block. What the JDK API cannot do is listed
 * in {@code docs/servers.md}: no HTTP/2, no trailers, no upgrades, no custom reason phrases, and a
 * client that goes away is noticed only when a read or write on its connection fails.
 */
public final class PlatformServer implements Server {

    private static final Logger log = LoggerFactory.getLogger(PlatformServer.class);

    private final PlatformServerOptions options;
    private final UrlPrefixRegistry registry;
    private final Features features = new Features();
    private final DefaultServerAddressesFeature addresses = new DefaultServerAddressesFeature();
    private final Semaphore requestQueue;
    private final Set<PlatformExchange> inFlight = ConcurrentHashMap.newKeySet();
    private final Object drained = new Object();
    private final AtomicLong requestNumbers = new AtomicLong();
    private final Owner owner = new Owner();
    private volatile HttpApplication<Object> application;
    private volatile boolean stopping;
    private boolean stopped;

    /** A server with {@code options} in the process-wide registry. */
    public PlatformServer(PlatformServerOptions options) {
        this(options, UrlPrefixRegistry.processWide());
    }

    public PlatformServer(PlatformServerOptions options, UrlPrefixRegistry registry) {
        this.options = options;
        this.registry = registry;
        this.requestQueue = new Semaphore(options.requestQueueLimit());
        features.set(ServerAddressesFeature.class, addresses);
    }

    public PlatformServerOptions options() {
        return options;
    }

    @Override
    public FeatureCollection features() {
        return features;
    }

    /**
     * Registers the prefixes — {@link PlatformServerOptions#urlPrefixes()}, else (or with
     * {@code preferHostingUrls}) the addresses the host configured, else {@value Server#DEFAULT_URL} —
     * and reports them, ports resolved, in the {@link ServerAddressesFeature}.
     *
     * @throws IllegalArgumentException for a malformed prefix or an HTTPS prefix without a certificate
     * @throws IllegalStateException    when a prefix is registered by another application
     * @throws IOException              when a port cannot be bound
     */
    @Override
    @SuppressWarnings("unchecked")
    public synchronized <C> void start(HttpApplication<C> app) throws IOException {
        if (application != null || stopped) {
            throw new IllegalStateException("the platform server was already started");
        }
        List<String> urls = new ArrayList<>(options.urlPrefixes());
        if (urls.isEmpty() || (addresses.preferHostingUrls() && !addresses.addresses().isEmpty())) {
            urls = new ArrayList<>(addresses.addresses());
        } else if (!addresses.addresses().isEmpty()) {
            log.warn("Overriding the addresses {} with the configured URL prefixes {} (set PreferHostingUrls to use the addresses)",
                    addresses.addresses(), urls);
        }
        if (urls.isEmpty()) {
            urls.add(DEFAULT_URL);
        }
        List<UrlPrefix> prefixes = new ArrayList<>();
        for (String url : urls) {
            prefixes.add(UrlPrefix.parse(url));
        }
        JdkServerSettings.apply(options);
        application = (HttpApplication<Object>) app;
        List<UrlPrefix> registered;
        try {
            registered = registry.register(owner, prefixes, this::httpsConfigurator);
        } catch (IOException | RuntimeException e) {
            application = null;
            throw e;
        }
        addresses.addresses().clear();
        for (UrlPrefix prefix : registered) {
            addresses.addresses().add(prefix.toString());
        }
        log.debug("Platform server for {} registered {}", options.name(), registered);
    }

    /** The TLS setup of an {@code https} port this server binds first. */
    private HttpsConfigurator httpsConfigurator() {
        ServerCertificateSource certificate = options.certificate();
        if (certificate == null) {
            if (!options.development()) {
                throw new IllegalArgumentException("HTTPS URL prefix of " + options.name()
                        + ": no server certificate was specified and the development certificate is used only in the"
                        + " Development environment; set Server:Certificates:Default:Path");
            }
            try {
                certificate = ServerCertificateSource.of(DevelopmentCertificates.load());
            } catch (CertificateLoadException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            log.info("HTTPS URL prefixes of {} use the development certificate for localhost", options.name());
        }
        SSLContext context = ServerSslContexts.create(ServerCertificateSelector.single(certificate));
        return new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = context.getDefaultSSLParameters();
                ssl.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                parameters.setSSLParameters(ssl);
            }
        };
    }

    /** Requests of this server now running. */
    public int inFlightCount() {
        return inFlight.size();
    }

    /**
     * Unregisters the prefixes at once (new requests for them get 404, or go to the application whose
     * prefix now matches), lets running requests finish for {@code gracePeriod}, then aborts the rest.
     * Ports no other application uses are closed.
     */
    @Override
    public void stop(Duration gracePeriod) throws InterruptedException {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            stopping = true;
        }
        int drainSeconds = (int) Math.min(Integer.MAX_VALUE, (gracePeriod.toMillis() + 999) / 1000);
        List<Thread> closing = registry.unregister(owner, drainSeconds);
        long deadline = System.nanoTime() + gracePeriod.toNanos();
        awaitDrained(deadline);
        if (!inFlight.isEmpty()) {
            log.info("Aborting {} request(s) of {} still running after the {} ms grace period",
                    inFlight.size(), options.name(), gracePeriod.toMillis());
            for (PlatformExchange request : inFlight) {
                request.abort();
            }
            awaitDrained(System.nanoTime() + Duration.ofSeconds(5).toNanos());
        }
        for (Thread t : closing) {
            t.join(Duration.ofSeconds(5).plus(gracePeriod));
        }
        addresses.addresses().clear();
    }

    private void awaitDrained(long deadline) throws InterruptedException {
        synchronized (drained) {
            while (!inFlight.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                drained.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** This server as the registry sees it: a name and the requests routed to its prefixes. */
    private final class Owner implements PrefixOwner {
        @Override
        public String name() {
            return options.name();
        }

        @Override
        public void serve(HttpExchange exchange, UrlPrefix prefix, String decodedPath) throws IOException {
            HttpApplication<Object> app = application;
            if (app == null || stopping) {
                PortListener.reject(exchange, 503, "Service Unavailable: the application is stopping");
                return;
            }
            if (requestLineLength(exchange) > options.maxRequestLineSize()) {
                PortListener.reject(exchange, 414, "URI Too Long");
                return;
            }
            if (headersOverLimits(exchange)) {
                PortListener.reject(exchange, 431, "Request Header Fields Too Large");
                return;
            }
            if (!requestQueue.tryAcquire()) {
                log.warn("Request queue of {} is full ({} requests): answering 503", options.name(),
                        options.requestQueueLimit());
                PortListener.reject(exchange, 503, "Service Unavailable: the request queue is full");
                return;
            }
            try {
                PlatformExchange request = new PlatformExchange(exchange, prefix, decodedPath,
                        requestNumbers.incrementAndGet(), options.maxRequestBodySize(), options.addServerHeader());
                inFlight.add(request);
                try {
                    request.run(app);
                } finally {
                    inFlight.remove(request);
                    synchronized (drained) {
                        drained.notifyAll();
                    }
                }
            } finally {
                requestQueue.release();
            }
        }
    }

    /**
     * Whether the head is over this application's header limits (count, and bytes as on the wire).
     * The JDK's own limits are set at twice these ({@link JdkServerSettings}), so that a head between
     * the two gets the 431 the default server sends; beyond the JDK's, it closes the connection.
     */
    private boolean headersOverLimits(HttpExchange exchange) {
        int count = 0;
        long bytes = 0;
        for (var field : exchange.getRequestHeaders().entrySet()) {
            for (String value : field.getValue()) {
                count++;
                bytes += field.getKey().length() + value.length() + 4;   // "name: value\r\n"
            }
        }
        return count > options.maxRequestHeaderCount() || bytes > options.maxRequestHeadersTotalSize();
    }

    /** Method, target and version with their two spaces, as on the wire (the JDK reads lines of any length). */
    private static long requestLineLength(HttpExchange exchange) {
        return exchange.getRequestMethod().length() + 1L + exchange.getRequestURI().toString().length() + 1
                + exchange.getProtocol().length();
    }

    @Override
    public String toString() {
        return "PlatformServer[" + options.name() + " " + addresses + "]";
    }
}
