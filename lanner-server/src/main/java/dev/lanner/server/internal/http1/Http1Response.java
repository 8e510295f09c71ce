package dev.lanner.server.internal.http1;

import dev.lanner.http.HttpHeaders;
import dev.lanner.http.features.HttpMinResponseDataRateFeature;
import dev.lanner.http.features.HttpResponseTrailersFeature;
import dev.lanner.http.features.MinDataRate;
import dev.lanner.http.server.core.ResponseCallbacks;
import dev.lanner.http.server.core.ResponseState;

/**
 * The response of the current HTTP/1.x request as the application shapes it: the head (the core's
 * {@link ResponseState}, which is the response feature), the trailers and the minimum response data
 * rate (the trailers and response-rate features). The {@link Http1OutputProducer} writes it. A
 * separate object from {@link Http1Request} because the request and response features share method
 * names. Reused across the connection's requests; used by the thread serving the request (the
 * heartbeat reads the rate).
 */
final class Http1Response implements HttpResponseTrailersFeature, HttpMinResponseDataRateFeature {

    private final ResponseState head = new ResponseState(8);
    private HttpHeaders trailers;
    private MinDataRate minDataRate;

    /** The next request's response: 200, no headers, no trailers, the server's minimum data rate. */
    void reset(MinDataRate defaultRate) {
        head.reset();
        trailers = null;
        minDataRate = defaultRate;
    }

    /** Throws away what the application built: an empty response with {@code status} (head not sent). */
    void resetForError(int status) {
        head.resetForError(status);
        trailers = null;
    }

    /** Status, reason, headers, callbacks and whether the head has started: the response feature. */
    ResponseState head() {
        return head;
    }

    ResponseCallbacks callbacks() {
        return head.callbacks();
    }

    boolean hasTrailers() {
        return trailers != null && !trailers.isEmpty();
    }

    /** The trailers, or null when the application never asked for them. */
    HttpHeaders trailersOrNull() {
        return trailers;
    }

    @Override
    public HttpHeaders trailers() {
        if (trailers == null) {
            trailers = new HttpHeaders(4);
        }
        return trailers;
    }

    @Override
    public MinDataRate minDataRate() {
        return minDataRate;
    }

    @Override
    public void setMinDataRate(MinDataRate rate) {
        minDataRate = rate;
    }
}
