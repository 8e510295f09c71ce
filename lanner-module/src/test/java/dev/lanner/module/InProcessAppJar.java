package dev.lanner.module;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds the jar of {@code example.inproc.InProcessTestApp} (its source is a test resource) once per
 * test run: compiled against the test class path, with a manifest naming its main class and, as
 * {@code java -jar} would read them, its own copies of Jackson's jars in {@code Class-Path}; Lanner's
 * classes are not listed, since the module shares its own.
 */
final class InProcessAppJar {

    static final String MAIN_CLASS = "example.inproc.InProcessTestApp";
    private static Path built;

    private InProcessAppJar() {
    }

    static synchronized Path get() throws IOException {
        if (built == null) {
            built = build(Files.createTempDirectory("lanner-inprocess-app"));
        }
        return built;
    }

    private static Path build(Path dir) throws IOException {
        Path source;
        try {
            source = Path.of(InProcessAppJar.class.getResource("/inprocess-app/example/inproc/InProcessTestApp.java").toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        boolean ok = compiler.getTask(errors, null, null,
                List.of("--release", "21", "-classpath", System.getProperty("java.class.path"), "-d", classes.toString()),
                null, compiler.getStandardFileManager(null, null, null).getJavaFileObjects(source.toFile())).call();
        if (!ok) {
            throw new IOException("compiling the in-process test application failed:\n" + errors);
        }
        List<String> libraries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.contains("jackson-") && entry.endsWith(".jar")) {
                libraries.add(Path.of(entry).toUri().toString());
            }
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, MAIN_CLASS);
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", libraries));
        Path jar = dir.resolve("inprocess-test-app.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                jarOut.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                jarOut.write(Files.readAllBytes(file));
                jarOut.closeEntry();
            }
        }
        return jar;
    }
}
