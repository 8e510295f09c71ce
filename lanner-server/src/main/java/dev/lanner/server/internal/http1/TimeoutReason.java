package dev.lanner.server.internal.http1;

/** Why the heartbeat ended a connection's wait, as the connection loop reads it afterwards. */
enum TimeoutReason {
    REQUEST_HEADERS("request headers timeout"),
    KEEP_ALIVE("keep-alive timeout"),
    REQUEST_BODY_RATE("request body data rate"),
    RESPONSE_RATE("response data rate"),
    STOPPING("server stopping");

    private final String description;

    TimeoutReason(String description) {
        this.description = description;
    }

    @Override
    public String toString() {
        return description;
    }
}
