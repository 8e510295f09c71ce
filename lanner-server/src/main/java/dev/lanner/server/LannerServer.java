package dev.lanner.server;

import dev.lanner.http.features.DefaultServerAddressesFeature;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.Features;
import dev.lanner.http.features.ServerAddressesFeature;
import dev.lanner.http.features.TlsConnectionFeature;
import dev.lanner.http.server.HttpApplication;
import dev.lanner.http.server.Server;
import dev.lanner.server.diagnostics.ServerObserver;
import dev.lanner.server.internal.http1.Http1Connection;
import dev.lanner.server.internal.http2.Http2Connection;
import dev.lanner.server.internal.infrastructure.Heartbeat;
import dev.lanner.server.internal.infrastructure.ServerContext;
import dev.lanner.server.internal.infrastructure.ServerTrace;
import dev.lanner.server.internal.infrastructure.TimedConnection;
import dev.lanner.server.tls.TlsConnectionMiddleware;
import dev.lanner.server.tls.TlsOptions;
import dev.lanner.server.transport.EventLoopConnection;
import dev.lanner.server.transport.EventLoopTransport;
import dev.lanner.server.transport.SocketTransport;
import dev.lanner.server.transport.Transport;
import dev.lanner.server.transport.TransportConnection;
import dev.lanner.server.transport.TransportListener;
import dev.lanner.tls.DevelopmentCertificates;
import dev.lanner.tls.ServerCertificate;
import dev.lanner.tls.ServerCertificateSelector;
import dev.lanner.tls.ServerCertificateSource;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.net.BindException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The default server (our Kestrel): HTTP/1.1 over TCP (IPv4, IPv6) and Unix domain sockets,
 * each connection served on its own virtual thread by a straight-line protocol loop, with
 * Kestrel's limits and timeouts (see {@link ServerLimits}) and connection middleware. A plain
 * HTTP/1.1 connection on an event loop with no connection middleware starts without a thread: the
 * loop serves it, and it gets its virtual thread only when a request must block
 * (docs/decisions/013-idle-connections.md).
 */
public final class LannerServer implements Server {

    private static final Logger log = LoggerFactory.getLogger(LannerServer.class);
    /** How long a listener waits after a failed accept (out of files or memory) before it tries again. */
    static final long ACCEPT_BACKOFF_MILLIS = 100;
    private static final long ACCEPT_WARNING_INTERVAL_NANOS = 1_000_000_000L;

    private final LannerServerOptions options;
    private final Transport transport;
    private final Features features = new Features();
    private final DefaultServerAddressesFeature addresses = new DefaultServerAddressesFeature();
    /** {@code MaxConcurrentConnections} for every endpoint of this server (null: unlimited); set by start. */
    private ConnectionLimitMiddleware connectionLimit;
    private final ServerContext context;
    private final Heartbeat heartbeat;
    private final List<TransportListener> listeners = new ArrayList<>();
    private final List<Thread> acceptors = new ArrayList<>();
    private final Set<ConnectionContext> open = ConcurrentHashMap.newKeySet();
    private final Object openLock = new Object();
    /** What a connection started without a thread calls once it ended (one object for all of them). */
    private final Consumer<ConnectionContext> threadlessEnded = this::connectionEnded;
    private volatile boolean started;
    private volatile boolean stopped;

    public LannerServer() {
        this(LannerServerOptions.defaults());
    }

    public LannerServer(LannerServerOptions options) {
        this(options, options.transport() == LannerServerOptions.TransportKind.BLOCKING
                ? new SocketTransport() : new EventLoopTransport());
    }

    public LannerServer(LannerServerOptions options, Transport transport) {
        this.options = options;
        this.transport = transport;
        this.context = new ServerContext(options);
        this.heartbeat = new Heartbeat(context);
        features.set(ServerAddressesFeature.class, addresses);
    }

    public LannerServerOptions options() {
        return options;
    }

    @Override
    public FeatureCollection features() {
        return features;
    }

    /**
     * Reports connections, TLS handshakes, HTTP/2 streams and rejections to {@code observer} (lanner-metrics
     * sets one). Before {@link #start} only; without one the server calls {@link ServerObserver#NONE}.
     */
    public synchronized void setObserver(ServerObserver observer) {
        if (started) {
            throw new IllegalStateException("the observer must be set before the server starts");
        }
        context.setObserver(observer);
    }

    /** Connections currently open (accepted and not yet closed). */
    public int openConnections() {
        return open.size();
    }

    /**
     * Kestrel's rule: the server's own endpoints win over the host's addresses, unless the host set
     * {@code PreferHostingUrls} and gave addresses; with neither, {@value Server#DEFAULT_URL}.
     */
    private List<EndpointOptions> endpointsToBind() {
        List<String> urls = new ArrayList<>(addresses.addresses());
        List<EndpointOptions> endpoints = new ArrayList<>();
        if (!options.endpoints().isEmpty()) {
            if (urls.isEmpty()) {
                return new ArrayList<>(options.endpoints());
            }
            if (!addresses.preferHostingUrls()) {
                log.warn("Overriding address(es) '{}': the endpoints configured in Server:Endpoints are used instead"
                        + " (set PreferHostingUrls to use the addresses)", String.join(", ", urls));
                return new ArrayList<>(options.endpoints());
            }
            log.info("Overriding the endpoints configured in Server:Endpoints since PreferHostingUrls is set;"
                    + " binding to address(es) '{}' instead", String.join(", ", urls));
        }
        if (urls.isEmpty()) {
            urls.add(Server.DEFAULT_URL);
        }
        for (String url : urls) {
            endpoints.add(EndpointOptions.of(url));
        }
        return endpoints;
    }

    @Override
    public synchronized <C> void start(HttpApplication<C> application) throws IOException {
        if (started) {
            throw new IllegalStateException("the server was already started");
        }
        List<EndpointOptions> endpoints = endpointsToBind();
        Long maxConnections = options.limits().maxConcurrentConnections();
        connectionLimit = maxConnections == null ? null : new ConnectionLimitMiddleware(maxConnections, context.trace());
        List<String> bound = new ArrayList<>();
        // Index-aligned with listeners; null for an HTTPS endpoint until its pipeline is built.
        List<ConnectionPipeline> pipelines = new ArrayList<>();
        List<PendingTlsEndpoint> tlsEndpoints = new ArrayList<>();
        try {
            for (EndpointOptions endpoint : endpoints) {
                BindingAddress address = BindingAddress.parse(endpoint.url());
                ConnectionPipeline pipeline = address.isHttps() ? null : buildConnectionPipeline(application, endpoint, address);
                int before = listeners.size();
                bind(address, bound);
                for (int i = before; i < listeners.size(); i++) {
                    pipelines.add(pipeline);
                }
                if (pipeline == null) {
                    tlsEndpoints.add(new PendingTlsEndpoint(endpoint, address, before, listeners.size()));
                }
            }
        } catch (IOException | RuntimeException e) {
            closeListeners();
            throw e;
        }
        addresses.addresses().clear();
        addresses.addresses().addAll(bound);
        heartbeat.start();
        for (int i = 0; i < listeners.size(); i++) {
            if (pipelines.get(i) != null) {
                startAccepting(listeners.get(i), pipelines.get(i));
            }
        }
        // The HTTPS endpoints' pipelines (reading the certificate files, ~60-80 ms on a cold JVM; certificate
        // selection; the JDK's SSLContext, ~50 ms) are built once the other endpoints accept, still before start
        // returns: their ports are bound, so their clients wait in the backlog meanwhile, and a failure still
        // fails the start (docs/decisions/015).
        try {
            ServerCertificateSource defaultCertificate = options.tlsDefaults().defaultCertificate();
            if (!tlsEndpoints.isEmpty() && defaultCertificate != null) {
                defaultCertificate.prepare();
            }
            for (PendingTlsEndpoint tls : tlsEndpoints) {
                ConnectionPipeline pipeline = buildConnectionPipeline(application, tls.endpoint(), tls.address());
                for (int i = tls.firstListener(); i < tls.endListener(); i++) {
                    startAccepting(listeners.get(i), pipeline);
                }
            }
        } catch (IOException | RuntimeException e) {
            started = true;   // so that stop takes down what has started
            try {
                stop(Duration.ZERO);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            started = false;
            throw e;
        }
        started = true;
    }

    /** An HTTPS endpoint, bound (its listeners are {@code firstListener} to {@code endListener - 1}) but not yet accepting. */
    private record PendingTlsEndpoint(EndpointOptions endpoint, BindingAddress address, int firstListener, int endListener) {
    }

    private void startAccepting(TransportListener listener, ConnectionPipeline pipeline) {
        acceptors.add(Thread.ofVirtual().name("lanner-accept " + listener.localAddress())
                .start(() -> acceptLoop(listener, pipeline)));
    }

    private void bind(BindingAddress address, List<String> bound) throws IOException {
        List<SocketAddress> targets = address.socketAddresses();
        int port = address.port();
        int boundHere = 0;
        IOException firstFailure = null;
        for (SocketAddress target : targets) {
            if (address.kind() == BindingAddress.Kind.LOCALHOST && port == 0 && boundHere > 0) {
                // localhost:0 — the IPv6 loopback takes the port the IPv4 one got.
                target = new java.net.InetSocketAddress(((java.net.InetSocketAddress) target).getAddress(),
                        ((java.net.InetSocketAddress) listeners.get(listeners.size() - 1).localAddress()).getPort());
            }
            try {
                TransportListener listener = transport.bind(target);
                listeners.add(listener);
                boundHere++;
                if (address.kind() != BindingAddress.Kind.LOCALHOST) {
                    bound.add(address.urlFor(listener.localAddress()));
                }
            } catch (IOException e) {
                if (address.kind() == BindingAddress.Kind.LOCALHOST && boundHere > 0 && !(e instanceof BindException
                        && String.valueOf(e.getMessage()).contains("in use"))) {
                    log.warn("Unable to bind to {} on the IPv6 loopback interface: {}", target, e.getMessage());
                    continue;
                }
                if (firstFailure == null) {
                    firstFailure = e;
                }
                if (address.kind() != BindingAddress.Kind.LOCALHOST) {
                    break;
                }
            }
        }
        if (boundHere == 0 || (firstFailure instanceof BindException && address.kind() != BindingAddress.Kind.LOCALHOST)
                || (firstFailure != null && address.kind() == BindingAddress.Kind.LOCALHOST
                    && firstFailure instanceof BindException)) {
            String reason = firstFailure instanceof BindException ? "address already in use"
                    : String.valueOf(firstFailure == null ? "unknown error" : firstFailure.getMessage());
            throw new IOException("Failed to bind to address " + address.scheme() + "://"
                    + (address.unixPath() != null ? "unix:" + address.unixPath()
                        : (address.host().contains(":") ? "[" + address.host() + "]" : address.host()) + ":" + address.port())
                    + ": " + reason, firstFailure);
        }
        if (address.kind() == BindingAddress.Kind.LOCALHOST) {
            int actual = ((java.net.InetSocketAddress) listeners.get(listeners.size() - 1).localAddress()).getPort();
            bound.add(address.scheme() + "://localhost:" + actual + address.pathBase());
        }
    }

    /**
     * What serves an endpoint's connections: the handler, run on each connection's virtual thread, and
     * the application when a connection may start without a thread instead (plain HTTP/1.1, no
     * connection middleware; null otherwise).
     */
    private record ConnectionPipeline(ConnectionHandler handler, HttpApplication<?> threadlessHttp1) { }

    private ConnectionPipeline buildConnectionPipeline(HttpApplication<?> application, EndpointOptions endpoint,
                                                       BindingAddress address) throws IOException {
        HttpProtocols protocols = endpoint.protocols();
        boolean tls = address.isHttps();
        ConnectionHandler handler = connection -> {
            if (speaksHttp2(connection, protocols, tls)) {
                connection.setProtocolVersion("2");
                new Http2Connection(context, connection, application, heartbeat).run();
            } else {
                connection.setProtocolVersion("1.1");
                new Http1Connection(context, connection, application, heartbeat).run();
            }
        };
        List<ConnectionMiddleware> middleware = new ArrayList<>();
        if (connectionLimit != null) {
            // One counter for the whole server, as Kestrel's MaxConcurrentConnections: every endpoint shares it.
            middleware.add(connectionLimit);
        }
        middleware.addAll(options.connectionMiddleware());
        if (tls) {
            middleware.add(new TlsConnectionMiddleware(tlsOptionsFor(endpoint, address), context.trace()));
        }
        for (int i = middleware.size() - 1; i >= 0; i--) {
            ConnectionMiddleware m = middleware.get(i);
            ConnectionHandler next = handler;
            handler = connection -> m.invoke(connection, next);
        }
        boolean threadless = middleware.isEmpty() && !tls && protocols != HttpProtocols.HTTP2;
        return new ConnectionPipeline(handler, threadless ? application : null);
    }

    /**
     * HTTP/2 when TLS negotiated {@code h2} by ALPN, or when the endpoint speaks HTTP/2 only
     * (h2c with prior knowledge, or TLS without ALPN).
     */
    private static boolean speaksHttp2(ConnectionContext connection, HttpProtocols protocols, boolean tls) {
        if (protocols == HttpProtocols.HTTP2) {
            return true;
        }
        if (!tls || protocols == HttpProtocols.HTTP1) {
            return false;
        }
        TlsConnectionFeature feature = connection.features().get(TlsConnectionFeature.class);
        return feature != null && "h2".equals(feature.applicationProtocol());
    }

    private TlsOptions tlsOptionsFor(EndpointOptions endpoint, BindingAddress address) throws IOException {
        TlsOptions tls = endpoint.tls();
        if (tls == null) {
            tls = TlsOptions.of(defaultCertificate(endpoint));
        } else if (tls.certificates() == null) {
            tls = tls.withCertificates(ServerCertificateSelector.single(defaultCertificate(endpoint)));
        }
        List<String> alpn = switch (endpoint.protocols()) {
            case HTTP1 -> List.of("http/1.1");
            case HTTP2 -> List.of("h2");
            case HTTP1_AND_HTTP2 -> List.of("h2", "http/1.1");
        };
        tls.certificates().prepare();
        return tls.applicationProtocols().isEmpty() ? tls.withApplicationProtocols(alpn) : tls;
    }

    /** The default certificate, else the development certificate in Development, else a start-up error. */
    private ServerCertificateSource defaultCertificate(EndpointOptions endpoint) throws IOException {
        LannerServerOptions.TlsDefaults defaults = options.tlsDefaults();
        if (defaults.defaultCertificate() != null) {
            return defaults.defaultCertificate();
        }
        if (defaults.development()) {
            ServerCertificate development = DevelopmentCertificates.load();
            log.info("HTTPS endpoint {} uses the development certificate for localhost", endpoint.url());
            return ServerCertificateSource.of(development);
        }
        throw new IOException("Unable to configure HTTPS endpoint " + endpoint.url()
                + ": no server certificate was specified and the development certificate is used only in the"
                + " Development environment; set Server:Endpoints:" + endpoint.name()
                + ":Certificate:Path (or Server:Certificates:Default:Path)");
    }

    private void acceptLoop(TransportListener listener, ConnectionPipeline pipeline) {
        long lastWarningNanos = 0;
        while (!stopped) {
            TransportConnection accepted = null;
            try {
                accepted = listener.accept();
                ConnectionContext connection = new ConnectionContext(context.nextConnectionId(), accepted);
                open.add(connection);
                context.trace().observer().connectionQueued();
                if (pipeline.threadlessHttp1() != null && accepted instanceof EventLoopConnection) {
                    startWithoutThread(connection, pipeline.threadlessHttp1());
                } else {
                    ConnectionHandler handler = pipeline.handler();
                    Thread.ofVirtual().name("lanner-conn " + connection.id()).start(() -> serve(connection, handler));
                }
            } catch (ClosedChannelException e) {
                if (!stopped) {
                    log.error("Listener {} was closed; it stops accepting", listener.localAddress(), e);
                }
                return;
            } catch (IOException | OutOfMemoryError e) {
                // Out of files (EMFILE), of kernel buffers or of heap: transient, as Netty treats it. The listener
                // backs off and accepts again instead of stopping for good, while the connections it has go on.
                closeQuietly(accepted);
                if (stopped) {
                    return;
                }
                long now = System.nanoTime();
                if (now - lastWarningNanos > ACCEPT_WARNING_INTERVAL_NANOS) {
                    lastWarningNanos = now;
                    warnQuietly(listener, e);
                }
                try {
                    Thread.sleep(ACCEPT_BACKOFF_MILLIS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private static void closeQuietly(TransportConnection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (IOException | RuntimeException ignored) {
            // it is being dropped
        }
    }

    /** Logging may fail too when the heap is exhausted; the accept loop must outlive it. */
    private static void warnQuietly(TransportListener listener, Throwable e) {
        try {
            log.warn("Accept failed on {}: {}; retrying every {} ms", listener.localAddress(), e.toString(),
                    ACCEPT_BACKOFF_MILLIS);
        } catch (Throwable ignored) {
            // nothing more to do
        }
    }

    private void serve(ConnectionContext connection, ConnectionHandler pipeline) {
        context.trace().observer().connectionStarted(connection.id());
        connection.startNanos = System.nanoTime();
        // Every line this thread logs is about this connection (it serves nothing else).
        MDC.put(ServerTrace.CONNECTION_ID, connection.id());
        try {
            if (stopped) {
                return;
            }
            pipeline.handle(connection);
        } catch (Exception e) {
            log.debug("Connection {} failed: {}", connection.id(), e.toString());
        } finally {
            MDC.remove(ServerTrace.CONNECTION_ID);
            connectionEnded(connection);
        }
    }

    /**
     * An HTTP/1.1 connection on an event loop, started on the accept thread without a thread of its own:
     * the loop serves it and ends it ({@link #connectionEnded}), or it gets a virtual thread for a request
     * that must block. Costs an idle connection no thread stack.
     */
    private void startWithoutThread(ConnectionContext connection, HttpApplication<?> application) {
        context.trace().observer().connectionStarted(connection.id());
        connection.startNanos = System.nanoTime();
        if (stopped) {
            connectionEnded(connection);
            return;
        }
        Http1Connection http1;
        try {
            connection.setProtocolVersion("1.1");
            http1 = new Http1Connection(context, connection, application, heartbeat);
        } catch (RuntimeException e) {
            log.debug("Connection {} failed: {}", connection.id(), e.toString());
            connectionEnded(connection);
            return;
        } catch (OutOfMemoryError e) {
            connectionEnded(connection);
            throw e; // the accept loop backs off
        }
        http1.start(threadlessEnded);
    }

    /** Once per connection, on whichever thread ended it: observed, closed, and no longer open. */
    private void connectionEnded(ConnectionContext connection) {
        try {
            context.trace().observer().connectionEnded(connection.id(), connection.protocolVersion(),
                    System.nanoTime() - connection.startNanos);
        } finally {
            try {
                connection.transport().close();
            } catch (IOException ignored) {
                // closing anyway
            }
            open.remove(connection);
            synchronized (openLock) {
                openLock.notifyAll();
            }
        }
    }

    @Override
    public void stop(Duration gracePeriod) throws InterruptedException {
        synchronized (this) {
            if (stopped || !started) {
                stopped = true;
                return;
            }
            stopped = true;
        }
        context.markStopping();
        closeListeners();
        // A listening socket is really closed only once its blocked accept has returned: wait for that,
        // so that no connection can slip in after stop() has begun.
        for (Thread t : acceptors) {
            t.join(1000);
        }
        for (TimedConnection c : heartbeat.connections()) {
            c.closeIfIdle();
        }
        long deadline = System.nanoTime() + gracePeriod.toNanos();
        waitForConnections(deadline);
        if (!open.isEmpty()) {
            log.info("Grace period over: aborting {} connection(s) still open", open.size());
            for (TimedConnection c : heartbeat.connections()) {
                c.abort("server stopping");
            }
            for (ConnectionContext c : open) {
                try {
                    c.transport().close();
                } catch (IOException ignored) {
                    // aborting
                }
            }
            waitForConnections(System.nanoTime() + Duration.ofSeconds(5).toNanos());
        }
        heartbeat.close();
        if (transport instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.debug("Closing the transport failed: {}", e.toString());
            }
        }
    }

    private void waitForConnections(long deadlineNanos) throws InterruptedException {
        synchronized (openLock) {
            while (!open.isEmpty()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                // Idle connections that became idle after the first sweep are closed as we wait.
                for (TimedConnection c : heartbeat.connections()) {
                    c.closeIfIdle();
                }
                openLock.wait(Math.max(1, Math.min(left / 1_000_000, 50)));
            }
        }
    }

    private void closeListeners() {
        for (TransportListener l : listeners) {
            try {
                l.close();
            } catch (IOException e) {
                log.debug("Closing listener {} failed: {}", l.localAddress(), e.toString());
            }
        }
    }
}
