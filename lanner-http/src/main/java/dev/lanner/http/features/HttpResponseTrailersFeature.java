package dev.lanner.http.features;

import dev.lanner.http.HttpHeaders;

/** Trailer fields sent after the response body (chunked HTTP/1.1, HTTP/2). */
public interface HttpResponseTrailersFeature {
    HttpHeaders trailers();
}
