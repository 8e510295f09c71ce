package dev.lanner.hosting.internal;

import dev.lanner.http.AbortSignal;
import dev.lanner.http.HttpContext;
import dev.lanner.http.HttpResponse;
import dev.lanner.http.Middleware;
import dev.lanner.http.RequestDelegate;
import java.nio.charset.StandardCharsets;

/**
 * Liveness ({@code 200 Healthy} while the process runs) and readiness ({@code 200 Ready}, then
 * {@code 503 Stopping} once {@code stopping} fires) for load balancers and Kubernetes probes.
 * A built-in step ahead of the application's middleware, so that authentication or a terminal
 * {@code run} handler cannot hide the endpoints from the probes; other paths pass through.
 */
public final class HealthEndpoints implements Middleware {

    private static final byte[] HEALTHY = "Healthy".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] READY = "Ready".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STOPPING = "Stopping".getBytes(StandardCharsets.US_ASCII);

    private final String livenessPath;
    private final String readinessPath;
    private final AbortSignal stopping;

    public HealthEndpoints(String livenessPath, String readinessPath, AbortSignal stopping) {
        this.livenessPath = livenessPath;
        this.readinessPath = readinessPath;
        this.stopping = stopping;
    }

    @Override
    public void invoke(HttpContext context, RequestDelegate next) throws Exception {
        String path = context.request().path();
        boolean liveness = path.equalsIgnoreCase(livenessPath);
        if (!liveness && !path.equalsIgnoreCase(readinessPath)) {
            next.invoke(context);
            return;
        }
        HttpResponse response = context.response();
        String method = context.request().method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.setStatusCode(405).setHeader("Allow", "GET, HEAD");
            return;
        }
        if (liveness) {
            write(response, 200, HEALTHY);
        } else if (stopping.isAborted()) {
            write(response, 503, STOPPING);
        } else {
            write(response, 200, READY);
        }
    }

    private static void write(HttpResponse response, int status, byte[] body) throws Exception {
        response.setStatusCode(status);
        // A probe must see the state of now, never a cached answer.
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/plain");
        response.setContentLength(body.length);
        response.write(body);
    }
}
