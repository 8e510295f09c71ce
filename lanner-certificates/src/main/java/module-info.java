/**
 * PEM certificate files and the localhost development certificate for the Lanner servers (lanner-tls), on
 * BouncyCastle. Both are services the server finds with {@link java.util.ServiceLoader}.
 * BouncyCastle parses and builds; the JDK's own providers still do every cryptographic operation of TLS.
 * The package is exported for tools that manage the development certificate ({@code lanner dev-certs}
 * uses {@link dev.lanner.certificates.DevelopmentCertificate}'s inspect, remove and export operations).
 */
module dev.lanner.certificates {
    requires dev.lanner.tls;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.util;
    requires org.slf4j;

    exports dev.lanner.certificates;

    provides dev.lanner.tls.PemCertificateReader with dev.lanner.certificates.BouncyCastlePemCertificateReader;
    provides dev.lanner.tls.DevelopmentCertificateProvider with dev.lanner.certificates.DevelopmentCertificate;
}
