package dev.lanner.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAKey;
import java.util.Arrays;

/** Whether a private key belongs to a certificate's public key. */
final class KeyPairMatch {

    private static final byte[] PROBE = "lanner key pair check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private KeyPairMatch() {
    }

    /**
     * RSA keys share their modulus; any other pair is tried: what the private key signs, the public
     * key must verify. An algorithm without a known signature is taken as matching (the handshake
     * would tell otherwise).
     */
    static boolean matches(PublicKey publicKey, PrivateKey privateKey) {
        if (publicKey instanceof RSAKey rsaPublic && privateKey instanceof RSAKey rsaPrivate) {
            return rsaPublic.getModulus().equals(rsaPrivate.getModulus());
        }
        if (!publicKey.getAlgorithm().equals(privateKey.getAlgorithm())) {
            return false;
        }
        if (publicKey instanceof ECPublicKey ecPublic && privateKey instanceof ECPrivateKey) {
            byte[] embedded = embeddedEcPublicKey(privateKey.getEncoded());
            if (embedded != null) {
                // OpenSSL writes the public point into the key file: compare it instead of signing, which
                // at start-up costs tens of milliseconds of P-256 arithmetic not yet compiled.
                return Arrays.equals(embedded, uncompressedPoint(ecPublic));
            }
        }
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            case "EdDSA", "Ed25519", "Ed448" -> privateKey.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return true;
        }
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            // e.g. keys on different curves: they cannot be a pair
            return false;
        }
    }

    /**
     * The public point an EC key's PKCS#8 encoding carries (RFC 5915's optional {@code publicKey},
     * inside RFC 5208's {@code privateKey} octet string), or null when it has none or is not DER as expected.
     */
    static byte[] embeddedEcPublicKey(byte[] pkcs8) {
        if (pkcs8 == null) {
            return null;
        }
        try {
            Der info = new Der(pkcs8, 0).enter(0x30);           // PrivateKeyInfo
            info = info.skip(0x02).skip(0x30);                   // version, algorithm
            Der ecKey = info.enter(0x04).enter(0x30);            // privateKey { ECPrivateKey }
            ecKey = ecKey.skip(0x02).skip(0x04);                 // version, privateKey
            if (ecKey.atEnd()) {
                return null;
            }
            if (ecKey.tag() == 0xA0) {
                ecKey = ecKey.skip(0xA0);                        // [0] parameters
            }
            if (ecKey.atEnd() || ecKey.tag() != 0xA1) {
                return null;
            }
            Der bits = ecKey.enter(0xA1).enter(0x03);            // [1] { BIT STRING }
            if (bits.length() < 2 || pkcs8[bits.position()] != 0) {
                return null;                                     // unused bits must be 0
            }
            return Arrays.copyOfRange(pkcs8, bits.position() + 1, bits.position() + bits.length());
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            return null;
        }
    }

    /** SEC 1's uncompressed encoding of the key's point: 04, X, Y, each as long as the field. */
    private static byte[] uncompressedPoint(ECPublicKey key) {
        int size = (key.getParams().getCurve().getField().getFieldSize() + 7) / 8;
        byte[] point = new byte[1 + 2 * size];
        point[0] = 4;
        copyUnsigned(key.getW().getAffineX().toByteArray(), point, 1, size);
        copyUnsigned(key.getW().getAffineY().toByteArray(), point, 1 + size, size);
        return point;
    }

    private static void copyUnsigned(byte[] value, byte[] into, int offset, int size) {
        int skip = Math.max(0, value.length - size);
        int length = value.length - skip;
        System.arraycopy(value, skip, into, offset + size - length, length);
    }
}
