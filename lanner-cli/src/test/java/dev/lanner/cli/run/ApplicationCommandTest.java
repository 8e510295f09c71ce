package dev.lanner.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplicationCommandTest {
    @Test
    void startsTheMainClassWithPropertiesClassPathAndArguments() {
        var classPath = new RuntimeClassPath(List.of(Path.of("/app/target/classes"), Path.of("/repo/lib.jar")));
        var command = new ApplicationCommand(Path.of("/jdk/bin/java"),
                Map.of("lanner.configuration", "Release", "a", "1"), classPath, "com.example.App",
                List.of("--urls=http://127.0.0.1:0", "--Foo=bar"));

        assertThat(command.toList()).containsExactly(
                "/jdk/bin/java", "-Da=1", "-Dlanner.configuration=Release",
                "-cp", "/app/target/classes" + File.pathSeparator + "/repo/lib.jar",
                "com.example.App", "--urls=http://127.0.0.1:0", "--Foo=bar");
    }

    @Test
    void usesTheJavaOfTheRunningJdk() {
        Path java = ApplicationCommand.currentJava();

        assertThat(java).startsWith(Path.of(System.getProperty("java.home")));
        assertThat(Files.isExecutable(java) || Files.isExecutable(Path.of(java + ".exe"))).isTrue();
    }
}
