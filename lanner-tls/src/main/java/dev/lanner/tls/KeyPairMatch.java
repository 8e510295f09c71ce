package dev.lanner.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAKey;

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
}
