package dev.lanner.hosting.internal;

import dev.lanner.http.HttpContext;
import dev.lanner.http.Middleware;
import dev.lanner.http.RequestDelegate;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code 400} to a request whose {@code Host} is not in {@code AllowedHosts}, as ASP.NET
 * Core's {@code HostFilteringMiddleware} (a guard against DNS rebinding and Host-header poisoning).
 * An empty or missing {@code Host} (HTTP/1.0) passes, as with ASP.NET Core's {@code AllowEmptyHosts}
 * default. It runs after forwarded headers so that it sees the host the client asked for.
 */
public final class HostFilteringMiddleware implements Middleware {

    private static final Logger log = LoggerFactory.getLogger(HostFilteringMiddleware.class);
    private static final byte[] BODY = "Bad Request - Invalid Hostname".getBytes(StandardCharsets.US_ASCII);

    private final AllowedHosts allowedHosts;

    public HostFilteringMiddleware(AllowedHosts allowedHosts) {
        this.allowedHosts = allowedHosts;
    }

    @Override
    public void invoke(HttpContext context, RequestDelegate next) throws Exception {
        String host = context.request().host();
        if (host.isEmpty() || allowedHosts.matches(host)) {
            next.invoke(context);
            return;
        }
        log.debug("Request rejected: Host '{}' is not in AllowedHosts ({})", host, allowedHosts);
        var response = context.response();
        response.setStatusCode(400);
        response.setContentType("text/plain; charset=utf-8");
        response.setContentLength(BODY.length);
        response.write(BODY);
    }
}
