package dev.lanner.http.features;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/** The raw byte streams of a connection after a {@code 101 Switching Protocols} response. */
public interface UpgradedConnection extends Closeable {
    InputStream input();
    OutputStream output();
}
