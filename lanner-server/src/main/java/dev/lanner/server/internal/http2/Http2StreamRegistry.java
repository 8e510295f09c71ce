package dev.lanner.server.internal.http2;

import dev.lanner.server.diagnostics.ServerObserver;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The streams of one connection (RFC 9113 §5.1): the open ones by id, the highest id the client used
 * (every lower unused id is closed, §5.1.1), the concurrency limit (§5.1.2) counting streams reset
 * while their application still runs (which bounds rapid reset, CVE-2023-44487), and a bounded memory
 * of closed streams to tell a frame on a closed stream (STREAM_CLOSED), one on a stream the server
 * reset (ignored, §5.4.2) and one on a stream never opened (PROTOCOL_ERROR) apart. The reader thread
 * opens streams; the reader and the streams' application threads close them, so every method is safe
 * from any thread.
 */
final class Http2StreamRegistry {

    /** Closed stream ids remembered as reset by the server. */
    static final int REMEMBERED_CLOSED = 512;
    /** Ranges of skipped (never opened, hence closed) ids remembered. */
    private static final int REMEMBERED_SKIPS = 64;

    /** What a frame's stream id refers to, for a frame that finds no open stream. */
    enum Inactive {
        /** Above every id the client used: §5.1 "idle". */
        IDLE,
        /** Closed after the server reset it: frames in flight are ignored (§5.4.2). */
        RESET_BY_SERVER,
        /** Opened and closed: STREAM_CLOSED (§5.1 "closed"). */
        CLOSED,
        /** Skipped by the client, so closed without ever opening: PROTOCOL_ERROR (§5.1.1). */
        NEVER_OPENED
    }

    private final Map<Integer, Http2Stream> open = new ConcurrentHashMap<>();
    private final AtomicInteger resetButRunning = new AtomicInteger();
    private final int maxConcurrent;
    private final LinkedHashSet<Integer> resetByServer = new LinkedHashSet<>();
    private final ArrayDeque<int[]> skipped = new ArrayDeque<>();
    private volatile int highestStreamId;
    /** Told of every stream that enters and leaves the open set (the active-streams gauge). */
    private final ServerObserver observer;

    Http2StreamRegistry(int maxConcurrent) {
        this(maxConcurrent, ServerObserver.NONE);
    }

    Http2StreamRegistry(int maxConcurrent, ServerObserver observer) {
        this.maxConcurrent = maxConcurrent;
        this.observer = observer;
    }

    /** The highest stream id the client has used (0 before the first). */
    int highestStreamId() {
        return highestStreamId;
    }

    /** Whether {@code streamId} is above every id used so far (§5.1 "idle"). */
    boolean isIdle(int streamId) {
        return streamId > highestStreamId;
    }

    /** The open stream with this id, or null. */
    Http2Stream get(int streamId) {
        return open.get(streamId);
    }

    Collection<Http2Stream> openStreams() {
        return open.values();
    }

    boolean isEmpty() {
        return open.isEmpty();
    }

    /**
     * The client used {@code streamId}, above every earlier id (reader thread): the ids it skipped are
     * remembered as never opened.
     */
    void claim(int streamId) {
        int previous = highestStreamId;
        if (streamId > previous + 2) {
            synchronized (this) {
                skipped.add(new int[] {previous + 2, streamId - 2});
                if (skipped.size() > REMEMBERED_SKIPS) {
                    skipped.poll();
                }
            }
        }
        highestStreamId = streamId;
    }

    /** Whether one more stream exceeds SETTINGS_MAX_CONCURRENT_STREAMS (§5.1.2). */
    boolean atConcurrencyLimit() {
        return open.size() + resetButRunning.get() >= maxConcurrent;
    }

    /** Adds an opened stream. */
    void add(Http2Stream stream) {
        open.put(stream.id, stream);
        observer.http2StreamOpened();
    }

    /** Removes a stream that is over on the wire; false when it was already gone. */
    boolean remove(Http2Stream stream) {
        if (open.remove(stream.id, stream)) {
            observer.http2StreamClosed();
            return true;
        }
        return false;
    }

    /** The connection closed: every stream still open leaves the set (each reported closed once). */
    void removeAll() {
        for (Http2Stream stream : open.values()) {
            remove(stream);
        }
    }

    /** A removed stream was reset while its application runs: it counts against the limit until it returns. */
    void countRunningAfterReset() {
        resetButRunning.incrementAndGet();
    }

    /** A stream counted by {@link #countRunningAfterReset} has returned. */
    void applicationReturnedAfterReset() {
        resetButRunning.decrementAndGet();
    }

    /** The server reset (or refused) {@code streamId}: its late frames are ignored. */
    synchronized void resetByServer(int streamId) {
        resetByServer.add(streamId);
        if (resetByServer.size() > REMEMBERED_CLOSED) {
            resetByServer.remove(resetByServer.iterator().next());
        }
    }

    /** What {@code streamId} is when no open stream has it. */
    synchronized Inactive classify(int streamId) {
        if (isIdle(streamId)) {
            return Inactive.IDLE;
        }
        if (resetByServer.contains(streamId)) {
            return Inactive.RESET_BY_SERVER;
        }
        if ((streamId & 1) == 0) {
            return Inactive.NEVER_OPENED;
        }
        for (int[] range : skipped) {
            if (streamId >= range[0] && streamId <= range[1]) {
                return Inactive.NEVER_OPENED;
            }
        }
        return Inactive.CLOSED;
    }
}
