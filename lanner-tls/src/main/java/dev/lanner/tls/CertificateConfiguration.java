package dev.lanner.tls;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Reads one certificate section of the configuration ({@code Server:Certificates:Default},
 * {@code Server:Endpoints:{name}:Certificate}): {@code :Path}, {@code :KeyPath}, {@code :Password}
 * (Kestrel's schema), the files watched for changes. The one reader for the default server's and the
 * platform server's configuration; it sees the configuration as two lookups, so this module needs
 * the JDK alone. Stateless.
 */
public final class CertificateConfiguration {

    private CertificateConfiguration() {
    }

    /**
     * The certificate configured in {@code section}, its files read now, or null when no {@code Path} is set.
     *
     * @param values  the configuration value of a key, or null
     * @param sources where the value of a key came from, for error messages
     * @throws IllegalArgumentException in one line when the section is incomplete or its files cannot be loaded
     */
    public static ServerCertificateSource read(String section, UnaryOperator<String> values, UnaryOperator<String> sources) {
        ServerCertificateSource source = readDeferred(section, values, sources);
        if (source != null) {
            source.prepare();
        }
        return source;
    }

    /**
     * As {@link #read}, but the files are read by {@link ServerCertificateSource#prepare()} (or the first
     * handshake), not now: the default server prepares its HTTPS endpoints after its other endpoints accept,
     * so reading a certificate (~60–80 ms on a cold JVM: PEM, X.509 and key classes) no longer delays the
     * first response of an HTTP endpoint (docs/decisions/015).
     *
     * @throws IllegalArgumentException in one line when the section is incomplete
     */
    public static ServerCertificateSource readDeferred(String section, UnaryOperator<String> values,
                                                       UnaryOperator<String> sources) {
        String path = values.apply(section + ":Path");
        if (path == null || path.isBlank()) {
            if (values.apply(section + ":KeyPath") != null) {
                throw new IllegalArgumentException("Invalid configuration in " + sources.apply(section + ":KeyPath")
                        + ": " + section + ":KeyPath is set but " + section + ":Path is not");
            }
            return null;
        }
        String keyPath = values.apply(section + ":KeyPath");
        return new Deferred(section, Path.of(path.trim()),
                keyPath == null || keyPath.isBlank() ? null : Path.of(keyPath.trim()), values.apply(section + ":Password"));
    }

    /** A configured certificate whose files are watched from the first {@link #prepare()} on. */
    private static final class Deferred implements ServerCertificateSource {
        private final String section;
        private final Path path;
        private final Path keyPath;
        private final String password;
        private volatile ServerCertificateSource files;

        Deferred(String section, Path path, Path keyPath, String password) {
            this.section = section;
            this.path = path;
            this.keyPath = keyPath;
            this.password = password;
        }

        @Override
        public void prepare() {
            if (files == null) {
                synchronized (this) {
                    if (files == null) {
                        try {
                            files = ServerCertificateFiles.watch(path, keyPath, password);
                        } catch (CertificateLoadException e) {
                            throw new IllegalArgumentException(e.getMessage() + " (" + section + ")", e);
                        }
                    }
                }
            }
        }

        @Override
        public ServerCertificate current() {
            ServerCertificateSource loaded = files;
            if (loaded == null) {
                prepare();
                loaded = files;
            }
            return loaded.current();
        }
    }
}
