package dev.lanner.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A certificate loaded from files and loaded again when they change; see
 * {@link ServerCertificateFiles#watch}. Handshakes call {@link #current()}: between checks it is a
 * clock read and a field read; the handshake that finds a check due does it, the others meanwhile
 * take the certificate they have.
 */
final class FileCertificateSource implements ServerCertificateSource {

    private static final Logger log = LoggerFactory.getLogger(FileCertificateSource.class);

    private final Path certificatePath;
    private final Path keyPath;
    private final String password;
    private final long checkIntervalNanos;
    private final ReentrantLock checking = new ReentrantLock();
    private volatile Loaded loaded;
    private volatile long nextCheckNanos;
    /** The stamps of files that failed to load: warned about once, tried again when they change. */
    private List<FileStamp> rejected;

    private record Loaded(ServerCertificate certificate, List<FileStamp> stamps) {
    }

    /** What tells a file changed without reading it; a missing file has its own stamp. */
    private record FileStamp(FileTime modified, long size) {
        static FileStamp of(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new FileStamp(attributes.lastModifiedTime(), attributes.size());
            } catch (IOException e) {
                return new FileStamp(null, -1);
            }
        }
    }

    FileCertificateSource(Path certificatePath, Path keyPath, String password, Duration checkInterval)
            throws CertificateLoadException {
        this.certificatePath = certificatePath;
        this.keyPath = keyPath;
        this.password = password;
        this.checkIntervalNanos = checkInterval.toNanos();
        // Stamps first: a change while reading is seen at the next check.
        List<FileStamp> stamps = stamps();
        this.loaded = new Loaded(ServerCertificateFiles.read(certificatePath, keyPath, password), stamps);
        this.nextCheckNanos = System.nanoTime() + checkIntervalNanos;
    }

    @Override
    public ServerCertificate current() {
        long now = System.nanoTime();
        if (now - nextCheckNanos >= 0 && checking.tryLock()) {
            try {
                nextCheckNanos = now + checkIntervalNanos;
                reloadIfChanged();
            } finally {
                checking.unlock();
            }
        }
        return loaded.certificate();
    }

    private void reloadIfChanged() {
        List<FileStamp> stamps = stamps();
        if (stamps.equals(loaded.stamps()) || stamps.equals(rejected)) {
            return;
        }
        try {
            loaded = new Loaded(ServerCertificateFiles.read(certificatePath, keyPath, password), stamps);
            rejected = null;
            log.info("Reloaded the certificate from {}", certificatePath);
        } catch (CertificateLoadException e) {
            rejected = stamps;
            log.warn("Keeping the previous certificate: {}", e.getMessage());
        }
    }

    private List<FileStamp> stamps() {
        return keyPath == null ? List.of(FileStamp.of(certificatePath))
                : List.of(FileStamp.of(certificatePath), FileStamp.of(keyPath));
    }
}
