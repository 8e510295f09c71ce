package dev.lanner.cli.run;

import dev.lanner.cli.CliException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the application as a child process sharing this console, and passes a stop
 * request on: when this JVM receives SIGINT or SIGTERM, a shutdown hook asks the child
 * to stop (SIGTERM), gives it {@link #STOP_TIMEOUT} for its graceful shutdown, then
 * kills it. Either way this process ends with the child's exit code.
 */
final class ApplicationProcess {
    /** Longer than the host's default shutdown grace period, so that one can complete. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(35);

    private ApplicationProcess() {}

    static int run(ApplicationCommand command, Map<String, String> environment, java.nio.file.Path workingDirectory) {
        var builder = new ProcessBuilder(command.toList()).inheritIO().directory(workingDirectory.toFile());
        builder.environment().putAll(environment);
        Process child;
        try {
            child = builder.start();
        } catch (IOException e) {
            throw new CliException("cannot start " + command.java() + ": " + e.getMessage());
        }
        Thread forwardStop = new Thread(() -> stop(child), "lanner-stop-application");
        Runtime.getRuntime().addShutdownHook(forwardStop);
        int exitCode = waitUninterruptibly(child);
        try {
            Runtime.getRuntime().removeShutdownHook(forwardStop);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running and will end this JVM with the child's exit code.
        }
        return exitCode;
    }

    private static void stop(Process child) {
        if (!child.isAlive()) {
            return;
        }
        child.destroy();
        try {
            if (!child.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                System.err.println("lanner: application did not stop within " + STOP_TIMEOUT.toSeconds() + " s; killing it");
                child.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
            return;
        }
        Runtime.getRuntime().halt(exitCodeAfterStop(child.exitValue()));
    }

    /**
     * The status after a stop lanner asked for: a JVM that ends on SIGTERM or SIGINT reports 143 or
     * 130 (128 + the signal) even when its graceful stop completed, which is the outcome asked for: 0.
     * Any other status is the application's own and is passed on.
     */
    static int exitCodeAfterStop(int status) {
        return status == 128 + 15 || status == 128 + 2 ? 0 : status;
    }

    private static int waitUninterruptibly(Process child) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return child.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
