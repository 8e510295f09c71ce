package dev.lanner.server.tls;

import dev.lanner.http.features.TlsConnectionFeature;
import dev.lanner.server.ConnectionContext;
import dev.lanner.server.ConnectionHandler;
import dev.lanner.server.ConnectionMiddleware;
import dev.lanner.server.diagnostics.RejectionReason;
import dev.lanner.server.diagnostics.ServerObserver;
import dev.lanner.server.internal.infrastructure.ServerTrace;
import dev.lanner.server.internal.infrastructure.ThreadNiceness;
import dev.lanner.server.transport.EventLoopConnection;
import dev.lanner.server.transport.TransportConnection;
import dev.lanner.tls.ServerSslContexts;
import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Terminates TLS on a connection (Kestrel's {@code HttpsConnectionMiddleware}): runs the handshake
 * on the connection's thread, then hands the connection on with a decrypting transport and a
 * {@link TlsConnectionFeature}. A connection whose handshake fails — not TLS, no common protocol
 * version or ALPN protocol, a required client certificate missing, too slow — is logged at DEBUG
 * and closed; it never reaches the application and never affects other connections.
 *
 * <p>Client certificates, when asked for, are accepted whatever their issuer: the application
 * validates {@link TlsConnectionFeature#clientCertificate()} (as Kestrel leaves it to
 * {@code ClientCertificateValidation}); TLS only proves the client holds the certificate's key.
 */
public final class TlsConnectionMiddleware implements ConnectionMiddleware {

    private final TlsOptions options;
    private final SSLContext context;
    private final ApplicationProtocolSelector alpn;
    private final String[] protocols;
    private final ScheduledThreadPoolExecutor timer;
    private final ServerTrace trace;

    /**
     * @throws IllegalArgumentException when a protocol of {@link TlsOptions#protocols()} is unknown
     *                                  to the JDK (names are the JDK's: {@code TLSv1.3}, {@code TLSv1.2})
     */
    public TlsConnectionMiddleware(TlsOptions options) {
        this(options, new ServerTrace(ServerObserver.NONE));
    }

    /** The server's own: handshakes and their failures go to the server's {@link ServerTrace}. */
    public TlsConnectionMiddleware(TlsOptions options, ServerTrace trace) {
        this.trace = trace;
        if (options.certificates() == null) {
            throw new IllegalArgumentException("TLS options need a certificate selector");
        }
        this.options = options;
        this.protocols = options.protocols().toArray(String[]::new);
        this.alpn = options.applicationProtocols().isEmpty() ? null
                : new ApplicationProtocolSelector(options.applicationProtocols());
        context = ServerSslContexts.create(options.certificates());
        // Fail at start-up, not at the first connection, on a protocol name the JDK does not know.
        createEngine();
        // One timer thread for every handshake (and closing flush) of the endpoint; it ends while none runs.
        timer = new ScheduledThreadPoolExecutor(1,
                task -> Thread.ofPlatform().daemon().name("lanner-tls-handshake-timeout").unstarted(task));
        timer.setKeepAliveTime(10, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        timer.setRemoveOnCancelPolicy(true);
    }

    public TlsOptions options() {
        return options;
    }

    @Override
    public void invoke(ConnectionContext connection, ConnectionHandler next) throws Exception {
        TransportConnection inner = connection.transport();
        // The handshake blocks this virtual thread either way; after it, a loop-driven connection
        // stays one, so that HTTP/1.1 serves inline on the loop.
        TlsTransportConnection tls = inner instanceof EventLoopConnection loop
                ? new TlsEventLoopConnection(loop, createEngine(), timer)
                : new TlsTransportConnection(inner, createEngine());
        if (Thread.currentThread().isVirtual()) {
            tls.records.runHandshakeTasksOn(HandshakeWorkers.POOL);
        }
        if (!handshake(connection, inner, tls)) {
            closeQuietly(inner);
            return;
        }
        TlsConnectionInfo info = TlsConnectionInfo.of(tls.engine());
        if (alpn != null && info.applicationProtocol() == null && !options.applicationProtocols().contains("http/1.1")) {
            // The client offered no ALPN; without it only HTTP/1.1 may be spoken, which this endpoint does not.
            trace.rejected(connection.id(), RejectionReason.TLS_NO_APPLICATION_PROTOCOL,
                    "the client did not negotiate " + options.applicationProtocols() + " with ALPN");
            closeQuietly(inner);
            return;
        }
        connection.setTransport(tls);
        connection.features().set(TlsConnectionFeature.class, info);
        next.handle(connection);
    }

    private boolean handshake(ConnectionContext connection, TransportConnection inner, TlsTransportConnection tls) {
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> timeout = timer.schedule(() -> {
            timedOut.set(true);
            closeQuietly(inner);
        }, options.handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        ServerObserver observer = trace.observer();
        observer.tlsHandshakeStarted();
        long start = System.nanoTime();
        try {
            tls.handshake();
            observer.tlsHandshakeEnded(tls.engine().getSession().getProtocol(), System.nanoTime() - start);
            return true;
        } catch (IOException | RuntimeException e) {
            observer.tlsHandshakeEnded(null, System.nanoTime() - start);
            if (timedOut.get()) {
                trace.rejected(connection.id(), RejectionReason.TLS_HANDSHAKE_TIMEOUT,
                        "after " + options.handshakeTimeout().toMillis() + " ms");
            } else {
                trace.rejected(connection.id(), RejectionReason.TLS_HANDSHAKE_FAILED, e.toString());
            }
            return false;
        } finally {
            timeout.cancel(false);
        }
    }

    private SSLEngine createEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(protocols);
        // The JDK orders its suites strongest first; the server's order wins over the client's.
        parameters.setUseCipherSuitesOrder(true);
        switch (options.clientCertificateMode()) {
            case ALLOW_CERTIFICATE -> parameters.setWantClientAuth(true);
            case REQUIRE_CERTIFICATE -> parameters.setNeedClientAuth(true);
            case NO_CERTIFICATE -> parameters.setNeedClientAuth(false);
        }
        engine.setSSLParameters(parameters);
        if (alpn != null) {
            engine.setHandshakeApplicationProtocolSelector(alpn);
        }
        return engine;
    }

    /**
     * The platform threads that run the handshakes' delegated tasks (the key exchange and the
     * certificate's signature: 1–5 ms of CPU each with the JDK's P-256 and X25519, the most while
     * that code is still being compiled), one per processor, shared by every TLS endpoint; they end
     * after 10 s without a handshake.
     * <ul>
     *   <li>Off the virtual threads' carriers, a burst of new connections does not hold up the
     *       connections whose handshake is done (docs/decisions/014-tls-handshake-tasks.md).</li>
     *   <li>At a nice value {@value #NICE_INCREMENT} above the process's, the kernel gives the event
     *       loops the CPU while they have work and the handshakes what is left, at least ~10 % of a
     *       core each when the loops use all of it: a burst of handshakes no longer doubles the
     *       latency of the requests served meanwhile (docs/decisions/017-tls-handshakes-at-lower-priority.md).</li>
     * </ul>
     */
    static final class HandshakeWorkers {
        /** Nice 10 against 0: a CPU share of 110 to 1024 (Linux's sched_prio_to_weight). */
        static final int NICE_INCREMENT = 10;
        static final ThreadPoolExecutor POOL;

        static {
            int threads = Runtime.getRuntime().availableProcessors();
            AtomicInteger counter = new AtomicInteger();
            POOL = new ThreadPoolExecutor(threads, threads, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    task -> Thread.ofPlatform().daemon().name("lanner-tls-handshake-" + counter.incrementAndGet())
                            .unstarted(() -> {
                                ThreadNiceness.lowerCurrentThread(NICE_INCREMENT);
                                task.run();
                            }));
            POOL.allowCoreThreadTimeOut(true);
        }
    }

    private static void closeQuietly(TransportConnection transport) {
        try {
            transport.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
