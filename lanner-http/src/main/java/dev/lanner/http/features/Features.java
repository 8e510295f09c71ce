package dev.lanner.http.features;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The standard {@link FeatureCollection}: a small array map (a request carries a dozen features at
 * most, so a linear scan over identity-compared keys beats hashing), optionally backed by a
 * collection of defaults consulted for types not set here.
 */
public final class Features implements FeatureCollection {

    private final FeatureCollection defaults;
    private Class<?>[] keys = new Class<?>[16];
    private Object[] values = new Object[16];
    private int size;
    private int revision;

    /** An empty collection with no defaults. */
    public Features() {
        this(null);
    }

    /** An empty collection that falls back to {@code defaults} for types it does not hold. */
    public Features(FeatureCollection defaults) {
        this.defaults = defaults;
    }

    @Override
    public <T> T get(Class<T> type) {
        Class<?>[] k = keys;
        for (int i = 0; i < size; i++) {
            if (k[i] == type) {
                return type.cast(values[i]);
            }
        }
        return defaults == null ? null : defaults.get(type);
    }

    @Override
    public <T> void set(Class<T> type, T feature) {
        if (type == null) {
            throw new IllegalArgumentException("feature type must not be null");
        }
        if (feature != null && !type.isInstance(feature)) {
            throw new IllegalArgumentException(feature.getClass().getName() + " does not implement " + type.getName());
        }
        revision++;
        for (int i = 0; i < size; i++) {
            if (keys[i] == type) {
                if (feature == null) {
                    System.arraycopy(keys, i + 1, keys, i, size - i - 1);
                    System.arraycopy(values, i + 1, values, i, size - i - 1);
                    size--;
                    keys[size] = null;
                    values[size] = null;
                } else {
                    values[i] = feature;
                }
                return;
            }
        }
        if (feature == null) {
            return;
        }
        if (size == keys.length) {
            keys = java.util.Arrays.copyOf(keys, size * 2);
            values = java.util.Arrays.copyOf(values, size * 2);
        }
        keys[size] = type;
        values[size] = feature;
        size++;
    }

    @Override
    public int revision() {
        return defaults == null ? revision : revision + defaults.revision();
    }

    @Override
    public Map<Class<?>, Object> asMap() {
        Map<Class<?>, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            map.put(keys[i], values[i]);
        }
        return Collections.unmodifiableMap(map);
    }

    @Override
    public String toString() {
        return "Features" + asMap().keySet();
    }
}
