package dev.lanner.http.features;

/** A callback registered with {@link HttpResponseFeature#onStarting} or {@link HttpResponseFeature#onCompleted}. */
@FunctionalInterface
public interface ResponseCallback {
    void run() throws Exception;
}
