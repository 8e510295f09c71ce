package dev.lanner.server.transport;

/** Called on the event loop thread when an armed interest becomes ready. Must not block. */
public interface ReadinessListener {
    void onReadable();

    void onWritable();

    /** The connection was closed (by either side or by the server). */
    void onClosed();
}
