package dev.lanner.cli.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.cli.CliException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class LannerArtifactsTest {
    private static final Instant SOURCES = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant LATER = SOURCES.plusSeconds(60);
    /** What Maven installs for the small build below, relative to the repository's dev/lanner. */
    private static final List<String> INSTALLED = List.of(
            "lanner-parent/9.9-SNAPSHOT/lanner-parent-9.9-SNAPSHOT.pom",
            "lanner-http/9.9-SNAPSHOT/lanner-http-9.9-SNAPSHOT.pom", "lanner-http/9.9-SNAPSHOT/lanner-http-9.9-SNAPSHOT.jar",
            "lanner-hosting/9.9-SNAPSHOT/lanner-hosting-9.9-SNAPSHOT.pom", "lanner-hosting/9.9-SNAPSHOT/lanner-hosting-9.9-SNAPSHOT.jar",
            "lanner-server/9.9-SNAPSHOT/lanner-server-9.9-SNAPSHOT.pom", "lanner-server/9.9-SNAPSHOT/lanner-server-9.9-SNAPSHOT.jar",
            "lanner-logging/9.9-SNAPSHOT/lanner-logging-9.9-SNAPSHOT.pom", "lanner-logging/9.9-SNAPSHOT/lanner-logging-9.9-SNAPSHOT.jar");

    @TempDir
    Path root;
    @TempDir
    Path repository;

    /** A small Lanner build: the parent, lanner-hosting and lanner-server on lanner-http, and a test kit. */
    @BeforeEach
    void writeBuild() throws IOException {
        write("pom.xml", """
                <project><groupId>dev.lanner</groupId><artifactId>lanner-parent</artifactId><version>9.9-SNAPSHOT</version>
                  <modules><module>lanner-http</module><module>lanner-testkit</module><module>lanner-hosting</module>
                    <module>lanner-server</module><module>lanner-logging</module><module>samples/hello</module></modules></project>""");
        module("lanner-http", "");
        module("lanner-testkit", dependency("lanner-http", null));
        module("lanner-hosting", dependency("lanner-http", null) + dependency("lanner-testkit", "test"));
        module("lanner-server", dependency("lanner-http", "runtime"));
        module("lanner-logging", dependency("lanner-hosting", null));
        module("samples/hello", dependency("lanner-hosting", null));
        // Folders count as sources too (a removed file changes its folder).
        try (Stream<Path> all = Files.walk(root)) {
            for (Path path : all.toList()) {
                Files.setLastModifiedTime(path, FileTime.from(SOURCES));
            }
        }
    }

    private LannerArtifacts artifacts() {
        return new LannerArtifacts(root, repository, false, Path.of("/jdk"));
    }

    @Test
    void installsWhatApplicationsUseAndTheirLannerDependencies() {
        assertThat(artifacts().modules()).containsExactly("lanner-http", "lanner-hosting", "lanner-server", "lanner-logging");
    }

    @Test
    void theInstallCommandNamesThoseModulesAndAlsoMakesTheirParent() {
        assertThat(artifacts().command()).containsExactly(
                "mvn", "-q", "-B", "-ntp", "-Dstyle.color=never", "install", "-DskipTests",
                "-pl", "lanner-http,lanner-hosting,lanner-server,lanner-logging", "-am");
    }

    @Test
    void aRepositoryGivenToTheCliIsGivenToMaven() {
        var artifacts = new LannerArtifacts(root, repository, true, Path.of("/jdk"));

        assertThat(artifacts.command()).contains("-Dmaven.repo.local=" + repository);
    }

    @Test
    void reportsEachMissingArtifact() {
        assertThat(artifacts().outdated()).containsExactly(
                "lanner-parent missing", "lanner-http missing", "lanner-hosting missing", "lanner-server missing",
                "lanner-logging missing");
    }

    @Test
    void installedArtifactsNewerThanTheirSourcesAreUpToDate() throws IOException {
        installAll(LATER);

        assertThat(artifacts().outdated()).isEmpty();
        var progress = new ByteArrayOutputStream();
        artifacts().ensureInstalled(new PrintStream(progress, true, StandardCharsets.UTF_8));
        assertThat(progress.toString(StandardCharsets.UTF_8))
                .isEqualTo("lanner: Lanner's libraries in " + repository + " are up to date" + System.lineSeparator());
    }

    @Test
    void aSourceChangedSinceTheInstallationMakesItsModuleOutOfDate() throws IOException {
        installAll(LATER);
        Files.setLastModifiedTime(root.resolve("lanner-server/src/main/java/Code.java"), FileTime.from(LATER.plusSeconds(1)));

        assertThat(artifacts().outdated()).containsExactly("lanner-server changed");
    }

    @Test
    void aChangedRootPomMakesEverythingOutOfDate() throws IOException {
        installAll(LATER);
        Files.setLastModifiedTime(root.resolve("pom.xml"), FileTime.from(LATER.plusSeconds(1)));

        assertThat(artifacts().outdated()).containsExactly(
                "lanner-parent changed", "lanner-http changed", "lanner-hosting changed", "lanner-server changed",
                "lanner-logging changed");
    }

    @Test
    void aLibraryTheBuildLacksIsOneLine() throws IOException {
        write("pom.xml", """
                <project><artifactId>lanner-parent</artifactId><version>9.9-SNAPSHOT</version>
                  <modules><module>lanner-http</module></modules></project>""");

        assertThatThrownBy(() -> artifacts().modules())
                .isInstanceOf(CliException.class)
                .hasMessage("the Lanner build at " + root + " has no module lanner-hosting; update the CLI (rebuild it with ./lanner)");
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "the stand-in for Maven is a shell script")
    void installsWithTheCheckoutsMavenWrapperAndDatesTheArtifactsAtTheInstallation() throws IOException {
        // A stand-in for Maven that installs the artifacts dated before their sources (Maven keeps an
        // installed file's own date): the installer dates them at the installation, so they are up to date.
        StringBuilder script = new StringBuilder("#!/bin/sh\necho \"$@\" > \"$0.args\"\n");
        for (String file : INSTALLED) {
            Path installed = repository.resolve("dev/lanner").resolve(file);
            script.append("mkdir -p '").append(installed.getParent()).append("' && touch -d 2025-06-01T00:00:00Z '")
                    .append(installed).append("'\n");
        }
        mavenWrapper(script.toString());
        var progress = new ByteArrayOutputStream();

        artifacts().ensureInstalled(new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(progress.toString(StandardCharsets.UTF_8)).isEqualTo(
                "lanner: installing Lanner's libraries to the local Maven repository (first time, about a minute)..."
                        + System.lineSeparator());
        assertThat(Files.readString(root.resolve("mvnw.args")).strip())
                .isEqualTo("-q -B -ntp -Dstyle.color=never install -DskipTests -pl lanner-http,lanner-hosting,lanner-server,lanner-logging -am");
        assertThat(artifacts().outdated()).isEmpty();
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "the stand-in for Maven is a shell script")
    void aFailedInstallationShowsMavensOutputThenOneLineNamingTheCommand() throws IOException {
        mavenWrapper("#!/bin/sh\necho '[ERROR] COMPILATION ERROR in lanner-http'\nexit 3\n");
        var progress = new ByteArrayOutputStream();

        assertThatThrownBy(() -> artifacts().ensureInstalled(new PrintStream(progress, true, StandardCharsets.UTF_8)))
                .isInstanceOf(CliException.class)
                .hasMessage("installing Lanner's libraries failed (" + root.resolve("mvnw")
                        + " -q -B -ntp -Dstyle.color=never install -DskipTests -pl lanner-http,lanner-hosting,lanner-server,lanner-logging -am in "
                        + root + " exited with 3); fix what Maven reports above and run that command again");
        assertThat(progress.toString(StandardCharsets.UTF_8)).endsWith("[ERROR] COMPILATION ERROR in lanner-http\n");
    }

    @Test
    void theLocalRepositoryIsTheSystemPropertyThenMavenOptsThenTheDefault() {
        assertThat(LannerArtifacts.localRepository("/r1", "-Dmaven.repo.local=/r2", "/home/u")).isEqualTo(Path.of("/r1"));
        assertThat(LannerArtifacts.localRepository(null, "-Xmx1g -Dmaven.repo.local=/r2 -Dx=y", "/home/u")).isEqualTo(Path.of("/r2"));
        assertThat(LannerArtifacts.localRepository(" ", "-Xmx1g", "/home/u")).isEqualTo(Path.of("/home/u/.m2/repository"));
        assertThat(LannerArtifacts.localRepository(null, null, "/home/u")).isEqualTo(Path.of("/home/u/.m2/repository"));
    }

    @Test
    void theVersionIsTheRootPomsVersion() {
        assertThat(LannerArtifacts.version(root)).isEqualTo("9.9-SNAPSHOT");
    }

    @Test
    void thisCheckoutsApplicationsNeedItsHttpTlsCertificatesHostingServerAndLoggingModules() {
        Path checkout = Path.of("..").toAbsolutePath().normalize();
        var artifacts = new LannerArtifacts(checkout, repository, false, Path.of("/jdk"));

        assertThat(artifacts.modules()).containsExactlyInAnyOrder(
                "lanner-http", "lanner-hosting", "lanner-tls", "lanner-server", "lanner-certificates", "lanner-logging");
        assertThat(LannerRoot.isLannerRoot(checkout)).isTrue();
        assertThat(LannerRoot.locate()).isEqualTo(checkout);
    }

    private void mavenWrapper(String script) throws IOException {
        Path wrapper = Files.writeString(root.resolve("mvnw"), script);
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void installAll(Instant when) throws IOException {
        for (String file : INSTALLED) {
            Path installed = repository.resolve("dev/lanner").resolve(file);
            Files.createDirectories(installed.getParent());
            Files.writeString(installed, "");
            Files.setLastModifiedTime(installed, FileTime.from(when));
        }
    }

    private void module(String directory, String dependencies) throws IOException {
        String artifactId = directory.equals("samples/hello") ? "lanner-sample-hello" : directory;
        write(directory + "/pom.xml", "<project><artifactId>" + artifactId + "</artifactId><dependencies>" + dependencies
                + "</dependencies></project>");
        write(directory + "/src/main/java/Code.java", "class Code {}");
    }

    private static String dependency(String artifactId, String scope) {
        return "<dependency><groupId>dev.lanner</groupId><artifactId>" + artifactId + "</artifactId>"
                + (scope == null ? "" : "<scope>" + scope + "</scope>") + "</dependency>";
    }

    private void write(String relative, String text) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(SOURCES));
    }
}
