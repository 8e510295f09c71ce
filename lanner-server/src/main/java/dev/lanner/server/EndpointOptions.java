package dev.lanner.server;

import dev.lanner.server.tls.TlsOptions;

/**
 * One listening endpoint ({@code Server:Endpoints:{name}}): its URL, the HTTP versions it speaks
 * and, for {@code https} URLs, its TLS options. Endpoints given here replace the server's default
 * URLs and those of {@code ServerAddressesFeature}. Immutable; safe from any thread.
 *
 * @param name      the configuration name ({@code Https}, {@code Internal}, ...), for logs and errors
 * @param url       {@code http(s)://host:port[/base]} or {@code http://unix:/path}
 * @param protocols the HTTP versions spoken; default {@link HttpProtocols#HTTP1_AND_HTTP2}
 * @param tls       TLS options, required for {@code https} URLs and ignored for {@code http}; null
 *                  for an {@code https} URL means "the server's default certificate"
 */
public record EndpointOptions(String name, String url, HttpProtocols protocols, TlsOptions tls) {

    public EndpointOptions {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("endpoint " + name + " has no Url");
        }
        if (protocols == null) {
            protocols = HttpProtocols.HTTP1_AND_HTTP2;
        }
    }

    public static EndpointOptions of(String url) {
        return new EndpointOptions(url, url, HttpProtocols.HTTP1_AND_HTTP2, null);
    }

    public EndpointOptions withProtocols(HttpProtocols value) {
        return new EndpointOptions(name, url, value, tls);
    }

    public EndpointOptions withTls(TlsOptions value) {
        return new EndpointOptions(name, url, protocols, value);
    }
}
