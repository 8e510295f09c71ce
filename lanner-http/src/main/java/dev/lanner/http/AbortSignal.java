package dev.lanner.http;

/** Tells whether an operation was aborted and runs callbacks when it is. See {@link AbortController}. */
public interface AbortSignal {

    boolean isAborted();

    /**
     * Runs {@code callback} once when the signal fires (at once, on the caller's thread, if it already
     * has). The returned handle unregisters it.
     */
    AutoCloseable onAbort(Runnable callback);

    /** @throws RequestAbortedException when aborted */
    default void throwIfAborted() {
        if (isAborted()) {
            throw new RequestAbortedException("the request was aborted");
        }
    }

    /** A signal that never fires. */
    AbortSignal NONE = new AbortSignal() {
        @Override
        public boolean isAborted() {
            return false;
        }

        @Override
        public AutoCloseable onAbort(Runnable callback) {
            return () -> { };
        }
    };
}
