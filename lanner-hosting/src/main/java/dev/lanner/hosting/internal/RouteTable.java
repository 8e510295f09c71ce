package dev.lanner.hosting.internal;

import dev.lanner.http.HttpContext;
import dev.lanner.http.RequestDelegate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Endpoints by method and exact path (case-insensitive, as paths are in ASP.NET Core routing).
 * A path that exists with other methods answers {@code 405} with {@code Allow}; an unknown path
 * answers {@code 404}.
 */
public final class RouteTable {

    private final Map<String, Map<String, RequestDelegate>> byPath = new LinkedHashMap<>();
    /** The same table keyed by the path as registered: a request spelled that way needs no lower-casing. */
    private final Map<String, Map<String, RequestDelegate>> byExactPath = new java.util.HashMap<>();
    /** The path as first registered, for each path's table: the route template metrics report. */
    private final Map<Map<String, RequestDelegate>, String> templates = new java.util.IdentityHashMap<>();
    /** Whether a matched endpoint's template is left for the request observer (only when there is one). */
    private boolean recordRoutes;

    /** Before the application starts. */
    public void setRecordRoutes(boolean value) {
        recordRoutes = value;
    }

    public synchronized void add(String method, String path, RequestDelegate handler) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("endpoint path must start with '/': " + path);
        }
        Map<String, RequestDelegate> methods = byPath.computeIfAbsent(path.toLowerCase(java.util.Locale.ROOT), k -> new LinkedHashMap<>());
        templates.putIfAbsent(methods, path);
        if (methods.putIfAbsent(method, handler) != null) {
            throw new IllegalArgumentException("an endpoint for " + method + " " + path + " already exists");
        }
        byExactPath.put(path, methods);
    }

    public void dispatch(HttpContext context) throws Exception {
        String path = context.request().path();
        Map<String, RequestDelegate> methods = byExactPath.get(path);
        if (methods == null) {
            methods = byPath.get(path.isEmpty() ? "/" : path.toLowerCase(java.util.Locale.ROOT));
        }
        if (methods == null) {
            if (!context.response().hasStarted()) {
                context.response().setStatusCode(404);
            }
            return;
        }
        String method = context.request().method();
        RequestDelegate handler = methods.get(method);
        if (handler == null && method.equals("HEAD")) {
            handler = methods.get("GET"); // RFC 9110 §9.3.2: HEAD is GET without the body; the server drops it
        }
        if (handler == null) {
            StringJoiner allow = new StringJoiner(", ");
            List<String> names = new ArrayList<>(methods.keySet());
            if (names.contains("GET") && !names.contains("HEAD")) {
                names.add("HEAD");
            }
            names.forEach(allow::add);
            context.response().setStatusCode(405).setHeader("Allow", allow.toString());
            return;
        }
        if (recordRoutes) {
            HostingApplication.recordRoute(context, templates.get(methods));
        }
        handler.invoke(context);
    }
}
