package dev.lanner.module.internal.inprocess;

import dev.lanner.module.site.ApplicationEntry;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * What an in-process application runs: its jar, the jars its manifest's {@code Class-Path} lists
 * (relative to the jar, as {@code java -jar} reads them), and its main class.
 *
 * @param jar       the application's jar (or the first entry of its configured class path)
 * @param classPath the jar first, then its dependencies
 * @param mainClass the class whose {@code main} the module calls
 */
record ApplicationJar(Path jar, List<URL> classPath, String mainClass) {

    /**
     * The entry's {@code jar} (or, without one, the single jar with a {@code Main-Class} in the
     * application folder's {@code target/}, where a Maven build puts it) and its {@code mainClass}
     * (or the manifest's {@code Main-Class}).
     *
     * @throws IOException with one line saying what is missing
     */
    static ApplicationJar resolve(ApplicationEntry entry) throws IOException {
        if (!entry.classPath().isEmpty()) {
            List<URL> classPath = new ArrayList<>();
            for (Path item : entry.classPath()) {
                if (!Files.exists(item)) {
                    throw new IOException("the class path entry " + item + " does not exist (build the application)");
                }
                classPath.add(url(item));
            }
            return new ApplicationJar(entry.classPath().get(0), List.copyOf(classPath), entry.mainClass());
        }
        Path jar = entry.jar() != null ? entry.jar() : findBuiltJar(entry.directory());
        if (!Files.isRegularFile(jar)) {
            throw new IOException("the application's jar " + jar + " does not exist (build the application, or fix 'jar' in the site file)");
        }
        Manifest manifest;
        try (JarFile file = new JarFile(jar.toFile())) {
            manifest = file.getManifest();
        }
        List<URL> classPath = new ArrayList<>();
        classPath.add(url(jar));
        String mainClass = entry.mainClass();
        if (manifest != null) {
            Attributes attributes = manifest.getMainAttributes();
            String listed = attributes.getValue(Attributes.Name.CLASS_PATH);
            if (listed != null) {
                // Relative URLs against the jar's own, as java -jar reads them (absolute file: URLs work too).
                URI base = jar.toUri();
                for (String item : listed.trim().split("\\s+")) {
                    if (!item.isEmpty()) {
                        try {
                            classPath.add(base.resolve(item).toURL());
                        } catch (IllegalArgumentException | MalformedURLException e) {
                            throw new IOException("the Class-Path of " + jar + " lists '" + item + "', which is not a URL");
                        }
                    }
                }
            }
            if (mainClass == null) {
                mainClass = attributes.getValue(Attributes.Name.MAIN_CLASS);
            }
        }
        if (mainClass == null || mainClass.isBlank()) {
            throw new IOException("the application's jar " + jar + " names no Main-Class; set 'mainClass' in the site file");
        }
        return new ApplicationJar(jar, List.copyOf(classPath), mainClass.strip());
    }

    private static Path findBuiltJar(Path directory) throws IOException {
        Path target = directory.resolve("target");
        List<Path> candidates = new ArrayList<>();
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "*.jar")) {
                for (Path jar : jars) {
                    if (hasMainClass(jar)) {
                        candidates.add(jar);
                    }
                }
            }
        }
        if (candidates.size() != 1) {
            throw new IOException(candidates.isEmpty()
                    ? "no jar with a Main-Class in " + target + "; build the application or set 'jar' in the site file"
                    : "several jars with a Main-Class in " + target + " " + candidates.stream().map(p -> p.getFileName().toString()).sorted().toList()
                            + "; set 'jar' in the site file");
        }
        return candidates.get(0);
    }

    private static boolean hasMainClass(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            return manifest != null && manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS) != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static URL url(Path path) throws MalformedURLException {
        return path.toUri().toURL();
    }
}
