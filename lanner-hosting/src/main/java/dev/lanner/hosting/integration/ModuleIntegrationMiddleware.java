package dev.lanner.hosting.integration;

import dev.lanner.hosting.forwarding.ForwardedHeader;
import dev.lanner.hosting.forwarding.ForwardedHeadersMiddleware;
import dev.lanner.hosting.forwarding.ForwardedHeadersOptions;
import dev.lanner.http.HttpContext;
import dev.lanner.http.HttpHeaders;
import dev.lanner.http.Middleware;
import dev.lanner.http.RequestDelegate;
import dev.lanner.http.features.HttpConnectionFeature;
import dev.lanner.http.features.HttpRequestFeature;
import dev.lanner.http.features.TlsConnectionFeature;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's side of {@code lanner-module}, first in the pipeline of a module-hosted
 * application (ASP.NET Core's {@code IISMiddleware} for out-of-process hosting). For each request:
 *
 * <ol>
 *   <li>Without a {@value ModuleIntegration#TOKEN_HEADER} equal to the pairing token (compared in
 *       constant time) it answers {@code 400 Bad Request}, logs a warning naming the peer, and the
 *       application never sees the request: only the module may talk to this port.</li>
 *   <li>{@code POST /lanner-integration} with {@code Lanner-Event: shutdown} is answered
 *       {@code 202 Accepted}; once that response is complete, the graceful stop begins (as on SIGTERM).</li>
 *   <li>Otherwise the token and event headers are removed, {@code X-Forwarded-For} (address and
 *       port), {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} are applied by a
 *       {@link ForwardedHeadersMiddleware} trusting the loopback peer for one hop, and the mount
 *       ({@value ModuleIntegration#APPLICATION_PATH_VARIABLE}) moves from the path to the path base.</li>
 *   <li>The identity the module established at the edge is applied and its headers removed:
 *       {@value ModuleIntegration#USER_HEADER} (with {@value ModuleIntegration#AUTHENTICATION_TYPE_HEADER})
 *       becomes {@link HttpContext#user()}, a {@link ModuleUser}; {@value ModuleIntegration#CLIENT_CERTIFICATE_HEADER}
 *       becomes the {@link TlsConnectionFeature#clientCertificate()}. A malformed or repeated identity header
 *       is answered {@code 400 Bad Request} naming the header; the application never sees the request.
 *       Without the token (step 1) these headers are never honoured.</li>
 * </ol>
 *
 * <p>Every change goes through the request's features, so it lasts this one request: the module
 * sends many clients' requests over one keep-alive connection. Holds no per-request state.
 */
public final class ModuleIntegrationMiddleware implements Middleware {

    private static final Logger log = LoggerFactory.getLogger(ModuleIntegrationMiddleware.class);

    private static final byte[] REJECTED_BODY =
            "Bad Request: this port accepts only requests forwarded by lanner-module\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] UNKNOWN_EVENT_BODY = "Bad Request: unknown Lanner-Event\n".getBytes(StandardCharsets.UTF_8);
    private static final String SHUTDOWN_EVENT = "shutdown";
    private static final String MODULE_HEADER_PREFIX = "Lanner-";

    /** What the module sends: one hop, from the loopback peer (the port listens on nothing else). */
    private static final ForwardedHeadersOptions FORWARDED = ForwardedHeadersOptions.defaults()
            .withHeaders(ForwardedHeader.X_FORWARDED_FOR, ForwardedHeader.X_FORWARDED_PROTO, ForwardedHeader.X_FORWARDED_HOST)
            .withForwardLimit(1);

    private final ModuleIntegration integration;
    private final byte[] token;
    private final Runnable shutdown;
    private final ForwardedHeadersMiddleware forwarded = new ForwardedHeadersMiddleware(FORWARDED);

    /**
     * @param integration what the module said in the environment
     * @param shutdown    begins the graceful stop ({@code lifetime::stopApplication}); must return at once
     */
    public ModuleIntegrationMiddleware(ModuleIntegration integration, Runnable shutdown) {
        if (integration == null || shutdown == null) {
            throw new IllegalArgumentException("integration and shutdown must not be null");
        }
        this.integration = integration;
        this.token = integration.token().getBytes(StandardCharsets.UTF_8);
        this.shutdown = shutdown;
    }

    /** {@code app} with the middleware in front of it. */
    public static RequestDelegate first(ModuleIntegration integration, Runnable shutdown, RequestDelegate app) {
        ModuleIntegrationMiddleware middleware = new ModuleIntegrationMiddleware(integration, shutdown);
        return context -> middleware.invoke(context, app);
    }

    public ModuleIntegration integration() {
        return integration;
    }

    @Override
    public void invoke(HttpContext context, RequestDelegate next) throws Exception {
        HttpRequestFeature request = context.feature(HttpRequestFeature.class);
        HttpHeaders headers = request.headers();
        if (!hasToken(headers)) {
            reject(context);
            return;
        }
        headers.remove(ModuleIntegration.TOKEN_HEADER);
        String event = headers.get(ModuleIntegration.EVENT_HEADER);
        if (event != null && request.method().equals("POST") && request.path().equals(ModuleIntegration.EVENT_PATH)) {
            onEvent(context, event.strip());
            return;
        }
        headers.remove(ModuleIntegration.EVENT_HEADER);
        if (hasModuleHeader(headers) && !applyIdentity(context, headers)) {
            return;
        }
        forwarded.apply(context);
        splitPathBase(request);
        next.invoke(context);
    }

    /** Exactly one token header, equal to the pairing token; compared in constant time. */
    private boolean hasToken(HttpHeaders headers) {
        List<String> values = headers.getAll(ModuleIntegration.TOKEN_HEADER);
        return values.size() == 1 && MessageDigest.isEqual(token, values.get(0).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether any header is named {@code Lanner-*}: one pass over the names, no allocation. The common
     * request has none (token and event are removed by now), and the identity headers are looked up only then.
     */
    private static boolean hasModuleHeader(HttpHeaders headers) {
        for (int i = 0, n = headers.size(); i < n; i++) {
            if (headers.nameAt(i).regionMatches(true, 0, MODULE_HEADER_PREFIX, 0, MODULE_HEADER_PREFIX.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Applies and removes the identity headers; {@code false} when one was malformed and the request
     * has been answered 400.
     */
    private boolean applyIdentity(HttpContext context, HttpHeaders headers) throws Exception {
        ModuleUser user;
        X509Certificate certificate;
        try {
            user = forwardedUser(headers);
            certificate = forwardedCertificate(headers);
        } catch (MalformedIdentityHeaderException e) {
            log.warn("Rejected a request from lanner-module with a malformed {} header: {}", e.header, e.getMessage());
            respond(context, 400, ("Bad Request: malformed " + e.header + " header\n").getBytes(StandardCharsets.US_ASCII));
            return false;
        }
        headers.remove(ModuleIntegration.USER_HEADER);
        headers.remove(ModuleIntegration.AUTHENTICATION_TYPE_HEADER);
        headers.remove(ModuleIntegration.CLIENT_CERTIFICATE_HEADER);
        if (user != null) {
            context.setUser(user);
        }
        if (certificate != null) {
            context.features().set(TlsConnectionFeature.class,
                    ForwardedTls.of(context.feature(TlsConnectionFeature.class), certificate));
        }
        return true;
    }

    /** The user of {@value ModuleIntegration#USER_HEADER}, or {@code null}; the type defaults to {@value ModuleUser#MODULE}. */
    private static ModuleUser forwardedUser(HttpHeaders headers) throws MalformedIdentityHeaderException {
        String name = single(headers, ModuleIntegration.USER_HEADER);
        String type = single(headers, ModuleIntegration.AUTHENTICATION_TYPE_HEADER);
        if (name == null) {
            return null;
        }
        try {
            return new ModuleUser(EdgeIdentityHeaders.decodeUser(name.strip()),
                    type == null || type.isBlank() ? ModuleUser.MODULE : type.strip());
        } catch (IllegalArgumentException e) {
            throw new MalformedIdentityHeaderException(ModuleIntegration.USER_HEADER, e.getMessage());
        }
    }

    /** The certificate of {@value ModuleIntegration#CLIENT_CERTIFICATE_HEADER}, or {@code null}. */
    private static X509Certificate forwardedCertificate(HttpHeaders headers) throws MalformedIdentityHeaderException {
        String value = single(headers, ModuleIntegration.CLIENT_CERTIFICATE_HEADER);
        try {
            return value == null ? null : EdgeIdentityHeaders.decodeCertificate(value.strip());
        } catch (IllegalArgumentException e) {
            throw new MalformedIdentityHeaderException(ModuleIntegration.CLIENT_CERTIFICATE_HEADER, e.getMessage());
        }
    }

    /** The one value of {@code name}, or {@code null}; more than one is malformed. */
    private static String single(HttpHeaders headers, String name) throws MalformedIdentityHeaderException {
        List<String> values = headers.getAll(name);
        if (values.size() > 1) {
            throw new MalformedIdentityHeaderException(name, values.size() + " values, expected one");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    private void reject(HttpContext context) throws Exception {
        HttpConnectionFeature connection = context.feature(HttpConnectionFeature.class);
        InetAddress peer = connection == null ? null : connection.remoteAddress();
        log.warn("Rejected a request from {} without the module's pairing token ({}): only lanner-module may send to port {}",
                peer == null ? "an unknown peer" : peer.getHostAddress() + ":" + connection.remotePort(),
                ModuleIntegration.TOKEN_HEADER, integration.port());
        respond(context, 400, REJECTED_BODY);
    }

    /** The module's events: {@code shutdown} is answered 202, then the stop begins; others are 400. */
    private void onEvent(HttpContext context, String event) throws Exception {
        if (!event.equalsIgnoreCase(SHUTDOWN_EVENT)) {
            respond(context, 400, UNKNOWN_EVENT_BODY);
            return;
        }
        log.info("lanner-module asked the application to shut down");
        respond(context, 202, new byte[0]);
        // The module sees 202 before the stop begins; the stop waits for this request like any other in flight.
        shutdown.run();
    }

    private static void respond(HttpContext context, int status, byte[] body) throws Exception {
        context.response().setStatusCode(status);
        if (body.length > 0) {
            context.response().setContentType("text/plain; charset=utf-8");
        }
        context.response().setContentLength(body.length);
        if (body.length > 0) {
            context.response().write(body);
        }
        context.response().complete();
    }

    /**
     * The mount moves from the path to the path base when the path starts with it on a segment
     * boundary, compared case-insensitively; the path base takes the configured spelling. A mount of
     * {@code /} changes nothing.
     */
    private void splitPathBase(HttpRequestFeature request) {
        String mount = integration.applicationPath();
        String path = request.path();
        if (mount.isEmpty() || !path.regionMatches(true, 0, mount, 0, mount.length())
                || (path.length() > mount.length() && path.charAt(mount.length()) != '/')) {
            return;
        }
        String rest = path.substring(mount.length());
        request.setPathBase(request.pathBase() + mount);
        request.setPath(rest.isEmpty() ? "/" : rest);
    }

    /**
     * The TLS connection at the edge as far as the module forwarded it: the client certificate, with
     * what a TLS connection to the application (if any) negotiated itself.
     */
    private record ForwardedTls(String protocol, String cipherSuite, String applicationProtocol,
                                X509Certificate clientCertificate, String serverName) implements TlsConnectionFeature {

        static ForwardedTls of(TlsConnectionFeature existing, X509Certificate clientCertificate) {
            return existing == null
                    ? new ForwardedTls(null, null, null, clientCertificate, null)
                    : new ForwardedTls(existing.protocol(), existing.cipherSuite(), existing.applicationProtocol(),
                            clientCertificate, existing.serverName());
        }
    }

    /** An identity header the module would never send: the request is answered 400. */
    private static final class MalformedIdentityHeaderException extends Exception {
        private static final long serialVersionUID = 1L;
        final String header;

        MalformedIdentityHeaderException(String header, String reason) {
            super(reason, null, false, false);
            this.header = header;
        }
    }
}
