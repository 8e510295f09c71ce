package dev.lanner.http.features;

import dev.lanner.http.HttpHeaders;
import java.io.InputStream;

/**
 * The request as the server parsed it. Every server supplies this feature. Setters exist because
 * middleware (path-base mapping, forwarded headers) rewrites the request as it travels the pipeline.
 */
public interface HttpRequestFeature {
    /** {@code HTTP/1.1}, {@code HTTP/1.0} or {@code HTTP/2}. */
    String protocol();
    void setProtocol(String protocol);

    /** {@code http} or {@code https}. */
    String scheme();
    void setScheme(String scheme);

    String method();
    void setMethod(String method);

    /** The part of the path already consumed by the host or by {@code map}; {@code ""} or starts with {@code /}. */
    String pathBase();
    void setPathBase(String pathBase);

    /** The decoded path below {@link #pathBase()}; {@code ""} or starts with {@code /}. */
    String path();
    void setPath(String path);

    /** The raw query including the leading {@code ?}, or {@code ""}. */
    String queryString();
    void setQueryString(String queryString);

    /** The request target exactly as received. */
    String rawTarget();
    void setRawTarget(String rawTarget);

    HttpHeaders headers();
    void setHeaders(HttpHeaders headers);

    InputStream body();
    void setBody(InputStream body);
}
