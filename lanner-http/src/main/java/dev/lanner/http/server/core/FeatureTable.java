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
    /** Open addressing by identity hash: slot → row + 1 (0: empty), so a lookup takes one or two probes. */
    private final int[] slots;
    private final Class<?>[] slotTypes;
    private final int mask;

    private FeatureTable(Class<?>[] types, Function<R, ?>[] accessors) {
        this.types = types;
        this.accessors = accessors;
        int size = Integer.highestOneBit(Math.max(4, types.length * 4) - 1) << 1;
        this.mask = size - 1;
        this.slots = new int[size];
        this.slotTypes = new Class<?>[size];
        for (int row = 0; row < types.length; row++) {
            int h = System.identityHashCode(types[row]) & mask;
            while (slots[h] != 0) {
                h = (h + 1) & mask;
            }
            slots[h] = row + 1;
            slotTypes[h] = types[row];
        }
    }

    /** Starts a table for request type {@code R}. */
    public static <R> Builder<R> builder() {
        return new Builder<>();
    }

    /** The built-in implementation of {@code type} on {@code request}, or null when the table has none. */
    public Object lookup(R request, Class<?> type) {
        int h = System.identityHashCode(type) & mask;
        for (int row; (row = slots[h]) != 0; h = (h + 1) & mask) {
            if (slotTypes[h] == type) {
                Function<R, ?> accessor = accessors[row - 1];
                // No accessor: the request object implements the feature itself (no call on the hot path).
                return accessor == null ? request : accessor.apply(request);
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
            return addRow(type, java.util.Objects.requireNonNull(accessor, "accessor"));
        }

        /**
         * Adds {@code type}, implemented by the request object itself: a lookup returns the request
         * without calling an accessor. The caller guarantees that {@code R} implements {@code type}.
         */
        public Builder<R> addImplementedByRequest(Class<?> type) {
            return addRow(type, null);
        }

        private Builder<R> addRow(Class<?> type, Function<R, ?> accessor) {
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
