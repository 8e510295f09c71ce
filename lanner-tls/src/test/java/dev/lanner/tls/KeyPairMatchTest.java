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
}
