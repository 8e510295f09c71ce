package dev.lanner.http;

import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.HttpAuthenticationFeature;
import dev.lanner.http.features.HttpConnectionFeature;
import dev.lanner.http.features.HttpRequestFeature;
import dev.lanner.http.features.HttpRequestIdentifierFeature;
import dev.lanner.http.features.HttpRequestLifetimeFeature;
import dev.lanner.http.features.HttpResponseBodyFeature;
import dev.lanner.http.features.HttpResponseFeature;
import dev.lanner.http.features.ItemsFeature;
import java.security.Principal;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One request as the application sees it: a view composed from the request's
 * {@link FeatureCollection}. Feature lookups are cached and the cache is dropped only when the
 * collection's revision changes (a middleware replaced a feature), so property access on the hot
 * path costs a field read and an int compare, not a map lookup.
 */
public final class HttpContext {

    private final FeatureCollection features;
    private final HttpRequest request;
    private final HttpResponse response;
    private final ConnectionInfo connection;

    private int cachedRevision = -1;
    private HttpRequestFeature requestFeature;
    private HttpResponseFeature responseFeature;
    private HttpResponseBodyFeature responseBodyFeature;
    private HttpConnectionFeature connectionFeature;
    private HttpRequestLifetimeFeature lifetimeFeature;
    private HttpAuthenticationFeature authenticationFeature;
    private HttpRequestIdentifierFeature identifierFeature;
    private ItemsFeature itemsFeature;

    public HttpContext(FeatureCollection features) {
        if (features == null) {
            throw new IllegalArgumentException("features must not be null");
        }
        this.features = features;
        this.request = new HttpRequest(this);
        this.response = new HttpResponse(this);
        this.connection = new ConnectionInfo(this);
    }

    /** Every feature of this request, for what the views do not cover. */
    public FeatureCollection features() {
        return features;
    }

    public HttpRequest request() {
        return request;
    }

    public HttpResponse response() {
        return response;
    }

    public ConnectionInfo connection() {
        return connection;
    }

    /** Per-request storage shared by middleware (created on first use when the server supplies none). */
    public Map<Object, Object> items() {
        ItemsFeature f = itemsFeature();
        if (f == null) {
            Map<Object, Object> map = new HashMap<>();
            f = () -> map;
            features.set(ItemsFeature.class, f);
        }
        return f.items();
    }

    /** The authenticated user, or {@code null}. */
    public Principal user() {
        HttpAuthenticationFeature f = authenticationFeature();
        return f == null ? null : f.user();
    }

    public void setUser(Principal user) {
        HttpAuthenticationFeature f = authenticationFeature();
        if (f == null) {
            f = new UserHolder();
            features.set(HttpAuthenticationFeature.class, f);
        }
        f.setUser(user);
    }

    /** Fires when the client disconnects, the request times out, or {@link #abort()} is called. */
    public AbortSignal requestAborted() {
        HttpRequestLifetimeFeature f = lifetimeFeature();
        return f == null ? AbortSignal.NONE : f.requestAborted();
    }

    /** Aborts the request (tears down the connection or stream). */
    public void abort() {
        HttpRequestLifetimeFeature f = lifetimeFeature();
        if (f != null) {
            f.abort();
        }
    }

    /** A unique id for logs. */
    public String traceIdentifier() {
        HttpRequestIdentifierFeature f = identifierFeature();
        if (f == null) {
            String id = UUID.randomUUID().toString();
            f = new IdentifierHolder(id);
            features.set(HttpRequestIdentifierFeature.class, f);
        }
        return f.traceIdentifier();
    }

    /**
     * The request's W3C Trace Context when it carried a valid {@code traceparent} (hosting reads it),
     * else {@code null}.
     */
    public TraceContext traceContext() {
        return features.get(TraceContext.class);
    }

    /** Shorthand for {@code features().get(type)}. */
    public <T> T feature(Class<T> type) {
        return features.get(type);
    }

    // --- cached feature access (package-private for the views) ---

    private void checkRevision() {
        int revision = features.revision();
        if (revision != cachedRevision) {
            requestFeature = null;
            responseFeature = null;
            responseBodyFeature = null;
            connectionFeature = null;
            lifetimeFeature = null;
            authenticationFeature = null;
            identifierFeature = null;
            itemsFeature = null;
            cachedRevision = revision;
        }
    }

    HttpRequestFeature requestFeature() {
        checkRevision();
        HttpRequestFeature f = requestFeature;
        if (f == null) {
            f = requestFeature = required(HttpRequestFeature.class);
        }
        return f;
    }

    HttpResponseFeature responseFeature() {
        checkRevision();
        HttpResponseFeature f = responseFeature;
        if (f == null) {
            f = responseFeature = required(HttpResponseFeature.class);
        }
        return f;
    }

    HttpResponseBodyFeature responseBodyFeature() {
        checkRevision();
        HttpResponseBodyFeature f = responseBodyFeature;
        if (f == null) {
            f = responseBodyFeature = required(HttpResponseBodyFeature.class);
        }
        return f;
    }

    HttpConnectionFeature connectionFeature() {
        checkRevision();
        HttpConnectionFeature f = connectionFeature;
        if (f == null) {
            f = connectionFeature = features.get(HttpConnectionFeature.class);
        }
        return f;
    }

    private HttpRequestLifetimeFeature lifetimeFeature() {
        checkRevision();
        HttpRequestLifetimeFeature f = lifetimeFeature;
        if (f == null) {
            f = lifetimeFeature = features.get(HttpRequestLifetimeFeature.class);
        }
        return f;
    }

    private HttpAuthenticationFeature authenticationFeature() {
        checkRevision();
        HttpAuthenticationFeature f = authenticationFeature;
        if (f == null) {
            f = authenticationFeature = features.get(HttpAuthenticationFeature.class);
        }
        return f;
    }

    private HttpRequestIdentifierFeature identifierFeature() {
        checkRevision();
        HttpRequestIdentifierFeature f = identifierFeature;
        if (f == null) {
            f = identifierFeature = features.get(HttpRequestIdentifierFeature.class);
        }
        return f;
    }

    private ItemsFeature itemsFeature() {
        checkRevision();
        ItemsFeature f = itemsFeature;
        if (f == null) {
            f = itemsFeature = features.get(ItemsFeature.class);
        }
        return f;
    }

    private <T> T required(Class<T> type) {
        T f = features.get(type);
        if (f == null) {
            throw new IllegalStateException("the server did not supply " + type.getSimpleName());
        }
        return f;
    }

    private static final class UserHolder implements HttpAuthenticationFeature {
        private Principal user;

        @Override
        public Principal user() {
            return user;
        }

        @Override
        public void setUser(Principal user) {
            this.user = user;
        }
    }

    private static final class IdentifierHolder implements HttpRequestIdentifierFeature {
        private String id;

        IdentifierHolder(String id) {
            this.id = id;
        }

        @Override
        public String traceIdentifier() {
            return id;
        }

        @Override
        public void setTraceIdentifier(String id) {
            this.id = id;
        }
    }
}
