package dev.lanner.http.features;

/** A unique id for the request, used in logs. */
public interface HttpRequestIdentifierFeature {
    String traceIdentifier();
    void setTraceIdentifier(String id);
}
