package dev.lanner.cli.run;

import dev.lanner.cli.CliException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An application's runtime class path: its classes directory, then the entries that
 * its build wrote to {@code target/lanner.classpath} (maven-dependency-plugin
 * {@code build-classpath}, entries separated by {@link File#pathSeparator}).
 */
record RuntimeClassPath(List<Path> entries) {
    static final String FILE_NAME = "lanner.classpath";

    RuntimeClassPath {
        entries = List.copyOf(entries);
    }

    static RuntimeClassPath read(Path classesDirectory, Path classPathFile) {
        String content;
        try {
            content = Files.readString(classPathFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliException(classPathFile + " not found: the project's build must write its class path there"
                    + " (maven-dependency-plugin build-classpath, see lanner-cli/README.md)");
        } catch (IOException e) {
            throw new CliException("cannot read " + classPathFile + ": " + e.getMessage());
        }
        return new RuntimeClassPath(concat(classesDirectory, parse(content)));
    }

    /** Splits the content of a class path file; blank entries and line breaks are ignored. */
    static List<Path> parse(String content) {
        List<Path> entries = new ArrayList<>();
        for (String entry : content.split("[" + File.pathSeparator + "\\r\\n]")) {
            if (!entry.isBlank()) {
                entries.add(Path.of(entry.strip()));
            }
        }
        return entries;
    }

    private static List<Path> concat(Path first, List<Path> rest) {
        List<Path> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /** The value for {@code java -cp}. */
    String asArgument() {
        return entries.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }
}
