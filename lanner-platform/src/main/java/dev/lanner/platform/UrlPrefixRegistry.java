package dev.lanner.platform;

import com.sun.net.httpserver.HttpsConfigurator;
import dev.lanner.platform.internal.PortListener;
import dev.lanner.platform.internal.PortListener.Registration;
import dev.lanner.platform.internal.PrefixOwner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The URL-prefix registrations of a process, HTTP.sys's URL group table: which application serves
 * which prefix, and the one listening port behind every prefix of a port. Applications register
 * their prefixes when their server starts and lose them when it stops; a port is bound on its first
 * prefix and released with its last one. {@link #processWide()} is the table every platform server
 * uses unless given its own.
 */
public final class UrlPrefixRegistry {

    private static final UrlPrefixRegistry PROCESS_WIDE = new UrlPrefixRegistry();

    private final Map<Integer, PortListener> listeners = new LinkedHashMap<>();

    /** The registry shared by every platform server of this JVM. */
    public static UrlPrefixRegistry processWide() {
        return PROCESS_WIDE;
    }

    /**
     * Registers every prefix for {@code owner}, all or none: ports are bound as needed (the port-0
     * prefixes of one scheme share one free port), and the prefixes come back with their real ports.
     *
     * @param https makes the TLS setup for an {@code https} port bound now; an {@code https} port already
     *              bound keeps the certificate it was bound with (as HTTP.sys binds certificates per port)
     * @throws IllegalStateException naming the owner when a prefix is already registered, or when a
     *                               port serves the other scheme
     * @throws IOException           when a port cannot be bound
     */
    public synchronized List<UrlPrefix> register(PrefixOwner owner, List<UrlPrefix> prefixes,
                                                 Supplier<HttpsConfigurator> https) throws IOException {
        for (int i = 0; i < prefixes.size(); i++) {
            UrlPrefix prefix = prefixes.get(i);
            for (int j = 0; j < i; j++) {
                if (prefixes.get(j).sameAs(prefix)) {
                    throw new IllegalStateException("The URL prefix " + prefix + " is listed twice");
                }
            }
            if (prefix.port() == 0) {
                continue;
            }
            PortListener listener = listeners.get(prefix.port());
            if (listener == null) {
                continue;
            }
            if (!listener.scheme().equals(prefix.scheme())) {
                throw new IllegalStateException("Cannot register " + prefix + ": port " + prefix.port()
                        + " already serves " + listener.scheme() + " for "
                        + listener.registrations().get(0).owner().name());
            }
            for (Registration r : listener.registrations()) {
                if (r.prefix().sameAs(prefix)) {
                    throw new IllegalStateException("The URL prefix " + prefix + " is already registered by "
                            + r.owner().name());
                }
            }
        }
        List<PortListener> bound = new ArrayList<>();
        Map<String, PortListener> freePorts = new LinkedHashMap<>();
        List<UrlPrefix> result = new ArrayList<>();
        try {
            for (UrlPrefix prefix : prefixes) {
                PortListener listener;
                if (prefix.port() == 0) {
                    listener = freePorts.get(prefix.scheme());
                    if (listener == null) {
                        listener = bind(0, prefix, https);
                        freePorts.put(prefix.scheme(), listener);
                        bound.add(listener);
                    }
                } else {
                    listener = listeners.get(prefix.port());
                    if (listener == null) {
                        listener = bind(prefix.port(), prefix, https);
                        listeners.put(prefix.port(), listener);
                        bound.add(listener);
                    }
                }
                if (!listener.scheme().equals(prefix.scheme())) {
                    throw new IllegalStateException("Cannot register " + prefix + ": port " + listener.port()
                            + " serves " + listener.scheme());
                }
                listeners.putIfAbsent(listener.port(), listener);
                result.add(prefix.port() == 0 ? prefix.withPort(listener.port()) : prefix);
            }
        } catch (IOException | RuntimeException e) {
            for (PortListener listener : bound) {
                listeners.remove(listener.port());
                listener.close(0);
            }
            throw e;
        }
        for (UrlPrefix prefix : result) {
            listeners.get(prefix.port()).add(new Registration(prefix, owner));
        }
        return result;
    }

    private static PortListener bind(int port, UrlPrefix prefix, Supplier<HttpsConfigurator> https) throws IOException {
        try {
            return PortListener.bind(port, prefix.scheme().equals("https") ? https.get() : null);
        } catch (BindException e) {
            throw new IOException("Failed to bind port " + port + " for " + prefix + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Removes every prefix of {@code owner} at once, so that no new request reaches it. Ports left
     * without a prefix stop accepting; their running exchanges get {@code drainSeconds} to finish
     * before their connections close (on a background thread: this call does not wait).
     *
     * @return the threads closing emptied ports, to join once the owner's requests are done
     */
    public List<Thread> unregister(PrefixOwner owner, int drainSeconds) {
        List<PortListener> emptied = new ArrayList<>();
        synchronized (this) {
            for (var it = listeners.values().iterator(); it.hasNext(); ) {
                PortListener listener = it.next();
                boolean hadOwner = listener.registrations().stream().anyMatch(r -> r.owner() == owner);
                if (hadOwner && listener.removeAll(owner) == 0) {
                    it.remove();
                    emptied.add(listener);
                }
            }
        }
        List<Thread> closing = new ArrayList<>();
        for (PortListener listener : emptied) {
            closing.add(Thread.ofPlatform().name("lanner-platform-close-" + listener.port())
                    .start(() -> listener.close(drainSeconds)));
        }
        return closing;
    }

    /** The registered prefixes and their owners' names, in registration order per port. */
    public synchronized Map<UrlPrefix, String> registrations() {
        Map<UrlPrefix, String> map = new LinkedHashMap<>();
        for (PortListener listener : listeners.values()) {
            for (Registration r : listener.registrations()) {
                map.put(r.prefix(), r.owner().name());
            }
        }
        return map;
    }
}
