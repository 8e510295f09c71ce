package dev.lanner.module.internal.outofprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.module.site.ApplicationEntry;
import dev.lanner.module.site.HostingModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessAotCacheTest {

    @TempDir
    Path folder;

    private ApplicationEntry entry(boolean aotCache) {
        return new ApplicationEntry("app", "/", null, folder, HostingModel.OUT_OF_PROCESS, "java", List.of(), Map.of(),
                false, folder.resolve("logs/stdout"), Duration.ofSeconds(10), Duration.ofSeconds(10), 10,
                Duration.ofMinutes(2), 1, null, null, false, List.of(), aotCache);
    }

    @Test
    void onlyAJavaCommandRunningJarsHasACache() {
        Path caches = folder.resolve("aot");
        assertThat(ProcessAotCache.of(entry(true), List.of("java", "-jar", "app.jar"), caches)).isNotNull();
        assertThat(ProcessAotCache.of(entry(true), List.of("/jdk/bin/java", "-cp", "a.jar:b.jar", "app.Main"), caches))
                .isNotNull();
        assertThat(ProcessAotCache.of(entry(true), List.of("java", "-cp", "target/classes:b.jar", "app.Main"), caches))
                .isNull();
        assertThat(ProcessAotCache.of(entry(true), List.of("./run.sh", "-jar", "app.jar"), caches)).isNull();
        assertThat(ProcessAotCache.of(entry(true), List.of("java", "app.Main"), caches)).isNull();
        assertThat(ProcessAotCache.of(entry(false), List.of("java", "-jar", "app.jar"), caches)).isNull();
    }

    @Test
    void theCacheIsAddedToJdkJavaOptionsOnceItExists() throws IOException {
        ProcessAotCache cache = ProcessAotCache.of(entry(true), List.of("java", "-jar", "app.jar"), folder.resolve("aot"));
        Map<String, String> environment = new HashMap<>(Map.of("JDK_JAVA_OPTIONS", "-Xmx256m"));

        assertThat(cache.addTo(environment)).isFalse();
        assertThat(environment).containsEntry("JDK_JAVA_OPTIONS", "-Xmx256m");

        Files.createDirectories(cache.file().getParent());
        Files.write(cache.file(), new byte[] {1});
        assertThat(cache.addTo(environment)).isTrue();
        assertThat(environment).containsEntry("JDK_JAVA_OPTIONS", "-Xmx256m -XX:AOTCache=" + cache.file());
        Map<String, String> empty = new HashMap<>();
        assertThat(cache.addTo(empty)).isTrue();
        assertThat(empty).containsEntry("JDK_JAVA_OPTIONS", "-XX:AOTCache=" + cache.file());
    }

    @Test
    void aRebuiltJarGetsANewCacheFile() throws IOException {
        Path jar = Files.write(folder.resolve("app.jar"), new byte[] {1, 2});
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000));
        List<String> command = List.of("java", "-jar", "app.jar");
        Path before = ProcessAotCache.of(entry(true), command, folder).file();

        assertThat(ProcessAotCache.of(entry(true), command, folder).file()).isEqualTo(before);
        assertThat(before.getFileName().toString()).matches("app-[0-9a-f]{16}\\.aot");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(2_000_000));
        assertThat(ProcessAotCache.of(entry(true), command, folder).file()).isNotEqualTo(before);
    }
}
