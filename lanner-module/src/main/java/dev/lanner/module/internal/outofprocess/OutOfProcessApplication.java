package dev.lanner.module.internal.outofprocess;

import dev.lanner.http.HttpContext;
import dev.lanner.module.internal.AppOffline;
import dev.lanner.module.internal.ErrorPages;
import dev.lanner.module.internal.HostedApplication;
import dev.lanner.module.internal.ModuleError;
import dev.lanner.module.internal.RequestGate;
import dev.lanner.module.internal.forwarding.Forwarder;
import dev.lanner.http.features.HttpRequestSuspensionFeature;
import dev.lanner.module.internal.forwarding.ForwardingException;
import dev.lanner.module.internal.forwarding.LoopForwarder;
import dev.lanner.server.EventLoopRequestFeature;
import dev.lanner.module.site.ApplicationEntry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application run as child processes (ASP.NET Core Module's out-of-process hosting): started on
 * the first request with {@code LANNER_PORT}, {@code LANNER_TOKEN} and {@code LANNER_APPL_PATH} in
 * its environment, watched, restarted when it exits, stopped gracefully, and forwarded to over
 * HTTP/1.1; {@code processesPerApplication} processes share the requests in turn.
 */
public final class OutOfProcessApplication implements HostedApplication {

    private static final Logger log = LoggerFactory.getLogger(OutOfProcessApplication.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter LOG_STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    /** The automatic restart after an exit waits 1 s, then twice as long after each further failure, up to this. */
    private static final long MAX_RESTART_DELAY_MILLIS = 30_000;
    /** Where the AOT caches of out-of-process applications are kept (one per application and command). */
    static final Path AOT_CACHE_DIRECTORY = Path.of(System.getProperty("java.io.tmpdir"), "lanner-module", "aot");

    private final ApplicationEntry entry;
    private final ErrorPages pages;
    private final Map<String, String> baseEnvironment;
    private final String token;
    private final Forwarder forwarder;
    private final LoopForwarder loopForwarder;
    private final Slot[] slots;
    private final AtomicInteger next = new AtomicInteger();
    private final RequestGate gate = new RequestGate();
    private final AppOffline offline;
    private final ArrayDeque<Long> recentFailures = new ArrayDeque<>();
    private volatile String failedBecause;
    private volatile boolean stopped;
    private final ProcessAotCache aotCache;

    /**
     * @param baseEnvironment the environment every process inherits (the module's own), before the
     *                        module's variables and the entry's {@code environmentVariables}
     */
    public OutOfProcessApplication(ApplicationEntry entry, ErrorPages pages, Map<String, String> baseEnvironment) {
        this.entry = entry;
        this.pages = pages;
        this.baseEnvironment = baseEnvironment;
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        this.token = HexFormat.of().formatHex(secret);
        this.forwarder = new Forwarder(token, entry.forwardClientCertificate());
        this.loopForwarder = new LoopForwarder(forwarder);
        this.slots = new Slot[entry.processesPerApplication()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot(i);
        }
        this.offline = new AppOffline(entry.directory());
        this.aotCache = ProcessAotCache.of(entry, command(), AOT_CACHE_DIRECTORY);
    }

    @Override
    public ApplicationEntry entry() {
        return entry;
    }

    @Override
    public int inFlight() {
        return gate.inFlight();
    }

    /** The pairing token this application's processes get (tests send it to prove the backend checks it). */
    public String token() {
        return token;
    }

    /** The processes running now (for tests and diagnostics). */
    public List<ProcessHandle> processes() {
        List<ProcessHandle> handles = new ArrayList<>();
        for (Slot slot : slots) {
            BackendProcess p = slot.current;
            if (p != null && p.isAlive()) {
                handles.add(p.process.toHandle());
            }
        }
        return handles;
    }

    /** The ports of the processes running now. */
    public List<Integer> ports() {
        List<Integer> ports = new ArrayList<>();
        for (Slot slot : slots) {
            BackendProcess p = slot.current;
            if (p != null && p.isAlive()) {
                ports.add(p.port);
            }
        }
        return ports;
    }

    @Override
    public void retire() {
        gate.retire();
    }

    @Override
    public boolean handle(HttpContext context) throws Exception {
        if (!gate.enter()) {
            return false;
        }
        boolean handedOver = false;
        try {
            if (offline.answer(context, pages, this::stopProcessesForOffline)) {
                return true;
            }
            String failed = failedBecause;
            if (failed != null) {
                pages.write(context, entry.name(), ModuleError.RAPID_FAIL_LIMIT, failed);
                return true;
            }
            Slot slot = slots.length == 1 ? slots[0] : slots[Math.floorMod(next.getAndIncrement(), slots.length)];
            handedOver = dispatch(context, slot);
            return true;
        } finally {
            if (!handedOver) {
                gate.exit();
            }
        }
    }

    /**
     * Forwards on the fastest path the request allows; true when the request was suspended and is
     * finished later (then the in-flight count drops when it completes).
     */
    private boolean dispatch(HttpContext context, Slot slot) throws IOException {
        EventLoopRequestFeature loop = context.features().get(EventLoopRequestFeature.class);
        HttpRequestSuspensionFeature offered = context.features().get(HttpRequestSuspensionFeature.class);
        // A suspended request stays in flight until it completes (a recycle waits for it).
        HttpRequestSuspensionFeature suspension = offered == null ? null : () -> {
            HttpRequestSuspensionFeature.Completion completion = offered.suspend();
            return failure -> {
                gate.exit();
                completion.complete(failure);
            };
        };
        if (loop != null && suspension != null) {
            BackendProcess running = slot.running();
            if (running != null) {
                // Inline on the event loop with the process up: the request stays on the loop (decision 008).
                loopForwarder.forward(context, loop, suspension, running.pool.address(), entry.requestTimeout(),
                        (ctx, failure, completion) -> failedOnLoop(ctx, slot, running, failure, completion));
                return true;
            }
        }
        if (suspension != null) {
            // A thread that must not wait here: the loop while the process has to start, or an HTTP/2
            // stream's reader (a wait would hold up the connection's other streams). A virtual thread
            // of its own forwards and completes the request.
            HttpRequestSuspensionFeature.Completion completion = suspension.suspend();
            Thread.ofVirtual().name("lanner-module-forward").start(() -> {
                Throwable failure = null;
                try {
                    forward(context, slot);
                } catch (Throwable t) {
                    failure = t;
                }
                completion.complete(failure);
            });
            return true;
        }
        forward(context, slot);
        return false;
    }

    /** A loop forward failed before the response started: answer on the loop, or retry off it when the process is gone. */
    private void failedOnLoop(HttpContext context, Slot slot, BackendProcess process, ForwardingException failure,
                              HttpRequestSuspensionFeature.Completion completion) {
        if (failure.kind() == ForwardingException.Kind.CONNECT_FAILED) {
            // The process went away between requests: start it again and forward there, off the loop.
            slot.lost(process);
            Thread.ofVirtual().name("lanner-module-restart").start(() -> {
                Throwable error = null;
                try {
                    forward(context, slot);
                } catch (Throwable t) {
                    error = t;
                }
                completion.complete(error);
            });
            return;
        }
        Throwable error = null;
        try {
            fail(context, process, failure, false);
        } catch (Throwable t) {
            error = t;
        }
        completion.complete(error);
    }

    private void forward(HttpContext context, Slot slot) throws IOException {
        BackendProcess process;
        try {
            process = slot.ready();
        } catch (StartFailure e) {
            pages.write(context, entry.name(), e.error(), e.getMessage());
            return;
        }
        try {
            forwarder.forward(context, process.pool, entry.requestTimeout());
        } catch (ForwardingException e) {
            if (e.kind() == ForwardingException.Kind.CONNECT_FAILED && !e.responseStarted()) {
                // The process went away between requests (killed, crashed): start it again and retry once;
                // nothing of the request reached a process.
                slot.lost(process);
                try {
                    process = slot.ready();
                    forwarder.forward(context, process.pool, entry.requestTimeout());
                    return;
                } catch (StartFailure failure) {
                    pages.write(context, entry.name(), failure.error(), failure.getMessage());
                    return;
                } catch (ForwardingException again) {
                    e = again;
                }
            }
            fail(context, process, e, true);
        }
    }

    private void fail(HttpContext context, BackendProcess process, ForwardingException e, boolean mayWait) throws IOException {
        ModuleError error = switch (e.kind()) {
            case TIMEOUT -> ModuleError.GATEWAY_TIMEOUT;
            case BAD_RESPONSE -> ModuleError.BAD_RESPONSE;
            case CONNECT_FAILED, CONNECTION_LOST -> {
                // Lost with the process gone: it crashed under this request (let its exit be seen, off the loop).
                if (mayWait) {
                    try {
                        process.process.waitFor(200, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
                yield ModuleError.CRASHED;
            }
        };
        String detail = e.getMessage() + (process.isAlive() ? "" : "\nprocess " + process.pid() + " exited with code "
                + exitCode(process) + "; its last output:\n" + process.output.text());
        log.warn("{} {} for application '{}': {}", error.status(), error.code(), entry.name(), e.getMessage());
        pages.write(context, entry.name(), error, detail);
    }

    private static String exitCode(BackendProcess process) {
        try {
            return Integer.toString(process.process.exitValue());
        } catch (IllegalThreadStateException running) {
            return "(running)";
        }
    }

    private void stopProcessesForOffline() {
        for (Slot slot : slots) {
            BackendProcess p = slot.current;
            if (p != null) {
                slot.current = null;
                log.info("app_offline.htm found for application '{}': stopping process {}", entry.name(), p.pid());
                Thread.ofVirtual().start(() -> p.stop(token, entry.shutdownTimeLimit()));
            }
        }
    }

    @Override
    public void stop() {
        stopped = true;
        List<Thread> stopping = new ArrayList<>();
        for (Slot slot : slots) {
            BackendProcess p = slot.current;
            slot.current = null;
            if (p != null) {
                stopping.add(Thread.ofVirtual().start(() -> p.stop(token, entry.shutdownTimeLimit())));
            }
        }
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Counts a failure; more than {@code rapidFailsPerMinute} in the last minute fails the application. */
    private void recordFailure(String what) {
        synchronized (recentFailures) {
            long now = System.nanoTime();
            recentFailures.addLast(now);
            while (!recentFailures.isEmpty() && now - recentFailures.peekFirst() > TimeUnit.MINUTES.toNanos(1)) {
                recentFailures.removeFirst();
            }
            if (recentFailures.size() > entry.rapidFailsPerMinute() && failedBecause == null) {
                failedBecause = recentFailures.size() + " failures within a minute (rapidFailsPerMinute "
                        + entry.rapidFailsPerMinute() + "); the last: " + what;
                log.error("Application '{}' reached its rapid-fail limit ({} failures within a minute); it is not "
                        + "started again until the site file changes. Last failure: {}", entry.name(),
                        recentFailures.size(), what);
            }
        }
    }

    private int failuresInTheLastMinute() {
        synchronized (recentFailures) {
            return recentFailures.size();
        }
    }

    /** One of the application's processes, started on demand and restarted when it exits. */
    private final class Slot {
        private final int index;
        private final ReentrantLock lock = new ReentrantLock();
        volatile BackendProcess current;

        Slot(int index) {
            this.index = index;
        }

        /** The running process, started first if there is none. */
        BackendProcess ready() throws StartFailure {
            BackendProcess p = current;
            if (p != null && p.isAlive()) {
                return p;
            }
            lock.lock();
            try {
                p = current;
                if (p != null && p.isAlive()) {
                    return p;
                }
                if (stopped) {
                    throw new StartFailure(ModuleError.START_FAILURE, "the module is stopping");
                }
                String failed = failedBecause;
                if (failed != null) {
                    throw new StartFailure(ModuleError.RAPID_FAIL_LIMIT, failed);
                }
                try {
                    p = start();
                } catch (StartFailure e) {
                    // The page shows the details only in Development: the log always has them.
                    log.warn("Application '{}' failed to start ({}): {}", entry.name(), e.error().code(), e.getMessage());
                    recordFailure(e.getMessage().lines().findFirst().orElse(""));
                    if (failedBecause != null) {
                        throw new StartFailure(ModuleError.RAPID_FAIL_LIMIT, failedBecause + "\n\n" + e.getMessage());
                    }
                    throw e;
                }
                current = p;
                return p;
            } finally {
                lock.unlock();
            }
        }

        /** The running process, or null when there is none (never starts one: callers on the loop must not wait). */
        BackendProcess running() {
            BackendProcess p = current;
            return p != null && p.isAlive() && failedBecause == null ? p : null;
        }

        /** A forward found {@code p} not listening: forget it (killing what is left of it). */
        void lost(BackendProcess p) {
            if (current == p) {
                current = null;
            }
            if (p.isAlive()) {
                p.process.destroyForcibly();
            }
        }

        private BackendProcess start() throws StartFailure {
            int port = freeLoopbackPort();
            List<String> command = command();
            ProcessBuilder builder = new ProcessBuilder(command).directory(entry.directory().toFile()).redirectErrorStream(true);
            Map<String, String> environment = builder.environment();
            environment.clear();
            environment.putAll(baseEnvironment);
            environment.put("LANNER_PORT", Integer.toString(port));
            environment.put("LANNER_TOKEN", token);
            environment.put("LANNER_APPL_PATH", entry.path());
            environment.putAll(entry.environmentVariables());
            Map<String, String> uncached = Map.copyOf(environment);
            boolean cached = aotCache != null && aotCache.addTo(environment);
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new StartFailure(ModuleError.START_FAILURE, "cannot run " + command + " in " + entry.directory()
                        + ": " + e.getMessage());
            }
            Path logFile = null;
            if (entry.stdoutLogEnabled()) {
                logFile = Path.of(entry.stdoutLogFile() + "_" + LocalDateTime.now().format(LOG_STAMP) + "_" + process.pid() + ".log");
            }
            BackendProcess backend = new BackendProcess(process, port, logFile);
            backend.pumpOutput();
            log.info("Application '{}' process {} started (port {}{}{}): {}", entry.name(), process.pid(), port,
                    logFile == null ? "" : ", output to " + logFile, cached ? ", from its AOT cache" : "", command);

            long deadline = System.nanoTime() + entry.startupTimeLimit().toNanos();
            while (!backend.accepts()) {
                if (!process.isAlive()) {
                    throw new StartFailure(ModuleError.START_FAILURE, "process " + process.pid() + " (" + command
                            + ") exited with code " + process.exitValue() + " before it opened port " + port
                            + "; its last output:\n" + backend.output.text());
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new StartFailure(ModuleError.STARTUP_TIME_LIMIT, "process " + process.pid() + " (" + command
                            + ") did not open port " + port + " within " + entry.startupTimeLimit().toSeconds()
                            + " s (startupTimeLimit); it was killed. Its last output:\n" + backend.output.text());
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    process.destroyForcibly();
                    throw new StartFailure(ModuleError.START_FAILURE, "interrupted while starting");
                }
            }
            process.onExit().thenRun(() -> exited(backend));
            if (aotCache != null && !cached) {
                aotCache.trainInBackground(command, uncached, entry.directory());
            }
            return backend;
        }

        /** An exit nobody asked for: counted, logged, and the process started again after a back-off. */
        private void exited(BackendProcess backend) {
            if (backend.isStopping() || stopped) {
                return;
            }
            int code = backend.process.exitValue();
            String what = "process " + backend.pid() + " exited with code " + code;
            log.warn("Application '{}': {}; last output:\n{}", entry.name(), what, backend.output.text());
            backend.pool.close();
            if (current == backend) {
                current = null;
            }
            recordFailure(what);
            if (failedBecause != null) {
                return;
            }
            long delay = Math.min(MAX_RESTART_DELAY_MILLIS, 1000L << Math.min(15, Math.max(0, failuresInTheLastMinute() - 1)));
            Thread.ofVirtual().name("lanner-module-restart-" + entry.name() + "-" + index).start(() -> {
                try {
                    Thread.sleep(delay);
                    if (current == null && !stopped && failedBecause == null && offline.page() == null) {
                        ready();
                    }
                } catch (StartFailure e) {
                    log.warn("Application '{}' could not be restarted: {}", entry.name(), e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    private String resolve(String processPath) {
        // A bare command name is found on PATH by the operating system; a path is relative to the application's folder.
        if (processPath.indexOf('/') < 0) {
            return processPath;
        }
        Path path = entry.directory().resolve(processPath).normalize();
        return Files.exists(path) ? path.toString() : processPath;
    }

    /** The command that starts a process: the program (a path relative to the application's folder) and its arguments. */
    private List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(resolve(entry.processPath()));
        command.addAll(entry.arguments());
        return command;
    }

    static int freeLoopbackPort() throws StartFailure {
        // An ephemeral port on loopback: never 80 or 443 (those are below the ephemeral range).
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new StartFailure(ModuleError.START_FAILURE, "no free loopback port: " + e.getMessage());
        }
    }
}
