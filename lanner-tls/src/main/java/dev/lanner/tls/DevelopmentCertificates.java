package dev.lanner.tls;

/** Finds the {@link DevelopmentCertificateProvider} on the class or module path. */
public final class DevelopmentCertificates {

    private DevelopmentCertificates() {
    }

    /**
     * The development certificate for localhost.
     *
     * @throws CertificateLoadException when lanner-certificates is missing or the certificate cannot be made
     */
    public static ServerCertificate load() throws CertificateLoadException {
        DevelopmentCertificateProvider provider = ServiceLookup.first(DevelopmentCertificateProvider.class);
        if (provider == null) {
            throw new CertificateLoadException(
                    "A development certificate needs the lanner-certificates module on the class path");
        }
        return provider.developmentCertificate();
    }
}
