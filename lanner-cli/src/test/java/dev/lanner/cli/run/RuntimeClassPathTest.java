package dev.lanner.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.cli.CliException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeClassPathTest {
    @TempDir
    Path dir;

    @Test
    void putsTheClassesDirectoryBeforeTheDependenciesFromTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("lanner.classpath"),
                "/repo/a.jar" + File.pathSeparator + "/repo/b.jar\n");

        RuntimeClassPath classPath = RuntimeClassPath.read(dir.resolve("classes"), file);

        assertThat(classPath.entries()).containsExactly(dir.resolve("classes"), Path.of("/repo/a.jar"), Path.of("/repo/b.jar"));
        assertThat(classPath.asArgument()).isEqualTo(
                String.join(File.pathSeparator, dir.resolve("classes").toString(), "/repo/a.jar", "/repo/b.jar"));
    }

    @Test
    void anEmptyFileMeansNoDependencies() throws IOException {
        Path file = Files.writeString(dir.resolve("lanner.classpath"), "");

        assertThat(RuntimeClassPath.read(dir.resolve("classes"), file).entries()).containsExactly(dir.resolve("classes"));
    }

    @Test
    void ignoresBlankEntriesAndLineBreaks() {
        String sep = File.pathSeparator;

        assertThat(RuntimeClassPath.parse(" /a.jar " + sep + sep + "\r\n/b.jar" + sep))
                .containsExactly(Path.of("/a.jar"), Path.of("/b.jar"));
    }

    @Test
    void reportsAMissingFileWithTheWayToProduceIt() {
        Path file = dir.resolve("lanner.classpath");

        assertThatThrownBy(() -> RuntimeClassPath.read(dir.resolve("classes"), file))
                .isInstanceOf(CliException.class)
                .hasMessageStartingWith(file + " not found")
                .hasMessageContaining("build-classpath");
    }
}
