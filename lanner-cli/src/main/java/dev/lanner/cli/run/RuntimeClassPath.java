package dev.lanner.cli.run;

import dev.lanner.cli.CliException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
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

    /**
     * This class path with {@code jar} first (the packaged application) and each dependency that {@code jar}'s
     * manifest {@code Class-Path} also names (a copy in {@code target/lib/} with the same file name) replaced by
     * that copy: the JVM then opens each jar once (with both copies, the first class-path-wide lookup of a
     * start opened both, ~50 ms of it; docs/decisions/015).
     */
    RuntimeClassPath withPackagedJar(Path jar) {
        Map<String, Path> manifestEntries = manifestClassPath(jar);
        List<Path> result = new ArrayList<>(entries.size());
        result.add(jar);
        for (Path entry : entries.subList(1, entries.size())) {
            Path copy = entry.getFileName() == null ? null : manifestEntries.get(entry.getFileName().toString());
            result.add(copy != null ? copy : entry);
        }
        return new RuntimeClassPath(result);
    }

    /** The existing files named by {@code jar}'s manifest {@code Class-Path}, by file name. */
    private static Map<String, Path> manifestClassPath(Path jar) {
        Map<String, Path> files = new HashMap<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String value = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (value == null) {
                return files;
            }
            Path base = jar.toAbsolutePath().getParent();
            for (String item : value.trim().split("\\s+")) {
                if (item.isEmpty() || item.contains(":")) {
                    continue;   // a URL with a scheme: not a file beside the jar
                }
                Path resolved = base.resolve(item.replace('/', File.separatorChar)).normalize();
                if (Files.isRegularFile(resolved)) {
                    files.put(resolved.getFileName().toString(), resolved);
                }
            }
        } catch (IOException | InvalidPathException e) {
            // An unreadable manifest: keep the class path as the build wrote it.
        }
        return files;
    }

    /** The value for {@code java -cp}. */
    String asArgument() {
        return entries.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }
}
