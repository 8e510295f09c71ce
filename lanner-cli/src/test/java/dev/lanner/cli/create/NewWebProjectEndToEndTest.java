package dev.lanner.cli.create;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.cli.LannerCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lanner new web} then {@code mvn -o test} in the new project, as a user would: Lanner's libraries
 * come from the local Maven repository, installed from this checkout by the command when they are missing
 * or older than their sources (the first run takes a minute or two). Needs {@code mvn} on PATH; nothing
 * is skipped.
 */
class NewWebProjectEndToEndTest {
    private static final long MAVEN_TEST_TIMEOUT_SECONDS = 240;

    @Test
    @Timeout(value = 9, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theNewProjectsTestsPassWithMaven(@TempDir Path temp) throws Exception {
        Path project = temp.resolve("shop-app");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var commandLine = LannerCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        int exitCode = commandLine.execute("new", "web", project.toString(), "--package", "org.acme.shop");

        assertThat(exitCode).as("lanner new web; stderr: %s", err).isZero();
        assertThat(out.toString())
                .startsWith("Created the web project shop-app in " + project + ":" + System.lineSeparator()
                        + "  pom.xml" + System.lineSeparator())
                .contains("  lanner run " + project, "  cd " + project + " && mvn test");

        List<String> command = List.of(isWindows() ? "mvn.cmd" : "mvn", "-q", "-B", "-ntp", "-o", "test");
        var builder = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process maven = builder.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream in = maven.getInputStream()) {
                in.transferTo(output);
            } catch (IOException ignored) {
                // The process was stopped: what was read is shown below.
            }
        });
        boolean finished = maven.waitFor(MAVEN_TEST_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            maven.descendants().forEach(ProcessHandle::destroyForcibly);
            maven.destroyForcibly().waitFor();
        }
        reader.join();
        String mavenOutput = output.toString(StandardCharsets.UTF_8);

        assertThat(finished).as("%s finished within %d s; output:%n%s", command, MAVEN_TEST_TIMEOUT_SECONDS, mavenOutput).isTrue();
        assertThat(maven.exitValue()).as("%s in %s; output:%n%s", command, project, mavenOutput).isZero();
        Path report = project.resolve("target/surefire-reports/TEST-org.acme.shop.MainTest.xml");
        assertThat(report).as("surefire report; Maven output:%n%s", mavenOutput).isRegularFile();
        assertThat(Files.readString(report)).contains("tests=\"2\"", "failures=\"0\"", "errors=\"0\"", "skipped=\"0\"");
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }
}
