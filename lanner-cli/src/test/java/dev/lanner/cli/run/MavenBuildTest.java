package dev.lanner.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MavenBuildTest {
    @Test
    void buildsTheModuleAndWhatItNeedsFromTheBuildRoot() {
        var project = new ApplicationProject(Path.of("/repo/samples/hello"), Path.of("/repo"));

        assertThat(new MavenBuild(project, Path.of("/jdk")).command()).endsWith(
                "-q", "-B", "-ntp", "-Dstyle.color=never", "-DskipTests", "-pl", Path.of("samples", "hello").toString(), "-am", "package");
    }

    @Test
    void buildsAStandaloneProjectWithoutProjectList() {
        var project = new ApplicationProject(Path.of("/app"), Path.of("/app"));

        assertThat(new MavenBuild(project, Path.of("/jdk")).command()).containsExactly(
                mvn(), "-q", "-B", "-ntp", "-Dstyle.color=never", "-DskipTests", "package");
    }

    private static String mvn() {
        return System.getProperty("os.name", "").startsWith("Windows") ? "mvn.cmd" : "mvn";
    }

    @Test
    void mavensOutputReachesTheConsoleWithoutEscapeCodesOrBlankLines() throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        String maven = "\u001B[0m\u001B[0m\n[ERROR] \u001B[1;31mCOMPILATION ERROR\u001B[m : \n\u001B[0m\nBUILD FAILURE\n";

        MavenBuild.copyWithoutAnsiCodes(new java.io.ByteArrayInputStream(maven.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));

        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList())
                .containsExactly("[ERROR] COMPILATION ERROR : ", "BUILD FAILURE");
    }
}
