package dev.lanner.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AheadOfTimeCacheTest {

    @TempDir
    Path dir;

    private ApplicationCommand command(List<Path> classPath, String... arguments) {
        return new ApplicationCommand(Path.of("/jdk/bin/java"), Map.of("lanner.configuration", "Release"),
                new RuntimeClassPath(classPath), "app.Main", List.of(arguments));
    }

    @Test
    void theTrainingRunRecordsTheCacheOnFreePortsAndStopsItself() {
        ApplicationCommand command = command(List.of(Path.of("/app/app.jar")),
                "--urls=https://localhost:5001;http://127.0.0.1:5000", "--environment=Staging");

        ApplicationCommand training = AheadOfTimeCache.trainingCommand(command, Path.of("/cache/x.aot"));

        assertThat(training.toList()).containsExactly("/jdk/bin/java", "-XX:AOTCacheOutput=/cache/x.aot",
                "-Dlanner.configuration=Release", "-cp", "/app/app.jar", "app.Main",
                "--urls=https://localhost:0;http://127.0.0.1:0", "--environment=Staging", "--Hosting:TrainingRun=true");
    }

    @Test
    void theKeyChangesWhenAJarIsRebuiltAndOnlyThen() throws IOException {
        Path jar = Files.write(dir.resolve("app.jar"), new byte[] {1, 2, 3});
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000));
        ApplicationCommand command = command(List.of(jar));
        String first = AheadOfTimeCache.key(command);

        assertThat(AheadOfTimeCache.key(command)).isEqualTo(first).hasSize(16);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(2_000_000));
        assertThat(AheadOfTimeCache.key(command)).isNotEqualTo(first);
    }

    @Test
    void aClassesDirectoryOnTheClassPathMeansNoCacheAndNoTrainingRun() {
        ApplicationCommand command = command(List.of(dir.resolve("classes"), dir.resolve("lib.jar")));

        assertThat(AheadOfTimeCache.prepare(command, Map.of(), dir, dir.resolve("aot"))).isEmpty();
        assertThat(dir.resolve("aot")).doesNotExist();
    }
}
