package dev.lanner.module.internal.inprocess;

import dev.lanner.hosting.integration.InProcessHost;
import dev.lanner.hosting.integration.InProcessHosting;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.server.HttpApplication;
import dev.lanner.module.site.ApplicationEntry;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One start of an in-process application: its class loader, the thread running its {@code main},
 * and the {@link HttpApplication} its {@code WebApplication} registered. {@link #unload} ends it:
 * graceful stop, then the threads it left are interrupted, then the loader is closed and forgotten.
 */
final class Instance implements InProcessHost {

    private static final Logger log = LoggerFactory.getLogger(Instance.class);
    private static final long POLL_MILLIS = 5;

    enum Started { STARTED, FAILED, TIMED_OUT }

    private final ApplicationEntry entry;
    private final Map<String, String> environment;
    private final List<String> urls;
    private final ApplicationJar jar;
    private final ApplicationClassLoader loader;
    private final Consumer<Instance> onEnded;
    private final CountDownLatch startedOrEnded = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private final AtomicInteger active = new AtomicInteger();
    private volatile HttpApplication<?> application;
    private volatile Runnable stopAction;
    private volatile boolean accepting = true;
    private volatile String failureMessage;
    private Thread main;

    private Instance(ApplicationEntry entry, Map<String, String> environment, List<String> urls, ApplicationJar jar,
                     Consumer<Instance> onEnded) {
        this.entry = entry;
        this.environment = environment;
        this.urls = urls;
        this.jar = jar;
        this.onEnded = onEnded;
        this.loader = new ApplicationClassLoader("lanner-inprocess-" + entry.name(), jar.classPath().toArray(URL[]::new),
                Instance.class.getClassLoader());
    }

    /** Loads the application and starts its {@code main} on a thread of its own. */
    static Instance load(ApplicationEntry entry, Map<String, String> environment, List<String> urls,
                         Consumer<Instance> onEnded) throws IOException {
        Instance instance = new Instance(entry, environment, urls, ApplicationJar.resolve(entry), onEnded);
        instance.runMain();
        return instance;
    }

    ClassLoader loader() {
        return loader;
    }

    String mainClass() {
        return jar.mainClass();
    }

    Path jar() {
        return jar.jar();
    }

    HttpApplication<?> application() {
        return accepting ? application : null;
    }

    String failureMessage() {
        return failureMessage;
    }

    private void runMain() {
        InProcessHosting.attach(loader, this);
        main = Thread.ofPlatform().name("lanner-inprocess-" + entry.name() + "-main").daemon().unstarted(() -> {
            try {
                Class<?> type = Class.forName(jar.mainClass(), true, loader);
                MethodHandle handle = MethodHandles.publicLookup()
                        .findStatic(type, "main", MethodType.methodType(void.class, String[].class));
                handle.invoke((Object) entry.arguments().toArray(String[]::new));
                if (application == null) {
                    failureMessage = "main of " + jar.mainClass() + " returned without starting a WebApplication";
                }
            } catch (ClassNotFoundException e) {
                failureMessage = "main class " + jar.mainClass() + " not found in " + jar.jar();
            } catch (NoSuchMethodException | IllegalAccessException e) {
                failureMessage = jar.mainClass() + " has no public static void main(String[])";
            } catch (Throwable t) {
                failureMessage = "main of " + jar.mainClass() + " failed: " + describe(t);
                log.error("Application '{}' (in process): main failed", entry.name(), t);
            } finally {
                ended.countDown();
                startedOrEnded.countDown();
                if (application != null) {
                    onEnded.accept(this);
                }
            }
        });
        main.setContextClassLoader(loader);
        main.start();
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** Waits until the application registered, its {@code main} ended, or {@code limit} passed. */
    Started awaitStarted(Duration limit) {
        try {
            if (!startedOrEnded.await(limit.toNanos(), TimeUnit.NANOSECONDS)) {
                return Started.TIMED_OUT;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failureMessage = "interrupted while starting";
            return Started.FAILED;
        }
        return application != null && failureMessage == null ? Started.STARTED : Started.FAILED;
    }

    /** Runs one request through the application's pipeline, with its class loader as the context loader. */
    void invoke(HttpApplication<?> app, FeatureCollection features) throws Exception {
        active.incrementAndGet();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            InProcessApplication.invoke(app, features);
        } finally {
            thread.setContextClassLoader(previous);
            active.decrementAndGet();
        }
    }

    // ---- InProcessHost: what the application's hosting sees ----

    @Override
    public String applicationName() {
        return entry.name();
    }

    @Override
    public Path contentRoot() {
        return entry.directory();
    }

    @Override
    public Map<String, String> environmentVariables() {
        return environment;
    }

    @Override
    public String applicationPath() {
        return entry.path().equals("/") ? "" : entry.path();
    }

    @Override
    public List<String> urls() {
        return urls;
    }

    @Override
    public void started(HttpApplication<?> app, Runnable stop) {
        this.stopAction = stop;
        this.application = app;
        startedOrEnded.countDown();
    }

    @Override
    public boolean stopping(Duration gracePeriod) {
        accepting = false;
        long deadline = System.nanoTime() + gracePeriod.toNanos();
        while (active.get() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    // ---- unloading ----

    /**
     * Stops the application within {@code limit} (its graceful stop, so its {@code main} returns),
     * interrupts the threads it left behind, and releases its class loader.
     */
    void unload(Duration limit) {
        accepting = false;
        long deadline = System.nanoTime() + limit.toNanos();
        Runnable stop = stopAction;
        if (stop != null) {
            stop.run();
        }
        try {
            if (!ended.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                log.warn("Application '{}' (in process): main did not return within {} s (shutdownTimeLimit); interrupting it",
                        entry.name(), limit.toSeconds());
                main.interrupt();
                ended.await(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopLeftThreads();
        int cleared = ThreadLocalCleaner.clear(loader, entry.name());
        if (cleared > 0) {
            log.info("Application '{}' (in process) left {} thread-local value(s) on the module's threads; cleared",
                    entry.name(), cleared);
        }
        InProcessHosting.detach(loader);
        application = null;
        stopAction = null;
        try {
            loader.close();
        } catch (IOException e) {
            log.warn("Application '{}' (in process): closing its class loader failed: {}", entry.name(), e.toString());
        }
        log.info("Application '{}' (in process) unloaded", entry.name());
    }

    /**
     * Interrupts the live platform threads that belong to the application (their context class
     * loader is its loader: they were started from its threads) and waits a little for them; one that
     * stays is logged, since it keeps the loader and every class the application loaded in memory.
     */
    private void stopLeftThreads() {
        List<Thread> left = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t != Thread.currentThread() && t.isAlive() && belongs(t)) {
                left.add(t);
            }
        }
        if (left.isEmpty()) {
            return;
        }
        left.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (Thread t : left) {
            try {
                t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (t.isAlive()) {
                log.warn("Application '{}' (in process) left thread '{}' running after it stopped and it did not end when "
                        + "interrupted; its classes stay in memory until it ends", entry.name(), t.getName());
            }
        }
    }

    private boolean belongs(Thread t) {
        ClassLoader context = t.getContextClassLoader();
        return context == loader || (context != null && context.getParent() == loader);
    }
}
