package dev.lanner.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test certificates made with the JDK's keytool (no BouncyCastle needed): self-signed, in PKCS#12
 * files protected by {@link #PASSWORD}. Shared by the TLS tests of lanner-tls and lanner-server.
 */
public final class KeytoolCertificates {

    public static final String PASSWORD = "test-password";

    private static final AtomicLong touches = new AtomicLong();

    private KeytoolCertificates() {
    }

    /**
     * Creates {@code dir/name.p12} holding a self-signed certificate for {@code commonName}.
     *
     * @param keyAlgorithm {@code EC} (P-256) or {@code RSA} (2048 bits)
     * @param subjectAltNames keytool SAN entries, e.g. {@code dns:localhost}, {@code ip:127.0.0.1}
     */
    public static Path createPkcs12(Path dir, String name, String keyAlgorithm, String commonName, String... subjectAltNames) {
        Path file = dir.resolve(name + ".p12");
        List<String> command = new ArrayList<>(List.of(keytool(), "-genkeypair", "-alias", name,
                "-keyalg", keyAlgorithm, "-dname", "CN=" + commonName, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
        if (keyAlgorithm.equals("EC")) {
            command.addAll(List.of("-groupname", "secp256r1"));
        } else {
            command.addAll(List.of("-keysize", "2048"));
        }
        if (subjectAltNames.length > 0) {
            command.addAll(List.of("-ext", "SAN=" + String.join(",", subjectAltNames)));
        }
        run(command);
        return file;
    }

    /** Creates a PKCS#12 file holding only a trusted certificate entry, no key. */
    public static Path createCertificateOnlyPkcs12(Path dir, String name) {
        Path withKey = createPkcs12(dir, name + "-source", "EC", name);
        Path certificate = dir.resolve(name + ".cer");
        run(List.of(keytool(), "-exportcert", "-alias", name + "-source", "-keystore", withKey.toString(),
                "-storepass", PASSWORD, "-file", certificate.toString()));
        Path file = dir.resolve(name + ".p12");
        run(List.of(keytool(), "-importcert", "-noprompt", "-alias", name, "-file", certificate.toString(),
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", PASSWORD));
        return file;
    }

    /** Moves the file's modification time on, each call further. */
    public static void touch(Path file) throws IOException {
        // Linux file times tick coarsely: a file rewritten within the tick would look unchanged.
        long millis = System.currentTimeMillis() + 5_000 + 1_000 * touches.incrementAndGet();
        Files.setLastModifiedTime(file, FileTime.fromMillis(millis));
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
