package dev.lanner.hosting.testing;

import dev.lanner.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

/**
 * A request for {@link TestServer}: method, target ({@code /path?query} or an absolute URL),
 * headers and body. Built fluently: {@code TestRequest.post("/echo").header("Content-Type", "text/plain").body("hi")}.
 */
public final class TestRequest {

    private final String method;
    private final String target;
    private final HttpHeaders headers = new HttpHeaders();
    private byte[] body = new byte[0];

    private TestRequest(String method, String target) {
        this.method = method;
        this.target = target;
    }

    public static TestRequest of(String method, String target) {
        return new TestRequest(method, target);
    }

    public static TestRequest get(String target) {
        return of("GET", target);
    }

    public static TestRequest post(String target) {
        return of("POST", target);
    }

    public TestRequest header(String name, String value) {
        headers.add(name, value);
        return this;
    }

    public TestRequest body(byte[] bytes) {
        this.body = bytes.clone();
        return this;
    }

    public TestRequest body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    public String method() {
        return method;
    }

    public String target() {
        return target;
    }

    public HttpHeaders headers() {
        return headers;
    }

    public byte[] bodyBytes() {
        return body.clone();
    }
}
