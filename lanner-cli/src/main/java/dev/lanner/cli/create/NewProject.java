package dev.lanner.cli.create;

import dev.lanner.cli.CliException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A project about to be written from a {@link ProjectTemplate}: where, and the values its placeholders
 * take ({@code name}, {@code package}, {@code packagePath}, {@code groupId}, {@code lannerVersion}).
 *
 * @param directory     the project folder: missing or empty
 * @param name          the project name, a valid Maven artifactId
 * @param javaPackage   the package of its classes, a valid Java package
 * @param lannerVersion the version of Lanner's artifacts the project depends on
 */
public record NewProject(Path directory, String name, String javaPackage, String lannerVersion) {

    public NewProject {
        directory = directory.toAbsolutePath().normalize();
        ProjectNames.requireValidName(name, false);
        ProjectNames.requireValidPackage(javaPackage);
    }

    /** This project with its Lanner libraries at {@code version}. */
    public NewProject withLannerVersion(String version) {
        return new NewProject(directory, name, javaPackage, version);
    }

    /** What the placeholders stand for. */
    public Map<String, String> values() {
        return Map.of(
                "name", name,
                "package", javaPackage,
                "packagePath", javaPackage.replace('.', '/'),
                "groupId", ProjectNames.groupId(javaPackage),
                "lannerVersion", lannerVersion);
    }

    /**
     * Writes the template's files into {@link #directory()} (created if missing) and returns their
     * paths relative to it, in the template's order.
     *
     * @throws CliException when the folder exists and is not empty, or a file cannot be written
     */
    public List<Path> write(ProjectTemplate template) {
        requireEmptyDirectory(directory);
        Map<String, String> values = values();
        List<Path> written = new ArrayList<>();
        for (ProjectTemplate.TemplateFile file : template.files()) {
            Path relative = Path.of(TemplateText.substitute(file.target(), values));
            Path target = directory.resolve(relative);
            String text = TemplateText.substitute(template.read(file), values);
            try {
                Files.createDirectories(target.getParent());
                Files.writeString(target, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            } catch (IOException e) {
                throw new CliException("cannot write " + target + ": " + e.getMessage());
            }
            written.add(relative);
        }
        return written;
    }

    /** Refuses a folder that holds anything (or a file in its place): a new project never overwrites. */
    static void requireEmptyDirectory(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        if (!Files.isDirectory(directory)) {
            throw new CliException(directory + " is a file; choose another folder");
        }
        try (Stream<Path> entries = Files.list(directory)) {
            if (entries.findAny().isPresent()) {
                throw new CliException(directory + " is not empty; choose another folder");
            }
        } catch (IOException e) {
            throw new CliException("cannot read " + directory + ": " + e.getMessage());
        }
    }
}
