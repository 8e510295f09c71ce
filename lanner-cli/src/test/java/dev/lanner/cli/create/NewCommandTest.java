package dev.lanner.cli.create;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.cli.LannerCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of {@code lanner new}: its refusals (one line, exit code 1) happen before anything is written. */
class NewCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path temp;

    private int execute(String... args) {
        var commandLine = LannerCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void helpListsTheTemplatesAndOptions() {
        assertThat(execute("new", "--help")).isZero();

        assertThat(out.toString()).contains("<template>", "<dir>", "--name", "--package", "  web  a web application");
    }

    @Test
    void theCommandIsListedByLanner() {
        assertThat(execute("--help")).isZero();

        assertThat(out.toString()).contains("  new ");
    }

    @Test
    void anUnknownTemplateIsOneLineListingTheTemplates() {
        assertThat(execute("new", "console", temp.resolve("app").toString())).isEqualTo(LannerCli.EXIT_ERROR);

        assertThat(err.toString()).isEqualTo("lanner: unknown template 'console'; the templates are: web" + System.lineSeparator());
        assertThat(temp.resolve("app")).doesNotExist();
    }

    @Test
    void aFolderThatIsNotEmptyIsRefused() throws IOException {
        Files.writeString(temp.resolve("keep.txt"), "");

        assertThat(execute("new", "web", temp.toString())).isEqualTo(LannerCli.EXIT_ERROR);

        assertThat(err.toString()).isEqualTo("lanner: " + temp + " is not empty; choose another folder" + System.lineSeparator());
        assertThat(temp).isDirectoryNotContaining(path -> !path.getFileName().toString().equals("keep.txt"));
    }

    @Test
    void aFolderNameThatIsNotAProjectNameAsksForName() {
        Path folder = temp.resolve("my app");

        assertThat(execute("new", "web", folder.toString())).isEqualTo(LannerCli.EXIT_ERROR);

        assertThat(err.toString()).isEqualTo("lanner: the folder name 'my app' is not a valid project name"
                + " (letters, digits, '-', '_' and '.'); pass one with --name" + System.lineSeparator());
        assertThat(folder).doesNotExist();
    }

    @Test
    void anInvalidPackageIsRefused() {
        assertThat(execute("new", "web", temp.resolve("app").toString(), "--package", "com.new")).isEqualTo(LannerCli.EXIT_ERROR);

        assertThat(err.toString()).startsWith("lanner: 'com.new' is not a valid Java package").endsWith("--package" + System.lineSeparator());
        assertThat(temp.resolve("app")).doesNotExist();
    }

    @Test
    void needsAFolderOrAName() {
        assertThat(execute("new", "web")).isEqualTo(LannerCli.EXIT_ERROR);

        assertThat(err.toString()).isEqualTo("lanner: give the project folder or --name (e.g. lanner new web myapp)" + System.lineSeparator());
    }

    @Test
    void needsATemplate() {
        assertThat(execute("new")).isEqualTo(LannerCli.EXIT_USAGE);

        assertThat(err.toString()).contains("Missing required parameter: '<template>'");
    }
}
