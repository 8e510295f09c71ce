package dev.lanner.server.e2e.http2;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.function.IntFunction;

/**
 * Writes a bounded number of frames to a connection from a background thread, so that the test
 * thread can read the server's answer meanwhile, and a server that stops reading cannot block
 * the test (closing the connection ends the writer). Frames go out in batches of 64 per write.
 */
final class Flood {

    private static final int BATCH = 64;

    private final Thread writer;

    private Flood(H2Connection connection, int count, IntFunction<byte[]> frameAt) {
        writer = Thread.ofVirtual().name("h2-flood").start(() -> {
            try {
                for (int i = 0; i < count; i += BATCH) {
                    ByteArrayOutputStream batch = new ByteArrayOutputStream();
                    for (int j = i; j < Math.min(count, i + BATCH); j++) {
                        batch.writeBytes(frameAt.apply(j));
                    }
                    connection.send(batch.toByteArray());
                }
            } catch (IOException closed) {
                // The server closed the connection: expected once it has had enough.
            }
        });
    }

    /** Starts writing {@code frameAt.apply(0 .. count - 1)}. */
    static Flood start(H2Connection connection, int count, IntFunction<byte[]> frameAt) {
        return new Flood(connection, count, frameAt);
    }

    /** Waits for the writer to finish or fail, at most {@code timeout}. */
    boolean await(Duration timeout) throws InterruptedException {
        return writer.join(timeout);
    }
}
