/**
 * Server certificates and TLS contexts for every Lanner server: certificate files (PKCS#12 and PEM,
 * reloaded on change), SNI certificate selection, the development certificate, and the
 * {@code SSLContext} built from them. The JDK alone; PEM reading and the development certificate are
 * services that lanner-certificates provides (found with {@link java.util.ServiceLoader}).
 */
module dev.lanner.tls {
    requires org.slf4j;

    exports dev.lanner.tls;

    uses dev.lanner.tls.PemCertificateReader;
    uses dev.lanner.tls.DevelopmentCertificateProvider;
}
