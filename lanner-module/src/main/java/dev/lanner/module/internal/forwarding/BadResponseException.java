package dev.lanner.module.internal.forwarding;

import java.io.IOException;

/** The backend sent something that is not a valid HTTP/1.1 response: the client gets 502. */
final class BadResponseException extends IOException {

    BadResponseException(String message) {
        super(message);
    }
}
