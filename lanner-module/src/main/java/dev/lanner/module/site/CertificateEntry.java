package dev.lanner.module.site;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The certificate of an https binding. The files are not read when the site file is loaded; the server
 * checks them when it starts.
 *
 * @param path     the certificate: a PEM file (with {@code keyPath}) or a PKCS#12 file; absolute
 * @param keyPath  the PEM private key, absolute; {@code null} for PKCS#12
 * @param password the password of the key or the PKCS#12 file; {@code null} when there is none
 */
public record CertificateEntry(Path path, Path keyPath, String password) {
    public CertificateEntry {
        Objects.requireNonNull(path, "path");
    }

    /** Keeps the password out of logs. */
    @Override
    public String toString() {
        return "CertificateEntry[path=" + path + ", keyPath=" + keyPath + ", password="
                + (password == null ? "null" : "****") + "]";
    }
}
