package dev.lanner.http;

import dev.lanner.http.features.HttpResponseBodyFeature;
import dev.lanner.http.features.HttpResponseFeature;
import dev.lanner.http.server.core.StatusCodes;
import dev.lanner.http.features.ResponseCallback;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The response view of an {@link HttpContext}, backed by its response features. */
public final class HttpResponse {

    private final HttpContext context;

    HttpResponse(HttpContext context) {
        this.context = context;
    }

    public HttpContext context() {
        return context;
    }

    private HttpResponseFeature f() {
        return context.responseFeature();
    }

    public int statusCode() {
        return f().statusCode();
    }

    /** @throws IllegalStateException once the response has started */
    public HttpResponse setStatusCode(int status) {
        StatusCodes.check(status);
        HttpResponseFeature f = f();
        if (f.hasStarted()) {
            throw new IllegalStateException("the response has already started; status can no longer change");
        }
        f.setStatusCode(status);
        return this;
    }

    public HttpHeaders headers() {
        return f().headers();
    }

    public HttpResponse setHeader(String name, String value) {
        f().headers().set(name, value);
        return this;
    }

    public HttpResponse addHeader(String name, String value) {
        f().headers().add(name, value);
        return this;
    }

    public String contentType() {
        return f().headers().get("Content-Type");
    }

    public HttpResponse setContentType(String contentType) {
        return setHeader("Content-Type", contentType);
    }

    public HttpResponse setContentLength(long length) {
        return setHeader("Content-Length", length >= 0 && length < SMALL_LENGTHS.length
                ? SMALL_LENGTHS[(int) length] : Long.toString(length));
    }

    /** Content-Length values of small bodies, formatted once. */
    private static final String[] SMALL_LENGTHS = new String[1024];

    static {
        for (int i = 0; i < SMALL_LENGTHS.length; i++) {
            SMALL_LENGTHS[i] = Integer.toString(i).intern();
        }
    }

    public boolean hasStarted() {
        return f().hasStarted();
    }

    public void onStarting(ResponseCallback callback) {
        f().onStarting(callback);
    }

    public void onCompleted(ResponseCallback callback) {
        f().onCompleted(callback);
    }

    /** The body stream; the first write sends the head. */
    public OutputStream body() {
        return context.responseBodyFeature().stream();
    }

    public void write(byte[] bytes) throws IOException {
        context.responseBodyFeature().stream().write(bytes);
    }

    public void write(byte[] bytes, int offset, int length) throws IOException {
        context.responseBodyFeature().stream().write(bytes, offset, length);
    }

    /** Writes {@code text} as UTF-8. */
    public void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends the head now. */
    public void start() throws IOException {
        context.responseBodyFeature().start();
    }

    /** Ends the body; what is buffered is sent. */
    public void complete() throws IOException {
        context.responseBodyFeature().complete();
    }

    public void sendFile(Path file) throws IOException {
        context.responseBodyFeature().sendFile(file, 0, -1);
    }

    /** {@code 302 Found} (or {@code 301} when permanent) to {@code location}. */
    public void redirect(String location, boolean permanent) {
        setStatusCode(permanent ? 301 : 302);
        setHeader("Location", location);
    }

    /** The response body feature, for servers' extended operations. */
    public HttpResponseBodyFeature bodyFeature() {
        return context.responseBodyFeature();
    }
}
