package dev.lanner.testkit;

import dev.lanner.http.features.ServerAddressesFeature;
import dev.lanner.http.server.Server;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Sends the kit's requests to a started server. */
public interface KitClient extends AutoCloseable {

    /** Sends and waits (at most 30 s). A refused or broken exchange throws. */
    KitResponse send(KitRequest request) throws IOException;

    @Override
    default void close() {
    }

    /** The first address in the server's {@link ServerAddressesFeature}, without a trailing slash. */
    static URI firstAddress(Server server) {
        List<String> addresses = server.features().get(ServerAddressesFeature.class).addresses();
        if (addresses.isEmpty()) {
            throw new IllegalStateException(server + " reports no address");
        }
        String address = addresses.get(0);
        return URI.create(address.endsWith("/") ? address.substring(0, address.length() - 1) : address);
    }

    /** A client over real sockets: the JDK {@link HttpClient}, HTTP/1.1, no redirects followed. */
    static KitClient http(URI base) {
        return http(base, HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    /**
     * A client over real sockets through {@code client} (its version, TLS context and redirect policy),
     * which the kit closes with the returned client: HTTP/2 with ALPN, for one.
     */
    static KitClient http(URI base, HttpClient client) {
        return new KitClient() {
            @Override
            public KitResponse send(KitRequest request) throws IOException {
                HttpRequest.BodyPublisher body = request.unknownLength()
                        ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(request.body()))
                        : request.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body());
                HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + request.target()))
                        .timeout(Duration.ofSeconds(30))
                        .method(request.method(), body);
                for (Map.Entry<String, String> field : request.headers()) {
                    builder.header(field.getKey(), field.getValue());
                }
                try {
                    HttpResponse<byte[]> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
                    Map<String, List<String>> headers = new LinkedHashMap<>();
                    response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
                    return new KitResponse(response.statusCode(), headers, response.body());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }
}
