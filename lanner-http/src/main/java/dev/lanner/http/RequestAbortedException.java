package dev.lanner.http;

import java.io.IOException;

/** Thrown by body reads and writes after the request was aborted (client disconnect, timeout, shutdown). */
public class RequestAbortedException extends RuntimeException {
    public RequestAbortedException(String message) {
        super(message);
    }

    public RequestAbortedException(String message, IOException cause) {
        super(message, cause);
    }
}
