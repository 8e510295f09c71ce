package dev.lanner.server.internal.http2;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The per-connection flood budgets (RFC 9113 §10.5): a burst is allowed, then a rate; the time is the caller's. */
class Http2FloodBudgetsTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void resetBurstIsAllowedAndTheNextResetIsEnhanceYourCalm() throws Exception {
        Http2FloodBudgets budgets = new Http2FloodBudgets(3, 1, 10, 1);
        for (int i = 0; i < 3; i++) {
            budgets.spendReset(SECOND, "resets");
        }
        assertThatThrownBy(() -> budgets.spendReset(SECOND, "resets")).isInstanceOf(Http2ConnectionException.class)
                .extracting(e -> ((Http2ConnectionException) e).errorCode()).isEqualTo(Http2ErrorCode.ENHANCE_YOUR_CALM);
    }

    @Test
    void budgetsRefillWithTime() throws Exception {
        Http2FloodBudgets budgets = new Http2FloodBudgets(2, 1, 2, 10);
        budgets.spendControlFrame(SECOND, "PING frames");
        budgets.spendControlFrame(SECOND, "PING frames");
        // A tenth of a second later one more frame is allowed (10 per second), and no more.
        budgets.spendControlFrame(SECOND + SECOND / 10, "PING frames");
        assertThatThrownBy(() -> budgets.spendControlFrame(SECOND + SECOND / 10, "PING frames"))
                .isInstanceOf(Http2ConnectionException.class);
    }

    @Test
    void resetsAndControlFramesHaveSeparateBudgets() throws Exception {
        Http2FloodBudgets budgets = new Http2FloodBudgets(1, 1, 1, 1);
        budgets.spendReset(SECOND, "resets");
        assertThatCode(() -> budgets.spendControlFrame(SECOND, "SETTINGS frames")).doesNotThrowAnyException();
    }

    @Test
    void continuationFramesPerBlockAreCapped() throws Exception {
        Http2FloodBudgets.checkContinuation(Http2FloodBudgets.MAX_CONTINUATION_FRAMES);
        assertThatThrownBy(() -> Http2FloodBudgets.checkContinuation(Http2FloodBudgets.MAX_CONTINUATION_FRAMES + 1))
                .isInstanceOf(Http2ConnectionException.class);
    }
}
