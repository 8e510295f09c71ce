package dev.lanner.http.features;

import dev.lanner.http.HttpHeaders;
import java.io.InputStream;

/** A plain-field {@link HttpRequestFeature} for servers to fill. */
public class DefaultHttpRequestFeature implements HttpRequestFeature {

    private String protocol = "HTTP/1.1";
    private String scheme = "http";
    private String method = "GET";
    private String pathBase = "";
    private String path = "/";
    private String queryString = "";
    private String rawTarget = "/";
    private HttpHeaders headers = new HttpHeaders();
    private InputStream body = InputStream.nullInputStream();

    @Override public String protocol() { return protocol; }
    @Override public void setProtocol(String protocol) { this.protocol = protocol; }
    @Override public String scheme() { return scheme; }
    @Override public void setScheme(String scheme) { this.scheme = scheme; }
    @Override public String method() { return method; }
    @Override public void setMethod(String method) { this.method = method; }
    @Override public String pathBase() { return pathBase; }
    @Override public void setPathBase(String pathBase) { this.pathBase = pathBase == null ? "" : pathBase; }
    @Override public String path() { return path; }
    @Override public void setPath(String path) { this.path = path == null ? "" : path; }
    @Override public String queryString() { return queryString; }
    @Override public void setQueryString(String queryString) { this.queryString = queryString == null ? "" : queryString; }
    @Override public String rawTarget() { return rawTarget; }
    @Override public void setRawTarget(String rawTarget) { this.rawTarget = rawTarget; }
    @Override public HttpHeaders headers() { return headers; }
    @Override public void setHeaders(HttpHeaders headers) { this.headers = headers; }
    @Override public InputStream body() { return body; }
    @Override public void setBody(InputStream body) { this.body = body; }
}
