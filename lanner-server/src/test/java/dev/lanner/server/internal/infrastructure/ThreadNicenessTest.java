package dev.lanner.server.internal.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadNicenessTest {

    @Test
    void readsTheNiceValueAfterACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (lanner (tls) 1) S 1 4242 4242 0 -1 4194368 120 0 0 0 7 3 0 0 30 10 1 0 99 "
                + "4096000 300 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0";
        assertThat(ThreadNiceness.niceInStat(stat)).isEqualTo(10);
    }

    @Test
    void raisesTheCallingThreadsNiceValueByTheIncrement() throws Exception {
        assumeLinuxWithRenice();
        int[] nice = onNewThread(() -> {
            long tid = ThreadNiceness.currentThreadId();
            int before = ThreadNiceness.niceOf(tid);
            boolean lowered = ThreadNiceness.lowerCurrentThread(3).get(10, TimeUnit.SECONDS);
            return new int[] {before, ThreadNiceness.niceOf(tid), lowered ? 1 : 0};
        });
        assertThat(nice[2]).isEqualTo(1);
        assertThat(nice[1]).isEqualTo(Math.min(ThreadNiceness.MAX_NICE, nice[0] + 3));
    }

    @Test
    void changesOnlyTheCallingThread() throws Exception {
        assumeLinuxWithRenice();
        long main = ThreadNiceness.currentThreadId();
        int mainBefore = ThreadNiceness.niceOf(main);
        onNewThread(() -> ThreadNiceness.lowerCurrentThread(2).get(10, TimeUnit.SECONDS) ? new int[0] : null);
        assertThat(ThreadNiceness.niceOf(main)).isEqualTo(mainBefore);
    }

    @Test
    void stopsAtNineteen() throws Exception {
        assumeLinuxWithRenice();
        int[] nice = onNewThread(() -> {
            ThreadNiceness.lowerCurrentThread(40).get(10, TimeUnit.SECONDS);
            return new int[] {ThreadNiceness.niceOf(ThreadNiceness.currentThreadId())};
        });
        assertThat(nice[0]).isEqualTo(19);
    }

    @Test
    void anIncrementOfZeroLeavesThePriority() throws Exception {
        assertThat(ThreadNiceness.lowerCurrentThread(0).get(10, TimeUnit.SECONDS)).isFalse();
    }

    interface ThreadWork {
        int[] run() throws Exception;
    }

    /** Runs {@code work} on a new platform thread, so that this test's own thread keeps its nice value. */
    static int[] onNewThread(ThreadWork work) throws Exception {
        CompletableFuture<int[]> result = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().start(() -> {
            try {
                result.complete(work.run());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        thread.join(TimeUnit.SECONDS.toMillis(20));
        return result.get(1, TimeUnit.SECONDS);
    }

    static void assumeLinuxWithRenice() {
        assumeTrue(ThreadNicenessProbe.available(), "Linux's /proc/thread-self and renice(1)");
    }
}
