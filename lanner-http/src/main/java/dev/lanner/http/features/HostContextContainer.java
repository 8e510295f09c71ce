package dev.lanner.http.features;

/**
 * A slot a server keeps per connection (or stream) where the host may leave its per-request
 * context object for the next request to reuse, as ASP.NET Core's {@code IHostContextContainer}.
 * The server clears nothing in it; the host decides whether the object can be reused.
 */
public interface HostContextContainer {
    Object hostContext();

    void setHostContext(Object context);
}
