package dev.lanner.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lanner.server.internal.infrastructure.ThreadNicenessProbe;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The threads that run the handshakes' key exchanges (docs/decisions/017-tls-handshakes-at-lower-priority.md). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TlsHandshakeWorkersTest {

    @Test
    void runTheHandshakeTasksTenNiceLevelsBelowTheServersThreads() throws Exception {
        assumeTrue(ThreadNicenessProbe.available(), "Linux's /proc/thread-self and renice(1)");
        int serverThreads = ThreadNicenessProbe.currentThreadNice();
        CompletableFuture<Integer> workerNice = new CompletableFuture<>();
        TlsConnectionMiddleware.HandshakeWorkers.POOL.execute(() -> {
            try {
                // The renice runs beside the worker's first task: wait for it, up to 10 s.
                int want = Math.min(19, serverThreads + TlsConnectionMiddleware.HandshakeWorkers.NICE_INCREMENT);
                int nice = ThreadNicenessProbe.currentThreadNice();
                for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                        nice != want && System.nanoTime() < deadline; nice = ThreadNicenessProbe.currentThreadNice()) {
                    Thread.sleep(10);
                }
                workerNice.complete(nice);
            } catch (Exception e) {
                workerNice.completeExceptionally(e);
            }
        });
        assertThat(workerNice.get(20, TimeUnit.SECONDS)).isEqualTo(Math.min(19, serverThreads + 10));
    }
}
