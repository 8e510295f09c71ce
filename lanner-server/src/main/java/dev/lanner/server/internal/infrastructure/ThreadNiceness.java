package dev.lanner.server.internal.infrastructure;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the operating system's scheduling priority of the calling platform thread: on Linux its
 * nice value, a per-thread attribute there (setpriority(2), "Bugs"). Raising a nice value needs no
 * privilege, but the JDK sets none (it maps {@link Thread#setPriority} to the OS only with
 * {@code -XX:ThreadPriorityPolicy=1}, meant for root), so the thread is reniced by
 * {@code renice(1)}, found on every Linux distribution (Debian's essential {@code bsdutils},
 * util-linux, BusyBox).
 *
 * <p>For work that must not take the CPU from latency-bound threads while they have work: the TLS
 * handshakes' key exchanges against the event loops (docs/decisions/017-tls-handshakes-at-lower-priority.md).
 * Elsewhere (no {@code /proc/thread-self}, no {@code renice}) the thread keeps its priority, and
 * the first failure is logged once at DEBUG.
 */
public final class ThreadNiceness {

    private static final Logger log = LoggerFactory.getLogger(ThreadNiceness.class);
    /** The largest nice value Linux knows. */
    static final int MAX_NICE = 19;
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");
    private static final AtomicBoolean failureLogged = new AtomicBoolean();
    /** The system's own renice before one found on the PATH. */
    private static final String RENICE = Stream.of("/usr/bin/renice", "/bin/renice")
            .filter(path -> Files.isExecutable(Path.of(path)))
            .findFirst()
            .orElse("renice");

    private ThreadNiceness() {}

    /**
     * Raises the calling thread's nice value by {@code increment} (up to 19), without waiting for
     * it to take effect.
     *
     * @return completes with true once the thread runs at its new nice value, with false when it
     *         could not be changed (not Linux, no {@code renice}, refused); never exceptionally
     */
    public static CompletableFuture<Boolean> lowerCurrentThread(int increment) {
        if (increment <= 0) {
            return CompletableFuture.completedFuture(false);
        }
        long tid;
        int target;
        try {
            tid = currentThreadId();
            target = Math.min(MAX_NICE, niceOf(tid) + increment);
        } catch (IOException | RuntimeException e) {
            return failed("the thread's id and nice value are not readable from " + THREAD_SELF + ": " + e);
        }
        Process renice;
        try {
            // The value without -n: absolute in util-linux (every version) and BusyBox alike.
            renice = new ProcessBuilder(RENICE, Integer.toString(target), "-p", Long.toString(tid))
                    .redirectOutput(Redirect.DISCARD)
                    .redirectError(Redirect.DISCARD)
                    .start();
        } catch (IOException | RuntimeException e) {
            return failed("renice did not start: " + e);
        }
        return renice.onExit().thenApply(done -> {
            if (done.exitValue() != 0) {
                logFailure("renice " + target + " -p " + tid + " exited with " + done.exitValue());
                return false;
            }
            return true;
        });
    }

    /** Whether this system has what {@link #lowerCurrentThread} needs: {@code /proc/thread-self} and the system's renice. */
    static boolean supported() {
        return Files.isSymbolicLink(THREAD_SELF) && !RENICE.equals("renice");
    }

    /** The OS id of the calling thread: {@code /proc/thread-self} links to {@code PID/task/TID}. */
    static long currentThreadId() throws IOException {
        return Long.parseLong(Files.readSymbolicLink(THREAD_SELF).getFileName().toString());
    }

    /** A thread's nice value: field 19 of {@code /proc/self/task/TID/stat} (proc(5)). */
    static int niceOf(long tid) throws IOException {
        return niceInStat(Files.readString(Path.of("/proc/self/task/" + tid + "/stat")));
    }

    /** Field 19 of a stat line; the command name (field 2) is in parentheses and may hold spaces and parentheses. */
    static int niceInStat(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[19 - 3]);
    }

    private static CompletableFuture<Boolean> failed(String reason) {
        logFailure(reason);
        return CompletableFuture.completedFuture(false);
    }

    private static void logFailure(String reason) {
        if (failureLogged.compareAndSet(false, true)) {
            log.debug("Threads keep their OS priority: {}", reason);
        }
    }
}
