package dev.lanner.module.internal.identity;

import static dev.lanner.module.internal.identity.PasswordHashTest.CORRECT_HORSE_1000;
import static dev.lanner.module.internal.identity.PasswordHashTest.PASSWORD_UMLAUTS_1000;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsFileTest {

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("users.txt"), text, StandardCharsets.UTF_8);
    }

    @Test
    void readsUsersAndTheirHashesIgnoringBlankAndCommentLines() throws IOException {
        Path file = write("# lanner-module users\n\nalice:" + CORRECT_HORSE_1000 + "\r\n   # indented comment\n"
                + "  Zoë Ångström : " + PASSWORD_UMLAUTS_1000 + "  \n\n");

        CredentialsFile credentials = CredentialsFile.load(file);

        assertThat(credentials.size()).isEqualTo(2);
        assertThat(credentials.hashOf("alice")).contains(CORRECT_HORSE_1000);
        assertThat(credentials.hashOf("Zoë Ångström")).contains(PASSWORD_UMLAUTS_1000);
        assertThat(credentials.hashOf("Alice")).isEmpty();
        assertThat(credentials.hashOf("bob")).isEmpty();
        assertThat(credentials.file()).isEqualTo(file);
        assertThat(credentials.toString()).isEqualTo("CredentialsFile[" + file + ", 2 users]");
    }

    @Test
    void anEmptyFileHasNoUsers() throws IOException {
        assertThat(CredentialsFile.load(write("# nobody yet\n")).size()).isZero();
    }

    @Test
    void skipsAByteOrderMark() throws IOException {
        assertThat(CredentialsFile.load(write("\uFEFFalice:" + CORRECT_HORSE_1000 + "\n")).hashOf("alice")).isPresent();
    }

    @Test
    void rejectsALineWithoutColonNamingFileAndLine() throws IOException {
        Path file = write("alice:" + CORRECT_HORSE_1000 + "\nbob\n");

        assertRejected(file, 2, file + ":2: no ':' on the line; expected user:pbkdf2-sha256$<iterations>$<salt>$<hash>");
    }

    @Test
    void rejectsAnEmptyUserName() throws IOException {
        Path file = write("# users\n :" + CORRECT_HORSE_1000 + "\n");

        assertRejected(file, 2, file + ":2: empty user name; expected user:pbkdf2-sha256$<iterations>$<salt>$<hash>");
    }

    @Test
    void rejectsAMalformedHashWithoutEchoingIt() throws IOException {
        Path file = write("alice:" + CORRECT_HORSE_1000 + "\n\nbob:hunter2-in-clear\n");

        assertRejected(file, 3, file + ":3: user 'bob': the password hash is not of the form"
                + " pbkdf2-sha256$<iterations>$<salt base64>$<hash base64> (write it with 'lanner module hash-password')");
    }

    @Test
    void rejectsADuplicateUser() throws IOException {
        Path file = write("alice:" + CORRECT_HORSE_1000 + "\nbob:" + CORRECT_HORSE_1000 + "\nalice:" + PASSWORD_UMLAUTS_1000 + "\n");

        assertRejected(file, 3, file + ":3: duplicate user 'alice' (first on line 1); expected each user once");
    }

    @Test
    void rejectsAMissingFile() {
        Path file = dir.resolve("missing.txt");

        assertRejected(file, 0, file + ": file not found");
    }

    @Test
    void rejectsAFileThatIsNotUtf8() throws IOException {
        Path file = Files.write(dir.resolve("latin1.txt"), ("j\u00f6rg:" + CORRECT_HORSE_1000 + "\n").getBytes(StandardCharsets.ISO_8859_1));

        assertRejected(file, 0, file + ": the file is not UTF-8 text");
    }

    private static void assertRejected(Path file, int line, String message) {
        assertThatThrownBy(() -> CredentialsFile.load(file))
                .isInstanceOfSatisfying(CredentialsFileException.class, e -> {
                    assertThat(e.file()).isEqualTo(file);
                    assertThat(e.line()).isEqualTo(line);
                })
                .hasMessage(message)
                .message().doesNotContain("ppsXnjrd").doesNotContain("hunter2");
    }
}
