package dev.lanner.http;

/** A pipeline step: does its work and calls (or, to short-circuit, does not call) {@code next}. */
@FunctionalInterface
public interface Middleware {
    void invoke(HttpContext context, RequestDelegate next) throws Exception;
}
