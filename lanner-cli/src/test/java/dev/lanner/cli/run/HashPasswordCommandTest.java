package dev.lanner.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.cli.LannerCli;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.stream.IntStream;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HashPasswordCommandTest {

    /**
     * The test vector of lanner-module's PasswordHashTest (salt 00 01 .. 0f, 1000 iterations, computed
     * with Python's hashlib.pbkdf2_hmac): what the CLI writes, the module verifies.
     */
    private static final String CORRECT_HORSE_1000 =
            "pbkdf2-sha256$1000$AAECAwQFBgcICQoLDA0ODw==$ppsXnjrdPB4KryJ6DrOqKqhkWrhv7PbKAMF1Eml8cZ4=";
    private static final String PASSWORD_UMLAUTS_1000 =
            "pbkdf2-sha256$1000$AAECAwQFBgcICQoLDA0ODw==$L1aYbGjzdoPwxPhGrTdCzJAIXgv98gXX9F7Efjyq3Og=";

    private final InputStream stdin = System.in;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void restoreStdin() {
        System.setIn(stdin);
    }

    private int execute(String input, String... args) {
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        var commandLine = LannerCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void writesTheModulesTestVector() {
        byte[] salt = new byte[16];
        IntStream.range(0, 16).forEach(i -> salt[i] = (byte) i);

        assertThat(HashPasswordCommand.hash("correct horse battery staple".toCharArray(), 1000, salt)).isEqualTo(CORRECT_HORSE_1000);
        assertThat(HashPasswordCommand.hash("pässwörd".toCharArray(), 1000, salt)).isEqualTo(PASSWORD_UMLAUTS_1000);
    }

    @Test
    void printsAHashOfThePasswordOnStandardInput() throws Exception {
        assertThat(execute("pässwörd with spaces \n", "module", "hash-password")).isZero();

        String token = out.toString().strip();
        assertThat(out.toString()).isEqualTo(token + System.lineSeparator());
        assertThat(err.toString()).isEmpty();
        assertThat(token).matches("pbkdf2-sha256\\$210000\\$[A-Za-z0-9+/]{22}==\\$[A-Za-z0-9+/]{43}=");
        assertThat(verify("pässwörd with spaces ", token)).isTrue();
        assertThat(verify("pässwörd with spaces", token)).isFalse();
    }

    @Test
    void readsOnlyTheFirstLineWithoutItsLineEnd() throws Exception {
        assertThat(execute("s3cret\r\nsecond line\n", "module", "hash-password")).isZero();

        assertThat(verify("s3cret", out.toString().strip())).isTrue();
    }

    @Test
    void eachRunHasItsOwnSalt() {
        execute("same\n", "module", "hash-password");
        execute("same\n", "module", "hash-password");

        String[] tokens = out.toString().strip().split("\\R");
        assertThat(tokens).hasSize(2);
        assertThat(tokens[0]).isNotEqualTo(tokens[1]);
    }

    @Test
    void refusesAnEmptyPassword() {
        for (String input : new String[] {"", "\n", "\r\n"}) {
            out.getBuffer().setLength(0);
            err.getBuffer().setLength(0);
            assertThat(execute(input, "module", "hash-password")).as(input).isEqualTo(LannerCli.EXIT_ERROR);
            assertThat(out.toString()).isEmpty();
            assertThat(err.toString()).isEqualTo("lanner: the password is empty; expected it as one line on standard input"
                    + " (e.g. printf '%s\\n' \"$PASSWORD\" | lanner module hash-password)" + System.lineSeparator());
        }
    }

    @Test
    void refusesAPasswordThatIsNotUtf8() {
        System.setIn(new ByteArrayInputStream(new byte[] {'a', (byte) 0xC3, (byte) 0x28, '\n'}));
        var commandLine = LannerCli.commandLine();
        commandLine.setErr(new PrintWriter(err, true));

        assertThat(commandLine.execute("module", "hash-password")).isEqualTo(LannerCli.EXIT_ERROR);
        assertThat(err.toString()).isEqualTo("lanner: the password is not UTF-8 text; expected one line of UTF-8 on standard input"
                + System.lineSeparator());
    }

    @Test
    void isListedInTheModulesHelp() {
        assertThat(execute("", "module", "--help")).isZero();

        assertThat(out.toString()).contains("hash-password");
    }

    @Test
    void helpShowsTheExampleVerbatim() {
        assertThat(execute("", "module", "hash-password", "--help")).isZero();

        assertThat(out.toString()).contains("printf '%s\\n' \"$PASSWORD\" | lanner module");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void theModuleCommandStillRequiresASiteFile() {
        assertThat(execute("", "module")).isEqualTo(LannerCli.EXIT_USAGE);

        assertThat(err.toString()).isEqualTo("lanner: Missing required parameter: '<site.json>'" + System.lineSeparator()
                + "Try 'lanner module --help' for more information." + System.lineSeparator());
    }

    /** PasswordHash.verify of lanner-module, by the definition of the format (the CLI cannot link the module). */
    private static boolean verify(String password, String token) throws Exception {
        String[] fields = token.split("\\$");
        byte[] salt = Base64.getDecoder().decode(fields[2]);
        byte[] expected = Base64.getDecoder().decode(fields[3]);
        byte[] actual = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, Integer.parseInt(fields[1]), 256)).getEncoded();
        return fields[0].equals("pbkdf2-sha256") && MessageDigest.isEqual(expected, actual);
    }
}
