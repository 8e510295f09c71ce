package dev.lanner.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

class KeyPairMatchTest {

    private static KeyPair ec(String curve) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    private static KeyPair generate(String algorithm) throws GeneralSecurityException {
        return KeyPairGenerator.getInstance(algorithm).generateKeyPair();
    }

    @Test
    void matchesTheKeysOfOnePair() throws GeneralSecurityException {
        for (KeyPair pair : new KeyPair[] {ec("secp256r1"), generate("RSA"), generate("Ed25519")}) {
            assertThat(KeyPairMatch.matches(pair.getPublic(), pair.getPrivate())).as(pair.getPublic().getAlgorithm()).isTrue();
        }
    }

    @Test
    void tellsKeysOfDifferentPairsApart() throws GeneralSecurityException {
        assertThat(KeyPairMatch.matches(ec("secp256r1").getPublic(), ec("secp256r1").getPrivate())).isFalse();
        assertThat(KeyPairMatch.matches(ec("secp256r1").getPublic(), ec("secp384r1").getPrivate())).isFalse();
        assertThat(KeyPairMatch.matches(generate("RSA").getPublic(), generate("RSA").getPrivate())).isFalse();
        assertThat(KeyPairMatch.matches(generate("RSA").getPublic(), ec("secp256r1").getPrivate())).isFalse();
        assertThat(KeyPairMatch.matches(generate("Ed25519").getPublic(), generate("Ed25519").getPrivate())).isFalse();
    }

    @Test
    void comparesThePublicPointAnOpenSslKeyCarriesWithoutSigning() throws Exception {
        KeyPair pair = ec("secp256r1");
        KeyPair other = ec("secp256r1");
        java.security.interfaces.ECPublicKey ecPublic = (java.security.interfaces.ECPublicKey) pair.getPublic();
        // The JDK's encoding has no public point; OpenSSL's (RFC 5915 [1]) has: build one as OpenSSL does.
        assertThat(KeyPairMatch.embeddedEcPublicKey(pair.getPrivate().getEncoded())).isNull();
        byte[] withPoint = withPublicPoint(pair.getPrivate().getEncoded(), ecPublic);
        java.security.PrivateKey key = java.security.KeyFactory.getInstance("EC")
                .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(withPoint));

        byte[] point = KeyPairMatch.embeddedEcPublicKey(key.getEncoded());

        assertThat(point).hasSize(65).startsWith(4);
        assertThat(KeyPairMatch.matches(pair.getPublic(), key)).isTrue();
        assertThat(KeyPairMatch.matches(other.getPublic(), key)).isFalse();
    }

    @Test
    void malformedEncodingsCarryNoPoint() {
        assertThat(KeyPairMatch.embeddedEcPublicKey(new byte[0])).isNull();
        assertThat(KeyPairMatch.embeddedEcPublicKey(new byte[] {0x30, 0x05, 0x02, 0x01})).isNull();
        assertThat(KeyPairMatch.embeddedEcPublicKey(new byte[] {0x30, (byte) 0x84, 1, 1, 1, 1})).isNull();
    }

    /** The JDK's PKCS#8 of an EC key with RFC 5915's [1] publicKey added to its ECPrivateKey. */
    private static byte[] withPublicPoint(byte[] pkcs8, java.security.interfaces.ECPublicKey publicKey) throws Exception {
        java.io.ByteArrayOutputStream point = new java.io.ByteArrayOutputStream();
        point.write(4);
        point.write(fixed(publicKey.getW().getAffineX(), 32));
        point.write(fixed(publicKey.getW().getAffineY(), 32));
        byte[] bitString = der(0x03, concat(new byte[] {0}, point.toByteArray()));
        byte[] tagged = der(0xA1, bitString);
        // PrivateKeyInfo = SEQ { INT, SEQ alg, OCTET { SEQ ecKey } }: rebuild the inner SEQ with [1] appended.
        int[] outer = contentOf(pkcs8, 0);
        int at = outer[0];
        at = next(pkcs8, at);                 // version
        at = next(pkcs8, at);                 // algorithm
        byte[] head = java.util.Arrays.copyOfRange(pkcs8, outer[0], at);
        int[] octet = contentOf(pkcs8, at);
        int[] ecKey = contentOf(pkcs8, octet[0]);
        byte[] ecContent = concat(java.util.Arrays.copyOfRange(pkcs8, ecKey[0], ecKey[0] + ecKey[1]), tagged);
        return der(0x30, concat(head, der(0x04, der(0x30, ecContent))));
    }

    private static byte[] fixed(java.math.BigInteger value, int size) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[size];
        int skip = Math.max(0, raw.length - size);
        System.arraycopy(raw, skip, out, size - (raw.length - skip), raw.length - skip);
        return out;
    }

    private static int[] contentOf(byte[] der, int at) {
        int first = der[at + 1] & 0xFF;
        if (first < 0x80) {
            return new int[] {at + 2, first};
        }
        int count = first & 0x7F;
        int length = 0;
        for (int i = 0; i < count; i++) {
            length = (length << 8) | (der[at + 2 + i] & 0xFF);
        }
        return new int[] {at + 2 + count, length};
    }

    private static int next(byte[] der, int at) {
        int[] content = contentOf(der, at);
        return content[0] + content[1];
    }

    private static byte[] der(int tag, byte[] content) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(tag);
        if (content.length < 0x80) {
            out.write(content.length);
        } else if (content.length < 0x100) {
            out.write(0x81);
            out.write(content.length);
        } else {
            out.write(0x82);
            out.write(content.length >> 8);
            out.write(content.length & 0xFF);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
