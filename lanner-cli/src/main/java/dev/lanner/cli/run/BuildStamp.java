package dev.lanner.cli.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Whether a project must be built again: a fingerprint of what goes into the build (every
 * {@code pom.xml} and every file under a {@code src/main} of the build root, that is of the project
 * and of the modules it is built with) and of the configuration, kept in the project's
 * {@code target/} after a successful build. Equal fingerprints mean nothing changed since: the
 * build is skipped. A file added, removed or modified changes the count or the newest time.
 */
final class BuildStamp {

    static final String FILE_NAME = ".lanner-build";

    private BuildStamp() {
    }

    /** The fingerprint of {@code project}'s sources now, for {@code configuration}. */
    static String fingerprint(ApplicationProject project, String configuration) {
        long[] newest = {0};
        long[] count = {0};
        Path root = project.buildRoot();
        {
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                        // Build output, version control, tools' folders and tests never change what runs.
                        if (!dir.equals(root) && (name.equals("target") || name.startsWith(".") || name.equals("node_modules")
                                || (name.equals("test") && dir.getParent() != null && dir.getParent().getFileName() != null
                                && dir.getParent().getFileName().toString().equals("src")))) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        String name = file.getFileName().toString();
                        if (name.equals("pom.xml") || file.toString().contains("/src/main/")) {
                            newest[0] = Math.max(newest[0], attributes.lastModifiedTime().toMillis());
                            count[0]++;
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return configuration + " " + count[0] + " " + newest[0];
    }

    /** Whether the last successful build of {@code project} had {@code fingerprint}. */
    static boolean upToDate(ApplicationProject project, String fingerprint) {
        try {
            return fingerprint.equals(Files.readString(file(project)).strip());
        } catch (IOException e) {
            return false;
        }
    }

    /** The configuration of the last successful build, or {@code null}. */
    static String lastConfiguration(ApplicationProject project) {
        try {
            String text = Files.readString(file(project)).strip();
            int space = text.indexOf(' ');
            return space < 0 ? null : text.substring(0, space);
        } catch (IOException e) {
            return null;
        }
    }

    /** Records a successful build with {@code fingerprint}. */
    static void record(ApplicationProject project, String fingerprint) {
        try {
            Files.createDirectories(file(project).getParent());
            Files.writeString(file(project), fingerprint + "\n");
        } catch (IOException e) {
            // Only costs a build next time.
        }
    }

    private static Path file(ApplicationProject project) {
        return project.directory().resolve("target").resolve(FILE_NAME);
    }
}
