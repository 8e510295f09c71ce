package dev.lanner.server.internal.http1;

import java.io.IOException;

/**
 * The 100-continue gate of one request (RFC 9110 §10.1.1): a client that sent
 * {@code Expect: 100-continue} holds its body back until the server answers 100 (Continue), which
 * goes out only once the application asks for the body; a final response before that leaves the
 * body unsent, so the connection cannot be reused. Used by the thread serving the request.
 */
final class ExpectContinueGate {

    private boolean expected;
    private boolean sent;

    void reset() {
        expected = false;
        sent = false;
    }

    /** The request carries {@code Expect: 100-continue} (HTTP/1.1 only; 1.0's is ignored). */
    void expect() {
        expected = true;
    }

    boolean isExpected() {
        return expected;
    }

    /** The client may still be waiting for a 100 before it sends the body. */
    boolean holdsBody() {
        return expected && !sent;
    }

    /** The application asks for the body: the 100 goes out, once, unless the final head already did. */
    void open(Http1OutputProducer output) throws IOException {
        if (expected && !sent && !output.headSent()) {
            sent = true;
            output.writeContinue();
        }
    }
}
