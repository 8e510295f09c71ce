package dev.lanner.server.tls;

import java.nio.file.Path;

/** Certificates for test suites outside this package (the server test kit over h2), made by {@link TestCertificates}. */
public final class KitCertificates {

    private KitCertificates() {
    }

    /** A self-signed certificate for {@code localhost} and 127.0.0.1 (EC P-256), its PKCS#12 file in {@code dir}. */
    public static ServerCertificate localhost(Path dir) {
        return TestCertificates.create(dir, "localhost", "localhost", "dns:localhost", "ip:127.0.0.1");
    }
}
