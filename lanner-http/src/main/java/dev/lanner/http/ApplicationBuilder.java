package dev.lanner.http;

import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.Features;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Composes middleware into one {@link RequestDelegate}. Components run in the order they were
 * added; when none of them handles a request, the pipeline answers {@code 404}.
 */
public final class ApplicationBuilder {

    private final FeatureCollection serverFeatures;
    private final Map<String, Object> properties;
    private final List<Function<RequestDelegate, RequestDelegate>> components = new ArrayList<>();

    /** A builder for an application served by a server exposing {@code serverFeatures}. */
    public ApplicationBuilder(FeatureCollection serverFeatures) {
        this(serverFeatures == null ? new Features() : serverFeatures, new HashMap<>());
    }

    private ApplicationBuilder(FeatureCollection serverFeatures, Map<String, Object> properties) {
        this.serverFeatures = serverFeatures;
        this.properties = properties;
    }

    /** The features of the server the application runs on (e.g. its bound addresses). */
    public FeatureCollection serverFeatures() {
        return serverFeatures;
    }

    /** State shared by this builder and the branches made from it. */
    public Map<String, Object> properties() {
        return properties;
    }

    /** A builder for a branch, sharing this builder's server features and properties. */
    public ApplicationBuilder newBuilder() {
        return new ApplicationBuilder(serverFeatures, properties);
    }

    /** Adds a component that wraps the rest of the pipeline. */
    public ApplicationBuilder use(Function<RequestDelegate, RequestDelegate> component) {
        components.add(component);
        return this;
    }

    /** Adds a middleware. */
    public ApplicationBuilder use(Middleware middleware) {
        return use(next -> context -> middleware.invoke(context, next));
    }

    /** Adds a terminal handler: components added after it never run. */
    public ApplicationBuilder run(RequestDelegate handler) {
        return use(next -> handler);
    }

    /**
     * Branches requests whose path starts with the segment(s) {@code pathMatch} (case-insensitive,
     * whole segments only: {@code /api} matches {@code /api} and {@code /api/x}, not {@code /apix}).
     * In the branch the matched part moves from the path to the path base; both are restored after.
     */
    public ApplicationBuilder map(String pathMatch, Consumer<ApplicationBuilder> configuration) {
        if (pathMatch == null || !pathMatch.startsWith("/") || (pathMatch.length() > 1 && pathMatch.endsWith("/"))) {
            throw new IllegalArgumentException("pathMatch must start with '/' and must not end with '/': " + pathMatch);
        }
        String match = pathMatch.equals("/") ? "" : pathMatch;
        ApplicationBuilder branchBuilder = newBuilder();
        configuration.accept(branchBuilder);
        RequestDelegate branch = branchBuilder.build();
        return use(next -> context -> {
            HttpRequest request = context.request();
            String path = request.path();
            String remaining = matchSegments(path, match);
            if (remaining == null) {
                next.invoke(context);
                return;
            }
            String originalBase = request.pathBase();
            request.setPathBase(originalBase + path.substring(0, path.length() - remaining.length()));
            request.setPath(remaining);
            try {
                branch.invoke(context);
            } finally {
                request.setPathBase(originalBase);
                request.setPath(path);
            }
        });
    }

    /** Branches requests for which {@code predicate} holds. */
    public ApplicationBuilder mapWhen(Predicate<HttpContext> predicate, Consumer<ApplicationBuilder> configuration) {
        ApplicationBuilder branchBuilder = newBuilder();
        configuration.accept(branchBuilder);
        RequestDelegate branch = branchBuilder.build();
        return use(next -> context -> {
            if (predicate.test(context)) {
                branch.invoke(context);
            } else {
                next.invoke(context);
            }
        });
    }

    /** Composes the pipeline. Later changes to this builder do not affect the returned delegate. */
    public RequestDelegate build() {
        RequestDelegate app = ApplicationBuilder::notFound;
        for (int i = components.size() - 1; i >= 0; i--) {
            app = components.get(i).apply(app);
        }
        return app;
    }

    private static void notFound(HttpContext context) {
        HttpResponse response = context.response();
        if (!response.hasStarted()) {
            response.setStatusCode(404);
        }
    }

    /** The path left after {@code match}, or {@code null} when {@code path} does not start with it. */
    static String matchSegments(String path, String match) {
        if (match.isEmpty()) {
            return path;
        }
        if (!path.regionMatches(true, 0, match, 0, match.length())) {
            return null;
        }
        if (path.length() == match.length()) {
            return "";
        }
        return path.charAt(match.length()) == '/' ? path.substring(match.length()) : null;
    }
}
