package dev.lanner.cli.create;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.cli.CliException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProjectNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"myapp", "my-app", "My_App", "app.v2", "2048"})
    void acceptsMavenArtifactIds(String name) {
        assertThat(ProjectNames.isValidName(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "my app", "my/app", "app!", "é", ".", ".."})
    void refusesWhatIsNotAMavenArtifactId(String name) {
        assertThat(ProjectNames.isValidName(name)).isFalse();
    }

    @Test
    void anInvalidNameIsOneLineSayingHowToChooseAnother() {
        assertThatThrownBy(() -> ProjectNames.requireValidName("my app", false))
                .isInstanceOf(CliException.class)
                .hasMessage("'my app' is not a valid project name (letters, digits, '-', '_' and '.'); choose another with --name");
        assertThatThrownBy(() -> ProjectNames.requireValidName("my app", true))
                .hasMessage("the folder name 'my app' is not a valid project name (letters, digits, '-', '_' and '.');"
                        + " pass one with --name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"com.example.myapp", "shop", "org.acme.Shop_2", "a.b.c"})
    void acceptsJavaPackages(String name) {
        assertThat(ProjectNames.isValidPackage(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "com..example", "com.example.", "1abc", "com.class", "com.my-app", "_", "a b"})
    void refusesWhatIsNotAJavaPackage(String name) {
        assertThat(ProjectNames.isValidPackage(name)).isFalse();
    }

    @Test
    void anInvalidPackageIsOneLineSayingHowToChooseAnother() {
        assertThatThrownBy(() -> ProjectNames.requireValidPackage("com.class"))
                .isInstanceOf(CliException.class)
                .hasMessage("'com.class' is not a valid Java package (dot-separated identifiers, no keywords,"
                        + " e.g. com.example.myapp); choose another with --package");
    }

    @ParameterizedTest
    @CsvSource({
        "myapp, com.example.myapp",
        "MyApp, com.example.myapp",
        "my-app, com.example.my_app",
        "app.v2, com.example.app_v2",
        "2048, com.example._2048",
        "class, com.example.class_",
        "-, com.example.__"
    })
    void derivesTheDefaultPackageFromTheName(String name, String expected) {
        assertThat(ProjectNames.defaultPackage(name)).isEqualTo(expected);
        assertThat(ProjectNames.isValidPackage(expected)).isTrue();
    }

    @Test
    void theGroupIdIsThePackageWithoutItsLastSegment() {
        assertThat(ProjectNames.groupId("com.example.myapp")).isEqualTo("com.example");
        assertThat(ProjectNames.groupId("shop")).isEqualTo("shop");
    }
}
