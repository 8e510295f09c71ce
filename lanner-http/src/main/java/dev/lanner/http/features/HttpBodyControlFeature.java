package dev.lanner.http.features;

/**
 * Whether blocking reads and writes are allowed. Requests run on virtual threads, so the default is
 * {@code true}; an application running inline on an I/O thread turns it off to catch accidental blocking.
 */
public interface HttpBodyControlFeature {
    boolean allowSynchronousIO();
    void setAllowSynchronousIO(boolean allow);
}
