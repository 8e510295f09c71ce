package dev.lanner.hosting.integration;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where an in-process application finds its {@link InProcessHost}: the module attaches a host to the
 * application's class loader before it runs the application's {@code main}, and detaches it when the
 * application is unloaded (the registry must not keep the loader reachable). The host is looked up
 * from the current thread's context class loader and its parents, so the application's {@code main}
 * thread and the threads it starts find it; any other thread finds none.
 */
public final class InProcessHosting {

    private static final Map<ClassLoader, InProcessHost> HOSTS = new ConcurrentHashMap<>();

    private InProcessHosting() {
    }

    /** Makes {@code host} the one applications loaded by {@code loader} see. */
    public static void attach(ClassLoader loader, InProcessHost host) {
        if (loader == null || host == null) {
            throw new IllegalArgumentException("loader and host must not be null");
        }
        if (HOSTS.putIfAbsent(loader, host) != null) {
            throw new IllegalStateException("a host is already attached to " + loader);
        }
    }

    /** Forgets the host of {@code loader}. */
    public static void detach(ClassLoader loader) {
        if (loader != null) {
            HOSTS.remove(loader);
        }
    }

    /** The host of the current thread's application, if the module runs it in process. */
    public static Optional<InProcessHost> current() {
        if (HOSTS.isEmpty()) {
            return Optional.empty();
        }
        for (ClassLoader loader = Thread.currentThread().getContextClassLoader(); loader != null; loader = loader.getParent()) {
            InProcessHost host = HOSTS.get(loader);
            if (host != null) {
                return Optional.of(host);
            }
        }
        return Optional.empty();
    }
}
