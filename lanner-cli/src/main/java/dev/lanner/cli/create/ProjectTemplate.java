package dev.lanner.cli.create;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A project {@code lanner new} can create: its files are resources under
 * {@code templates/<name>/}, each written to a path (itself a template: {@code {{packagePath}}} is the
 * package as folders).
 */
public enum ProjectTemplate {
    WEB("web", "a web application: GET / and GET /about, its test, appsettings and launch profiles",
            List.of(
                    new TemplateFile("pom.xml", "pom.xml"),
                    new TemplateFile("Main.java", "src/main/java/{{packagePath}}/Main.java"),
                    new TemplateFile("MainTest.java", "src/test/java/{{packagePath}}/MainTest.java"),
                    new TemplateFile("appsettings.json", "appsettings.json"),
                    new TemplateFile("appsettings.Development.json", "appsettings.Development.json"),
                    new TemplateFile("launchSettings.json", "launchSettings.json"),
                    // Stored without its dot: Maven leaves .gitignore files out of a jar's resources.
                    new TemplateFile("gitignore", ".gitignore"),
                    new TemplateFile("README.md", "README.md")));

    /**
     * One file of a template.
     *
     * @param resource the resource's name under {@code templates/<template>/}
     * @param target   where it is written in the project, with placeholders
     */
    public record TemplateFile(String resource, String target) {
    }

    private final String templateName;
    private final String description;
    private final List<TemplateFile> files;

    ProjectTemplate(String templateName, String description, List<TemplateFile> files) {
        this.templateName = templateName;
        this.description = description;
        this.files = files;
    }

    /** The name given on the command line ({@code lanner new web}). */
    public String templateName() {
        return templateName;
    }

    public String description() {
        return description;
    }

    public List<TemplateFile> files() {
        return files;
    }

    /** The template named {@code name}, if there is one. */
    public static Optional<ProjectTemplate> named(String name) {
        return Arrays.stream(values()).filter(t -> t.templateName.equals(name)).findFirst();
    }

    /** The names of all templates, comma-separated, for messages. */
    public static String names() {
        return Arrays.stream(values()).map(ProjectTemplate::templateName).collect(Collectors.joining(", "));
    }

    /** The text of one of this template's files, as stored (before substitution). */
    public String read(TemplateFile file) {
        String resource = "/templates/" + templateName + "/" + file.resource();
        try (InputStream in = ProjectTemplate.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("template resource missing from the CLI: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template resource " + resource, e);
        }
    }
}
