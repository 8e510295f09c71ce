package dev.lanner.module.internal.identity;

import dev.lanner.http.HttpContext;
import dev.lanner.http.HttpHeaders;
import dev.lanner.http.features.DefaultHttpRequestFeature;
import dev.lanner.http.features.DefaultHttpResponseFeature;
import dev.lanner.http.features.Features;
import dev.lanner.http.features.HttpRequestFeature;
import dev.lanner.http.features.HttpResponseFeature;
import dev.lanner.http.features.TlsConnectionFeature;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;

/** Requests and client certificates for the identity tests. */
final class IdentityFixtures {

    /**
     * {@code /CN=alice/O=Lanner Test}, self-signed EC P-256, made with
     * {@code openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 36500}.
     */
    static final X509Certificate ALICE = certificate("""
            -----BEGIN CERTIFICATE-----
            MIIBozCCAUmgAwIBAgIUZl7h8bp29Jp3jMiV6YJt3sMzw3IwCgYIKoZIzj0EAwIw
            JjEOMAwGA1UEAwwFYWxpY2UxFDASBgNVBAoMC0xhbm5lciBUZXN0MCAXDTI2MTIw
            NjE0MTMwM1oYDzIxMjYxMTEyMTQxMzAzWjAmMQ4wDAYDVQQDDAVhbGljZTEUMBIG
            A1UECgwLTGFubmVyIFRlc3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARiH4xM
            zMvf0IOrp54AEuX9b5b2ksaHeR87GWSmIpbOIogw0MjqcNxqrRFbDTGqcN9zXyvY
            XJiGG+lKkAE46Pfso1MwUTAdBgNVHQ4EFgQUX8XE/IAIdoXzlmaG1GQlch96G3Qw
            HwYDVR0jBBgwFoAUX8XE/IAIdoXzlmaG1GQlch96G3QwDwYDVR0TAQH/BAUwAwEB
            /zAKBggqhkjOPQQDAgNIADBFAiBe/40u7gXgNBWN7mqQ7jdVdu6y9j543e1Bxjyn
            gfflXwIhALt8T3c0EZ/tEFJgXIjMedlx8tnko+NnhfaYn+1yJSyV
            -----END CERTIFICATE-----
            """);
    /** SHA-256 of {@link #ALICE}, as {@code openssl x509 -fingerprint -sha256} prints it. */
    static final String ALICE_THUMBPRINT = "38:09:43:81:72:2D:D7:BC:49:AC:F0:94:24:17:11:96:DC:52:C4:91:72:BB:33:DA:B3:F9:A9:C4:30:75:19:99";

    /** {@code /CN=bob/O=Lanner Test}, made as {@link #ALICE}. */
    static final X509Certificate BOB = certificate("""
            -----BEGIN CERTIFICATE-----
            MIIBoDCCAUWgAwIBAgIUYJKuk9tH4ji5ccxkbwR9kfbEy7cwCgYIKoZIzj0EAwIw
            JDEMMAoGA1UEAwwDYm9iMRQwEgYDVQQKDAtMYW5uZXIgVGVzdDAgFw0yNjEyMDYx
            NDEzMDNaGA8yMTI2MTExMjE0MTMwM1owJDEMMAoGA1UEAwwDYm9iMRQwEgYDVQQK
            DAtMYW5uZXIgVGVzdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABKyUjpRBeibK
            brlEEp/tf/dGcNSS/TmFtwe6MLiz8fNu75mn4+g7R6bfvmK7jH6FNJqUQCW06qhL
            paBrqHnUiJCjUzBRMB0GA1UdDgQWBBTxDhHu/pkByq7lBKcib20PLU9jDjAfBgNV
            HSMEGDAWgBTxDhHu/pkByq7lBKcib20PLU9jDjAPBgNVHRMBAf8EBTADAQH/MAoG
            CCqGSM49BAMCA0kAMEYCIQC3mo6L0k5M5+At4PSaYlWURHpLi+Q3vxdfpZBgyptd
            bgIhAKzK+HXH89zO2Lz/F1A5lgPhRPaCKejDVGn7n46PYlAA
            -----END CERTIFICATE-----
            """);

    private IdentityFixtures() {
    }

    /** A request with the given header name/value pairs and, when {@code clientCertificate} is not null, a TLS connection. */
    static HttpContext request(X509Certificate clientCertificate, String... headers) {
        Features features = new Features();
        DefaultHttpRequestFeature request = new DefaultHttpRequestFeature();
        request.setMethod("GET");
        request.setScheme("https");
        request.setPath("/");
        request.setHeaders(HttpHeaders.of(headers));
        features.set(HttpRequestFeature.class, request);
        features.set(HttpResponseFeature.class, new DefaultHttpResponseFeature());
        if (clientCertificate != null) {
            features.set(TlsConnectionFeature.class, new TlsConnectionFeature() {
                @Override public String protocol() { return "TLSv1.3"; }
                @Override public String cipherSuite() { return "TLS_AES_128_GCM_SHA256"; }
                @Override public String applicationProtocol() { return "http/1.1"; }
                @Override public X509Certificate clientCertificate() { return clientCertificate; }
                @Override public String serverName() { return "localhost"; }
            });
        }
        return new HttpContext(features);
    }

    /** {@code Basic <base64 of user:password as UTF-8>}. */
    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static X509Certificate certificate(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }
}
