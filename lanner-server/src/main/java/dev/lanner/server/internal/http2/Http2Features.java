package dev.lanner.server.internal.http2;

import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.HostContextContainer;
import dev.lanner.http.features.HttpBodyControlFeature;
import dev.lanner.http.features.HttpConnectionFeature;
import dev.lanner.http.features.HttpMaxRequestBodySizeFeature;
import dev.lanner.http.features.HttpMinResponseDataRateFeature;
import dev.lanner.http.features.HttpRequestFeature;
import dev.lanner.http.features.HttpRequestIdentifierFeature;
import dev.lanner.http.features.HttpRequestLifetimeFeature;
import dev.lanner.http.features.HttpResponseBodyFeature;
import dev.lanner.http.features.HttpResponseFeature;
import dev.lanner.http.features.HttpResponseTrailersFeature;
import dev.lanner.http.features.HttpResetFeature;
import dev.lanner.http.features.HttpStreamIdFeature;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The feature collection of an HTTP/2 stream: the stream object answers for every
 * built-in feature with an identity check (no map, no allocation); features the application
 * sets or replaces go to a small map created on first use; connection-level features (TLS)
 * come from the connection's collection.
 */
final class Http2Features implements FeatureCollection {

    private static final Object REMOVED = new Object();

    private final Http2Stream connection;
    private final FeatureCollection connectionFeatures;
    private Map<Class<?>, Object> overrides;
    private int revision;

    Http2Features(Http2Stream connection, FeatureCollection connectionFeatures) {
        this.connection = connection;
        this.connectionFeatures = connectionFeatures;
    }

    void reset() {
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

    private Object builtIn(Class<?> type) {
        if (type == HttpRequestFeature.class || type == HttpResponseBodyFeature.class
                || type == HttpRequestLifetimeFeature.class || type == HttpConnectionFeature.class
                || type == HttpRequestIdentifierFeature.class || type == HttpMaxRequestBodySizeFeature.class
                || type == HttpBodyControlFeature.class
                || type == HttpResponseTrailersFeature.class || type == HttpResetFeature.class
                || type == HttpStreamIdFeature.class || type == HostContextContainer.class) {
            return connection;
        }
        if (type == HttpResponseFeature.class) {
            return connection.responseFeature;
        }
        if (type == HttpMinResponseDataRateFeature.class) {
            return connection.responseRateFeature;
        }
        return null;
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
        for (Class<?> type : new Class<?>[] {HttpRequestFeature.class, HttpResponseFeature.class,
                HttpResponseBodyFeature.class, HttpRequestLifetimeFeature.class, HttpConnectionFeature.class,
                HttpRequestIdentifierFeature.class, HttpMaxRequestBodySizeFeature.class,
                HttpMinResponseDataRateFeature.class,
                HttpBodyControlFeature.class, HttpResponseTrailersFeature.class, HttpResetFeature.class,
                HttpStreamIdFeature.class}) {
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
