package dev.lanner.server.internal.http1;

import dev.lanner.http.HttpHeaders;
import dev.lanner.http.features.HttpMinResponseDataRateFeature;
import dev.lanner.http.features.HttpResponseFeature;
import dev.lanner.http.features.HttpResponseTrailersFeature;
import dev.lanner.http.features.MinDataRate;
import dev.lanner.http.features.ResponseCallback;
import dev.lanner.http.server.core.ResponseCallbacks;
import dev.lanner.http.server.core.StatusCodes;

/**
 * The response of the current HTTP/1.x request as the application shapes it: status, reason,
 * headers, trailers, callbacks and the minimum response data rate (the response, trailers and
 * response-rate features). The {@link Http1OutputProducer} writes it. A separate object from
 * {@link Http1Request} because the request and response features share method names. Reused across
 * the connection's requests; used by the thread serving the request (the heartbeat reads the rate).
 */
final class Http1Response implements HttpResponseFeature, HttpResponseTrailersFeature, HttpMinResponseDataRateFeature {

    private final Http1Connection connection;
    private final ResponseCallbacks callbacks = new ResponseCallbacks();
    private int statusCode = 200;
    private String reasonPhrase;
    private HttpHeaders headers = new HttpHeaders(8);
    private HttpHeaders trailers;
    private MinDataRate minDataRate;

    Http1Response(Http1Connection connection) {
        this.connection = connection;
    }

    /** The next request's response: 200, no headers, the server's minimum data rate. */
    void reset(MinDataRate defaultRate) {
        statusCode = 200;
        reasonPhrase = null;
        // A response's headers are frozen once sent; the next response gets a fresh collection.
        if (headers.isReadOnly() || !headers.isEmpty()) {
            headers.recycle();
        }
        trailers = null;
        callbacks.reset();
        minDataRate = defaultRate;
    }

    /** Throws away what the application built: an empty response with {@code status} (head not sent). */
    void resetForError(int status) {
        headers.clear();
        statusCode = status;
        reasonPhrase = null;
        trailers = null;
    }

    ResponseCallbacks callbacks() {
        return callbacks;
    }

    boolean hasTrailers() {
        return trailers != null && !trailers.isEmpty();
    }

    /** The trailers, or null when the application never asked for them. */
    HttpHeaders trailersOrNull() {
        return trailers;
    }

    private void checkNotStarted() {
        if (connection.output.headSent()) {
            throw new IllegalStateException("the response has already started");
        }
    }

    // --- HttpResponseFeature ---

    @Override
    public int statusCode() {
        return statusCode;
    }

    @Override
    public void setStatusCode(int status) {
        checkNotStarted();
        statusCode = StatusCodes.check(status);
    }

    @Override
    public String reasonPhrase() {
        return reasonPhrase;
    }

    @Override
    public void setReasonPhrase(String reason) {
        checkNotStarted();
        reasonPhrase = reason;
    }

    @Override
    public HttpHeaders headers() {
        return headers;
    }

    @Override
    public void setHeaders(HttpHeaders headers) {
        checkNotStarted();
        this.headers = headers;
    }

    @Override
    public boolean hasStarted() {
        return connection.output.headSent();
    }

    @Override
    public void onStarting(ResponseCallback callback) {
        checkNotStarted();
        callbacks.onStarting(callback);
    }

    @Override
    public void onCompleted(ResponseCallback callback) {
        callbacks.onCompleted(callback);
    }

    // --- HttpResponseTrailersFeature ---

    @Override
    public HttpHeaders trailers() {
        if (trailers == null) {
            trailers = new HttpHeaders(4);
        }
        return trailers;
    }

    // --- HttpMinResponseDataRateFeature ---

    @Override
    public MinDataRate minDataRate() {
        return minDataRate;
    }

    @Override
    public void setMinDataRate(MinDataRate rate) {
        minDataRate = rate;
    }
}
