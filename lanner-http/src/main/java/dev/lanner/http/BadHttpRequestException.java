package dev.lanner.http;

import java.io.IOException;

/**
 * The client sent something the server must refuse, found while the application was reading the
 * request (a body over the size limit, a malformed chunk, a body that arrived too slowly). When
 * the application lets it escape and the response has not started, the response gets
 * {@link #statusCode()} instead of 500, and the server closes the connection.
 */
public class BadHttpRequestException extends IOException {

    private final int statusCode;

    public BadHttpRequestException(String message, int statusCode) {
        super(message);
        this.statusCode = statusCode;
    }

    /** The status the response should carry: 400, 408, 413, 431, ... */
    public int statusCode() {
        return statusCode;
    }
}
