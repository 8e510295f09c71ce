package dev.lanner.module.internal.identity;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted password hashes for the module's credentials file: PBKDF2 with HMAC-SHA-256 (RFC 8018 §5.2)
 * from the JDK, written as one token
 *
 * <pre>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt, standard base64&gt;$&lt;hash, standard base64&gt;</pre>
 *
 * with a 16-byte random salt and a 32-byte hash. The password's characters enter PBKDF2 as UTF-8 (what
 * the JDK's {@code PBKDF2WithHmacSHA256} does), so a hash made here verifies a password sent in a
 * {@code charset="UTF-8"} Basic challenge. A verification costs as much as the hash did: tens of
 * milliseconds at the default {@value #DEFAULT_ITERATIONS} iterations (the OWASP 2021 figure for
 * PBKDF2-HMAC-SHA256); callers on an event loop must not verify there.
 *
 * <p>{@code lanner module hash-password} (lanner-cli) writes the same format; both are pinned by one
 * test vector in their tests.
 */
public final class PasswordHash {

    /** The first field of the token. */
    public static final String SCHEME = "pbkdf2-sha256";
    /** Iterations of {@link #hash(char[])}. */
    public static final int DEFAULT_ITERATIONS = 210_000;
    /** The most iterations a token may ask for: beyond, one verification would hold a thread for minutes. */
    public static final int MAX_ITERATIONS = 10_000_000;
    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final String FORMAT = SCHEME + "$<iterations>$<salt base64>$<hash base64>";
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    /** The token for {@code password} with a new random salt and {@value #DEFAULT_ITERATIONS} iterations. */
    public static String hash(char[] password) {
        return hash(password, DEFAULT_ITERATIONS);
    }

    /**
     * The token for {@code password} with a new random salt.
     *
     * @throws IllegalArgumentException when the password is empty or {@code iterations} is not 1..{@value #MAX_ITERATIONS}
     */
    public static String hash(char[] password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return hash(password, iterations, salt);
    }

    /** The token for {@code password} with the given salt (the test vectors fix it). */
    static String hash(char[] password, int iterations, byte[] salt) {
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("password must not be empty");
        }
        checkIterations(iterations);
        Base64.Encoder base64 = Base64.getEncoder();
        return SCHEME + "$" + iterations + "$" + base64.encodeToString(salt) + "$"
                + base64.encodeToString(pbkdf2(password, salt, iterations, HASH_BYTES));
    }

    /**
     * Whether {@code password} is the one {@code encoded} was made from; the hashes are compared in
     * constant time. An empty password matches nothing (no token is made from one).
     *
     * @throws IllegalArgumentException when {@code encoded} is not a token of this format (the message never echoes it)
     */
    public static boolean verify(char[] password, String encoded) {
        Parsed parsed = parse(encoded);
        if (password == null || password.length == 0) {
            return false;
        }
        return MessageDigest.isEqual(parsed.hash, pbkdf2(password, parsed.salt, parsed.iterations, parsed.hash.length));
    }

    /**
     * Checks that {@code encoded} is a token of this format without verifying anything, so that a
     * credentials file is rejected when it is loaded, not at the first login.
     *
     * @throws IllegalArgumentException naming what is wrong (never echoing the token)
     */
    public static void checkFormat(String encoded) {
        parse(encoded);
    }

    private record Parsed(int iterations, byte[] salt, byte[] hash) {
    }

    private static Parsed parse(String encoded) {
        if (encoded == null) {
            throw new IllegalArgumentException("no password hash; expected " + FORMAT);
        }
        String[] fields = encoded.split("\\$", -1);
        if (fields.length != 4 || !fields[0].equals(SCHEME)) {
            throw new IllegalArgumentException("the password hash is not of the form " + FORMAT);
        }
        if (!fields[1].matches("[1-9][0-9]{0,8}")) {
            throw new IllegalArgumentException("the iteration count of the password hash is not a number 1.." + MAX_ITERATIONS);
        }
        int iterations = Integer.parseInt(fields[1]);
        checkIterations(iterations);
        byte[] salt = base64(fields[2], "salt");
        byte[] hash = base64(fields[3], "hash");
        if (salt.length < 8) {
            throw new IllegalArgumentException("the salt of the password hash has " + salt.length + " bytes; expected at least 8");
        }
        if (hash.length < 16) {
            throw new IllegalArgumentException("the hash of the password hash has " + hash.length + " bytes; expected at least 16");
        }
        return new Parsed(iterations, salt, hash);
    }

    private static byte[] base64(String field, String name) {
        try {
            return Base64.getDecoder().decode(field);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + name + " of the password hash is not standard base64");
        }
    }

    private static void checkIterations(int iterations) {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("the iteration count of the password hash is " + iterations
                    + "; expected 1.." + MAX_ITERATIONS);
        }
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            // Every JDK has it (a required algorithm since Java 8); without it nothing here can work.
            throw new IllegalStateException(ALGORITHM + " is not available: " + e, e);
        } finally {
            spec.clearPassword();
        }
    }
}
