package dev.lanner.tls;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the common PEM files with the JDK alone: {@code CERTIFICATE} blocks and an unencrypted PKCS#8
 * {@code PRIVATE KEY} (what OpenSSL 1.1+ and most tools write). The server starts faster this way: the
 * BouncyCastle reader of lanner-certificates comes from signed jars, whose verification and class loading
 * cost hundreds of milliseconds on a cold JVM (docs/decisions/012), so it is kept for the other formats
 * (encrypted keys, OpenSSL's traditional {@code RSA}/{@code EC PRIVATE KEY}).
 */
final class JdkPemReader implements PemCertificateReader {
    static final JdkPemReader INSTANCE = new JdkPemReader();

    // RFC 7468 §3: "-----BEGIN label-----", base64 lines, "-----END label-----"; text may come between blocks.
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    private static final Pattern LABEL = Pattern.compile("-----BEGIN ([^-]*)-----");
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"};
    /** The DER contents of the OIDs of {@link #KEY_ALGORITHMS}, in the same order. */
    private static final byte[][] KEY_ALGORITHM_OIDS = {
            {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01},   // 1.2.840.113549.1.1.1
            {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01},                      // 1.2.840.10045.2.1
            {0x2b, 0x65, 0x70},                                                             // 1.3.101.112
            {0x2b, 0x65, 0x71},                                                             // 1.3.101.113
            {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x0a},   // 1.2.840.113549.1.1.10
            {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x38, 0x04, 0x01}};                     // 1.2.840.10040.4.1

    private JdkPemReader() {
    }

    /**
     * Whether this reader reads both texts: the certificate text holds only certificates (and perhaps the
     * key), the key text's only key is an unencrypted PKCS#8 one.
     */
    static boolean reads(String certificateText, String keyText) {
        for (String label : labels(certificateText)) {
            if (!label.equals("CERTIFICATE") && !label.equals("PRIVATE KEY")) {
                return false;
            }
        }
        List<String> keyLabels = labels(keyText);
        return keyLabels.contains("PRIVATE KEY")
                && keyLabels.stream().allMatch(label -> label.equals("PRIVATE KEY") || label.equals("CERTIFICATE"));
    }

    private static List<String> labels(String pem) {
        List<String> labels = new ArrayList<>();
        Matcher matcher = LABEL.matcher(pem);
        while (matcher.find()) {
            labels.add(matcher.group(1));
        }
        return labels;
    }

    @Override
    public List<X509Certificate> readCertificates(String pem) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certificates = new ArrayList<>();
        for (byte[] der : blocks(pem, "CERTIFICATE")) {
            certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
        }
        return certificates;
    }

    @Override
    public PrivateKey readPrivateKey(String pem, char[] password) throws GeneralSecurityException {
        List<byte[]> keys = blocks(pem, "PRIVATE KEY");
        if (keys.isEmpty()) {
            return null;
        }
        byte[] der = keys.getFirst();
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        String named = algorithmOf(der);
        if (named != null) {
            // The factory of the key's own algorithm first: a wrong one fails only after asking every provider.
            try {
                return KeyFactory.getInstance(named).generatePrivate(spec);
            } catch (InvalidKeySpecException e) {
                // fall through to trying each algorithm
            }
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException notThisAlgorithm) {
                // PKCS#8 names its algorithm by OID; the factory that accepts the key is the one.
            }
        }
        throw new InvalidKeySpecException("a PKCS#8 key of none of the algorithms " + String.join(", ", KEY_ALGORITHMS));
    }

    /**
     * The JDK name of the algorithm that a PKCS#8 {@code PrivateKeyInfo} names (RFC 5208 §5: SEQUENCE {
     * version INTEGER, privateKeyAlgorithm SEQUENCE { algorithm OID, ... }, ... }), or {@code null}.
     */
    static String algorithmOf(byte[] der) {
        try {
            Der oid = new Der(der, 0).enter(0x30).skip(0x02).enter(0x30).enter(0x06);
            byte[] bytes = Arrays.copyOfRange(der, oid.position(), oid.end());
            for (int i = 0; i < KEY_ALGORITHM_OIDS.length; i++) {
                if (Arrays.equals(bytes, KEY_ALGORITHM_OIDS[i])) {
                    return KEY_ALGORITHMS[i];
                }
            }
            return null;
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            return null;
        }
    }

    private static List<byte[]> blocks(String pem, String label) throws CertificateException {
        List<byte[]> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(pem);
        while (matcher.find()) {
            if (matcher.group(1).equals(label)) {
                try {
                    blocks.add(Base64.getMimeDecoder().decode(matcher.group(2)));
                } catch (IllegalArgumentException e) {
                    throw new CertificateException("invalid base64 in a " + label + " block: " + e.getMessage(), e);
                }
            }
        }
        return blocks;
    }
}
