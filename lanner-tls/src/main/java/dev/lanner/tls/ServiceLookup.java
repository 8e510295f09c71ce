package dev.lanner.tls;

import java.util.ServiceLoader;

/** Finds an optional service (PEM reading, development certificates) that another module provides. */
final class ServiceLookup {

    private ServiceLookup() {
    }

    /** The first provider of {@code service}, looked up as hosting looks up servers; null when none. */
    static <S> S first(Class<S> service) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader != null) {
            S found = ServiceLoader.load(service, loader).findFirst().orElse(null);
            if (found != null) {
                return found;
            }
        }
        return ServiceLoader.load(service, ServiceLookup.class.getClassLoader()).findFirst().orElse(null);
    }
}
