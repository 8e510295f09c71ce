package dev.lanner.server.diagnostics;

import java.util.ArrayList;
import java.util.List;

/** A {@link ServerObserver} that keeps every event as a line of text, in order; safe from any thread. */
public final class RecordingObserver implements ServerObserver {

    private final List<String> events = new ArrayList<>();

    private synchronized void add(String event) {
        events.add(event);
    }

    /** The events so far. */
    public synchronized List<String> events() {
        return List.copyOf(events);
    }

    /** The events starting with {@code prefix}. */
    public synchronized List<String> events(String prefix) {
        return events.stream().filter(e -> e.startsWith(prefix)).toList();
    }

    @Override public void connectionQueued() { add("queued"); }
    @Override public void connectionStarted(String connectionId) { add("started " + connectionId); }

    @Override
    public void connectionEnded(String connectionId, String protocolVersion, long durationNanos) {
        add("ended " + connectionId + " " + protocolVersion + (durationNanos >= 0 ? "" : " negative duration"));
    }

    @Override public void tlsHandshakeStarted() { add("tls started"); }

    @Override
    public void tlsHandshakeEnded(String tlsProtocol, long durationNanos) {
        add("tls ended " + tlsProtocol + (durationNanos >= 0 ? "" : " negative duration"));
    }

    @Override public void http2StreamOpened() { add("stream opened"); }
    @Override public void http2StreamClosed() { add("stream closed"); }
    @Override public void rejected(String connectionId, RejectionReason reason) { add("rejected " + connectionId + " " + reason); }
}
