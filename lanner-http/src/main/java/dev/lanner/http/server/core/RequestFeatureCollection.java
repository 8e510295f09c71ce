package dev.lanner.http.server.core;

import dev.lanner.http.features.FeatureCollection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The feature collection of one request, shared by every protocol: the request object answers for its
 * built-in features through the protocol's {@link FeatureTable} (identity checks, no allocation);
 * features the application sets or removes go to a small map made on first use; the connection's
 * features (TLS, for one) come last. Reused across the requests of a connection with {@link #reset()}.
 * Not thread-safe: the request's thread uses it.
 *
 * @param <R> the protocol's request object
 */
public final class RequestFeatureCollection<R> implements FeatureCollection {

    private static final Object REMOVED = new Object();

    private final R request;
    private final FeatureTable<R> table;
    private final FeatureCollection connectionFeatures;
    private Map<Class<?>, Object> overrides;
    private int revision;

    public RequestFeatureCollection(R request, FeatureTable<R> table, FeatureCollection connectionFeatures) {
        this.request = request;
        this.table = table;
        this.connectionFeatures = connectionFeatures;
    }

    /** Forgets the application's overrides (between requests on a reused collection). */
    public void reset() {
        if (overrides != null && !overrides.isEmpty()) {
            overrides.clear();
        }
        revision++;
    }

    @Override
    public <T> T get(Class<T> type) {
        if (overrides != null) {
            Object o = overrides.get(type);
            if (o != null) {
                return o == REMOVED ? null : type.cast(o);
            }
        }
        Object builtIn = table.lookup(request, type);
        if (builtIn != null) {
            return type.cast(builtIn);
        }
        return connectionFeatures == null ? null : connectionFeatures.get(type);
    }

    @Override
    public <T> void set(Class<T> type, T feature) {
        if (feature != null && !type.isInstance(feature)) {
            throw new IllegalArgumentException(feature.getClass().getName() + " does not implement " + type.getName());
        }
        if (overrides == null) {
            overrides = new HashMap<>(4);
        }
        overrides.put(type, feature == null ? REMOVED : feature);
        revision++;
    }

    @Override
    public int revision() {
        return connectionFeatures == null ? revision : revision + connectionFeatures.revision();
    }

    @Override
    public Map<Class<?>, Object> asMap() {
        Map<Class<?>, Object> map = connectionFeatures == null ? new LinkedHashMap<>() : new LinkedHashMap<>(connectionFeatures.asMap());
        for (Class<?> type : table.types()) {
            Object builtIn = table.lookup(request, type);
            if (builtIn != null) {
                map.put(type, builtIn);
            }
        }
        if (overrides != null) {
            overrides.forEach((k, v) -> {
                if (v == REMOVED) {
                    map.remove(k);
                } else {
                    map.put(k, v);
                }
            });
        }
        return map;
    }
}
