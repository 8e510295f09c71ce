package dev.lanner.module.site;

/**
 * How an application runs: in a child process the module starts and forwards to, or inside the
 * module's own process. Written {@code "outofprocess"} or {@code "inprocess"} (any case) in the site file.
 */
public enum HostingModel {
    /** A child process started on the first request, watched, restarted, and sent requests over HTTP/1.1. */
    OUT_OF_PROCESS,
    /** Inside the module's JVM (not available yet: the module reports it when the application is requested). */
    IN_PROCESS
}
