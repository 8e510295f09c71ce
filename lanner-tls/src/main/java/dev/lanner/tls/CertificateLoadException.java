package dev.lanner.tls;

import java.io.IOException;

/**
 * A certificate or its key could not be loaded. The message is one line naming the file and the
 * problem ({@code Key file not found: /etc/app/key.pem}); as an {@link IOException} it fails the
 * server's start.
 */
public class CertificateLoadException extends IOException {

    public CertificateLoadException(String message) {
        super(message);
    }

    public CertificateLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
