package dev.lanner.http.features;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/** The response body: a stream plus the operations that control when the head goes out. */
public interface HttpResponseBodyFeature {
    /** The body stream. Writing starts the response if it has not started. */
    OutputStream stream();

    /** Sends the head now (running the {@code onStarting} callbacks) without writing body bytes. */
    void start() throws IOException;

    /** Sends what is buffered and ends the body; later writes fail. */
    void complete() throws IOException;

    /** Writes {@code count} bytes of a file from {@code offset} ({@code -1} for "to the end"). */
    void sendFile(Path file, long offset, long count) throws IOException;

    /** Asks the server not to buffer: every write is sent as soon as possible. */
    void disableBuffering();
}
