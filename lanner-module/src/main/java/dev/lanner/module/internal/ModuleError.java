package dev.lanner.module.internal;

/**
 * Each way the module can fail to serve an application's request, with its status and page title.
 * Responses carry {@code Lanner-Module-Error: <code>} so a client or a test tells them apart even
 * where statuses are shared.
 */
public enum ModuleError {
    /** The process could not be run, or exited before it opened its port. */
    START_FAILURE(502, "start-failure", "The application could not start"),
    /** The process did not open its port within {@code startupTimeLimit}. */
    STARTUP_TIME_LIMIT(503, "startup-time-limit", "The application did not start in time"),
    /** More than {@code rapidFailsPerMinute} failures in a minute: not restarted until the site file changes. */
    RAPID_FAIL_LIMIT(503, "rapid-fail-limit", "The application keeps failing and was stopped"),
    /** The process ended (crashed, was killed) while the request was in flight. */
    CRASHED(502, "crashed", "The application's process ended while serving this request"),
    /** The process answered with something that is not HTTP/1.1. */
    BAD_RESPONSE(502, "bad-response", "The application sent an invalid response"),
    /** No response within {@code requestTimeout}. */
    GATEWAY_TIMEOUT(504, "gateway-timeout", "The application did not answer in time"),
    /** {@code app_offline.htm} is present (served as the page when it has content). */
    OFFLINE(503, "offline", "The application is offline");

    private final int status;
    private final String code;
    private final String title;

    ModuleError(int status, String code, String title) {
        this.status = status;
        this.code = code;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }
}
