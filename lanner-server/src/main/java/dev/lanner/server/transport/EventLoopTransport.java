package dev.lanner.server.transport;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default transport: non-blocking NIO channels driven by event loops (one platform thread
 * per available processor, each with its own {@link Selector}). Connections are
 * {@link EventLoopConnection}s: a protocol may serve them inline on the loop thread, and a
 * virtual thread may use them with blocking calls, parking until the loop reports readiness —
 * so the loop, not a JDK poller, owns the epoll set, and no request pays a thread hand-off
 * unless it needs to block (see docs/decisions/001-io-model.md).
 */
public final class EventLoopTransport implements Transport, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventLoopTransport.class);

    private final EventLoop[] loops;
    private final AtomicInteger next = new AtomicInteger();
    private final int backlog;

    public EventLoopTransport() {
        this(Runtime.getRuntime().availableProcessors(), 1024);
    }

    public EventLoopTransport(int loopCount, int backlog) {
        this.backlog = backlog;
        this.loops = new EventLoop[Math.max(1, loopCount)];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new EventLoop(i);
        }
    }

    @Override
    public TransportListener bind(SocketAddress address) throws IOException {
        for (EventLoop loop : loops) {
            loop.start();
        }
        return ChannelListener.bind(address, backlog, (channel, listenerAddress) -> {
            channel.configureBlocking(false);
            EventLoop loop = loops[Math.floorMod(next.getAndIncrement(), loops.length)];
            return new Connection(channel, loop, listenerAddress);
        });
    }

    @Override
    public void close() {
        for (EventLoop loop : loops) {
            loop.shutdown();
        }
    }

    /** One selector thread. */
    static final class EventLoop implements Runnable {
        private final int index;
        private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private Selector selector;
        private Thread thread;
        private volatile boolean running = true;
        private final java.util.concurrent.atomic.AtomicBoolean wakeupPending = new java.util.concurrent.atomic.AtomicBoolean();
        private final java.util.Map<Class<?>, Object> locals = new java.util.HashMap<>();

        <T> T local(Class<T> type, java.util.function.Supplier<T> factory) {
            if (!inLoop()) {
                throw new IllegalStateException("loop-local values are for the loop thread only");
            }
            return type.cast(locals.computeIfAbsent(type, k -> factory.get()));
        }

        EventLoop(int index) {
            this.index = index;
        }

        synchronized void start() throws IOException {
            if (thread != null) {
                return;
            }
            selector = Selector.open();
            thread = Thread.ofPlatform().daemon().name("lanner-loop-" + index).start(this);
        }

        void shutdown() {
            running = false;
            Selector s = selector;
            if (s != null) {
                s.wakeup();
            }
        }

        boolean inLoop() {
            return Thread.currentThread() == thread;
        }

        /** Runs {@code task} on the loop thread (at once when already there). */
        void execute(Runnable task) {
            if (inLoop()) {
                task.run();
                return;
            }
            tasks.add(task);
            if (wakeupPending.compareAndSet(false, true)) {
                selector.wakeup();
            }
        }

        @Override
        public void run() {
            while (running) {
                try {
                    runTasks();
                    // select(Consumer) hands each ready key straight over: no selected-key set to fill and drain.
                    if (tasks.isEmpty()) {
                        selector.select(this::dispatch);
                    } else {
                        selector.selectNow(this::dispatch);
                    }
                    wakeupPending.set(false);
                } catch (Throwable t) {
                    try {
                        log.error("Event loop {} iteration failed", index, t);
                    } catch (Throwable logging) {
                        // An exhausted heap can fail the log line too; the loop must outlive both.
                    }
                }
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // shutting down
            }
        }

        private void dispatch(SelectionKey key) {
            try {
                ((Connection) key.attachment()).ready(key);
            } catch (RuntimeException e) {
                log.error("Connection callback failed on event loop {}", index, e);
            }
        }

        private void runTasks() {
            Runnable task;
            int budget = 1024;
            while (budget-- > 0 && (task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (Throwable t) {
                    log.error("Event loop task failed", t);
                }
            }
        }
    }

    /** A non-blocking channel on one loop. */
    static final class Connection implements EventLoopConnection {
        private final SocketChannel channel;
        private final EventLoop loop;
        private final SocketAddress local;
        private final SocketAddress remote;
        private SelectionKey key;
        private int interest;
        private volatile ReadinessListener listener;
        private volatile Thread readWaiter;
        private volatile Thread writeWaiter;
        private volatile boolean closed;

        Connection(SocketChannel channel, EventLoop loop, SocketAddress listenerAddress) throws IOException {
            this.channel = channel;
            this.loop = loop;
            SocketAddress l = channel.getLocalAddress();
            this.local = l == null ? listenerAddress : l;
            this.remote = channel.getRemoteAddress();
        }

        /**
         * On the loop: the key is ready. Write interest is one-shot; read interest stays armed while
         * the listener serves inline (re-arming per request would cost two epoll_ctl calls), and is
         * dropped when a parked thread is woken (it re-arms when it blocks again).
         */
        void ready(SelectionKey k) {
            if (!k.isValid()) {
                return;
            }
            int ready = k.readyOps();
            int drop = ready & SelectionKey.OP_WRITE;
            if ((ready & SelectionKey.OP_READ) != 0 && (readWaiter != null || listener == null)) {
                drop |= SelectionKey.OP_READ;
            }
            if (drop != 0) {
                interest &= ~drop;
                k.interestOps(interest);
            }
            if ((ready & SelectionKey.OP_READ) != 0) {
                Thread w = readWaiter;
                if (w != null) {
                    readWaiter = null;
                    LockSupport.unpark(w);
                } else {
                    ReadinessListener l = listener;
                    if (l != null) {
                        l.onReadable();
                    }
                }
            }
            if ((ready & SelectionKey.OP_WRITE) != 0 && k.isValid()) {
                Thread w = writeWaiter;
                if (w != null) {
                    writeWaiter = null;
                    LockSupport.unpark(w);
                } else {
                    ReadinessListener l = listener;
                    if (l != null) {
                        l.onWritable();
                    }
                }
            }
        }

        private void addInterest(int op) {
            if (loop.inLoop()) {
                addInterestInLoop(op);
            } else {
                loop.execute(() -> addInterestInLoop(op));
            }
        }

        private void addInterestInLoop(int op) {
            if (closed) {
                wakeWaiters();
                return;
            }
            try {
                if (key == null) {
                    key = channel.register(loop.selector, op, this);
                    interest = op;
                } else if ((interest & op) != op) {
                    interest |= op;
                    key.interestOps(interest);
                }
            } catch (ClosedChannelException | java.nio.channels.CancelledKeyException e) {
                closed = true;
                wakeWaiters();
            }
        }

        private void wakeWaiters() {
            Thread r = readWaiter;
            Thread w = writeWaiter;
            readWaiter = null;
            writeWaiter = null;
            if (r != null) {
                LockSupport.unpark(r);
            }
            if (w != null) {
                LockSupport.unpark(w);
            }
            ReadinessListener l = listener;
            if (l != null) {
                l.onClosed();
            }
        }

        @Override
        public int readNow(ByteBuffer buffer) throws IOException {
            return channel.read(buffer);
        }

        @Override
        public int writeNow(ByteBuffer buffer) throws IOException {
            return channel.write(buffer);
        }

        @Override
        public void setListener(ReadinessListener listener) {
            this.listener = listener;
        }

        @Override
        public void armRead() {
            addInterest(SelectionKey.OP_READ);
        }

        @Override
        public void armWrite() {
            addInterest(SelectionKey.OP_WRITE);
        }

        @Override
        public void disarmRead() {
            if (loop.inLoop()) {
                removeReadInterest();
            } else {
                loop.execute(this::removeReadInterest);
            }
        }

        private void removeReadInterest() {
            if (key != null && key.isValid() && (interest & SelectionKey.OP_READ) != 0) {
                interest &= ~SelectionKey.OP_READ;
                key.interestOps(interest);
            }
        }

        @Override
        public boolean inEventLoop() {
            return loop.inLoop();
        }

        @Override
        public <T> T loopLocal(Class<T> type, java.util.function.Supplier<T> factory) {
            return loop.local(type, factory);
        }

        @Override
        public void execute(Runnable task) {
            loop.execute(task);
        }

        @Override
        public EventLoopConnection adopt(SocketChannel other) throws IOException {
            other.configureBlocking(false);
            return new Connection(other, loop, null);
        }

        @Override
        public int read(ByteBuffer buffer) throws IOException {
            while (true) {
                int n = channel.read(buffer);
                if (n != 0 || !buffer.hasRemaining()) {
                    return n;
                }
                if (loop.inLoop()) {
                    throw new IllegalStateException("blocking read on the event loop thread");
                }
                readWaiter = Thread.currentThread();
                addInterest(SelectionKey.OP_READ);
                while (readWaiter != null && !closed) {
                    LockSupport.park(this);
                }
                readWaiter = null;
                if (closed) {
                    throw new ClosedChannelException();
                }
            }
        }

        @Override
        public void write(ByteBuffer... buffers) throws IOException {
            for (ByteBuffer b : buffers) {
                while (b.hasRemaining()) {
                    if (channel.write(b) == 0) {
                        if (loop.inLoop()) {
                            throw new IllegalStateException("blocking write on the event loop thread");
                        }
                        writeWaiter = Thread.currentThread();
                        addInterest(SelectionKey.OP_WRITE);
                        while (writeWaiter != null && !closed) {
                            LockSupport.park(this);
                        }
                        writeWaiter = null;
                        if (closed) {
                            throw new ClosedChannelException();
                        }
                    }
                }
            }
        }

        @Override
        public void shutdownInput() throws IOException {
            channel.shutdownInput();
            // The loop sees end of stream only if a read is armed; a parked reader must wake either way.
            addInterest(SelectionKey.OP_READ);
        }

        @Override
        public void shutdownOutput() throws IOException {
            channel.shutdownOutput();
        }

        @Override
        public SocketAddress localAddress() {
            return local;
        }

        @Override
        public SocketAddress remoteAddress() {
            return remote;
        }

        @Override
        public boolean isOpen() {
            return !closed && channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                channel.close();
            } finally {
                loop.execute(() -> {
                    if (key != null) {
                        key.cancel();
                    }
                    wakeWaiters();
                });
            }
        }
    }
}
