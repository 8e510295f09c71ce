package dev.lanner.module.internal.identity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The users the module's HTTP Basic authentication knows: a UTF-8 text file with one
 * {@code user:hash} per line, the hash a {@link PasswordHash} token
 * ({@code lanner module hash-password} writes one). Blank lines and lines starting with {@code #} are
 * ignored; spaces around a line are dropped. User names are compared exactly (case-sensitively), are not
 * empty and contain no {@code :} (RFC 7617 §2: the user-id ends at the first colon).
 *
 * <pre>
 * # lanner-module users
 * alice:pbkdf2-sha256$210000$q2V3...==$Xb1k...=
 * </pre>
 *
 * <p>Immutable; {@link #load} checks every line, so a file with a problem is rejected as a whole.
 */
public final class CredentialsFile {

    private static final String EXPECTED_LINE = "expected user:" + PasswordHash.SCHEME + "$<iterations>$<salt>$<hash>";

    private final Path file;
    private final Map<String, String> hashes;
    private final String firstHash;

    private CredentialsFile(Path file, Map<String, String> hashes, String firstHash) {
        this.file = file;
        this.hashes = Map.copyOf(hashes);
        this.firstHash = firstHash;
    }

    /**
     * Reads and checks {@code file}.
     *
     * @throws CredentialsFileException with one line naming the file and line when it is missing, not
     *                                  UTF-8, or a line is malformed, has a bad hash or repeats a user
     * @throws IOException              when the file cannot be read
     */
    public static CredentialsFile load(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CredentialsFileException(file, 0, "file not found", e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CredentialsFileException(file, 0, "the file is not UTF-8 text", null);
        }
        return parse(file, text.lines().toList());
    }

    private static CredentialsFile parse(Path file, List<String> lines) throws CredentialsFileException {
        Map<String, String> hashes = new HashMap<>();
        Map<String, Integer> lineOfUser = new HashMap<>();
        String firstHash = null;
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            String line = lines.get(i).strip();
            if (number == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1).strip(); // a byte order mark some editors write
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new CredentialsFileException(file, number, "no ':' on the line; " + EXPECTED_LINE, null);
            }
            String user = line.substring(0, colon).strip();
            String hash = line.substring(colon + 1).strip();
            if (user.isEmpty()) {
                throw new CredentialsFileException(file, number, "empty user name; " + EXPECTED_LINE, null);
            }
            try {
                PasswordHash.checkFormat(hash);
            } catch (IllegalArgumentException e) {
                throw new CredentialsFileException(file, number, "user '" + user + "': " + e.getMessage()
                        + " (write it with 'lanner module hash-password')", null);
            }
            Integer first = lineOfUser.putIfAbsent(user, number);
            if (first != null) {
                throw new CredentialsFileException(file, number, "duplicate user '" + user + "' (first on line "
                        + first + "); expected each user once", null);
            }
            hashes.put(user, hash);
            firstHash = firstHash == null ? hash : firstHash;
        }
        return new CredentialsFile(file, hashes, firstHash);
    }

    /** The file this was loaded from. */
    public Path file() {
        return file;
    }

    /** The number of users. */
    public int size() {
        return hashes.size();
    }

    /** The {@link PasswordHash} token of {@code user}, or empty when the file has no such user. */
    public Optional<String> hashOf(String user) {
        return Optional.ofNullable(hashes.get(user));
    }

    /** The hash of the first user, if any: a verification of the same cost for an unknown user. */
    Optional<String> anyHash() {
        return Optional.ofNullable(firstHash);
    }

    /** Without the hashes. */
    @Override
    public String toString() {
        return "CredentialsFile[" + file + ", " + hashes.size() + " users]";
    }
}
