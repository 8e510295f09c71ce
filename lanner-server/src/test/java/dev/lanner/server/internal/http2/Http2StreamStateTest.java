package dev.lanner.server.internal.http2;

import static dev.lanner.server.internal.http2.Http2StreamState.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The stream state machine of RFC 9113 §5.1, as far as a server that never pushes goes. */
class Http2StreamStateTest {

    @Test
    void headersOpenAnIdleStreamOrHalfCloseItWithEndStream() {
        assertThat(IDLE.onHeadersReceived(false)).isEqualTo(OPEN);
        assertThat(IDLE.onHeadersReceived(true)).isEqualTo(HALF_CLOSED_REMOTE);
        assertThatThrownBy(() -> OPEN.onHeadersReceived(false)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void endStreamEachWayClosesTheStreamInEitherOrder() {
        assertThat(OPEN.onEndStreamReceived().onEndStreamSent()).isEqualTo(CLOSED);
        assertThat(OPEN.onEndStreamSent().onEndStreamReceived()).isEqualTo(CLOSED);
        assertThat(OPEN.onEndStreamReceived()).isEqualTo(HALF_CLOSED_REMOTE);
        assertThat(OPEN.onEndStreamSent()).isEqualTo(HALF_CLOSED_LOCAL);
    }

    @Test
    void aSideCannotEndTwiceNorAClosedStreamMove() {
        assertThatThrownBy(HALF_CLOSED_REMOTE::onEndStreamReceived).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(HALF_CLOSED_LOCAL::onEndStreamSent).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(CLOSED::onEndStreamReceived).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(CLOSED::onEndStreamSent).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(IDLE::onEndStreamReceived).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void resetClosesAnyStreamButAnIdleOne() {
        for (Http2StreamState state : new Http2StreamState[] {OPEN, HALF_CLOSED_LOCAL, HALF_CLOSED_REMOTE, CLOSED}) {
            assertThat(state.onReset()).isEqualTo(CLOSED);
        }
        assertThatThrownBy(IDLE::onReset).isInstanceOf(IllegalStateException.class); // §6.4
    }

    @Test
    void whoMayStillSend() {
        assertThat(OPEN.canReceive()).isTrue();
        assertThat(HALF_CLOSED_LOCAL.canReceive()).isTrue();
        assertThat(HALF_CLOSED_REMOTE.canReceive()).isFalse();
        assertThat(CLOSED.canReceive()).isFalse();
        assertThat(HALF_CLOSED_REMOTE.canSend()).isTrue();
        assertThat(HALF_CLOSED_LOCAL.canSend()).isFalse();
        assertThat(HALF_CLOSED_REMOTE.remoteEnded()).isTrue();
        assertThat(HALF_CLOSED_LOCAL.localEnded()).isTrue();
        assertThat(OPEN.remoteEnded()).isFalse();
    }
}
