package dev.lanner.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.cli.CliException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplicationProjectTest {
    @TempDir
    Path dir;

    private static Path writePom(Path directory, String body) throws IOException {
        Files.createDirectories(directory);
        return Files.writeString(directory.resolve("pom.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>test</groupId><artifactId>%s</artifactId><version>1</version>
                %s
                </project>
                """.formatted(directory.getFileName(), body));
    }

    @Test
    void readsTheMainClassFromTheLannerMainClassProperty() throws IOException {
        writePom(dir.resolve("app"), """
                  <properties>
                    <maven.compiler.release>21</maven.compiler.release>
                    <lanner.mainClass>
                      com.example.HelloApplication
                    </lanner.mainClass>
                  </properties>
                """);

        assertThat(ApplicationProject.locate(dir.resolve("app")).mainClass()).isEqualTo("com.example.HelloApplication");
    }

    @Test
    void reportsAMissingMainClassPropertyNamingThePom() throws IOException {
        Path pom = writePom(dir.resolve("app"), "<properties><other>x</other></properties>");
        ApplicationProject project = ApplicationProject.locate(dir.resolve("app"));

        assertThatThrownBy(project::mainClass)
                .isInstanceOf(CliException.class)
                .hasMessageStartingWith(pom.toRealPath() + " does not name the class to run")
                .hasMessageContaining("<lanner.mainClass>");
    }

    @Test
    void ignoresAMainClassPropertyOutsideProperties() throws IOException {
        writePom(dir.resolve("app"), "<profiles><profile><properties><lanner.mainClass>a.B</lanner.mainClass>"
                + "</properties></profile></profiles>");

        assertThatThrownBy(ApplicationProject.locate(dir.resolve("app"))::mainClass).isInstanceOf(CliException.class);
    }

    @Test
    void reportsAnUnparsablePom() throws IOException {
        Files.createDirectories(dir.resolve("app"));
        Files.writeString(dir.resolve("app/pom.xml"), "<project><properties>");

        assertThatThrownBy(ApplicationProject.locate(dir.resolve("app"))::mainClass)
                .isInstanceOf(CliException.class)
                .hasMessageStartingWith("cannot parse ");
    }

    @Test
    void buildsFromTheAggregatorThatListsTheProjectAcrossDirectoriesWithoutPom() throws IOException {
        writePom(dir.resolve("repo"), "<packaging>pom</packaging><modules><module>lib</module>"
                + "<module>samples/hello</module></modules>");
        writePom(dir.resolve("repo/samples/hello"), "");

        ApplicationProject project = ApplicationProject.locate(dir.resolve("repo/samples/hello"));

        assertThat(project.buildRoot()).isEqualTo(dir.resolve("repo").toRealPath());
        assertThat(project.modulePath()).isEqualTo(Path.of("samples", "hello").toString());
    }

    @Test
    void followsNestedAggregators() throws IOException {
        writePom(dir.resolve("repo"), "<modules><module>apps</module></modules>");
        writePom(dir.resolve("repo/apps"), "<modules><module>./hello/</module></modules>");
        writePom(dir.resolve("repo/apps/hello"), "");

        assertThat(ApplicationProject.locate(dir.resolve("repo/apps/hello")).buildRoot())
                .isEqualTo(dir.resolve("repo").toRealPath());
    }

    @Test
    void buildsAStandaloneProjectFromItsOwnDirectory() throws IOException {
        writePom(dir, "<modules><module>other</module></modules>");
        writePom(dir.resolve("app"), "");

        ApplicationProject project = ApplicationProject.locate(dir.resolve("app"));

        assertThat(project.buildRoot()).isEqualTo(dir.resolve("app").toRealPath());
        assertThat(project.modulePath()).isEmpty();
    }

    @Test
    void acceptsThePomFileAsProjectLocation() throws IOException {
        writePom(dir.resolve("app"), "");

        assertThat(ApplicationProject.locate(dir.resolve("app/pom.xml")).directory()).isEqualTo(dir.resolve("app").toRealPath());
    }

    @Test
    void reportsAMissingDirectoryAndAMissingPom() {
        assertThatThrownBy(() -> ApplicationProject.locate(dir.resolve("nope")))
                .isInstanceOf(CliException.class)
                .hasMessage("project directory not found: " + dir.resolve("nope"));
        assertThatThrownBy(() -> ApplicationProject.locate(dir))
                .isInstanceOf(CliException.class)
                .hasMessageStartingWith("no pom.xml in ");
    }

    @Test
    void reportsAProjectThatIsNotBuilt() throws IOException {
        writePom(dir.resolve("app"), "");

        assertThatThrownBy(ApplicationProject.locate(dir.resolve("app"))::runtimeClassPath)
                .isInstanceOf(CliException.class)
                .hasMessageStartingWith("project is not built: ");
    }
}
