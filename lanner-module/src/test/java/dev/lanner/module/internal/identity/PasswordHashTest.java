package dev.lanner.module.internal.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PasswordHashTest {

    /** Salt 00 01 .. 0f; computed independently with Python's hashlib.pbkdf2_hmac('sha256', ...). */
    static final String CORRECT_HORSE_1000 =
            "pbkdf2-sha256$1000$AAECAwQFBgcICQoLDA0ODw==$ppsXnjrdPB4KryJ6DrOqKqhkWrhv7PbKAMF1Eml8cZ4=";
    static final String PASSWORD_UMLAUTS_1000 =
            "pbkdf2-sha256$1000$AAECAwQFBgcICQoLDA0ODw==$L1aYbGjzdoPwxPhGrTdCzJAIXgv98gXX9F7Efjyq3Og=";
    private static final byte[] SALT = new byte[16];

    static {
        IntStream.range(0, 16).forEach(i -> SALT[i] = (byte) i);
    }

    @Test
    void matchesTheTestVectorsWithTheirSalt() {
        assertThat(PasswordHash.hash("correct horse battery staple".toCharArray(), 1000, SALT)).isEqualTo(CORRECT_HORSE_1000);
        assertThat(PasswordHash.hash("pässwörd".toCharArray(), 1000, SALT)).isEqualTo(PASSWORD_UMLAUTS_1000);
    }

    @Test
    void verifiesTheTestVectors() {
        assertThat(PasswordHash.verify("correct horse battery staple".toCharArray(), CORRECT_HORSE_1000)).isTrue();
        assertThat(PasswordHash.verify("pässwörd".toCharArray(), PASSWORD_UMLAUTS_1000)).isTrue();
        assertThat(PasswordHash.verify("correct horse battery stapl".toCharArray(), CORRECT_HORSE_1000)).isFalse();
        assertThat(PasswordHash.verify("passwort".toCharArray(), PASSWORD_UMLAUTS_1000)).isFalse();
    }

    @Test
    void defaultTokenHasTheSchemeDefaultIterationsA16ByteSaltAndA32ByteHash() {
        String token = PasswordHash.hash("s3cret".toCharArray());

        String[] fields = token.split("\\$");
        assertThat(fields).hasSize(4);
        assertThat(fields[0]).isEqualTo("pbkdf2-sha256");
        assertThat(fields[1]).isEqualTo("210000");
        assertThat(Base64.getDecoder().decode(fields[2])).hasSize(16);
        assertThat(Base64.getDecoder().decode(fields[3])).hasSize(32);
        assertThat(PasswordHash.verify("s3cret".toCharArray(), token)).isTrue();
        assertThat(PasswordHash.verify("S3cret".toCharArray(), token)).isFalse();
    }

    @Test
    void eachHashHasItsOwnSalt() {
        String first = PasswordHash.hash("same".toCharArray(), 1000);
        String second = PasswordHash.hash("same".toCharArray(), 1000);

        assertThat(first).isNotEqualTo(second);
        assertThat(PasswordHash.verify("same".toCharArray(), first)).isTrue();
        assertThat(PasswordHash.verify("same".toCharArray(), second)).isTrue();
    }

    @Test
    void emptyPasswordIsRefusedAndMatchesNothing() {
        assertThatThrownBy(() -> PasswordHash.hash(new char[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("password must not be empty");
        assertThat(PasswordHash.verify(new char[0], CORRECT_HORSE_1000)).isFalse();
    }

    @Test
    void rejectsIterationsOutOfRange() {
        assertThatThrownBy(() -> PasswordHash.hash("x".toCharArray(), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the iteration count of the password hash is 0; expected 1..10000000");
        assertThatThrownBy(() -> PasswordHash.hash("x".toCharArray(), 10_000_001)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedTokensAreRejectedWithAMessageThatDoesNotEchoThem() {
        String salt = "AAECAwQFBgcICQoLDA0ODw==";
        String hash = "ppsXnjrdPB4KryJ6DrOqKqhkWrhv7PbKAMF1Eml8cZ4=";
        assertMalformed("", "the password hash is not of the form pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>");
        assertMalformed("plain-text-password", "the password hash is not of the form pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>");
        assertMalformed("pbkdf2-sha1$1000$" + salt + "$" + hash, "the password hash is not of the form pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>");
        assertMalformed("pbkdf2-sha256$1000$" + salt + "$" + hash + "$", "the password hash is not of the form pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>");
        assertMalformed("pbkdf2-sha256$abc$" + salt + "$" + hash, "the iteration count of the password hash is not a number 1..10000000");
        assertMalformed("pbkdf2-sha256$0100$" + salt + "$" + hash, "the iteration count of the password hash is not a number 1..10000000");
        assertMalformed("pbkdf2-sha256$99999999$" + salt + "$" + hash, "the iteration count of the password hash is 99999999; expected 1..10000000");
        assertMalformed("pbkdf2-sha256$1000$not*base64$" + hash, "the salt of the password hash is not standard base64");
        assertMalformed("pbkdf2-sha256$1000$" + salt + "$" + hash.replace('=', '*'), "the hash of the password hash is not standard base64");
        assertMalformed("pbkdf2-sha256$1000$AAAA$" + hash, "the salt of the password hash has 3 bytes; expected at least 8");
        assertMalformed("pbkdf2-sha256$1000$" + salt + "$AAAA", "the hash of the password hash has 3 bytes; expected at least 16");
        assertThatThrownBy(() -> PasswordHash.verify("x".toCharArray(), null)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertMalformed(String token, String message) {
        assertThatThrownBy(() -> PasswordHash.verify("x".toCharArray(), token)).as(token)
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
        assertThatThrownBy(() -> PasswordHash.checkFormat(token)).as(token)
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
