package dev.lanner.http;

/** Handles a request. Code may block: requests run on virtual threads. */
@FunctionalInterface
public interface RequestDelegate {
    void invoke(HttpContext context) throws Exception;
}
