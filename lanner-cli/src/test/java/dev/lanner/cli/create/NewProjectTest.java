package dev.lanner.cli.create;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.cli.CliException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NewProjectTest {
    @TempDir
    Path temp;

    private NewProject project(Path directory) {
        return new NewProject(directory, "myapp", "org.acme.shop", "1.2.3-SNAPSHOT");
    }

    @Test
    void writesTheWebTemplatesFilesWithThePackageAsFolders() throws IOException {
        List<Path> written = project(temp.resolve("myapp")).write(ProjectTemplate.WEB);

        assertThat(written).extracting(Path::toString).containsExactly(
                "pom.xml",
                "src/main/java/org/acme/shop/Main.java",
                "src/test/java/org/acme/shop/MainTest.java",
                "appsettings.json",
                "appsettings.Development.json",
                "launchSettings.json",
                ".gitignore",
                "README.md");
        for (Path file : written) {
            assertThat(Files.readString(temp.resolve("myapp").resolve(file))).as(file.toString()).doesNotContain("{{");
        }
        assertThat(Files.readString(temp.resolve("myapp/.gitignore"))).isEqualTo("target/\n");
    }

    @Test
    void thePomNamesTheProjectTheMainClassAndLannersVersion() throws IOException {
        project(temp).write(ProjectTemplate.WEB);

        String pom = Files.readString(temp.resolve("pom.xml"));
        assertThat(pom)
                .contains("<groupId>org.acme</groupId>\n  <artifactId>myapp</artifactId>")
                .contains("<lanner.mainClass>org.acme.shop.Main</lanner.mainClass>")
                .contains("<lanner.version>1.2.3-SNAPSHOT</lanner.version>")
                .contains("<maven.compiler.release>21</maven.compiler.release>")
                .contains("<outputFile>${project.build.directory}/lanner.classpath</outputFile>")
                .doesNotContain("<parent>");
        // The logging backend is one line, so that it can be swapped.
        assertThat(pom.lines().filter(line -> line.contains("<!-- Logging")))
                .singleElement().asString().contains("<artifactId>lanner-logging</artifactId><version>${lanner.version}</version>");
        assertThat(Files.readString(temp.resolve("src/main/java/org/acme/shop/Main.java")))
                .startsWith("package org.acme.shop;\n")
                .contains("ctx.response().write(\"Hello from myapp!\");");
    }

    @Test
    void theLaunchProfilesAreNamedForTheProjectAndTheModule() throws IOException {
        project(temp).write(ProjectTemplate.WEB);

        var profiles = new com.fasterxml.jackson.databind.ObjectMapper().readTree(temp.resolve("launchSettings.json").toFile())
                .path("profiles");
        List<String> names = new ArrayList<>();
        profiles.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("myapp", "Module");
        assertThat(profiles.path("myapp").path("applicationUrl").asText()).isEqualTo("http://localhost:5000");
        assertThat(profiles.path("myapp").path("environmentVariables").path("LANNER_Greeting").asText())
                .isEqualTo("Hello from the myapp profile");
        assertThat(profiles.path("Module").path("hostingModel").asText()).isEqualTo("inprocess");
    }

    @Test
    void theTemplateUsesTheVersionsOfLannersOwnBuild() throws IOException {
        String rootPom = Files.readString(Path.of("..", "pom.xml"));
        String template = ProjectTemplate.WEB.read(new ProjectTemplate.TemplateFile("pom.xml", "pom.xml"));

        for (String property : List.of("junit.version", "assertj.version")) {
            Matcher value = Pattern.compile("<" + Pattern.quote(property) + ">([^<]+)<").matcher(rootPom);
            assertThat(value.find()).as(property).isTrue();
            String artifact = switch (property) {
                case "junit.version" -> "junit-jupiter";
                default -> "assertj-core";
            };
            assertThat(template).as(artifact).contains("<artifactId>" + artifact + "</artifactId><version>" + value.group(1) + "</version>");
        }
        Matcher plugin = Pattern.compile("<artifactId>(maven-[a-z]+-plugin)</artifactId><version>([^<]+)</version>").matcher(template);
        int plugins = 0;
        while (plugin.find()) {
            plugins++;
            assertThat(rootPom).as(plugin.group(1)).contains("<artifactId>" + plugin.group(1) + "</artifactId><version>" + plugin.group(2) + "</version>");
        }
        assertThat(plugins).isEqualTo(7);
    }

    @Test
    void refusesAFolderThatIsNotEmpty() throws IOException {
        Files.writeString(temp.resolve("notes.txt"), "mine");

        assertThatThrownBy(() -> project(temp).write(ProjectTemplate.WEB))
                .isInstanceOf(CliException.class)
                .hasMessage(temp + " is not empty; choose another folder");
        assertThat(Files.readString(temp.resolve("notes.txt"))).isEqualTo("mine");
        assertThat(temp.resolve("pom.xml")).doesNotExist();
    }

    @Test
    void refusesAFileInPlaceOfTheFolder() throws IOException {
        Path file = Files.writeString(temp.resolve("myapp"), "mine");

        assertThatThrownBy(() -> project(file).write(ProjectTemplate.WEB))
                .isInstanceOf(CliException.class)
                .hasMessage(file + " is a file; choose another folder");
    }

    @Test
    void writesIntoAnEmptyFolder() {
        assertThat(project(temp).write(ProjectTemplate.WEB)).hasSize(8);
        assertThat(temp.resolve("pom.xml")).isRegularFile();
    }
}
