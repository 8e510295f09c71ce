package dev.lanner.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Queues events and writes them from one background thread in batches: at most one write (one system call)
 * per {@link #BATCH_INTERVAL_NANOS} under load, one per event when events are rare. Never blocks the
 * logging thread: an event that finds the queue full is dropped and counted ({@link #dropped()}).
 *
 * <p>Why not Logback's {@code AsyncAppender} (measured, decision 010): it wakes its worker for each event
 * that finds it waiting and its downstream appender writes (and flushes) each event on its own, so under
 * plaintext load a request line cost a thread hand-off and a {@code write} system call per request on the
 * server's core. Here the worker, once woken, waits a millisecond for the burst to gather; producers meanwhile
 * only enqueue (nobody waits on the queue, so nobody is signalled). After events were dropped, the next batch
 * ends with a warning line saying how many.
 */
final class BatchingAsyncAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    /** How long the worker lets events gather after the first one before writing them together. */
    static final long BATCH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** How long {@link #stop()} waits for the worker to write what is queued. */
    private static final long STOP_WAIT_MILLIS = 1_000;

    private final ArrayBlockingQueue<ILoggingEvent> queue;
    private final Encoder<ILoggingEvent> encoder;
    private final OutputStream out;
    private final AtomicLong dropped = new AtomicLong();
    private volatile Thread worker;
    /** Drops already reported in the output; the worker's own. */
    private long reported;

    /**
     * @param capacity events waiting to be written before new ones are dropped
     * @param encoder  a started encoder; it is used by the worker thread only
     * @param out      where batches go; flushed after each batch, never closed
     */
    BatchingAsyncAppender(int capacity, Encoder<ILoggingEvent> encoder, OutputStream out) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.encoder = encoder;
        this.out = out;
    }

    /** Events dropped because the queue was full. */
    long dropped() {
        return dropped.get();
    }

    int capacity() {
        return queue.remainingCapacity() + queue.size();
    }

    @Override
    public void start() {
        super.start();
        worker = Thread.ofPlatform().daemon().name("lanner-log-" + getName()).start(this::writeBatches);
    }

    @Override
    protected void append(ILoggingEvent event) {
        event.prepareForDeferredProcessing(); // message, thread name and MDC as they are now, on this thread
        if (!queue.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        Thread running = worker;
        running.interrupt();
        try {
            running.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A line in the same format saying how many events were dropped since the last such line. */
    private ILoggingEvent droppedNotice(ILoggingEvent last, long lost) {
        LoggerContext context = (LoggerContext) getContext();
        return new LoggingEvent(BatchingAsyncAppender.class.getName(), context.getLogger(last.getLoggerName()), Level.WARN,
                "{} log lines dropped: the queue was full", null, new Object[] {lost});
    }

    private void writeBatches() {
        List<ILoggingEvent> batch = new ArrayList<>();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(8192);
        while (isStarted()) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException stopping) {
                break;
            }
            LockSupport.parkNanos(BATCH_INTERVAL_NANOS);
            queue.drainTo(batch);
            write(batch, buffer);
        }
        queue.drainTo(batch);
        write(batch, buffer);
    }

    private void write(List<ILoggingEvent> batch, ByteArrayOutputStream buffer) {
        if (batch.isEmpty()) {
            return;
        }
        for (ILoggingEvent event : batch) {
            buffer.writeBytes(encoder.encode(event));
        }
        long lost = dropped.get() - reported;
        if (lost > 0) {
            reported += lost;
            buffer.writeBytes(encoder.encode(droppedNotice(batch.getLast(), lost)));
        }
        batch.clear();
        try {
            buffer.writeTo(out);
            out.flush();
        } catch (IOException e) {
            addError("Writing " + buffer.size() + " bytes of log lines failed", e);
        } finally {
            buffer.reset();
        }
    }
}
