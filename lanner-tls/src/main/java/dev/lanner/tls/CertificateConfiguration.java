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
     * The certificate configured in {@code section}, or null when no {@code Path} is set.
     *
     * @param values  the configuration value of a key, or null
     * @param sources where the value of a key came from, for error messages
     * @throws IllegalArgumentException in one line when the section is incomplete or its files cannot be loaded
     */
    public static ServerCertificateSource read(String section, UnaryOperator<String> values, UnaryOperator<String> sources) {
        String path = values.apply(section + ":Path");
        if (path == null || path.isBlank()) {
            if (values.apply(section + ":KeyPath") != null) {
                throw new IllegalArgumentException("Invalid configuration in " + sources.apply(section + ":KeyPath")
                        + ": " + section + ":KeyPath is set but " + section + ":Path is not");
            }
            return null;
        }
        String keyPath = values.apply(section + ":KeyPath");
        String password = values.apply(section + ":Password");
        try {
            return ServerCertificateFiles.watch(Path.of(path.trim()),
                    keyPath == null || keyPath.isBlank() ? null : Path.of(keyPath.trim()), password);
        } catch (CertificateLoadException e) {
            throw new IllegalArgumentException(e.getMessage() + " (" + section + ")", e);
        }
    }
}
