package dev.lanner.http.features;

import dev.lanner.http.HttpHeaders;

/** The response head. Every server supplies this feature. */
public interface HttpResponseFeature {
    int statusCode();
    void setStatusCode(int statusCode);

    /** A custom reason phrase, or {@code null} for the standard one. */
    String reasonPhrase();
    void setReasonPhrase(String reasonPhrase);

    HttpHeaders headers();
    void setHeaders(HttpHeaders headers);

    /** True once the head has been sent (or committed to be sent); status and headers are then read-only. */
    boolean hasStarted();

    /** Registers a callback run just before the head is sent; callbacks run in reverse registration order. */
    void onStarting(ResponseCallback callback);

    /** Registers a callback run after the response has been sent completely (or the request failed). */
    void onCompleted(ResponseCallback callback);
}
