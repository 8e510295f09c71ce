package dev.lanner.module.internal.outofprocess;

import dev.lanner.module.internal.forwarding.Forwarder;
import dev.lanner.module.internal.forwarding.UpstreamPool;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running process of an out-of-process application: its port, its pool of keep-alive
 * connections, the pump that copies its output to the stdout log and keeps the last of it.
 */
final class BackendProcess {

    private static final Logger log = LoggerFactory.getLogger(BackendProcess.class);

    final Process process;
    final int port;
    final UpstreamPool pool;
    final OutputTail output = new OutputTail(8 * 1024);
    final Path logFile;
    private volatile boolean stopping;

    BackendProcess(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.pool = new UpstreamPool(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        this.logFile = logFile;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    boolean isStopping() {
        return stopping;
    }

    /** Copies the process's output (stdout and stderr merged) to {@code logFile} when set, keeping its tail. */
    void pumpOutput() {
        // A platform thread: a read from a process's pipe blocks in native code, which would pin a
        // virtual thread's carrier; with one CPU (one carrier) every virtual thread would then stall.
        Thread.ofPlatform().daemon().name("lanner-module-output-" + process.pid()).start(() -> {
            byte[] buffer = new byte[8192];
            OutputStream file = null;
            try (InputStream in = process.getInputStream()) {
                if (logFile != null) {
                    Files.createDirectories(logFile.toAbsolutePath().getParent());
                    file = Files.newOutputStream(logFile);
                }
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    output.append(buffer, 0, n);
                    if (file != null) {
                        file.write(buffer, 0, n);
                        file.flush();
                    }
                }
            } catch (IOException e) {
                log.debug("Output of process {} ended: {}", process.pid(), e.toString());
            } finally {
                if (file != null) {
                    try {
                        file.close();
                    } catch (IOException ignored) {
                        // the log is best effort
                    }
                }
            }
        });
    }

    /** Whether the process accepts connections on its port now. */
    boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(pool.address(), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Stops the process within {@code limit}: the shutdown event the integration middleware answers
     * with 202 (then the application stops gracefully), SIGTERM if it is still running half-way, and
     * a kill at the end.
     */
    void stop(String token, Duration limit) {
        stopping = true;
        pool.close();
        if (!process.isAlive()) {
            return;
        }
        long half = Math.max(1, limit.toMillis() / 2);
        boolean accepted = sendShutdownEvent(token);
        try {
            if (accepted && process.waitFor(half, TimeUnit.MILLISECONDS)) {
                return;
            }
            process.destroy(); // SIGTERM: the same graceful stop, started by the signal
            if (process.waitFor(accepted ? half : 2 * half, TimeUnit.MILLISECONDS)) {
                return;
            }
            log.warn("Process {} on port {} did not stop within {} ms; killing it", process.pid(), port, limit.toMillis());
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private boolean sendShutdownEvent(String token) {
        try (Socket socket = new Socket()) {
            socket.connect(pool.address(), 1_000);
            socket.setSoTimeout(5_000);
            String request = "POST /lanner-integration HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + Forwarder.TOKEN_HEADER + ": " + token + "\r\nLanner-Event: shutdown\r\nContent-Length: 0\r\n"
                    + "Connection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            byte[] status = socket.getInputStream().readNBytes(12);
            String line = new String(status, StandardCharsets.US_ASCII);
            if (line.startsWith("HTTP/1.1 202")) {
                return true;
            }
            log.debug("Process {} answered the shutdown event with '{}'", process.pid(), line);
            return false;
        } catch (IOException e) {
            log.debug("Shutdown event to process {} failed: {}", process.pid(), e.toString());
            return false;
        }
    }
}
