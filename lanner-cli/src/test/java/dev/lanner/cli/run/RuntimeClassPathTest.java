package dev.lanner.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.cli.CliException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    @Test
    void thePackagedJarReplacesTheClassesAndItsManifestsCopiesReplaceTheRepositorysJars(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Path lib = Files.createDirectories(dir.resolve("target/lib"));
        Files.writeString(lib.resolve("a.jar"), "copy");
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH, "lib/a.jar lib/missing.jar");
        Path jar = dir.resolve("target/app.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new java.util.jar.JarEntry("x.txt"));
        }
        RuntimeClassPath debug = new RuntimeClassPath(List.of(dir.resolve("target/classes"),
                Path.of("/repo/a.jar"), Path.of("/repo/missing.jar"), Path.of("/repo/b.jar")));

        assertThat(debug.withPackagedJar(jar).entries()).containsExactly(jar, lib.resolve("a.jar").toAbsolutePath(),
                Path.of("/repo/missing.jar"), Path.of("/repo/b.jar"));
    }
}
