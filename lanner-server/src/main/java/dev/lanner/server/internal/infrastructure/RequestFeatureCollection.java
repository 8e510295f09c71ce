package dev.lanner.server.internal.infrastructure;

import dev.lanner.http.features.FeatureCollection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The feature collection of one request, shared by the protocols: the protocol's request object
 * answers for its built-in features with identity checks (no map, no allocation); features the
 * application sets or replaces go to a small map created on first use; connection-level features
 * (TLS) come from the connection's collection.
 */
public abstract class RequestFeatureCollection implements FeatureCollection {

    private static final Object REMOVED = new Object();

    private final FeatureCollection connectionFeatures;
    private final Class<?>[] builtInTypes;
    private Map<Class<?>, Object> overrides;
    private int revision;

    protected RequestFeatureCollection(FeatureCollection connectionFeatures, Class<?>... builtInTypes) {
        this.connectionFeatures = connectionFeatures;
        this.builtInTypes = builtInTypes;
    }

    /** The built-in implementation of {@code type}, or null when the protocol has none. */
    protected abstract Object builtIn(Class<?> type);

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
        Object builtIn = builtIn(type);
        if (builtIn != null) {
            return type.cast(builtIn);
        }
        return connectionFeatures.get(type);
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
        return revision + connectionFeatures.revision();
    }

    @Override
    public Map<Class<?>, Object> asMap() {
        Map<Class<?>, Object> map = new LinkedHashMap<>(connectionFeatures.asMap());
        for (Class<?> type : builtInTypes) {
            map.put(type, builtIn(type));
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
