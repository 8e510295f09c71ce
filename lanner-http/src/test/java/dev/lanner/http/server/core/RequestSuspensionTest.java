package dev.lanner.http.server.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestSuspensionTest {

    private final List<Throwable> resumed = new ArrayList<>();
    private final RequestSuspension suspension = new RequestSuspension(failure -> resumed.add(failure == null ? new Done() : failure));

    private static final class Done extends RuntimeException {
    }

    @Test
    void notSuspendedUnlessAsked() {
        assertThat(suspension.suspended()).isFalse();
    }

    @Test
    void aCompletionAfterTheApplicationReturnedResumesOnce() {
        var completion = suspension.suspend();
        assertThat(suspension.suspended()).isTrue();
        assertThat(suspension.park("ctx")).isTrue();
        assertThat(resumed).isEmpty();
        completion.complete(null);
        assertThat(resumed).singleElement().isInstanceOf(Done.class);
        assertThat(suspension.context()).isEqualTo("ctx");
        assertThatThrownBy(() -> completion.complete(null)).isInstanceOf(IllegalStateException.class);
        assertThat(resumed).hasSize(1);
    }

    @Test
    void aCompletionBeforeTheApplicationReturnedIsAppliedThenWithItsFailure() {
        var completion = suspension.suspend();
        IllegalStateException failure = new IllegalStateException("boom");
        completion.complete(failure);
        assertThat(suspension.park("ctx")).isFalse();
        assertThat(suspension.earlyFailure()).isSameAs(failure);
        assertThat(resumed).isEmpty();
    }

    @Test
    void suspendingTwiceIsAnErrorAndResetAllowsTheNextRequest() {
        suspension.suspend();
        assertThatThrownBy(suspension::suspend).isInstanceOf(IllegalStateException.class);
        suspension.reset();
        assertThat(suspension.suspended()).isFalse();
        suspension.suspend();
        assertThat(suspension.suspended()).isTrue();
    }

    @Test
    void completingWhatWasNeverSuspendedIsAnError() {
        assertThatThrownBy(() -> suspension.complete(null)).isInstanceOf(IllegalStateException.class);
    }
}
