package dev.lanner.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Lending a loop's buffers to its connections, one call at a time, without a loop or a socket. */
class LoopBufferLeaseTest {

    private static final LoopBufferLease.Slot INPUT = new LoopBufferLease.Slot("test-input", true);
    private static final LoopBufferLease.Slot OUTPUT = new LoopBufferLease.Slot("test-output", false);
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final Map<Class<?>, Object> loopLocals = new HashMap<>();
    private final LoopConnection connection = new LoopConnection();
    private final LoopBufferLease lease = new LoopBufferLease(connection, INPUT);

    @Test
    void lendsTheLoopsBufferEmptyWhileTheConnectionHoldsNothing() {
        ByteBuffer lent = lease.lend(NOTHING, 1024);

        assertThat(lent).isNotSameAs(NOTHING);
        assertThat(lent.isDirect()).isTrue();
        assertThat(lent.capacity()).isEqualTo(1024);
        assertThat(lent.hasRemaining()).isFalse();
        assertThat(lease.takeBack(lent, 16)).isSameAs(NOTHING);
    }

    @Test
    void aConnectionThatHoldsBytesUsesItsOwnBuffer() {
        ByteBuffer own = ByteBuffer.wrap(new byte[] {1, 2, 3});

        assertThat(lease.lend(own, 1024)).isSameAs(own);
        assertThat(lease.takeBack(own, 16)).isSameAs(own);
    }

    @Test
    void lendsNothingOffTheLoopThread() {
        connection.inLoop = false;

        assertThat(lease.lend(NOTHING, 1024)).isSameAs(NOTHING);
    }

    @Test
    void leftoversMoveIntoANewHeapBufferOfAtLeastTheLeftoverCapacity() {
        ByteBuffer lent = lease.lend(NOTHING, 1024);
        lent.compact().put(new byte[] {1, 2, 3, 4, 5}).flip();
        lent.get();

        ByteBuffer kept = lease.takeBack(lent, 64);

        assertThat(kept).isNotSameAs(lent);
        assertThat(kept.isDirect()).isFalse();
        assertThat(kept.capacity()).isEqualTo(64);
        assertThat(bytes(kept)).containsExactly(2, 3, 4, 5);
    }

    @Test
    void leftoversThatFitTheConnectionsBufferGoThere() {
        ByteBuffer own = ByteBuffer.allocate(16).flip();
        ByteBuffer lent = lease.lend(own, 1024);
        lent.compact().put(new byte[] {7, 8}).flip();

        ByteBuffer kept = lease.takeBack(lent, 64);

        assertThat(kept).isSameAs(own);
        assertThat(bytes(kept)).containsExactly(7, 8);
    }

    @Test
    void aBufferThatGrewDuringTheCallIsTheConnectionsAlready() {
        lease.lend(NOTHING, 1024);
        ByteBuffer grown = ByteBuffer.wrap(new byte[4096]);

        assertThat(lease.takeBack(grown, 64)).isSameAs(grown);
        // The loop's buffer is free again.
        assertThat(new LoopBufferLease(connection, INPUT).lend(NOTHING, 1024)).isNotSameAs(NOTHING);
    }

    @Test
    void connectionsOfOneLoopShareOneBufferPerSlot() {
        LoopBufferLease other = new LoopBufferLease(new LoopConnection(), INPUT);
        ByteBuffer first = lease.lend(NOTHING, 1024);
        lease.takeBack(first, 64);

        ByteBuffer second = other.lend(NOTHING, 1024);

        assertThat(second).isSameAs(first);
        ByteBuffer output = new LoopBufferLease(connection, OUTPUT).lend(NOTHING, 1024);
        assertThat(output).isNotSameAs(first);
        assertThat(output.isDirect()).isFalse();
    }

    @Test
    void aBufferLentAndNotTakenBackIsNotLentAgain() {
        ByteBuffer first = lease.lend(NOTHING, 1024);

        ByteBuffer nested = new LoopBufferLease(connection, INPUT).lend(NOTHING, 1024);

        assertThat(nested).isSameAs(NOTHING);
        assertThat(lease.takeBack(first, 64)).isSameAs(NOTHING);
    }

    @Test
    void aConnectionThatNeedsMoreThanTheLoopsBufferKeepsItsOwn() {
        lease.takeBack(lease.lend(NOTHING, 1024), 64);

        assertThat(new LoopBufferLease(connection, INPUT).lend(NOTHING, 2048)).isSameAs(NOTHING);
    }

    @Test
    void knowsWhetherABufferIsLentUntilItIsTakenBack() {
        ByteBuffer lent = lease.lend(NOTHING, 1024);

        assertThat(lease.isLent(lent)).isTrue();
        assertThat(lease.isLent(NOTHING)).isFalse();
        assertThat(new LoopBufferLease(connection, INPUT).isLent(lent)).isFalse();
        lease.takeBack(lent, 64);
        assertThat(lease.isLent(lent)).isFalse();
    }

    @Test
    void takingBackWhatWasNotLentChangesNothing() {
        ByteBuffer own = ByteBuffer.allocate(8);

        assertThat(lease.takeBack(own, 64)).isSameAs(own);
    }

    private static byte[] bytes(ByteBuffer flipped) {
        byte[] bytes = new byte[flipped.remaining()];
        flipped.duplicate().get(bytes);
        return bytes;
    }

    /** A connection of the test's loop: only the loop-local values and the thread check are real. */
    private final class LoopConnection implements EventLoopConnection {
        boolean inLoop = true;

        @Override
        public <T> T loopLocal(Class<T> type, Supplier<T> factory) {
            return type.cast(loopLocals.computeIfAbsent(type, k -> factory.get()));
        }

        @Override
        public boolean inEventLoop() {
            return inLoop;
        }

        @Override
        public int readNow(ByteBuffer buffer) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int writeNow(ByteBuffer buffer) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setListener(ReadinessListener listener) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void armRead() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void disarmRead() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void armWrite() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(ByteBuffer buffer) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void write(ByteBuffer... buffers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void shutdownInput() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void shutdownOutput() {
            throw new UnsupportedOperationException();
        }

        @Override
        public SocketAddress localAddress() {
            return null;
        }

        @Override
        public SocketAddress remoteAddress() {
            return null;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
            // nothing to close
        }
    }
}
