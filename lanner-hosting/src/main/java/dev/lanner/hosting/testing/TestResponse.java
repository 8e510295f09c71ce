package dev.lanner.hosting.testing;

import dev.lanner.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

/** What the application answered through {@link TestServer}. */
public record TestResponse(int statusCode, HttpHeaders headers, byte[] body, HttpHeaders trailers) {

    public String header(String name) {
        return headers.get(name);
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
