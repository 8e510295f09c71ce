package dev.lanner.http.server.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * The built-in features of one request type, written once (Kestrel's {@code HttpProtocol.Generated}):
 * each feature interface with the function that finds its implementation on the request object. The
 * same table answers lookups and enumerations, so the two cannot disagree. Immutable and shared by
 * every request of the type; safe from any thread.
 *
 * @param <R> the protocol's request object
 */
public final class FeatureTable<R> {

    private final Class<?>[] types;
    private final Function<R, ?>[] accessors;

    private FeatureTable(Class<?>[] types, Function<R, ?>[] accessors) {
        this.types = types;
        this.accessors = accessors;
    }

    /** Starts a table for request type {@code R}. */
    public static <R> Builder<R> builder() {
        return new Builder<>();
    }

    /** The built-in implementation of {@code type} on {@code request}, or null when the table has none. */
    public Object lookup(R request, Class<?> type) {
        Class<?>[] t = types;
        for (int i = 0; i < t.length; i++) {
            if (t[i] == type) {
                return accessors[i].apply(request);
            }
        }
        return null;
    }

    /** The feature types in the table, in the order they were added. */
    public List<Class<?>> types() {
        return Collections.unmodifiableList(Arrays.asList(types));
    }

    /** Collects the table's rows. */
    public static final class Builder<R> {
        private final List<Class<?>> types = new ArrayList<>();
        private final List<Function<R, ?>> accessors = new ArrayList<>();

        /** Adds {@code type}, implemented by what {@code accessor} returns for a request. */
        public <T> Builder<R> add(Class<T> type, Function<R, ? extends T> accessor) {
            if (types.contains(type)) {
                throw new IllegalArgumentException(type.getName() + " is in the table twice");
            }
            types.add(type);
            accessors.add(accessor);
            return this;
        }

        @SuppressWarnings("unchecked")
        public FeatureTable<R> build() {
            return new FeatureTable<>(types.toArray(new Class<?>[0]), accessors.toArray(new Function[0]));
        }
    }
}
