package dev.lanner.cli.run;

import dev.lanner.cli.CliException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.Callable;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code lanner module hash-password}: reads a password as one line of standard input and prints
 * its hash, {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}, for a line {@code user:hash} of the
 * module's credentials file.
 *
 * <p>The format is lanner-module's {@code PasswordHash} (PBKDF2-HMAC-SHA256, 16-byte random salt,
 * 32-byte hash, 210000 iterations). The CLI links no Lanner library (see its pom), so the few lines
 * that write a token are here too; the tests of both pin them to the same test vector.
 */
@Command(
        name = "hash-password",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the hash of a password read from standard input (one line), for a line user:hash"
                    + " of the module's credentials file.",
            "",
            // picocli formats descriptions: %% is a percent sign.
            "Example: read -rs PASSWORD && printf '%%s\\n' \"$PASSWORD\" | lanner module hash-password"
        })
public final class HashPasswordCommand implements Callable<Integer> {

    static final String SCHEME = "pbkdf2-sha256";
    static final int ITERATIONS = 210_000;
    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    /** Longer than any password; a bound so that piping a file by mistake is not read whole. */
    static final int MAX_PASSWORD_BYTES = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        char[] password = readPassword(System.in);
        try {
            byte[] salt = new byte[SALT_BYTES];
            RANDOM.nextBytes(salt);
            spec.commandLine().getOut().println(hash(password, ITERATIONS, salt));
            spec.commandLine().getOut().flush();
            return 0;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** The first line of {@code in} as UTF-8, without its line end; refuses an empty one. */
    static char[] readPassword(InputStream in) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                if (line.size() == MAX_PASSWORD_BYTES) {
                    throw new CliException("the password line is longer than " + MAX_PASSWORD_BYTES + " bytes;"
                            + " expected one line on standard input");
                }
                line.write(b);
            }
        } catch (IOException e) {
            throw new CliException("cannot read the password from standard input: " + e.getMessage());
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        try {
            if (length == 0) {
                throw new CliException("the password is empty; expected it as one line on standard input"
                        + " (e.g. printf '%s\\n' \"$PASSWORD\" | lanner module hash-password)");
            }
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length));
            char[] password = new char[chars.remaining()];
            chars.get(password);
            Arrays.fill(chars.array(), '\0');
            return password;
        } catch (CharacterCodingException e) {
            throw new CliException("the password is not UTF-8 text; expected one line of UTF-8 on standard input");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** {@code pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>}, as lanner-module's PasswordHash writes it. */
    static String hash(char[] password, int iterations, byte[] salt) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BYTES * 8);
        try {
            byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            Base64.Encoder base64 = Base64.getEncoder();
            return SCHEME + "$" + iterations + "$" + base64.encodeToString(salt) + "$" + base64.encodeToString(hash);
        } catch (GeneralSecurityException e) {
            throw new CliException("PBKDF2WithHmacSHA256 is not available in this JDK: " + e.getMessage());
        } finally {
            spec.clearPassword();
        }
    }
}
