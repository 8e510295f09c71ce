package dev.lanner.http.features;

import java.util.Map;

/**
 * The set of features a server supplies for one request (or for itself), keyed by the feature's
 * interface. Every {@code set} bumps {@link #revision()}, which lets {@link dev.lanner.http.HttpContext}
 * cache its lookups and drop the cache only when a feature is replaced.
 */
public interface FeatureCollection {

    /** The feature registered for {@code type}, or {@code null} when there is none. */
    <T> T get(Class<T> type);

    /** Registers (or, with {@code null}, removes) the feature for {@code type}. */
    <T> void set(Class<T> type, T feature);

    /** Incremented on every change, including changes to the defaults this collection falls back to. */
    int revision();

    /** Whether {@link #set} is refused. */
    default boolean isReadOnly() {
        return false;
    }

    /** A snapshot of the features registered here (not including defaults). */
    Map<Class<?>, Object> asMap();
}
