package dev.lanner.server.internal.http2;

import dev.lanner.http.BadHttpRequestException;
import dev.lanner.http.RequestAbortedException;
import dev.lanner.http.features.MinDataRate;
import dev.lanner.http.server.core.DataRateMeter;
import dev.lanner.server.diagnostics.RejectionReason;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * One stream's request body: the DATA octets the reader thread received and the application has not
 * read yet, read as an {@link InputStream} by the application's thread (which waits for more), with
 * the body's size limit (413) and minimum data rate (408, Kestrel's: the clock, a {@link DataRateMeter},
 * runs only while the application waits, and the heartbeat advances it). Received octets count against
 * the windows until read; {@link Http2Stream#onBodyConsumed} gives them back. The buffer is guarded by
 * this object's monitor.
 */
final class Http2RequestBody extends InputStream {

    private static final byte[] NO_BYTES = new byte[0];

    private final Http2Stream stream;
    /** The rate clock, made when the application first reads or waits (a GET's body never needs one). */
    private volatile DataRateMeter meter;
    private byte[] buffer = NO_BYTES;
    private int start;
    private int end;
    /** The end of the body arrived (END_STREAM): the reader thread sets it under the monitor. */
    private boolean complete;
    /** Octets received so far (reader thread). */
    private long received;
    /** More arrived than the size limit allows: the next read fails with 413. */
    private volatile boolean tooLarge;
    /** Arriving below the minimum rate: the next read that would wait fails with 408. */
    private volatile boolean tooSlow;
    private boolean readStarted;
    /** The application's thread reported the body's rejection. */
    private boolean rejectionReported;

    Http2RequestBody(Http2Stream stream) {
        this.stream = stream;
    }

    // --- the reader thread ---

    /** Appends received octets and wakes the application if it waits. */
    synchronized void append(byte[] src, int off, int len) {
        received += len;
        if (len == 0) {
            return;
        }
        if (end + len > buffer.length) {
            int live = end - start;
            if (live + len <= buffer.length && start > 0) {
                System.arraycopy(buffer, start, buffer, 0, live);
            } else {
                byte[] bigger = new byte[Math.max(live + len, Math.max(4096, buffer.length * 2))];
                System.arraycopy(buffer, start, bigger, 0, live);
                buffer = bigger;
            }
            start = 0;
            end = live;
        }
        System.arraycopy(src, off, buffer, end, len);
        end += len;
        notifyAll();
    }

    /**
     * END_STREAM on the request's HEADERS: there is no body. Nobody reads yet (the application runs
     * after this, on this thread or one started after it), so no lock or wake-up is needed.
     */
    void endWithoutBody() {
        complete = true;
    }

    /** The body is complete (END_STREAM): a waiting read returns what is left, then -1. */
    synchronized void end() {
        complete = true;
        notifyAll();
    }

    /** Octets received so far (reader thread). */
    long received() {
        return received;
    }

    /** Wakes a reader blocked on the body (reset, connection gone). */
    synchronized void wake() {
        notifyAll();
    }

    /** Octets received and not read. */
    synchronized int buffered() {
        return end - start;
    }

    void markTooLarge() {
        tooLarge = true;
    }

    /** Whether the application has started reading (the size limit is then read-only). */
    boolean readStarted() {
        return readStarted;
    }

    // --- the heartbeat ---

    /**
     * Advances the rate clock by {@code deltaNanos} when the application waits; when the body is then
     * below {@code rate}, the waiting read fails with 408.
     */
    void tick(long deltaNanos, MinDataRate rate) {
        DataRateMeter m = meter;
        if (m != null && m.tick(deltaNanos, rate)) {
            tooSlow = true;
            wake();
        }
    }

    /**
     * A body the server collects before an inline run (nobody reads it yet): whether it has been
     * arriving below {@code rate} for the {@code elapsedNanos} since the stream opened. If so, the
     * application's first wait for data fails with 408.
     */
    boolean collectedBelowRate(MinDataRate rate, long elapsedNanos) {
        if (rate == null || !DataRateMeter.isBelow(rate, received, elapsedNanos)) {
            return false;
        }
        tooSlow = true;
        return true;
    }

    // --- the application's thread ---

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        // Drift rule: with AllowSynchronousIO off, every read is refused, not only one that would wait.
        stream.checkSynchronousIO();
        if (len == 0) {
            return 0;
        }
        readStarted = true;
        int n;
        synchronized (this) {
            if (tooLarge) {
                throw rejected(RejectionReason.REQUEST_BODY_TOO_LARGE, "Request body too large", 413);
            }
            while (end == start) {
                if (stream.isReset()) {
                    throw new RequestAbortedException("the request was reset");
                }
                if (complete) {
                    return -1;
                }
                await();
            }
            n = Math.min(len, end - start);
            System.arraycopy(buffer, start, b, off, n);
            start += n;
            if (start == end) {
                start = 0;
                end = 0;
            }
        }
        meter().addBytes(n);
        stream.onBodyConsumed(n);
        return n;
    }

    private void await() throws IOException {
        if (tooSlow) {
            throw rejected(RejectionReason.MIN_REQUEST_BODY_DATA_RATE,
                    "Reading the request body timed out due to data arriving too slowly", 408);
        }
        DataRateMeter m = meter();
        m.startWaiting();
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the request body");
        } finally {
            m.stopWaiting();
        }
        if (tooSlow && end == start && !complete && !stream.isReset()) {
            throw rejected(RejectionReason.MIN_REQUEST_BODY_DATA_RATE,
                    "Reading the request body timed out due to data arriving too slowly", 408);
        }
    }

    /** The body is refused: reported and logged once (a later read fails the same way, silently). */
    private BadHttpRequestException rejected(RejectionReason reason, String message, int statusCode) {
        if (!rejectionReported) {
            rejectionReported = true;
            stream.connection.trace().rejected(stream.connection.connectionId(), reason,
                    "stream " + stream.id + ": " + statusCode + " " + message);
        }
        return new BadHttpRequestException(message, statusCode);
    }

    private DataRateMeter meter() {
        DataRateMeter m = meter;
        if (m == null) {
            m = new DataRateMeter();
            meter = m;
        }
        return m;
    }

    @Override
    public int available() {
        return buffered();
    }
}
